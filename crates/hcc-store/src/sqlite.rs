//! The embedded backend: one SQLite file in WAL mode, one writer at a time (every write
//! transaction starts with `BEGIN IMMEDIATE`, so writers queue instead of failing), a separate
//! pool of readers, and group commit for receipts and transitions on a thread of their own
//! (`sqlite_writer`): with one writer and a synchronous commit per write, the disk's flush rate
//! would cap throughput, so writes that arrive together share one commit, and each caller is
//! answered only after that commit is durable.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::time::Duration;

type DB = sqlx::Sqlite;
/// A connection of this backend (named, not projected from `DB`, so traits can be implemented for it).
type Conn = sqlx::SqliteConnection;
/// A row of this backend (named for the same reason).
type DbRow = sqlx::sqlite::SqliteRow;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_documents.sql")),
    (3, include_str!("../migrations/sqlite/0003_search.sql")),
    (4, include_str!("../migrations/sqlite/0004_sessions.sql")),
    (5, include_str!("../migrations/sqlite/0005_stats.sql")),
    (8, include_str!("../migrations/sqlite/0008_uploads.sql")),
    (9, include_str!("../migrations/sqlite/0009_archive.sql")),
    (10, include_str!("../migrations/sqlite/0010_admin_audit.sql")),
    (11, include_str!("../migrations/sqlite/0011_citizens.sql")),
    (12, include_str!("../migrations/sqlite/0012_notify.sql")),
    (13, include_str!("../migrations/sqlite/0013_stats_day.sql")),
    (14, include_str!("../migrations/sqlite/0014_feedback.sql")),
    (15, include_str!("../migrations/sqlite/0015_open_gauges.sql")),
    (16, include_str!("../migrations/sqlite/0016_open_counts.sql")),
    (17, include_str!("../migrations/sqlite/0017_warnings_by_kind.sql")),
    (18, include_str!("../migrations/sqlite/0018_handled_late.sql")),
    (19, include_str!("../migrations/sqlite/0019_search_rows_by_writer.sql")),
    (20, include_str!("../migrations/sqlite/0020_checklists_apart.sql")),
    (21, include_str!("../migrations/sqlite/0021_fts_automerge.sql")),
    (22, include_str!("../migrations/sqlite/0022_fewer_dossier_indexes.sql")),
    (23, include_str!("../migrations/sqlite/0023_receipt_entries.sql")),
];

