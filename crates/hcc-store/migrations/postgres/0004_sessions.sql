-- Staff web sessions (the session cookie of the staff app). Only the SHA-256 of a session id is
-- stored, so a copy of this table opens no session. `user_id` lets a new password or a disabled
-- account end that account's sessions.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY, user_id BIGINT REFERENCES users(id), data TEXT NOT NULL,
  expires_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);

-- The inbox lists a unit's open dossiers most urgent first (by the current step's due time).
CREATE INDEX dossiers_agency_status_step_due ON dossiers(agency_code, status, step_due_at, id);
CREATE INDEX dossiers_point_status_step_due ON dossiers(point_code, status, step_due_at, id);
