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

    /// Inserts one row into a table whose key is `id` and answers that id. `sql` is the INSERT
    /// without a `RETURNING` clause: the writer thread asks SQLite for the row it just made, as
    /// SQLite's `RETURNING` runs as a trigger, which makes the statement keep a journal of every
    /// page it touches (for the dossier row, its table page and each of its indexes' pages).
    fn insert_id(&mut self, sql: &str, args: &[Arg<'_>]) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Every row, each column as text (NULL as empty): the few rows the hot writes read back.
    fn texts(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = Result<Vec<Vec<String>>, StoreError>> + Send;

    /// Adds `rows` to the counters of `table`, in the caller's transaction: at once (an upsert),
    /// or — the group committer — summed with the rest of the group's and written before it
    /// commits, so that thirty receipts of one procedure move each counter once, not thirty times.
    /// Nothing on the hot path reads a counter, so when within the transaction they move does
    /// not matter.
    fn add_counts(&mut self, table: Counters, rows: &[CountRow])
    -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The next number of `unit`'s dossier codes for `day` (DOMAIN.md §Codes), in the caller's
    /// transaction: a rollback gives it back, so numbers never skip, and the sequence's row (or
    /// the single writer) serialises receipts, so they never repeat. At once (an upsert of
    /// `code_sequences`), or — the group committer — counted on in memory from the stored last
    /// number and written once per unit and day before the group commits.
    fn next_code_number(&mut self, unit: &str, day: &str) -> impl Future<Output = Result<i64, StoreError>> + Send;

    /// Adds a new dossier's row to the full-text index where the backend keeps one apart
    /// (`head` is the backend's `INSERT INTO … (rowid, text)`): at once, or — the group
    /// committer — for the whole group in one statement before it commits.
    fn index_search_text(
        &mut self,
        head: &'static str,
        id: i64,
        text: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// The counter tables: rows of text keys and a count `n` that changes only by increments.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub(crate) enum Counters {
    /// Per day and full key (stats.rs).
    Stats,
    /// The rollups per month and per day (stats.rs).
    StatsMonth,
    StatsDay,
    /// The open dossiers (open_counts.rs).
    OpenCounts,
}

impl Counters {
    /// The INSERT's head (key columns, then `n`), the number of key columns, the upsert clause.
    fn sql(self) -> (&'static str, usize, &'static str) {
        match self {
            Counters::Stats => (
                "INSERT INTO stats (day, agency_code, field, procedure_code, point_code, channel, measure, n)",
                7,
                " ON CONFLICT (day, agency_code, field, procedure_code, point_code, channel, measure)
                  DO UPDATE SET n = stats.n + excluded.n",
            ),
            Counters::StatsMonth => (
                "INSERT INTO stats_month (month, dim, value, measure, n)",
                4,
                " ON CONFLICT (dim, month, value, measure) DO UPDATE SET n = stats_month.n + excluded.n",
            ),
            Counters::StatsDay => (
                "INSERT INTO stats_day (day, dim, value, measure, n)",
                4,
                " ON CONFLICT (dim, day, value, measure) DO UPDATE SET n = stats_day.n + excluded.n",
            ),
            Counters::OpenCounts => (
                "INSERT INTO open_counts (dim, value, status, n)",
                3,
                " ON CONFLICT (dim, value, status) DO UPDATE SET n = open_counts.n + excluded.n",
            ),
        }
    }
}

impl Counters {
    /// The upsert of one row (the group committer's: one statement per table, prepared once and
    /// stepped per row, where a statement of all the group's rows would differ in its number of
    /// rows from group to group and be prepared anew each time).
    pub(crate) fn upsert_one(self) -> &'static str {
        static SQL: std::sync::LazyLock<[String; 4]> = std::sync::LazyLock::new(|| {
            [Counters::Stats, Counters::StatsMonth, Counters::StatsDay, Counters::OpenCounts].map(|table| {
                let (head, keys, upsert) = table.sql();
                insert_values(head, keys + 1, 1) + upsert
            })
        });
        &SQL[self as usize]
    }
}

/// A counter row: its key, and what to add.
pub(crate) type CountRow = (CountKey, i64);

/// The most key columns a counter table has (`stats`).
const MAX_KEY_COLUMNS: usize = 7;

/// A counter's key: its columns in the table's order, held in one string with where each column
/// ends. A receipt moves about fifty counters: as one allocation a row (not a vector and a string
/// per column) they are cheap to make on the caller's thread, to sum on the writer's and to free.
/// The key's hash is worked out when it is made, on the caller's thread, so that summing on the
/// writer's is a hash-table lookup with one string comparison (`Tally`), not a walk of a sorted
/// map comparing keys that share long prefixes (a date, then the same codes).
#[derive(Clone, Debug)]
pub(crate) struct CountKey {
    text: String,
    ends: [u32; MAX_KEY_COLUMNS],
    columns: u8,
    hash: u64,
}

impl PartialEq for CountKey {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text && self.ends == other.ends && self.columns == other.columns
    }
}

impl Eq for CountKey {}

impl std::hash::Hash for CountKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialOrd for CountKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By the columns' text (the order counters are written in), not by the hash.
impl Ord for CountKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.text, &self.ends, self.columns).cmp(&(&other.text, &other.ends, other.columns))
    }
}