/// The SQLite pools and the group committer.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) write: sqlx::Pool<DB>,
    pub(crate) read: sqlx::Pool<DB>,
    /// When and how the dossier list scans for a search (see `list_dossiers`).
    pub(crate) search_scan: std::sync::Arc<crate::search_scan::SearchScan>,
    /// Sums of finished months (`stats_by`).
    pub(crate) sums_cache: std::sync::Arc<crate::sums_cache::SumsCache>,
    /// The hot writer's queue (`sqlite_writer`).
    hot: tokio::sync::mpsc::Sender<crate::sqlite_writer::HotJob>,
    /// sqlx's writers waiting to begin, whom the hot writer lets go first.
    cold: std::sync::Arc<crate::sqlite_writer::ColdWriters>,
    /// Reads of one row by key, on the caller's thread.
    point_reads: std::sync::Arc<crate::sqlite_reads::PointReads>,
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
        let cold = std::sync::Arc::<crate::sqlite_writer::ColdWriters>::default();
        let hot = crate::sqlite_writer::start(path, cold.clone())?;
        let point_reads = std::sync::Arc::new(crate::sqlite_reads::PointReads::new(path));
        Ok(Db { write, read, hot, cold, point_reads, search_scan: Default::default(), sums_cache: Default::default() })
    }

    /// Runs a hot-path write through the group committer and waits until it is durable.
    pub(crate) async fn write_hot(&self, write: HotWrite) -> Result<HotOutcome, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.hot.send((write, reply)).await.map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }

    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, DB>, StoreError> {
        let _waiting = self.cold.waiting();
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Runs raw SQL on the writer (tests use it to tamper with the record on purpose).
    pub async fn execute_raw(&self, sql: String) -> Result<(), StoreError> {
        let _waiting = self.cold.waiting();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&self.write).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// A dossier's version, by code: the public tracking page checks its kept answer with it on
/// every request, so it is a point read on the caller's thread (`sqlite_reads`).
pub async fn dossier_version(db: &Db, code: &str) -> Result<Option<i64>, StoreError> {
    use rusqlite::OptionalExtension as _;
    db.point_reads.read(|conn| {
        Ok(conn
            .prepare_cached("SELECT version FROM dossiers WHERE code = ?1")?
            .query_row([code], |r| r.get(0))
            .optional()?)
    })
}

/// The active account a bearer token belongs to: every staff request asks, so it is a point read
/// on the caller's thread (`sqlite_reads`).
pub async fn user_by_token(db: &Db, token_hash: &str, now: Timestamp) -> Result<Option<User>, StoreError> {
    use rusqlite::OptionalExtension as _;
    db.point_reads.read(|conn| {
        conn.prepare_cached(USER_BY_TOKEN)?
            .query_row(rusqlite::params![token_hash, micros(now)], |r| {
                Ok(User {
                    id: r.get("id")?,
                    username: r.get("username")?,
                    full_name: r.get("full_name")?,
                    password_hash: r.get("password_hash")?,
                    role: r.get("role")?,
                    agency_code: r.get("agency_code")?,
                    point_code: r.get("point_code")?,
                    disabled: r.get::<_, i64>("disabled")? != 0,
                })
            })
            .optional()
            .map_err(StoreError::from)
    })
}

/// A dossier by code, read on the caller's thread (`sqlite_reads`): every transition, dossier
/// page and tracking lookup starts with it.
pub async fn get_dossier(db: &Db, code: &str) -> Result<Option<DossierRecord>, StoreError> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = ?1"));
    static NAMES: ColumnNames = std::sync::OnceLock::new();
    db.point_reads.read(|conn| one_dossier(conn, &SQL, &NAMES, rusqlite::params![code]))
}

/// A dossier by id (as [`get_dossier`]).
pub async fn get_dossier_by_id(db: &Db, id: i64) -> Result<Option<DossierRecord>, StoreError> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE id = ?1"));
    static NAMES: ColumnNames = std::sync::OnceLock::new();
    db.point_reads.read(|conn| one_dossier(conn, &SQL, &NAMES, rusqlite::params![id]))
}

/// The column positions of one constant query, found the first time it runs.
type ColumnNames = std::sync::OnceLock<crate::columns::ColumnPositions>;

fn one_dossier(
    conn: &rusqlite::Connection,
    sql: &str,
    names: &ColumnNames,
    key: impl rusqlite::Params,
) -> Result<Option<DossierRecord>, StoreError> {
    use crate::columns::{NamedRow, column_names};
    let mut statement = conn.prepare_cached(sql)?;
    let names = names.get_or_init(|| column_names(&statement));
    let mut rows = statement.query(key)?;
    rows.next()?.map(|row| dossier_from_row(&NamedRow::new(row, names))).transpose()
}

/// The dossiers `ids` names, in that order (the list's second step): at most a page of rows by
/// primary key, in one statement whatever their number (the ids as a JSON array), read on the
/// caller's thread (`sqlite_reads`) — through sqlx every row was a message between threads.
async fn rows_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<DossierRecord>, StoreError> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| by_ids_sql(LIST_COLUMNS));
    static NAMES: ColumnNames = std::sync::OnceLock::new();
    by_ids(db, ids, &SQL, &NAMES, |row| dossier_from_row(row), |d| d.id)
}

