-- A new dossier's full-text row is now written by the store itself (`HotExec::index_search_text`),
-- not by a trigger: the group committer writes the rows of a whole group in one statement just
-- before it commits. Through the trigger, every later statement of the transaction that opened a
-- statement journal made FTS5 flush its pending terms as a segment of its own — one segment per
-- receipt, merged again and again — a tenth of a receipt's time on the single writer.
-- The update and delete triggers stay: the searchable text of a stored dossier changes rarely.
DROP TRIGGER dossiers_fts_insert;
