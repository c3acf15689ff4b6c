-- Who changed the installation's settings and when (nhật ký quản trị): the catalog, agencies,
-- reception points, accounts, the calendar and file rules. Written in the change's own transaction.
CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id INTEGER NOT NULL, username TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX admin_audit_at ON admin_audit(at);