/// Hashes a [`CountKey`] by the hash it already holds.
#[derive(Default)]
pub(crate) struct HeldHash(u64);

impl std::hash::Hasher for HeldHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    // Only `CountKey` is hashed with it, and it writes one u64; anything else is still mixed in.
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix(self.0, u64::from(*b));
        }
    }
}

/// One step of the key hash (FxHash's): cheap, and good enough for the few hundred keys a group
/// sums — a collision costs a comparison of two short texts, never a wrong sum ([`CountKey`]'s
/// equality compares the texts). SipHash, the standard one, was 2 % of a receipt's CPU.
fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// The hash of a key's text and column ends, eight bytes at a time.
fn key_hash(text: &[u8], ends: &[u32]) -> u64 {
    let mut words = text.chunks_exact(8);
    let mut hash = 0;
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        hash = mix(hash, u64::from_le_bytes(eight));
    }
    let mut tail = [0; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = mix(hash, u64::from_le_bytes(tail));
    for end in ends {
        hash = mix(hash, u64::from(*end));
    }
    hash
}

/// A table of counter sums keyed by [`CountKey`], hashed by the hash each key holds.
type SumsByKey = std::collections::HashMap<CountKey, i64, std::hash::BuildHasherDefault<HeldHash>>;

impl CountKey {
    pub(crate) fn new<const N: usize>(columns: [&str; N]) -> CountKey {
        const { assert!(N <= MAX_KEY_COLUMNS, "a counter key has at most MAX_KEY_COLUMNS columns") };
        let mut text = String::with_capacity(columns.iter().map(|c| c.len()).sum());
        let mut ends = [0; MAX_KEY_COLUMNS];
        for (end, column) in ends.iter_mut().zip(columns) {
            text.push_str(column);
            // A key is a few short codes and names: far below 4 GiB.
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        let hash = key_hash(text.as_bytes(), &ends);
        CountKey { text, ends, columns: N as u8, hash }
    }

    /// How many columns the key has.
    pub(crate) fn len(&self) -> usize {
        usize::from(self.columns)
    }

    /// The key's columns, in order.
    pub(crate) fn columns(&self) -> impl Iterator<Item = &str> {
        let ends = &self.ends[..self.len()];
        let starts = std::iter::once(0).chain(ends.iter().copied());
        starts.zip(ends.iter().copied()).map(|(a, b)| self.text.get(a as usize..b as usize).unwrap_or_default())
    }
}

/// Counter increments worked out before the write that carries them. A new dossier's are computed
/// from the dossier alone, on the caller's thread (`counts_of_new_dossier`), so that the single
/// writer only adds them up.
#[derive(Default, Debug)]
pub(crate) struct Counts(Vec<(Counters, Vec<CountRow>)>);

impl Counts {
    pub(crate) fn add(&mut self, table: Counters, rows: Vec<CountRow>) {
        if !rows.is_empty() {
            self.0.push((table, rows));
        }
    }