/// The list rows of `ids`, in that order (as [`rows_by_ids`]).
async fn listings_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<DossierListing>, StoreError> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| by_ids_sql(LISTING_COLUMNS));
    static NAMES: ColumnNames = std::sync::OnceLock::new();
    by_ids(db, ids, &SQL, &NAMES, |row| listing_from_row(row), |d| d.id)
}

fn by_ids_sql(columns: &str) -> String {
    format!("SELECT {columns} FROM dossiers WHERE id IN (SELECT value FROM json_each(?1))")
}

/// The rows of `ids` read by `sql` (a [`by_ids_sql`]) and decoded by `decode`, in the order of `ids`.
fn by_ids<T>(
    db: &Db,
    ids: &[i64],
    sql: &str,
    names: &ColumnNames,
    decode: impl Fn(&crate::columns::NamedRow<'_, '_>) -> Result<T, StoreError>,
    id_of: impl Fn(&T) -> i64,
) -> Result<Vec<T>, StoreError> {
    use crate::columns::{NamedRow, column_names};
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(ids)?;
    db.point_reads.read(|conn| {
        let mut statement = conn.prepare_cached(sql)?;
        let names = names.get_or_init(|| column_names(&statement));
        let mut rows = statement.query([&list])?;
        let mut by_id = std::collections::HashMap::with_capacity(ids.len());
        while let Some(row) = rows.next()? {
            let d = decode(&NamedRow::new(row, names))?;
            by_id.insert(id_of(&d), d);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    })
}

/// The list's first step (`list_ids`), read on the caller's thread (`sqlite_reads`): a page of
/// ids from an index, where sqlx handed each row from its worker thread to the caller's, which
/// cost more than the read.
async fn listed_ids(db: &Db, q: &Statement) -> Result<Vec<ListedId>, StoreError> {
    db.point_reads.read(|conn| {
        let mut statement = conn.prepare_cached(q.sql())?;
        let mut rows = statement.query(rusqlite::params_from_iter(q.args()))?;
        let mut ids = Vec::new();
        while let Some(row) = rows.next()? {
            ids.push(ListedId { id: row.get(0)?, urgency: row.get(1)?, text: None });
        }
        Ok(ids)
    })
}

/// The dossier list's `text` filter: every word of the query (`text::search_words`) must match,
/// a word of several tokens as a phrase, its last token as a prefix ("nguy" finds "nguyen",
/// "241001-0001" the code's tail), through the FTS5 index `dossiers_fts`. The tokens are letters
/// and digits only, so quoting them cannot break the FTS5 syntax.
fn push_text_filter(q: &mut Statement, words: &[Vec<String>]) {
    q.push(" AND id IN (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ")
        .bind(fts_expression(words))
        .push(")");
}

/// The FTS5 query of a search's words.
fn fts_expression(words: &[Vec<String>]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.join(" "))).collect::<Vec<_>>().join(" AND ")
}

/// Whether a search's words are common enough to read the list in order rather than through the
/// full-text index (`list_dossiers`): the index lists at most `SearchScan::from_matches` matches to find out
/// (about a millisecond for 20,000), where listing all of "nguyen van" would cost tens.
async fn text_is_common(db: &Db, words: &[Vec<String>]) -> Result<bool, StoreError> {
    let from = db.search_scan.from_matches.load(std::sync::atomic::Ordering::Relaxed);
    if from <= 0 {
        return Ok(true);
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH $1 LIMIT $2)",
    )
    .bind(fts_expression(words))
    .bind(from)
    .fetch_one(&db.read)
    .await?;
    Ok(n >= from)
}

/// Merges every segment of the full-text index into one (`Store::compact_search_index`).
pub async fn compact_search_index(db: &Db) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('optimize')").execute(&db.write).await?;
    Ok(())
}

/// The database's clock in microseconds since the epoch (UTC). Leases compare against it, not the
/// caller's clock, so processes whose clocks disagree still agree on who holds what.
const DB_NOW: &str = "(CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) * 1000)";

