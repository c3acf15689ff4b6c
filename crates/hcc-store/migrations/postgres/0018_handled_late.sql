-- The service index judges the dossiers still being handled when a period ends (DOMAIN §Index):
-- those handled late after that end are found through this index of late endings only
-- (queries/stats_read.rs `late_open_count`), not by scanning every dossier handled since.
-- The WHERE clause is repeated word for word by the query, so that the planner may use it.
CREATE INDEX dossiers_handled_late ON dossiers(handled_at) WHERE handled_at > COALESCE(original_due_at, due_at);
