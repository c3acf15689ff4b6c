//! Point reads of the embedded backend that run on the caller's thread: a handful of read-only
//! connections, each used by one caller at a time. For a lookup by a unique key (a few
//! microseconds in SQLite) sqlx's hand-off to its worker thread and back costs more than the read,
//! and the public tracking page makes one such lookup per request. Only reads by key of a few
//! rows (a dossier, a page of a list by id) belong here: anything longer would hold up the async
//! worker thread it runs on.

use crate::StoreError;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Idle connections kept; more callers at once open more, and the extra ones are closed after.
const KEEP: usize = 8;

#[derive(Debug)]
pub(crate) struct PointReads {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

impl PointReads {
    pub(crate) fn new(path: &Path) -> PointReads {
        PointReads { path: path.to_owned(), idle: Mutex::new(Vec::new()) }
    }

    /// Runs `read` on an idle connection (opened if none is).
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.open()?,
        };
        let result = read(&conn);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
        {
            idle.push(conn);
        }
        result
    }

    fn open(&self) -> Result<rusqlite::Connection, StoreError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Room for every list's shape beside the lookups (rusqlite keeps 16 by default).
        conn.set_prepared_statement_cache_capacity(64);
        // Plans that do not depend on the values bound. Without this, a statement with
        // `status = $1` is compiled again every time a new status is bound: SQLite checks whether
        // the value would satisfy a partial index's WHERE (`dossiers_open_gauges`), and marks
        // the statement to be re-prepared when the parameter changes — a twentieth of a list page.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(conn)
    }
}
