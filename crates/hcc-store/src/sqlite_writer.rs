//! The embedded backend's hot writer: one thread that owns a SQLite connection and group-commits
//! receipts and transitions. Writes that arrive together share one `BEGIN IMMEDIATE … COMMIT`
//! (one failing write never takes the others with it, see `run_group`), and each caller is
//! answered only after that commit is on disk.
//!
//! Durability is pipelined: the writer commits without waiting for the disk (`synchronous =
//! NORMAL`: SQLite writes the group's pages to the write-ahead log and returns), hands the group's
//! answers to a second thread and goes on with the next group; that thread flushes the log file
//! (`fdatasync`, which covers every page written before it was called) and only then answers the
//! group's callers. With the flush on the writer itself, the writer sat idle for each flush — a
//! third of its time — while the next group waited. What a reader sees before the flush is never
//! acknowledged until after it, and the log is only ever replayed as a prefix, so a group lost
//! to a power cut takes no acknowledged write with it and leaves no later group behind.
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
use crate::exec::{Arg, CountRow, Counters, Deferred, HotExec, insert_values};
use crate::sqlite::{HotOutcome, HotWrite, run_hot};
use rusqlite::OptionalExtension as _;
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Most writes one group commit takes; bounds the latency a write can wait behind others.
const MAX_GROUP: usize = 512;

/// How long the hot writer waits, at most, for the other writers that asked to go first.
const MAX_YIELD: Duration = Duration::from_millis(200);

/// A hot write and where its answer goes.
pub(crate) type HotJob = (HotWrite, Reply);

/// Where a hot write's result goes.
type Reply = tokio::sync::oneshot::Sender<Result<HotOutcome, StoreError>>;

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
    let (committed_in, committed) = std::sync::mpsc::channel();
    let log = wal_path(path);
    let broken = Arc::new(AtomicBool::new(false));
    let flush_broken = broken.clone();
    let (written_in, written) = std::sync::mpsc::sync_channel(1);
    let wal_log = Arc::new(WalLog::default());
    let checkpoints = Checkpoints { conn: open(path)?, log: wal_log.clone() };
    let spawn = |name: &str, run: Box<dyn FnOnce() + Send>| {
        std::thread::Builder::new().name(name.into()).spawn(run).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))
    };
    spawn("hcc-sqlite-ckpt", Box::new(move || checkpoints.follow(&written)))?;
    spawn("hcc-sqlite-sync", Box::new(move || answer_when_durable(&log, &committed, &written_in, &flush_broken)))?;
    spawn("hcc-sqlite-writer", Box::new(move || serve(conn, jobs, &committed_in, &cold, &broken, &wal_log)))?;
    Ok(jobs_in)
}

/// Log frames after which the log is started over (see `Checkpoints::follow`): 32 MiB.
const RESTART_LOG_AT: i64 = 8192;

/// Log frames past which the writer stops and waits until the log can start over (see
/// `WalLog::restart_before_group`): 128 MiB.
const FORCE_RESTART_AT: i64 = 4 * RESTART_LOG_AT;

/// What the writer and the checkpoint thread share about the write-ahead log.
#[derive(Default)]
struct WalLog {
    /// Set when the log has grown long: before its next group the writer copies the last few
    /// frames itself, so that its next transaction starts the log over. (A log is started over
    /// only by a writer that begins when every frame has been copied, which a thread beside a
    /// writer that never pauses would never see.)
    restart: AtomicBool,
    /// The log's length in frames at the last checkpoint.
    frames: AtomicI64,
    /// Held while either thread checkpoints: SQLite refuses a second checkpointer at once
    /// (`SQLITE_BUSY`, without waiting), and a writer whose copy was refused kept growing the log —
    /// a bulk import of a million dossiers left it at 21 GB.
    checkpointing: Mutex<()>,
}

impl WalLog {
    /// On the writer, between two groups: when the log should start over, copy what the
    /// checkpoint thread has not, so that the next transaction starts it over. Below
    /// `FORCE_RESTART_AT` only if no checkpoint is running (the writer never waits for one); past
    /// it the writer waits for that checkpoint and for readers of older snapshots (`RESTART`):
    /// the log stops growing however fast groups come.
    fn restart_before_group(&self, conn: &rusqlite::Connection) {
        if !self.restart.load(Ordering::Acquire) {
            return;
        }
        let force = self.frames.load(Ordering::Acquire) >= FORCE_RESTART_AT;
        let one_at_a_time = if force { self.checkpointing.lock().ok() } else { self.checkpointing.try_lock().ok() };
        let Some(_one_at_a_time) = one_at_a_time else { return };
        let mode = if force { "RESTART" } else { "PASSIVE" };
        match checkpoint(conn, mode) {
            Ok(copied) if copied.done() => {
                self.frames.store(0, Ordering::Release);
                self.restart.store(false, Ordering::Release);
            }
            Ok(copied) => self.frames.store(copied.log, Ordering::Release),
            Err(e) => tracing::warn!(error = %e, "checkpoint before a group failed (tried again before the next)"),
        }
    }
}

