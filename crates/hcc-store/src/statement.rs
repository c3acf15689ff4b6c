//! A statement assembled at run time from optional parts (a list and its filters): its SQL, with
//! a `$N` for each value in the order the values are bound, and the values. Either executor runs
//! it: sqlx (both backends) or rusqlite on the embedded backend's caller-thread reads
//! (`sqlite_reads`), which numbers `$N` parameters by first appearance — the same order, as each
//! number appears once.

use crate::exec::Arg;
use std::fmt::Write as _;

#[derive(Debug, Default)]
pub(crate) struct Statement {
    sql: String,
    args: Vec<Arg<'static>>,
}

impl Statement {
    pub(crate) fn new(head: impl Into<String>) -> Statement {
        Statement { sql: head.into(), args: Vec::new() }
    }

    /// Appends SQL text (constants of the caller, never a value).
    pub(crate) fn push(&mut self, sql: impl std::fmt::Display) -> &mut Statement {
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends a parameter bound to `value`.
    pub(crate) fn bind(&mut self, value: impl Into<Arg<'static>>) -> &mut Statement {
        self.args.push(value.into());
        let _ = write!(self.sql, "${}", self.args.len());
        self
    }

    /// Appends `$a, $b, …`, one parameter per value.
    pub(crate) fn bind_list<V: Into<Arg<'static>>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Statement {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(value);
        }
        self
    }

    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    pub(crate) fn args(&self) -> &[Arg<'static>] {
        &self.args
    }
}

impl From<i64> for Arg<'static> {
    fn from(n: i64) -> Arg<'static> {
        Arg::int(n)
    }
}

impl From<String> for Arg<'static> {
    fn from(s: String) -> Arg<'static> {
        Arg::owned(s)
    }
}

impl From<&String> for Arg<'static> {
    fn from(s: &String) -> Arg<'static> {
        Arg::owned(s.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::Statement;

    #[test]
    fn parameters_are_numbered_in_the_order_they_are_bound() {
        let mut q = Statement::new("SELECT id FROM t WHERE a = ");
        q.bind(7).push(" AND b IN (").bind_list(["x".to_owned(), "y".to_owned()]).push(") LIMIT ").bind(3);
        assert_eq!(q.sql(), "SELECT id FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4");
        assert_eq!(q.args().len(), 4);
    }

    #[test]
    fn an_empty_list_binds_nothing() {
        let mut q = Statement::new("x IN (");
        q.bind_list(Vec::<String>::new()).push(")");
        assert_eq!(q.sql(), "x IN ()");
        assert!(q.args().is_empty());
    }
}
