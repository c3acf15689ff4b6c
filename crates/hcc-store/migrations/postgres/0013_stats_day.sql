-- Supervision statistics per day and single dimension (issue 5): the daily twin of stats_month.
-- A period that is not whole months is answered from the monthly rollup for the months it covers
-- whole and from these rows for the days at either end (at most ~62 days), so the cost is
-- bounded by the number of values of a dimension, never by the number of counter combinations
-- (which grows with the city). Same dims as stats_month, plus 'officer' (value 'AGENCY|USERNAME':
-- the specialist the dossier was assigned to when its handling ended), which lives only in the
-- two rollups (both tables carry it) because the daily counters have no officer in their key.
CREATE TABLE stats_day (
  dim TEXT NOT NULL, day TEXT NOT NULL, value TEXT NOT NULL, measure TEXT NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (dim, day, value, measure)
);

-- An installation upgraded from 0005 gets its daily rollup from the counters it already has.
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'total', day, '', measure, SUM(n) FROM stats GROUP BY day, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'agency', day, agency_code, measure, SUM(n) FROM stats GROUP BY day, agency_code, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'field', day, field, measure, SUM(n) FROM stats GROUP BY day, field, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'procedure', day, procedure_code, measure, SUM(n) FROM stats GROUP BY day, procedure_code, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'point', day, point_code, measure, SUM(n) FROM stats GROUP BY day, point_code, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'channel', day, channel, measure, SUM(n) FROM stats GROUP BY day, channel, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'agency:field', day, agency_code || '|' || field, measure, SUM(n) FROM stats
  GROUP BY day, agency_code, field, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'agency:procedure', day, agency_code || '|' || procedure_code, measure, SUM(n) FROM stats
  GROUP BY day, agency_code, procedure_code, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'agency:point', day, agency_code || '|' || point_code, measure, SUM(n) FROM stats
  GROUP BY day, agency_code, point_code, measure;
INSERT INTO stats_day (dim, day, value, measure, n)
  SELECT 'agency:channel', day, agency_code || '|' || channel, measure, SUM(n) FROM stats
  GROUP BY day, agency_code, channel, measure;

-- Officers' workload "in hand now": the open dossiers of one agency per assignee.
CREATE INDEX dossiers_agency_assignee_status ON dossiers(agency_code, assignee_id, status);
