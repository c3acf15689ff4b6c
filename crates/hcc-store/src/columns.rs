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
/// The names are hashed with foldhash: the standard SipHash was a twentieth of a list page.
pub(crate) struct NamedRow<'r, 's> {
    pub(crate) row: &'r rusqlite::Row<'s>,
    pub(crate) names: &'r foldhash::HashMap<String, usize>,
}

/// The column positions of `statement` by name.
pub(crate) fn column_names(statement: &rusqlite::Statement<'_>) -> foldhash::HashMap<String, usize> {
    statement.column_names().into_iter().enumerate().map(|(i, name)| (name.to_owned(), i)).collect()
}

impl NamedRow<'_, '_> {
    fn get<T: rusqlite::types::FromSql>(&self, name: &str) -> Result<T, StoreError> {
        let index = *self.names.get(name).ok_or_else(|| StoreError::Corrupt(format!("no column {name}")))?;
        Ok(self.row.get(index)?)
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
