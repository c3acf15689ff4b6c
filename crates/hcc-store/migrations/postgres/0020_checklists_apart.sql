-- The checklist ticked at receipt moves out of the dossier row into a table of its own (see the
-- embedded backend's migration 0020): the row's largest column, written once and read only with
-- the whole dossier, kept out of the rows every list reads.
CREATE TABLE dossier_checklists (
  dossier_id BIGINT PRIMARY KEY REFERENCES dossiers(id),
  documents TEXT NOT NULL
);
INSERT INTO dossier_checklists (dossier_id, documents) SELECT id, documents FROM dossiers;
ALTER TABLE dossiers DROP COLUMN documents;
-- What was checked at the counter is part of the record: it is never changed nor removed.
CREATE FUNCTION dossier_checklists_unchanging() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'a checklist is never changed nor removed'; END; $$;
CREATE TRIGGER dossier_checklists_no_change BEFORE UPDATE OR DELETE ON dossier_checklists
FOR EACH ROW EXECUTE FUNCTION dossier_checklists_unchanging();
