-- Delivery of the outbox's notices (email, SMS/Zalo), the staff contacts that early warnings go to,
-- the leases that let several processes share the background jobs, and the warnings already given.

-- Where a staff member receives early warnings and escalations.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- A notice is planned once: its deliveries (one per channel) are made and it is stamped. The
-- worker reads the unplanned ones (a partial index: it stays as small as the backlog); staff read a
-- dossier's notices.
ALTER TABLE outbox ADD COLUMN planned_at INTEGER;
-- Notices written before delivery existed stay unsent: a citizen must not get last year's news today.
UPDATE outbox SET planned_at = created_at;
CREATE INDEX outbox_unplanned ON outbox(id) WHERE planned_at IS NULL;
CREATE INDEX outbox_dossier ON outbox(dossier_id, id);

-- One row per notice and channel: what was tried, by which process, until when it holds the
-- message (lease_until, the database's clock), and what the provider acknowledged.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  channel TEXT NOT NULL, recipient TEXT NOT NULL,
  status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
  claimed_by TEXT, lease_until INTEGER, last_error TEXT NOT NULL,
  provider_ref TEXT, sent_at INTEGER, created_at INTEGER NOT NULL,
  UNIQUE (outbox_id, channel)
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at, id) WHERE status = 'pending';

-- A named job is run by one process at a time: the holder until expires_at (the database's clock).
CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);

-- Each early warning or escalation is given once per dossier, step and kind, whoever finds it.
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  step_index INTEGER NOT NULL, kind TEXT NOT NULL, due_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE (dossier_id, step_index, kind)
);

-- The warning job reads open dossiers by the due time of their current step.
CREATE INDEX dossiers_status_step_due ON dossiers(status, step_due_at);

-- Names this installation in the idempotency keys sent to providers shared with others.
INSERT INTO meta (key, value) VALUES ('installation_id', lower(hex(randomblob(8)))) ON CONFLICT (key) DO NOTHING;
