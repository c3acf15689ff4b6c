//! The embedded backend: one SQLite file in WAL mode, one writer connection (every write
//! transaction starts with `BEGIN IMMEDIATE`, so writers queue instead of failing), a separate
//! pool of readers.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

type DB = sqlx::Sqlite;

const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_init.sql"))];

/// The SQLite pools.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) write: sqlx::Pool<DB>,
    pub(crate) read: sqlx::Pool<DB>,
}

impl Db {
    /// Opens (creating if asked) the database file at `path`.
    pub async fn open(path: &Path, create: bool) -> Result<Db, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before it is acknowledged (an acknowledged receipt survives
            // a power cut, not only a process crash).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Db { write, read })
    }

    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, DB>, StoreError> {
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Runs raw SQL on the writer (tests use it to tamper with the record on purpose).
    pub async fn execute_raw(&self, sql: String) -> Result<(), StoreError> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&self.write).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

include!("queries.rs");
