-- Feedback and complaints (phản ánh, kiến nghị) left with a rating: the agency that settled the
-- dossier answers each by its deadline (hcc_domain::feedback::FEEDBACK_LIMIT, on the working
-- calendar from when it was sent). A rating without a comment is not feedback: no deadline.
ALTER TABLE ratings ADD COLUMN feedback_due_at BIGINT;
ALTER TABLE ratings ADD COLUMN answered_at BIGINT;
ALTER TABLE ratings ADD COLUMN answered_by TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings ADD COLUMN answer TEXT NOT NULL DEFAULT '';
-- Feedback written before this migration gets two weeks, the usual span of ten working days (the
-- working calendar is not in the database).
UPDATE ratings SET feedback_due_at = created_at + 1209600000000 WHERE TRIM(comment) <> '';
-- The feedback lists (open first, by deadline) and the indicator (due in a period) read this.
CREATE INDEX ratings_feedback_due ON ratings(feedback_due_at, id) WHERE feedback_due_at IS NOT NULL;
