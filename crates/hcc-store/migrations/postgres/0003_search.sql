-- Full-text search of dossiers (the list's `text` filter) instead of a LIKE scan.
--
-- `dossiers.search_text` holds the searchable text already folded (lower case, no diacritics,
-- Đ/đ as d; hcc_domain::text::fold): the code, the applicant's name, ID number and phone. A
-- generated tsvector over it (the 'simple' configuration: no stemming, no stop words — the text is
-- names and numbers) is kept in step by PostgreSQL itself, in the writing transaction, and
-- indexed with GIN. Punctuation is turned into spaces first so that both backends cut the same
-- tokens: "000.00.16.H26-241001-0001" is 000 00 16 h26 241001 0001, and its tail
-- "241001-0001" is the phrase 241001 <-> 0001.

-- Rows received before the phone was searchable: add it (digits only, nothing to fold).
UPDATE dossiers SET search_text = search_text || ' ' || applicant_phone
 WHERE applicant_phone IS NOT NULL AND applicant_phone <> '';

ALTER TABLE dossiers ADD COLUMN search_vector tsvector
  GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))) STORED;
CREATE INDEX dossiers_search ON dossiers USING GIN (search_vector);
