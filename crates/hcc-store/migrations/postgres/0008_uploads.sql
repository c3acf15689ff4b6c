-- Resumable uploads: a large scan sent in pieces over an unreliable line. The pieces live in the
-- document store under uploads/<id>/; this row says how far the upload got and, once complete,
-- which document it became. Rows of abandoned uploads are removed with their pieces.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
  user_id BIGINT NOT NULL,
  params TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  received BIGINT NOT NULL,
  parts BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  document_id BIGINT
);
CREATE INDEX uploads_updated ON uploads(updated_at);
