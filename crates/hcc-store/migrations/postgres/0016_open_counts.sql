-- How many dossiers are open now (received and not finished), per status and per dimension value,
-- kept as the dossiers move: the supervision dashboard reads these few rows instead of grouping
-- every open dossier (queries/stats.rs `move_open_counts`, `open_gauges`). The dimensions are the
-- city-wide ones (total, agency, field, procedure, point, channel), the same within one agency
-- ('agency:field' = 'AGENCY|FIELD', …, for a leader's view) and within one field ('field:agency',
-- …, for the watched fields' view). `hcc stats rebuild` recomputes them from the dossiers.
-- The status list is `Status::is_open`'s, word for word.
CREATE TABLE open_counts (
  dim TEXT NOT NULL,
  value TEXT NOT NULL,
  status TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (dim, value, status)
);
INSERT INTO open_counts (dim, value, status, n)
SELECT 'total', '', status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY status
UNION ALL SELECT 'agency', agency_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY agency_code, status
UNION ALL SELECT 'field', field, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY field, status
UNION ALL SELECT 'procedure', procedure_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY procedure_code, status
UNION ALL SELECT 'point', point_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY point_code, status
UNION ALL SELECT 'channel', channel, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY channel, status
UNION ALL SELECT 'agency:field', agency_code || '|' || field, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY agency_code, field, status
UNION ALL SELECT 'agency:procedure', agency_code || '|' || procedure_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY agency_code, procedure_code, status
UNION ALL SELECT 'agency:point', agency_code || '|' || point_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY agency_code, point_code, status
UNION ALL SELECT 'agency:channel', agency_code || '|' || channel, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY agency_code, channel, status
UNION ALL SELECT 'field:agency', field || '|' || agency_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY field, agency_code, status
UNION ALL SELECT 'field:procedure', field || '|' || procedure_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY field, procedure_code, status
UNION ALL SELECT 'field:point', field || '|' || point_code, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY field, point_code, status
UNION ALL SELECT 'field:channel', field || '|' || channel, status, COUNT(*) FROM dossiers WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled') GROUP BY field, channel, status;
