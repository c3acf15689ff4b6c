-- The citizen portal: citizen accounts (sign-up verified by a one-time code, or an OpenID
-- Connect identity), their sessions, online-submission drafts and the per-dossier satisfaction
-- rating (DOMAIN.md §Satisfaction).

-- A one-time code for a sign-up has no dossier yet: outbox rows may stand alone. SQLite cannot
-- drop a NOT NULL, so the table is rebuilt with the same columns and index.
CREATE TABLE outbox_new (
  id INTEGER PRIMARY KEY, dossier_id INTEGER REFERENCES dossiers(id), kind TEXT NOT NULL,
  payload TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER
);
INSERT INTO outbox_new (id, dossier_id, kind, payload, created_at, sent_at)
  SELECT id, dossier_id, kind, payload, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(sent_at, id);

-- A citizen's account. `contact` is the verified phone (0xxxxxxxxx) or e-mail (lower case) they
-- signed up with; an account made from an OpenID Connect login has its (issuer, subject) instead.
CREATE TABLE citizens (
  id INTEGER PRIMARY KEY, contact TEXT UNIQUE, full_name TEXT NOT NULL, password_hash TEXT NOT NULL,
  verified_at INTEGER, oidc_issuer TEXT, oidc_subject TEXT, created_at INTEGER NOT NULL,
  UNIQUE (oidc_issuer, oidc_subject)
);

-- One-time codes: only their SHA-256 is kept, with an expiry and a count of wrong tries.
CREATE TABLE citizen_codes (
  id INTEGER PRIMARY KEY, citizen_id INTEGER NOT NULL REFERENCES citizens(id), code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, used_at INTEGER, created_at INTEGER NOT NULL
);
CREATE INDEX citizen_codes_citizen ON citizen_codes(citizen_id, id);

-- Citizen sessions, apart from staff sessions: only the SHA-256 of the cookie is stored.
CREATE TABLE citizen_sessions (
  id_hash TEXT PRIMARY KEY, citizen_id INTEGER NOT NULL REFERENCES citizens(id), csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL
);
CREATE INDEX citizen_sessions_expires ON citizen_sessions(expires_at);

-- An online submission in the making, keyed by the idempotency key of the dossier it becomes:
-- the fields typed so far and the papers already uploaded, so an interrupted submission resumes.
CREATE TABLE citizen_drafts (
  draft_key TEXT PRIMARY KEY, citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  procedure_code TEXT NOT NULL, form TEXT NOT NULL, files TEXT NOT NULL,
  dossier_id INTEGER REFERENCES dossiers(id), updated_at INTEGER NOT NULL
);
CREATE INDEX citizen_drafts_citizen ON citizen_drafts(citizen_id, updated_at);
CREATE UNIQUE INDEX citizen_drafts_dossier ON citizen_drafts(dossier_id);

-- The one-time rating link of a finished dossier (only the token's SHA-256).
CREATE TABLE rating_links (
  dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id), token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, used_at INTEGER
);

-- One rating per dossier, with the agency and the local month it counts for (the supervision
-- indices aggregate per agency and month).
CREATE TABLE ratings (
  id INTEGER PRIMARY KEY, dossier_id INTEGER NOT NULL UNIQUE REFERENCES dossiers(id),
  agency_code TEXT NOT NULL, month TEXT NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('very_satisfied', 'satisfied', 'dissatisfied')),
  reason TEXT NOT NULL, comment TEXT NOT NULL, is_complaint INTEGER NOT NULL, created_at INTEGER NOT NULL
);
CREATE INDEX ratings_agency_month ON ratings(agency_code, month);
CREATE INDEX ratings_month ON ratings(month);
