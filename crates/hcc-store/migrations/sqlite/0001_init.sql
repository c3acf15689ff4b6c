-- HCC schema, SQLite. Instants are INTEGER microseconds since the Unix epoch (UTC); local dates
-- are TEXT 'YYYY-MM-DD'. The PostgreSQL schema has the same tables, columns and meanings.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE provinces (code TEXT PRIMARY KEY, name TEXT NOT NULL, full_name TEXT NOT NULL);
CREATE TABLE communes (
  code TEXT PRIMARY KEY, province_code TEXT NOT NULL REFERENCES provinces(code),
  name TEXT NOT NULL, full_name TEXT NOT NULL, name_folded TEXT NOT NULL
);
CREATE INDEX communes_province ON communes(province_code, name_folded);

CREATE TABLE agencies (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, commune_code TEXT
);
CREATE INDEX agencies_commune ON agencies(commune_code);
CREATE TABLE points (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, address TEXT NOT NULL,
  commune_code TEXT
);
CREATE TABLE routing_rules (
  id INTEGER PRIMARY KEY, position INTEGER NOT NULL, rule TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL,
  password_hash TEXT NOT NULL, role TEXT NOT NULL, agency_code TEXT REFERENCES agencies(code),
  point_code TEXT REFERENCES points(code), disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE calendar_days (date TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL);

CREATE TABLE procedures (
  code TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, field TEXT NOT NULL,
  level TEXT NOT NULL, search_text TEXT NOT NULL, data TEXT NOT NULL, content_hash TEXT NOT NULL,
  is_current INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE INDEX procedures_current ON procedures(is_current, code);

CREATE TABLE code_sequences (unit TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (unit, day));

CREATE TABLE dossiers (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  secret TEXT NOT NULL,
  idempotency_key TEXT UNIQUE,
  procedure_code TEXT NOT NULL, procedure_version INTEGER NOT NULL,
  procedure_name TEXT NOT NULL, field TEXT NOT NULL,
  channel TEXT NOT NULL, point_code TEXT NOT NULL REFERENCES points(code),
  agency_code TEXT NOT NULL REFERENCES agencies(code), assignee_id INTEGER REFERENCES users(id),
  routing_rule TEXT NOT NULL,
  status TEXT NOT NULL, resume_status TEXT,
  applicant_kind TEXT NOT NULL, applicant_name TEXT NOT NULL, applicant_id_number TEXT NOT NULL,
  applicant_phone TEXT, applicant_email TEXT, applicant_address TEXT NOT NULL,
  applicant_commune TEXT, subject_commune TEXT, request_summary TEXT NOT NULL,
  documents TEXT NOT NULL, return_method TEXT NOT NULL,
  search_text TEXT NOT NULL,
  submitted_at INTEGER NOT NULL, received_at INTEGER, due_at INTEGER, original_due_at INTEGER,
  clock_stopped_at INTEGER, budget_minutes INTEGER NOT NULL,
  step_index INTEGER NOT NULL, step_started_at INTEGER, step_due_at INTEGER,
  supplement_requests INTEGER NOT NULL, new_appointments INTEGER NOT NULL,
  extension_minutes INTEGER NOT NULL, late_steps INTEGER NOT NULL, approved INTEGER NOT NULL,
  handled_at INTEGER, finished_at INTEGER,
  event_count INTEGER NOT NULL, last_hash TEXT NOT NULL,
  version INTEGER NOT NULL, updated_at INTEGER NOT NULL
);
-- Lists page newest first (ORDER BY id DESC) under each reader's scope: every index ends in id.
CREATE INDEX dossiers_agency ON dossiers(agency_code, id);
CREATE INDEX dossiers_agency_status ON dossiers(agency_code, status, id);
CREATE INDEX dossiers_point ON dossiers(point_code, id);
CREATE INDEX dossiers_point_status ON dossiers(point_code, status, id);
CREATE INDEX dossiers_status ON dossiers(status, id);
CREATE INDEX dossiers_status_due ON dossiers(status, due_at);
CREATE INDEX dossiers_assignee ON dossiers(assignee_id, id);
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, id);
CREATE INDEX dossiers_field ON dossiers(field, id);
CREATE INDEX dossiers_applicant ON dossiers(applicant_id_number);
CREATE INDEX dossiers_received ON dossiers(received_at);

CREATE TABLE dossier_agencies (
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id), agency_code TEXT NOT NULL,
  PRIMARY KEY (dossier_id, agency_code)
);
CREATE INDEX dossier_agencies_agency ON dossier_agencies(agency_code, dossier_id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id), seq INTEGER NOT NULL,
  at INTEGER NOT NULL, actor_id INTEGER, actor TEXT NOT NULL, actor_name TEXT NOT NULL,
  role TEXT NOT NULL, unit TEXT NOT NULL, action TEXT NOT NULL,
  from_status TEXT NOT NULL, to_status TEXT NOT NULL, step_name TEXT NOT NULL,
  step_due_at INTEGER, step_outcome TEXT NOT NULL, handed_to TEXT NOT NULL,
  note TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  UNIQUE (dossier_id, seq)
);
CREATE INDEX events_at ON events(at, id);

-- The control sheet is append-only: the application never updates or deletes an event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE audit_roots (
  day TEXT PRIMARY KEY, last_event_id INTEGER NOT NULL, event_count INTEGER NOT NULL,
  prev_root TEXT NOT NULL, root TEXT NOT NULL, created_at INTEGER NOT NULL
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY, dossier_id INTEGER NOT NULL REFERENCES dossiers(id), kind TEXT NOT NULL,
  payload TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

CREATE TABLE staff_reads (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, dossier_id INTEGER NOT NULL, at INTEGER NOT NULL,
  what TEXT NOT NULL
);
