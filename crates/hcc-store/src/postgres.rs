//! The PostgreSQL backend, for a city: several `hcc` processes against one primary. The
//! optimistic version check on every dossier write and the row lock taken by code numbering keep
//! concurrent writers correct.

use crate::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

mod group_commit;

type DB = sqlx::Postgres;
/// A connection of this backend (named, not projected from `DB`, so traits can be implemented for it).
type Conn = sqlx::PgConnection;
/// A row of this backend (named for the same reason).
type DbRow = sqlx::postgres::PgRow;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_documents.sql")),
    (3, include_str!("../migrations/postgres/0003_search.sql")),
    (4, include_str!("../migrations/postgres/0004_sessions.sql")),
    (5, include_str!("../migrations/postgres/0005_stats.sql")),
    (8, include_str!("../migrations/postgres/0008_uploads.sql")),
    (9, include_str!("../migrations/postgres/0009_archive.sql")),
    (10, include_str!("../migrations/postgres/0010_admin_audit.sql")),
    (11, include_str!("../migrations/postgres/0011_citizens.sql")),
    (12, include_str!("../migrations/postgres/0012_notify.sql")),
    (13, include_str!("../migrations/postgres/0013_stats_day.sql")),
    (14, include_str!("../migrations/postgres/0014_feedback.sql")),
    (15, include_str!("../migrations/postgres/0015_open_gauges.sql")),
    (16, include_str!("../migrations/postgres/0016_open_counts.sql")),
    (17, include_str!("../migrations/postgres/0017_warnings_by_kind.sql")),
    (18, include_str!("../migrations/postgres/0018_handled_late.sql")),
    (20, include_str!("../migrations/postgres/0020_checklists_apart.sql")),
    (22, include_str!("../migrations/postgres/0022_fewer_dossier_indexes.sql")),
    (23, include_str!("../migrations/postgres/0023_receipt_entries.sql")),
];

/// The PostgreSQL pool (reads and writes share it; a replica pool can take the reads).
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) write: sqlx::Pool<DB>,
    pub(crate) read: sqlx::Pool<DB>,
    /// When and how the dossier list scans for a search (see `list_dossiers`).
    pub(crate) search_scan: std::sync::Arc<crate::search_scan::SearchScan>,
    /// Sums of finished months (`stats_by`).
    pub(crate) sums_cache: std::sync::Arc<crate::sums_cache::SumsCache>,
    /// The group committer's queue (`group_commit`).
    hot: tokio::sync::mpsc::Sender<group_commit::HotJob>,
}

impl Db {
    /// Connects to `url`; with `schema`, every connection works in that schema (tests use a fresh
    /// one each).
    pub async fn open(url: &str, schema: Option<&str>) -> Result<Db, StoreError> {
        let mut options = PgConnectOptions::from_str(url)?;
        if let Some(schema) = schema {
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Db {
            hot: group_commit::start(pool.clone()),
            write: pool.clone(),
            read: pool,
            search_scan: Default::default(),
            sums_cache: Default::default(),
        })
    }

    /// Runs a hot-path write through the group committer and waits until it is committed.
    pub(crate) async fn write_hot(&self, write: HotWrite) -> Result<HotOutcome, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.hot.send((write, reply)).await.map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }

    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, DB>, StoreError> {
        Ok(self.write.begin().await?)
    }

    /// Runs raw SQL (tests use it to tamper with the record on purpose).
    pub async fn execute_raw(&self, sql: String) -> Result<(), StoreError> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&self.write).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }
}

/// The dossier list's `text` filter: every word of the query (`text::search_words`) must match,
/// a word of several tokens as a phrase (`<->`), its last token as a prefix (`:*`; "nguy" finds
/// "nguyen", "241001-0001" the code's tail), through the GIN index on `search_vector`. The tokens
/// are letters and digits only, so they cannot break the tsquery syntax.
fn push_text_filter(q: &mut Statement, words: &[Vec<String>]) {
    let expression = words.iter().map(|w| format!("({}:*)", w.join(" <-> "))).collect::<Vec<_>>().join(" & ");
    q.push(" AND search_vector @@ to_tsquery('simple', ").bind(expression).push(")");
}

/// The list's first step (`list_ids`).
async fn listed_ids(db: &Db, q: &Statement) -> Result<Vec<ListedId>, StoreError> {
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(q.sql()), sqlx_args(q.args())?).fetch_all(&db.read).await?;
    rows.iter().map(|r| Ok(ListedId { id: r.try_get("id")?, urgency: r.try_get("urgency")?, text: None })).collect()
}