    /// Adds every increment to the counters, in the caller's transaction.
    pub(crate) async fn write<E: HotExec>(&self, conn: &mut E) -> Result<(), StoreError> {
        for (table, rows) in &self.0 {
            conn.add_counts(*table, rows).await?;
        }
        Ok(())
    }
}

/// Adds `rows` to `table` now, a few hundred rows an upsert (each key at most once per call:
/// PostgreSQL updates a row once per statement).
pub(crate) async fn upsert_counts<E: HotExec>(
    conn: &mut E,
    table: Counters,
    rows: &[CountRow],
) -> Result<(), StoreError> {
    let (head, keys, upsert) = table.sql();
    for chunk in rows.chunks(400) {
        let mut args = Vec::with_capacity(chunk.len() * (keys + 1));
        for (key, n) in chunk {
            if key.len() != keys {
                return Err(StoreError::Corrupt(format!("a counter key of {} columns for {table:?}", key.len())));
            }
            args.extend(key.columns().map(Arg::text));
            args.push(Arg::int(*n));
        }
        let sql = insert_values(head, keys + 1, chunk.len()) + upsert;
        conn.exec(&sql, &args).await?;
    }
    Ok(())
}

/// Counter increments summed until they are written (the group committer's). Per table, then per
/// key, so that adding to a key already held looks it up by reference and copies nothing.
#[derive(Default, Debug)]
pub(crate) struct Tally(std::collections::BTreeMap<Counters, SumsByKey>);

/// What the group committer writes just before it commits: the counters' sums, the new
/// dossiers' full-text rows and the last code number it gave each unit and day.
#[derive(Default, Debug)]
pub(crate) struct Deferred {
    pub(crate) tally: Tally,
    /// New rows of the full-text index: the insert's head, and (id, text) of each.
    pub(crate) search_rows: Option<(&'static str, Vec<(i64, String)>)>,
    pub(crate) code_numbers: CodeNumbers,
}

impl Deferred {
    /// What a write of the group starts from when it may be rolled back alone: nothing to write
    /// yet, and the code numbers given so far (its own follow them).
    pub(crate) fn following(&self) -> Deferred {
        Deferred { code_numbers: self.code_numbers.clone(), ..Deferred::default() }
    }

    /// Adds everything `other` holds; its code numbers (begun from this one's, see
    /// [`Deferred::following`]) replace this one's.
    pub(crate) fn merge(&mut self, other: Deferred) {
        self.tally.merge(other.tally);
        if let Some((head, rows)) = other.search_rows {
            self.search_rows.get_or_insert_with(|| (head, Vec::new())).1.extend(rows);
        }
        self.code_numbers = other.code_numbers;
    }
}

/// The last code number given to each unit and day within one group, not yet written. A group
/// holds one entry per reception point receiving in it (a handful), so a list is searched.
#[derive(Default, Debug, Clone, PartialEq)]
pub(crate) struct CodeNumbers(Vec<CodeNumber>);

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CodeNumber {
    pub(crate) unit: String,
    pub(crate) day: String,
    pub(crate) last: i64,
}

impl CodeNumbers {
    /// The number after the last one given to `unit` on `day`, if this group gave one.
    pub(crate) fn next(&mut self, unit: &str, day: &str) -> Option<i64> {
        let held = self.0.iter_mut().find(|n| n.unit == unit && n.day == day)?;
        held.last += 1;
        Some(held.last)
    }

    /// Records `last` as the last number given to `unit` on `day` (the first this group gives).
    pub(crate) fn start(&mut self, unit: &str, day: &str, last: i64) {
        self.0.push(CodeNumber { unit: unit.to_owned(), day: day.to_owned(), last });
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &CodeNumber> {
        self.0.iter()
    }
}

/// The upsert of `code_sequences` that gives the next number of a unit and day at once.
pub(crate) const NEXT_CODE_NUMBER: &str = "INSERT INTO code_sequences (unit, day, last) VALUES ($1, $2, 1)
     ON CONFLICT (unit, day) DO UPDATE SET last = code_sequences.last + 1 RETURNING last";

/// Writes new rows of the full-text index, a few hundred a statement.
pub(crate) async fn insert_search_rows<E: HotExec>(
    conn: &mut E,
    head: &str,
    rows: &[(i64, String)],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(400) {
        let args: Vec<Arg<'_>> = chunk.iter().flat_map(|(id, text)| [Arg::int(*id), Arg::text(text)]).collect();
        conn.exec(&insert_values(head, 2, chunk.len()), &args).await?;
    }
    Ok(())
}

impl Tally {
    pub(crate) fn add(&mut self, table: Counters, rows: &[CountRow]) {
        let sums = self.0.entry(table).or_default();
        for (key, n) in rows {
            match sums.get_mut(key) {
                Some(sum) => *sum += n,
                None => {
                    sums.insert(key.clone(), *n);
                }
            }
        }
    }

    /// Adds everything `other` holds.
    pub(crate) fn merge(&mut self, other: Tally) {
        for (table, rows) in other.0 {
            let sums = self.0.entry(table).or_default();
            for (key, n) in rows {
                *sums.entry(key).or_default() += n;
            }
        }
    }