/// What a checkpoint reports: whether it was refused, the log's frames, the frames copied.
struct Copied {
    busy: bool,
    log: i64,
    copied: i64,
}

impl Copied {
    /// Every frame of the log is in the database: the next writer starts the log over.
    fn done(&self) -> bool {
        !self.busy && self.copied >= self.log
    }
}

fn checkpoint(conn: &rusqlite::Connection, mode: &str) -> Result<Copied, StoreError> {
    Ok(conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok(Copied { busy: r.get::<_, i64>(0)? != 0, log: r.get(1)?, copied: r.get(2)? })
    })?)
}

/// Copying the write-ahead log back into the database (a checkpoint), on a thread of its own.
/// SQLite does it on the connection that commits when the log passes 1,000 pages, and a
/// checkpoint flushes the database file: the hot writer stopped for tens of milliseconds every
/// few hundred receipts. Here the writer never checkpoints on its own (`wal_autocheckpoint = 0`)
/// but when the log is to start over (`WalLog`).
struct Checkpoints {
    /// This thread's own connection (a checkpoint needs no lock the writer holds).
    conn: rusqlite::Connection,
    log: Arc<WalLog>,
}

impl Checkpoints {
    /// After each flushed commit (several at once when they come quickly), copies what the log
    /// holds that the database does not, without waiting for anyone (`PASSIVE`). Ends, after a
    /// last checkpoint, when the writer is gone.
    fn follow(&self, written: &std::sync::mpsc::Receiver<()>) {
        while written.recv().is_ok() {
            // Let a few groups gather: a checkpoint per group would flush the database per group.
            std::thread::sleep(Duration::from_millis(20));
            while written.try_recv().is_ok() {}
            match self.checkpoint() {
                Ok(copied) => {
                    self.log.frames.store(copied.log, Ordering::Release);
                    if copied.log >= RESTART_LOG_AT {
                        self.log.restart.store(true, Ordering::Release);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "checkpoint failed (the log keeps everything; retried after the next commit)")
                }
            }
        }
        let _ = self.checkpoint();
    }

    /// Runs a passive checkpoint, unless the writer is running one.
    fn checkpoint(&self) -> Result<Copied, StoreError> {
        let _one_at_a_time = self.log.checkpointing.lock().map_err(|_| StoreError::Unavailable)?;
        checkpoint(&self.conn, "PASSIVE")
    }
}

/// The write-ahead log of the database at `path` (SQLite names it so).
fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// A committed group's answers, sent once the log holding it is on disk, and the writes it was
/// made of: freed by the flushing thread, which mostly waits on the disk, not by the writer, the
/// one thread every write goes through (a receipt's dossier and its counter keys are dozens of
/// small allocations made on other threads, costly to free on this one).
struct Answers {
    replies: Vec<(Reply, Result<HotOutcome, StoreError>)>,
    writes: Vec<HotWrite>,
}

/// Flushes the write-ahead log after each committed group (several at once when they queue up)
/// and then answers their callers. If a flush fails, nothing written since the last good flush
/// may be acknowledged — the kernel may have dropped those pages — so those callers get an
/// error, and so does every later one: the writer stops (`broken`; `Unavailable`) until the
/// process is restarted and SQLite recovers the log from what the disk really holds.
fn answer_when_durable(
    log: &Path,
    committed: &std::sync::mpsc::Receiver<Answers>,
    written: &std::sync::mpsc::SyncSender<()>,
    broken: &AtomicBool,
) {
    while let Ok(first) = committed.recv() {
        let mut groups = vec![first];
        groups.extend(committed.try_iter());
        let (replies, writes): (Vec<_>, Vec<_>) = groups.into_iter().map(|g| (g.replies, g.writes)).unzip();
        // Opened each time: SQLite may have removed and made the file again since the last
        // flush, and a flush of a file no longer there would make nothing durable. `fdatasync`
        // works on the file, whoever opened it: it covers SQLite's writes to it. After one
        // failure no flush is tried again: a later success would not bring back what was lost.
        let flushed = !broken.load(Ordering::Acquire) && std::fs::File::open(log).and_then(|f| f.sync_data()).is_ok();
        if !flushed && !broken.swap(true, Ordering::AcqRel) {
            tracing::error!(log = %log.display(), "flushing the write-ahead log failed: hot writes refused until restart");
        }
        for (reply, result) in replies.into_iter().flatten() {
            let answer = if flushed { result } else { Err(StoreError::Unavailable) };
            let _ = reply.send(answer);
        }
        drop(writes);
        // The checkpoint thread's cue; one pending is enough.
        let _ = written.try_send(());
    }
}

