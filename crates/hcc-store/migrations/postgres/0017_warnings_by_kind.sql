-- The staff's list of early warnings (/canh-bao): a supervisor's is every escalation of the city,
-- read in due order (queries/warnings.rs `active_warnings`) without scanning every warning given.
CREATE INDEX warnings_kind_due ON warnings(kind, due_at, id);
