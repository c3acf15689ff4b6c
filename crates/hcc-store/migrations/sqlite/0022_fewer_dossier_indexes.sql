-- Fewer index entries for each new dossier: every receipt writes one entry per index of
-- `dossiers`, on the single writer. The SQLite plan tests (src/sqlite/query_plans.rs) name the
-- index each query reads and check that every index of `dossiers` is read by one.
--
-- No query looks dossiers up by the applicant's ID number (the list's search finds it through
-- the full-text index), and the officers' work in hand is read through the open statuses'
-- indexes (a few open dossiers), never through (agency, assignee, status): both indexes go.
DROP INDEX dossiers_applicant;
DROP INDEX dossiers_agency_assignee_status;
-- A dossier has no assignee until a leader assigns one, and every query that reads this index
-- names an assignee (`assignee_id = ?`), which implies it is not NULL: it holds the assigned
-- dossiers only, and a receipt adds no entry to it.
DROP INDEX dossiers_assignee;
CREATE INDEX dossiers_assignee ON dossiers(assignee_id, id) WHERE assignee_id IS NOT NULL;
