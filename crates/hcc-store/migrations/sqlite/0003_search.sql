-- Full-text search of dossiers (the list's `text` filter) instead of a LIKE scan.
--
-- `dossiers.search_text` holds the searchable text already folded (lower case, no diacritics,
-- Đ/đ as d; hcc_domain::text::fold): the code, the applicant's name, ID number and phone. An FTS5
-- index over it, with its content read from `dossiers` (external content, no second copy), is
-- kept in step by triggers in the writing transaction. FTS5's unicode61 tokenizer splits on
-- punctuation, so "000.00.16.H26-241001-0001" is the tokens 000 00 16 h26 241001 0001 and its
-- tail "241001-0001" is a phrase; `prefix` indexes make prefix queries ("nguy*") cheap.

-- Rows received before the phone was searchable: add it (digits only, nothing to fold).
UPDATE dossiers SET search_text = search_text || ' ' || applicant_phone
 WHERE applicant_phone IS NOT NULL AND applicant_phone <> '';

CREATE VIRTUAL TABLE dossiers_fts USING fts5(
  search_text,
  content = 'dossiers',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);
INSERT INTO dossiers_fts (dossiers_fts) VALUES ('rebuild');

CREATE TRIGGER dossiers_fts_insert AFTER INSERT ON dossiers BEGIN
  INSERT INTO dossiers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- Only a change of the searchable text touches the index (status transitions do not).
CREATE TRIGGER dossiers_fts_update AFTER UPDATE OF search_text ON dossiers BEGIN
  INSERT INTO dossiers_fts (dossiers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO dossiers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER dossiers_fts_delete AFTER DELETE ON dossiers BEGIN
  INSERT INTO dossiers_fts (dossiers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