    /// Empties the tally into each table's rows, in key order, leaving out what summed to zero.
    pub(crate) fn take(&mut self) -> Vec<(Counters, Vec<CountRow>)> {
        std::mem::take(&mut self.0)
            .into_iter()
            .map(|(table, sums)| {
                let mut rows = sums.into_iter().filter(|(_, n)| *n != 0).collect::<Vec<_>>();
                rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                (table, rows)
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }
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
    use super::{CountKey, Counters, Tally, insert_values};

    fn row<const N: usize>(key: [&str; N], n: i64) -> (CountKey, i64) {
        (CountKey::new(key), n)
    }

    #[test]
    fn a_count_key_gives_back_its_columns_even_empty_ones() {
        let key = CountKey::new(["2026-12", "agency:field", "", "Đất đai"]);
        assert_eq!(key.len(), 4);
        assert_eq!(key.columns().collect::<Vec<_>>(), ["2026-12", "agency:field", "", "Đất đai"]);
        assert_ne!(
            key,
            CountKey::new(["2026-12", "agency:field", "Đất đai", ""]),
            "where columns end is part of the key"
        );
        assert_eq!(CountKey::new([]).columns().count(), 0);
    }

    #[test]
    fn count_keys_made_twice_are_one_key_and_order_by_their_columns() {
        use std::hash::BuildHasher as _;
        let a = CountKey::new(["2026-12-05", "agency", "A", "received"]);
        let b = CountKey::new(["2026-12-05", "agency", "A", "received"]);
        let hashed = std::hash::BuildHasherDefault::<super::HeldHash>::default();
        assert_eq!(a, b);
        assert_eq!(hashed.hash_one(&a), hashed.hash_one(&b));
        let later = CountKey::new(["2026-12-06", "agency", "A", "received"]);
        assert_ne!(a, later);
        assert!(a < later && later > b, "ordered by the text, whatever the hashes");
        let mut tally = Tally::default();
        for i in 0..200 {
            let day = format!("2026-12-{:02}", i % 28 + 1);
            tally.add(Counters::StatsDay, &[row([day.as_str(), "total", "", "received"], 1)]);
        }
        let rows = tally.take().remove(0).1;
        assert_eq!(rows.len(), 28);
        assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "rows come out in key order");
        assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 200);
    }

    #[test]
    fn keys_of_one_text_cut_differently_are_different_keys() {
        let (ab_c, a_bc) = (CountKey::new(["ab", "c"]), CountKey::new(["a", "bc"]));
        assert_ne!(ab_c, a_bc);
        assert_ne!(ab_c.hash, a_bc.hash, "the column ends are hashed too");
        let mut tally = Tally::default();
        tally.add(Counters::OpenCounts, &[(ab_c, 1), (a_bc, 2)]);
        let rows = tally.take().remove(0).1;
        assert_eq!(rows.len(), 2, "summed apart: {rows:?}");
    }

    #[test]
    fn the_keys_of_a_busy_day_hash_apart() {
        // A day's counter keys across agencies, procedures and statuses: each its own hash, so a
        // group's sums are found at once (a collision would cost a comparison, not a wrong sum).
        let mut hashes = std::collections::HashSet::new();
        let mut keys = 0;
        for agency in 0..40 {
            for procedure in 0..50 {
                for status in ["received", "in_progress", "returned"] {
                    let (a, p) = (format!("H26.{agency:02}"), format!("1.{:06}", 12_000 + procedure));
                    hashes.insert(CountKey::new(["2026-12-06", a.as_str(), p.as_str(), status]).hash);
                    keys += 1;
                }
            }
        }
        assert_eq!(hashes.len(), keys);
    }

    #[test]
    fn a_tally_sums_each_key_once_per_table_and_leaves_out_zero_sums() {
        let mut tally = Tally::default();
        tally.add(Counters::OpenCounts, &[row(["total", "", "received"], 1), row(["agency", "A", "received"], 1)]);
        tally.add(Counters::OpenCounts, &[row(["total", "", "received"], 1), row(["agency", "A", "received"], -1)]);
        tally.add(Counters::StatsDay, &[row(["2026-12-05", "total", "", "received"], 1)]);
        let mut other = Tally::default();
        other.add(Counters::StatsDay, &[row(["2026-12-05", "total", "", "received"], 2)]);
        other.add(Counters::Stats, &[row(["2026-12-05", "A", "f", "p", "pt", "counter", "received"], 0)]);
        tally.merge(other);
        assert_eq!(
            tally.take(),
            vec![
                (Counters::StatsDay, vec![row(["2026-12-05", "total", "", "received"], 3)]),
                (Counters::OpenCounts, vec![row(["total", "", "received"], 2)]),
            ]
        );
        assert!(tally.take().is_empty(), "taking empties the tally");
    }

    #[test]
    fn values_are_numbered_in_row_order() {
        assert_eq!(insert_values("INSERT INTO t (a, b)", 2, 1), "INSERT INTO t (a, b) VALUES ($1, $2)");
        assert_eq!(
            insert_values("INSERT INTO t (a, b)", 2, 3),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"
        );
    }
}
