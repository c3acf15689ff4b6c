//! Reading a row's columns by name from either driver's row, so that a record's decoding is
//! written once: sqlx's rows (both backends) and rusqlite's (the embedded backend's reads on the
//! caller's thread, `sqlite_reads`).

use crate::StoreError;

pub(crate) trait Columns {
    fn int(&self, name: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError>;
    fn text(&self, name: &str) -> Result<String, StoreError>;
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError>;
}

/// A rusqlite row with its statement's column positions by name (rusqlite itself finds a name
/// by comparing it with every column's: for fifty columns, read fifty times a row, too slow).
/// A decoder that reads the columns in the statement's order finds each one right after the one
/// before, checked by one comparison of names; any other name is looked up by its hash (foldhash:
/// the standard SipHash was a twentieth of a list page; the lookups themselves, 2,400 a page of
/// fifty dossiers, were still a twelfth).
pub(crate) struct NamedRow<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    positions: &'r ColumnPositions,
    /// Where the next column is looked for first: just after the last one read.
    next: std::cell::Cell<usize>,
}

/// A statement's columns: their names in order, and each one's position by name.
#[derive(Debug)]
pub(crate) struct ColumnPositions {
    names: Vec<String>,
    by_name: foldhash::HashMap<String, usize>,
}

/// The column positions of `statement` by name.
pub(crate) fn column_names(statement: &rusqlite::Statement<'_>) -> ColumnPositions {
    let names: Vec<String> = statement.column_names().into_iter().map(str::to_owned).collect();
    let by_name = names.iter().enumerate().map(|(i, name)| (name.clone(), i)).collect();
    ColumnPositions { names, by_name }
}

impl<'r, 's> NamedRow<'r, 's> {
    pub(crate) fn new(row: &'r rusqlite::Row<'s>, positions: &'r ColumnPositions) -> Self {
        NamedRow { row, positions, next: std::cell::Cell::new(0) }
    }

    /// The position of the column `name`.
    fn position(&self, name: &str) -> Result<usize, StoreError> {
        let guess = self.next.get();
        let index = if self.positions.names.get(guess).is_some_and(|n| n == name) {
            guess
        } else {
            *self.positions.by_name.get(name).ok_or_else(|| StoreError::Corrupt(format!("no column {name}")))?
        };
        self.next.set(index + 1);
        Ok(index)
    }

    fn get<T: rusqlite::types::FromSql>(&self, name: &str) -> Result<T, StoreError> {
        Ok(self.row.get(self.position(name)?)?)
    }
}

impl Columns for NamedRow<'_, '_> {
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        self.get(name)
    }
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.get(name)
    }
    fn text(&self, name: &str) -> Result<String, StoreError> {
        self.get(name)
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::{Columns as _, NamedRow, column_names};

    /// Columns read in the statement's order, out of it, twice, or missing: each read gives the
    /// column named, whichever way it was found.
    #[test]
    fn a_named_row_finds_every_column_in_any_order() {
        let conn = rusqlite::Connection::open_in_memory().expect("in-memory database");
        let mut statement = conn.prepare("SELECT 1 AS a, 'two' AS b, NULL AS c, 'four' AS d").expect("a statement");
        let positions = column_names(&statement);
        let mut rows = statement.query([]).expect("rows");
        let row = rows.next().expect("a row").expect("one row");
        let in_order = NamedRow::new(row, &positions);
        assert_eq!(in_order.int("a").expect("a"), 1);
        assert_eq!(in_order.text("b").expect("b"), "two");
        assert_eq!(in_order.opt_text("c").expect("c"), None);
        assert_eq!(in_order.text("d").expect("d"), "four");
        let shuffled = NamedRow::new(row, &positions);
        assert_eq!(shuffled.text("d").expect("d"), "four");
        assert_eq!(shuffled.text("b").expect("b"), "two");
        assert_eq!(shuffled.text("b").expect("b again"), "two");
        assert_eq!(shuffled.int("a").expect("a"), 1);
        assert_eq!(shuffled.opt_int("c").expect("c"), None);
        assert!(shuffled.text("e").is_err(), "a column the statement does not have");
        assert_eq!(shuffled.text("d").expect("d after a miss"), "four");
    }
}
