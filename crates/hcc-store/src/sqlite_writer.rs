//! The embedded backend's hot writer: one thread that owns a SQLite connection and group-commits
//! receipts and transitions. Writes that arrive together share one `BEGIN IMMEDIATE … COMMIT`,
//! each inside its own savepoint (one failing write never takes the others with it), and each
//! caller is answered only after that commit is on disk (`synchronous = FULL`).
//!
//! Why a thread of its own rather than sqlx's connection: sqlx's SQLite driver runs every
//! statement on a worker thread and hands it back, so a receipt's dozen statements were a dozen
//! thread wake-ups; with one writer, that hand-off was most of each write's time. Here the
//! statements run where the connection lives (`exec::HotExec`, the same statements as every other
//! path) and are prepared once.
//!
//! The other, rarer writes (imports, the rebuild, accounts) still go through sqlx's writer
//! connection. SQLite's own lock keeps the two apart; so that a steady stream of receipts never
//! starves them, a writer about to begin says so (`ColdWriters`) and the hot writer lets it go
//! first.

use crate::StoreError;
use crate::exec::{Arg, CountRow, Counters, Deferred, HotExec, insert_search_rows, upsert_counts};
use crate::sqlite::{HotOutcome, HotWrite, run_hot};
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Most writes one group commit takes; bounds the latency a write can wait behind others.
const MAX_GROUP: usize = 512;

/// How long the hot writer waits, at most, for the other writers that asked to go first.
const MAX_YIELD: Duration = Duration::from_millis(200);

/// A hot write and where its answer goes.
pub(crate) type HotJob = (HotWrite, tokio::sync::oneshot::Sender<Result<HotOutcome, StoreError>>);

/// How many of sqlx's writers are waiting to begin a transaction.
#[derive(Debug, Default)]
pub(crate) struct ColdWriters(AtomicUsize);

impl ColdWriters {
    /// Marks one writer as waiting until the guard is dropped (when its `BEGIN` returned, or was
    /// abandoned).
    pub(crate) fn waiting(&self) -> impl Drop + '_ {
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        self.0.fetch_add(1, Ordering::AcqRel);
        Waiting(&self.0)
    }

    /// Waits (briefly) while any is waiting.
    fn let_pass(&self) {
        let start = Instant::now();
        while self.0.load(Ordering::Acquire) > 0 && start.elapsed() < MAX_YIELD {
            std::thread::sleep(Duration::from_micros(100));
        }
    }
}

/// Opens the writer's connection to `path` (which must exist: sqlx's pools create it) and starts
/// its thread; the thread ends when every sender is dropped.
pub(crate) fn start(path: &Path, cold: Arc<ColdWriters>) -> Result<tokio::sync::mpsc::Sender<HotJob>, StoreError> {
    let conn = open(path)?;
    let (jobs_in, jobs) = tokio::sync::mpsc::channel(4 * MAX_GROUP);
    std::thread::Builder::new()
        .name("hcc-sqlite-writer".into())
        .spawn(move || serve(conn, jobs, &cold))
        .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
    Ok(jobs_in)
}

fn open(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // As sqlx's connections are set (sqlite.rs): FULL, so a commit is on disk before it is
    // acknowledged; the database is already in WAL mode.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = memory;",
    )?;
    // Another writer (a command, the rebuild) holds the lock for milliseconds: retry often,
    // for up to ten seconds, rather than SQLite's default back-off of up to 100 ms a try.
    conn.busy_handler(Some(|tries| {
        std::thread::sleep(Duration::from_micros(200));
        tries < 50_000
    }))?;
    // Every distinct statement of the hot writes (multi-row inserts differ by their row count).
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

/// Takes every write waiting, runs the group, answers each caller.
fn serve(mut conn: rusqlite::Connection, mut jobs: tokio::sync::mpsc::Receiver<HotJob>, cold: &ColdWriters) {
    let mut batch = Vec::with_capacity(MAX_GROUP);
    while let Some(job) = jobs.blocking_recv() {
        batch.push(job);
        while batch.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        cold.let_pass();
        let mut results = Vec::with_capacity(batch.len());
        let committed = run_group(&mut conn, &batch, &mut results);
        if committed.is_err() {
            // Whatever failed, nothing of this group may stay half done.
            let _ = conn.execute_batch("ROLLBACK");
        }
        let results = results.into_iter().chain(std::iter::repeat_with(|| Err(StoreError::Unavailable)));
        for ((_, reply), result) in batch.drain(..).zip(results) {
            let answer = match &committed {
                Ok(()) => result,
                // Nothing of this group reached the disk: no caller may believe otherwise.
                Err(e) => Err(StoreError::Database(sqlx::Error::Protocol(format!("group commit failed: {e}")))),
            };
            let _ = reply.send(answer);
        }
    }
}

