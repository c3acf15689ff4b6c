-- The checklist ticked at receipt moves out of the dossier row into a table of its own. It is the
-- row's largest column (3 KB on average: the procedure's paper names, in Vietnamese), written
-- once and read only with the whole dossier, while the columns after it in the row — the clock,
-- the step, the version — are read by every list page. With it inside, a fifth of the rows
-- spilled onto overflow pages and every list read of those columns walked them; without it a row
-- is a few hundred bytes and a page holds several.
CREATE TABLE dossier_checklists (
  dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
  documents TEXT NOT NULL
);
INSERT INTO dossier_checklists (dossier_id, documents) SELECT id, documents FROM dossiers;
ALTER TABLE dossiers DROP COLUMN documents;
-- What was checked at the counter is part of the record: it is never changed nor removed.
CREATE TRIGGER dossier_checklists_no_update BEFORE UPDATE ON dossier_checklists
BEGIN SELECT RAISE(ABORT, 'a checklist is never changed'); END;
CREATE TRIGGER dossier_checklists_no_delete BEFORE DELETE ON dossier_checklists
BEGIN SELECT RAISE(ABORT, 'a checklist is never removed'); END;
