-- The outbox's (sent_at, id) index dates from before deliveries (0012): a notice's sending is
-- recorded on its deliveries since, `outbox.sent_at` is never set and no query reads by it, yet
-- every notice added an entry.
DROP INDEX outbox_pending;