/// Runs a group in one transaction and commits it. Each write's results go to `results`.
///
/// First without savepoints: a savepoint makes SQLite copy every page a write touches and makes
/// the full-text index flush its pending terms at each one, a fifth of a receipt's time. Writes
/// rarely fail (a concurrent change, a missing dossier); when one does, the whole group is rolled
/// back and run again with a savepoint around each write, so the failed one leaves no trace and
/// the others are written exactly as before (each write decides from the database alone, in the
/// same order).
fn run_group(
    conn: &mut rusqlite::Connection,
    batch: &[HotJob],
    results: &mut Vec<Result<HotOutcome, StoreError>>,
) -> Result<(), StoreError> {
    conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    let mut deferred = Deferred::default();
    for (write, _) in batch {
        results.push(run_now(&mut Direct { conn, deferred: &mut deferred }, write));
    }
    if results.iter().any(Result::is_err) {
        conn.prepare_cached("ROLLBACK")?.execute([])?;
        results.clear();
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        deferred = Deferred::default();
        for (write, _) in batch {
            conn.prepare_cached("SAVEPOINT hot")?.execute([])?;
            let mut own = Deferred::default();
            let result = run_now(&mut Direct { conn, deferred: &mut own }, write);
            if result.is_ok() {
                deferred.merge(own);
            } else {
                conn.prepare_cached("ROLLBACK TO hot")?.execute([])?;
            }
            conn.prepare_cached("RELEASE hot")?.execute([])?;
            results.push(result);
        }
    }
    // A failure here is the group's: nothing of it is committed.
    let mut direct = Direct { conn, deferred: &mut Deferred::default() };
    if let Some((head, rows)) = &deferred.search_rows {
        poll_once(insert_search_rows(&mut direct, head, rows))?;
    }
    for (table, rows) in deferred.tally.take() {
        poll_once(upsert_counts(&mut direct, table, &rows))?;
    }
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(())
}

fn run_now(conn: &mut Direct<'_>, write: &HotWrite) -> Result<HotOutcome, StoreError> {
    poll_once(run_hot(conn, write))
}

/// Runs a future of this thread's statements: they never wait on anything but SQLite, so it
/// completes on its first poll.
fn poll_once<T>(future: impl std::future::Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(result) => result,
        std::task::Poll::Pending => {
            Err(StoreError::Corrupt("a hot write waited on something other than SQLite".into()))
        }
    }
}

/// The writer's connection, as the hot writes' executor, with what it writes just before the commit.
struct Direct<'c> {
    conn: &'c mut rusqlite::Connection,
    deferred: &'c mut Deferred,
}

impl HotExec for Direct<'_> {
    async fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        Ok(statement.execute(rusqlite::params_from_iter(args))? as u64)
    }

    async fn int(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<i64>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(args))?;
        match rows.next()? {
            Some(row) => Ok(row.get::<_, Option<i64>>(0)?),
            None => Ok(None),
        }
    }

    async fn texts(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Vec<String>>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let width = statement.column_count();
        let rows = statement.query_map(rusqlite::params_from_iter(args), |row| {
            (0..width).map(|i| Ok(row.get::<_, Option<String>>(i)?.unwrap_or_default())).collect()
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    async fn add_counts(&mut self, table: Counters, rows: Vec<CountRow>) -> Result<(), StoreError> {
        self.deferred.tally.add(table, rows);
        Ok(())
    }

    async fn index_search_text(&mut self, head: &'static str, id: i64, text: String) -> Result<(), StoreError> {
        self.deferred.search_rows.get_or_insert_with(|| (head, Vec::new())).1.push((id, text));
        Ok(())
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::Int(Some(n)) => ValueRef::Integer(*n),
            Arg::Text(Some(s)) => ValueRef::Text(s.as_bytes()),
            Arg::Int(None) | Arg::Text(None) => ValueRef::Null,
        }))
    }
}
