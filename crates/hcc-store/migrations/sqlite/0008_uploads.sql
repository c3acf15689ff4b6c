-- Resumable uploads: a large scan sent in pieces over an unreliable line. The pieces live in the
-- document store under uploads/<id>/; this row says how far the upload got and, once complete,
-- which document it became. Rows of abandoned uploads are removed with their pieces.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  user_id INTEGER NOT NULL,
  params TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  received INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  document_id INTEGER
);
CREATE INDEX uploads_updated ON uploads(updated_at);