/// Whether to read the dossier list in order rather than through the full-text index
/// (`list_dossiers`): never, unless set to scan always (tests) — PostgreSQL's planner already
/// weighs the index against the other filters from its statistics.
async fn text_is_common(db: &Db, _words: &[Vec<String>]) -> Result<bool, StoreError> {
    Ok(db.search_scan.from_matches.load(std::sync::atomic::Ordering::Relaxed) <= 0)
}

/// Moves the GIN index's pending entries into the index (`Store::compact_search_index`).
pub async fn compact_search_index(db: &Db) -> Result<(), StoreError> {
    sqlx::query("SELECT gin_clean_pending_list('dossiers_search'::regclass)").execute(&db.write).await?;
    Ok(())
}

/// The database's clock in microseconds since the epoch (UTC). Leases compare against it, not the
/// caller's clock, so processes whose clocks disagree still agree on who holds what.
const DB_NOW: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";

/// Claims skip rows another process has locked instead of waiting for them.
const SKIP_LOCKED: &str = " FOR UPDATE SKIP LOCKED";

/// A dossier's version, by code (the public tracking page checks its kept answer with it).
pub async fn dossier_version(db: &Db, code: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT version FROM dossiers WHERE code = $1").bind(code).fetch_optional(&db.read).await?)
}

/// The active account a bearer token belongs to (every staff request asks).
pub async fn user_by_token(db: &Db, token_hash: &str, now: Timestamp) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(USER_BY_TOKEN).bind(token_hash).bind(micros(now)).fetch_optional(&db.read).await?;
    row.as_ref().map(user_from_row).transpose()
}

/// A new dossier's search index needs no row of its own: the GIN index follows the generated
/// column (migration 0003).
const SEARCH_ROW_INSERT: Option<&str> = None;

pub async fn get_dossier(db: &Db, code: &str) -> Result<Option<DossierRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1"));
    let row = sqlx::query(sql).bind(code).fetch_optional(&db.read).await?;
    row.as_ref().map(dossier_from_row).transpose()
}

pub async fn get_dossier_by_id(db: &Db, id: i64) -> Result<Option<DossierRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE id = $1"));
    let row = sqlx::query(sql).bind(id).fetch_optional(&db.read).await?;
    row.as_ref().map(dossier_from_row).transpose()
}

/// The dossiers `ids` names, in that order (the list's second step).
async fn rows_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<DossierRecord>, StoreError> {
    by_ids(db, ids, LIST_COLUMNS, dossier_from_row, |d| d.id).await
}

/// The list rows of `ids`, in that order.
async fn listings_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<DossierListing>, StoreError> {
    by_ids(db, ids, LISTING_COLUMNS, listing_from_row, |d| d.id).await
}

/// The rows of `ids` with `columns`, decoded by `decode`, in the order of `ids`.
async fn by_ids<T>(
    db: &Db,
    ids: &[i64],
    columns: &str,
    decode: impl Fn(&DbRow) -> Result<T, StoreError>,
    id_of: impl Fn(&T) -> i64,
) -> Result<Vec<T>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!("SELECT {columns} FROM dossiers WHERE id IN ("));
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let rows = q.build().fetch_all(&db.read).await?;
    let mut by_id = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let d = decode(row)?;
        by_id.insert(id_of(&d), d);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// PostgreSQL's planner, with statistics, reads a list of several statuses well in one query.
const SPLIT_STATUS_LISTS: bool = false;

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

/// The open gauges' table (PostgreSQL's planner picks the covering index of migration 0015 itself).
const OPEN_GAUGES_FROM: &str = "dossiers";

/// The table of the dossiers handled late since a period's end (the planner picks migration
/// 0018's partial index itself).
const HANDLED_LATE_FROM: &str = "dossiers";

/// Keeps dossier writes that move counters out while the statistics are rebuilt: each takes a
/// row lock on `stats` or `open_counts`, which this waits for and then blocks until the rebuild
/// commits. A write held back this way adds its change to the rebuilt figures afterwards, which
/// counted the dossier as it was before that write.
async fn lock_stats(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("LOCK TABLE stats, open_counts IN EXCLUSIVE MODE").execute(&mut *conn).await?;
    Ok(())
}