/// A new dossier's row of the full-text index (migration 0019: no trigger writes it).
const SEARCH_ROW_INSERT: Option<&str> = Some("INSERT INTO dossiers_fts (rowid, search_text)");

/// Lists of several statuses in id order are read a status at a time (`list_ids_each_status`).
const SPLIT_STATUS_LISTS: bool = true;

/// Row locking for claims: none needed, the single writer (`BEGIN IMMEDIATE`) already serialises them.
const SKIP_LOCKED: &str = "";

include!("queries/common.rs");
include!("queries/reference.rs");
include!("queries/catalog.rs");
include!("queries/users.rs");
include!("queries/sessions.rs");
include!("queries/dossiers.rs");
include!("queries/dossier_writes.rs");
include!("queries/audit.rs");
include!("queries/documents.rs");
include!("queries/uploads.rs");
include!("queries/public_stats.rs");
include!("queries/stats.rs");
include!("queries/open_counts.rs");
include!("queries/outbox.rs");
include!("queries/leases.rs");
include!("queries/warnings.rs");
include!("queries/admin.rs");
include!("queries/stats_read.rs");
include!("queries/citizens.rs");
include!("queries/ratings.rs");
include!("queries/feedback.rs");

/// The open gauges read their covering index (migration 0015): SQLite's planner, without
/// statistics, would otherwise prefer a narrower index and read every open dossier's row.
const OPEN_GAUGES_FROM: &str = "dossiers INDEXED BY dossiers_open_gauges";

/// The dossiers handled late since a period's end are read through the partial index of late
/// endings (migration 0018): without statistics SQLite would read a whole agency's dossiers.
const HANDLED_LATE_FROM: &str = "dossiers INDEXED BY dossiers_handled_late";

/// The rebuild of the statistics needs no lock of its own: its `BEGIN IMMEDIATE` already keeps
/// every other writer out.
async fn lock_stats(_conn: &mut Conn) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod query_plans;

#[cfg(test)]
mod tests {
    use sqlx::Connection as _;

    /// Full-text search rests on FTS5 being compiled into the bundled SQLite (libsqlite3-sys'
    /// `bundled` build); a build without it would fail here rather than at migration 0003.
    #[tokio::test]
    async fn bundled_sqlite_has_fts5() {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.expect("in-memory database");
        // The bundled build omits the compile-option functions: ask FTS5 itself.
        sqlx::raw_sql("CREATE VIRTUAL TABLE t USING fts5(x); INSERT INTO t VALUES ('nguyen van duc');")
            .execute(&mut conn)
            .await
            .expect("an FTS5 table");
        let hits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t WHERE t MATCH '\"nguy\"*'")
            .fetch_one(&mut conn)
            .await
            .expect("a prefix query");
        assert_eq!(hits, 1);
    }

    /// A new dossier's searchable text is folded in two parts (the applicant's before the write,
    /// the code in it): the same text as folding it whole.
    #[test]
    fn searchable_text_folded_in_two_parts_is_the_whole_folded() {
        let cases = [
            ("000.00.16.H26-241001-0001", "  Nguyễn   Văn ĐỨC ", "001099012345", Some("0912345678")),
            ("H26.22-241001-12345", "Công ty TNHH Ánh Dương", "0101234567", None),
            ("X-1", "Đỗ Thị Ơn", "", Some("")),
        ];
        for (code, name, id_number, phone) in cases {
            let a = crate::Applicant {
                kind: crate::ApplicantKind::Person,
                name: name.to_owned(),
                id_number: id_number.to_owned(),
                phone: phone.map(str::to_owned),
                email: None,
                address: String::new(),
                commune_code: None,
            };
            let whole = hcc_domain::text::fold(&format!("{code} {name} {id_number} {}", phone.unwrap_or("")));
            assert_eq!(super::joined_search_text(code, &super::applicant_search_text(&a)), whole);
        }
        assert_eq!(super::joined_search_text("H26-1", ""), "h26-1");
    }
}
