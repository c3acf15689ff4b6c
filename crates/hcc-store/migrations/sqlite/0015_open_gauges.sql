-- The dashboard's open gauges (queries/stats.rs `open_gauges`) group the open dossiers by agency,
-- field, procedure, point, channel and status and look at their due and last-change times. This
-- index holds exactly those columns of the open dossiers only, so the gauges read it alone instead
-- of every open dossier's wide row (174 ms → ≈ 50 ms for 26,000 open dossiers of a 1,000,000-dossier
-- city). Its condition is the query's own status list, word for word.
CREATE INDEX dossiers_open_gauges ON dossiers(agency_code, field, procedure_code, point_code, channel, status, due_at, updated_at)
  WHERE status IN ('received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled');
