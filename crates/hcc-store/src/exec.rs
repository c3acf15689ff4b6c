//! The statements of the hot writes (receipts, transitions), written once and run by either of
//! two executors: sqlx's connection (PostgreSQL, and SQLite's cold paths such as imports) and the
//! embedded backend's own writer thread (`sqlite_writer`), which steps SQLite directly on the
//! thread that owns the connection. The second exists because sqlx's SQLite driver hands every
//! statement to a worker thread and back: a receipt's dozen statements cost a dozen thread
//! wake-ups, and the single writer spent most of its time waiting on them.
//!
//! The SQL uses `$N` parameters numbered in the order they first appear: sqlx binds them by
//! number, SQLite (through rusqlite) by that same order.

use crate::StoreError;
use std::borrow::Cow;
use std::future::Future;

/// A value bound to a statement: the two kinds the hot writes use, each typed even when NULL
/// (PostgreSQL infers a parameter's type from what is bound).
#[derive(Clone, Debug)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
}

impl<'a> Arg<'a> {
    pub(crate) fn int(n: i64) -> Arg<'a> {
        Arg::Int(Some(n))
    }

    pub(crate) fn text(s: &'a str) -> Arg<'a> {
        Arg::Text(Some(Cow::Borrowed(s)))
    }

    pub(crate) fn owned(s: String) -> Arg<'a> {
        Arg::Text(Some(Cow::Owned(s)))
    }

    pub(crate) fn opt_text(s: Option<&'a str>) -> Arg<'a> {
        Arg::Text(s.map(Cow::Borrowed))
    }
}

/// Runs the hot writes' statements inside the caller's transaction.
pub(crate) trait HotExec: Send {
    /// Runs one statement; the number of rows it changed.
    fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The first column of the first row, an integer (a `RETURNING id`, a count), if any row.
    fn int(&mut self, sql: &str, args: &[Arg<'_>]) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send;

    /// Every row, each column as text (NULL as empty): the few rows the hot writes read back.
    fn texts(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = Result<Vec<Vec<String>>, StoreError>> + Send;
}

/// `INSERT INTO … (cols) VALUES ($1, …), (…)` for `rows` rows of `width` values each, numbered
/// from 1 in row order (the order the rows' values are pushed in).
pub(crate) fn insert_values(head: &str, width: usize, rows: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::with_capacity(head.len() + 16 + rows * width * 5);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "${}", r * width + c + 1);
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::insert_values;

    #[test]
    fn values_are_numbered_in_row_order() {
        assert_eq!(insert_values("INSERT INTO t (a, b)", 2, 1), "INSERT INTO t (a, b) VALUES ($1, $2)");
        assert_eq!(
            insert_values("INSERT INTO t (a, b)", 2, 3),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"
        );
    }
}