fn open(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // NORMAL: a commit returns once its pages are in the log, and `answer_when_durable` flushes
    // the log before anyone hears of it (sqlx's connections, whose callers hear at once, stay
    // FULL). The database is already in WAL mode. A log that grew long (a burst, a bulk import)
    // is cut back to 64 MiB when it starts over (`journal_size_limit`).
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;
         PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = memory;",
    )?;
    // Another writer (a command, the rebuild) holds the lock for milliseconds: retry often,
    // for up to ten seconds, rather than SQLite's default back-off of up to 100 ms a try.
    conn.busy_handler(Some(|tries| {
        std::thread::sleep(Duration::from_micros(200));
        tries < 50_000
    }))?;
    // Every distinct statement of the hot writes (the few multi-row inserts differ by their row count).
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

/// Takes every write waiting, runs the group, and hands its answers to be sent once durable.
fn serve(
    mut conn: rusqlite::Connection,
    mut jobs: tokio::sync::mpsc::Receiver<HotJob>,
    durable: &std::sync::mpsc::Sender<Answers>,
    cold: &ColdWriters,
    broken: &AtomicBool,
    wal_log: &WalLog,
) {
    let mut batch = Vec::with_capacity(MAX_GROUP);
    while let Some(job) = jobs.blocking_recv() {
        if broken.load(Ordering::Acquire) {
            let _ = job.1.send(Err(StoreError::Unavailable));
            continue;
        }
        batch.push(job);
        while batch.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        cold.let_pass();
        wal_log.restart_before_group(&conn);
        let mut results = Vec::with_capacity(batch.len());
        let committed = run_group(&mut conn, &batch, &mut results);
        if committed.is_err() {
            // Whatever failed, nothing of this group may stay half done.
            let _ = conn.execute_batch("ROLLBACK");
        }
        let results = results.into_iter().chain(std::iter::repeat_with(|| Err(StoreError::Unavailable)));
        let (writes, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
        let answers = replies.into_iter().zip(results);
        match committed {
            Ok(()) => {
                if let Err(std::sync::mpsc::SendError(answers)) =
                    durable.send(Answers { replies: answers.collect(), writes })
                {
                    // The flushing thread is gone: nothing can be said to be durable.
                    for (reply, _) in answers.replies {
                        let _ = reply.send(Err(StoreError::Unavailable));
                    }
                }
            }
            // Nothing of this group was committed: no caller may believe otherwise.
            Err(e) => {
                for (reply, _) in answers {
                    let failed = format!("group commit failed: {e}");
                    let _ = reply.send(Err(StoreError::Database(sqlx::Error::Protocol(failed))));
                }
            }
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
            let mut own = deferred.following();
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
    // Row by row through one prepared statement each: the same statement every group.
    if let Some((head, rows)) = &deferred.search_rows {
        let mut insert = conn.prepare_cached(&insert_values(head, 2, 1))?;
        for (id, text) in rows {
            insert.execute(rusqlite::params![id, text])?;
        }
    }
    let mut numbered = conn.prepare_cached(SET_LAST_CODE_NUMBER)?;
    for n in deferred.code_numbers.iter() {
        numbered.execute(rusqlite::params![n.unit, n.day, n.last])?;
    }
    drop(numbered);
    for (table, rows) in deferred.tally.take() {
        let mut upsert = conn.prepare_cached(table.upsert_one())?;
        for (key, n) in &rows {
            upsert.execute(rusqlite::params_from_iter(key.columns().map(Arg::text).chain([Arg::int(*n)])))?;
        }
    }
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(())
}

/// Writes the last code number a group gave a unit and day (`Direct::next_code_number`).
const SET_LAST_CODE_NUMBER: &str = "INSERT INTO code_sequences (unit, day, last) VALUES (?1, ?2, ?3)
     ON CONFLICT (unit, day) DO UPDATE SET last = excluded.last";

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

    async fn insert_id(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<i64, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        statement.execute(rusqlite::params_from_iter(args))?;
        Ok(self.conn.last_insert_rowid())
    }

    async fn texts(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Vec<String>>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let width = statement.column_count();
        let rows = statement.query_map(rusqlite::params_from_iter(args), |row| {
            (0..width).map(|i| Ok(row.get::<_, Option<String>>(i)?.unwrap_or_default())).collect()
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    async fn add_counts(&mut self, table: Counters, rows: &[CountRow]) -> Result<(), StoreError> {
        self.deferred.tally.add(table, rows);
        Ok(())
    }

    async fn next_code_number(&mut self, unit: &str, day: &str) -> Result<i64, StoreError> {
        if let Some(n) = self.deferred.code_numbers.next(unit, day) {
            return Ok(n);
        }
        // The first of this unit and day in the group: after the stored last number (none yet
        // for a new day). The writer holds the database's only write lock, so nobody else
        // numbers in between; the group writes the last number it gave before it commits.
        let stored: Option<i64> = self
            .conn
            .prepare_cached("SELECT last FROM code_sequences WHERE unit = ?1 AND day = ?2")?
            .query_row(rusqlite::params![unit, day], |r| r.get(0))
            .optional()?;
        let n = stored.unwrap_or(0) + 1;
        self.deferred.code_numbers.start(unit, day, n);
        Ok(n)
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
