-- Fewer index entries for each new dossier, all written on the single writer.
--
-- The outbox's (sent_at, id) index dates from before deliveries (0012): a notice's sending is
-- recorded on its deliveries since, `outbox.sent_at` is never set and no query reads by it, yet
-- every notice added an entry.
DROP INDEX outbox_pending;
-- The agencies a dossier involves, keyed by (dossier, agency) itself: with a rowid the table kept
-- that key a second time in its own index, one more entry for every receipt and forward.
CREATE TABLE dossier_agencies_keyed (
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id), agency_code TEXT NOT NULL,
  PRIMARY KEY (dossier_id, agency_code)
) WITHOUT ROWID;
INSERT INTO dossier_agencies_keyed (dossier_id, agency_code) SELECT dossier_id, agency_code FROM dossier_agencies;
DROP TABLE dossier_agencies;
ALTER TABLE dossier_agencies_keyed RENAME TO dossier_agencies;
CREATE INDEX dossier_agencies_agency ON dossier_agencies(agency_code, dossier_id);
