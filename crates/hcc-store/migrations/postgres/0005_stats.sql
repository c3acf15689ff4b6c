-- Supervision statistics (issue 5). Counters of what changed, per local day (Asia/Ho_Chi_Minh,
-- 'YYYY-MM-DD') of the change and per agency, field, procedure, reception point, channel and
-- measure. Every dossier write adds its increments here in its own transaction (see
-- queries/stats.rs); the dashboard sums a period's rows, `hcc stats rebuild` recomputes them all
-- from the control sheets.
CREATE TABLE stats (
  day TEXT NOT NULL, agency_code TEXT NOT NULL, field TEXT NOT NULL, procedure_code TEXT NOT NULL,
  point_code TEXT NOT NULL, channel TEXT NOT NULL, measure TEXT NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (day, agency_code, field, procedure_code, point_code, channel, measure)
);
-- A leader's dashboard reads only their agency's rows.
CREATE INDEX stats_agency_day ON stats(agency_code, day);

-- The same counters rolled up per month and per single dimension, written with them: a dashboard
-- of whole months reads a few thousand rows instead of every combination of every day. `dim` is
-- total, agency, field, procedure, point or channel (value: that code or name; empty for total),
-- or agency:field, agency:procedure, agency:point, agency:channel (value: 'AGENCY|VALUE') for a
-- leader's view of their own agency. Keyed by dimension first: a breakdown over any months is one
-- range of the key.
CREATE TABLE stats_month (
  month TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, measure TEXT NOT NULL, n BIGINT NOT NULL,
  PRIMARY KEY (dim, month, value, measure)
);

-- Open-state gauges are read from the dossiers at request time (they depend on the clock):
-- "stuck" (no action for N working days) looks up open dossiers by their last change.
CREATE INDEX dossiers_status_updated ON dossiers(status, updated_at);

-- Pilot phases (DOMAIN.md §Phases): data an administrator sets, not constants. `ends_on` is the
-- last day of the phase (inclusive); none for a phase still running.
CREATE TABLE pilot_phases (
  no BIGINT PRIMARY KEY, name TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT
);
INSERT INTO pilot_phases (no, name, starts_on, ends_on) VALUES
  (1, 'Giai đoạn 1 (trọng điểm)', '2024-10-01', '2025-03-31'),
  (2, 'Giai đoạn 2', '2025-04-01', '2025-06-30'),
  (3, 'Giai đoạn 3 (hoàn thiện)', '2025-07-01', NULL);
