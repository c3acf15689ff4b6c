-- The archive period (thời hạn bảo quản) of a procedure's documents, in years after the dossier
-- ends; NULL keeps them for good. Until it runs out a finished dossier's documents cannot be deleted.
ALTER TABLE procedure_file_rules ADD COLUMN archive_years BIGINT;
