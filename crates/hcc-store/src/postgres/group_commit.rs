//! PostgreSQL's group committer: the hot writes (receipts, transitions, logged reads) of this
//! process run in groups, one transaction each, on one task.
//!
//! Why. Every receipt moves the same counter rows (the city's total, its agency, its field …) and
//! the code sequence of its point and day; a row's lock is held until the transaction that took it
//! commits, and a commit waits for the log's flush. With a transaction per receipt, receipts took
//! those locks one after another, each for a flush: 497 receipts/s with 64 clients, p50 119 ms.
//! A group pays one flush for all its writes, and one writer per process takes the locks in turn
//! instead of queueing on them. The counters are summed over the group and written just before it
//! commits (`Tallied`), so thirty receipts of one procedure move each counter row once.
//!
//! Several processes on one database still queue on the same rows, each group once, and stay
//! correct as before (the version check, the code sequence's row lock). Two groups that number
//! receipts of two points in opposite orders can deadlock; PostgreSQL ends one of them after
//! `deadlock_timeout`, and that group runs again (the savepoint pass below).

use super::{HotOutcome, HotWrite, run_hot};
use crate::StoreError;
use crate::exec::{Arg, CountRow, Counters, HotExec, Tally, upsert_counts};

/// The most writes one group commits.
const MAX_GROUP: usize = 256;

/// A hot write and where its answer goes.
pub(super) type HotJob = (HotWrite, tokio::sync::oneshot::Sender<Result<HotOutcome, StoreError>>);

/// Starts the group committer on `pool`; it stops when every sender is dropped.
pub(super) fn start(pool: sqlx::PgPool) -> tokio::sync::mpsc::Sender<HotJob> {
    let (jobs_in, jobs) = tokio::sync::mpsc::channel(4 * MAX_GROUP);
    tokio::spawn(serve(pool, jobs));
    jobs_in
}

/// Takes every write waiting (at least one), commits them as a group, answers each.
async fn serve(pool: sqlx::PgPool, mut jobs: tokio::sync::mpsc::Receiver<HotJob>) {
    let mut batch = Vec::with_capacity(MAX_GROUP);
    while jobs.recv_many(&mut batch, MAX_GROUP).await > 0 {
        let (writes, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
        match run_group(&pool, &writes).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            // The group failed (or its commit went unanswered): no caller is told it was written.
            Err(e) => {
                for reply in replies {
                    let failed = format!("group commit failed: {e}");
                    let _ = reply.send(Err(StoreError::Database(sqlx::Error::Protocol(failed))));
                }
            }
        }
    }
}

/// Runs a group in one transaction and commits it: each write's result, in order.
///
/// First without savepoints (two more round trips per write). Writes rarely fail (a concurrent
/// change, a missing dossier); when one does, PostgreSQL refuses the rest of the transaction, so
/// the whole group is rolled back and run again with a savepoint around each write: the failed
/// one leaves no trace and the others are written as before (each decides from the database alone,
/// in the same order).
async fn run_group(
    pool: &sqlx::PgPool,
    writes: &[HotWrite],
) -> Result<Vec<Result<HotOutcome, StoreError>>, StoreError> {
    let mut tx = pool.begin().await?;
    let mut tally = Tally::default();
    let mut results = Vec::with_capacity(writes.len());
    for write in writes {
        let result = run_hot(&mut Tallied { conn: &mut tx, tally: &mut tally }, write).await;
        let failed = result.is_err();
        results.push(result);
        if failed {
            break;
        }
    }
    if results.iter().any(Result::is_err) {
        tx.rollback().await?;
        // A single write needs no second run: its own failure is its answer.
        if writes.len() == 1 {
            return Ok(results);
        }
        results.clear();
        tally = Tally::default();
        tx = pool.begin().await?;
        for write in writes {
            sqlx::query("SAVEPOINT hot").execute(&mut *tx).await?;
            let mut own = Tally::default();
            let result = run_hot(&mut Tallied { conn: &mut tx, tally: &mut own }, write).await;
            if result.is_ok() {
                tally.merge(own);
            } else {
                sqlx::query("ROLLBACK TO SAVEPOINT hot").execute(&mut *tx).await?;
            }
            sqlx::query("RELEASE SAVEPOINT hot").execute(&mut *tx).await?;
            results.push(result);
        }
    }
    // In key order: processes sharing the database lock counter rows in the same order.
    for (table, rows) in tally.take() {
        upsert_counts(&mut *tx, table, &rows).await?;
    }
    tx.commit().await?;
    Ok(results)
}

/// The group's connection as the hot writes' executor: every statement at once, except the
/// counters, summed until the group writes them.
struct Tallied<'c> {
    conn: &'c mut sqlx::PgConnection,
    tally: &'c mut Tally,
}

impl HotExec for Tallied<'_> {
    async fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        self.conn.exec(sql, args).await
    }

    async fn int(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<i64>, StoreError> {
        self.conn.int(sql, args).await
    }

    async fn insert_id(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<i64, StoreError> {
        self.conn.insert_id(sql, args).await
    }

    async fn texts(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Vec<String>>, StoreError> {
        self.conn.texts(sql, args).await
    }

    async fn add_counts(&mut self, table: Counters, rows: &[CountRow]) -> Result<(), StoreError> {
        self.tally.add(table, rows);
        Ok(())
    }

    async fn next_code_number(&mut self, unit: &str, day: &str) -> Result<i64, StoreError> {
        self.conn.next_code_number(unit, day).await
    }

    async fn index_search_text(&mut self, head: &'static str, id: i64, text: String) -> Result<(), StoreError> {
        self.conn.index_search_text(head, id, text).await
    }
}
