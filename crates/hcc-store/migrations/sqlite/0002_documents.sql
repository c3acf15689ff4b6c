-- Digitization (Decree 45/2020): every paper handed in is scanned before the dossier is handled,
-- results are digitized before they are returned, and both are kept in the applicant's store for
-- reuse. Files live in the document store under their SHA-256; what they are lives here.

ALTER TABLE dossiers ADD COLUMN unscanned_items TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN scan_waived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN result_sha256 TEXT;

-- One row per stored object: what `hcc verify` checks the document store against.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY, size_bytes INTEGER NOT NULL, media_type TEXT NOT NULL, pages INTEGER,
  created_at INTEGER NOT NULL,
  -- Set when an administrator's deletion left no document using the object, and it was removed.
  deleted_at INTEGER
);

-- A document of a dossier: a scanned paper (kind 'input', for a checklist item or extra) or a
-- digitized result ('result'). Never updated except to record its deletion by an administrator.
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  event_seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  item_no INTEGER,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  file_name TEXT NOT NULL, media_type TEXT NOT NULL, size_bytes INTEGER NOT NULL, pages INTEGER,
  copy_kind TEXT NOT NULL,
  -- The applicant's identity (CCCD or tax code): the key of their electronic data store.
  owner_id TEXT NOT NULL,
  valid_until INTEGER,
  reused_from INTEGER REFERENCES documents(id),
  digitized_by INTEGER, digitized_by_name TEXT NOT NULL, digitized_unit TEXT NOT NULL,
  digitized_at INTEGER NOT NULL,
  deleted_at INTEGER, deleted_by TEXT, delete_reason TEXT
);
CREATE INDEX documents_dossier ON documents(dossier_id, id);
CREATE INDEX documents_owner ON documents(owner_id, id);
CREATE INDEX documents_sha ON documents(sha256);

CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never deleted, only marked'); END;
CREATE TRIGGER documents_only_mark_deleted BEFORE UPDATE ON documents
WHEN OLD.deleted_at IS NOT NULL OR NEW.sha256 IS NOT OLD.sha256 OR NEW.dossier_id IS NOT OLD.dossier_id
  OR NEW.item_no IS NOT OLD.item_no OR NEW.file_name IS NOT OLD.file_name OR NEW.owner_id IS NOT OLD.owner_id
  OR NEW.digitized_at IS NOT OLD.digitized_at OR NEW.kind IS NOT OLD.kind
BEGIN SELECT RAISE(ABORT, 'a document is never changed; a correction is a new document'); END;

-- Per-procedure upload rules set by an administrator (defaults apply where there is no row).
CREATE TABLE procedure_file_rules (
  procedure_code TEXT PRIMARY KEY, max_bytes INTEGER NOT NULL, media_types TEXT NOT NULL
);
