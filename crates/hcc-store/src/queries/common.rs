// The store's queries, written once and compiled for each backend: `sqlite.rs` and `postgres.rs`
// include these files (this one first) after defining `DB` (the sqlx database type) and `Db` (the pools and
// `begin_write`). SQL here uses only what both dialects share: `$N` parameters, `RETURNING`,
// `ON CONFLICT`, BIGINT microseconds for instants and TEXT for everything else.

use crate::model::*;
use hcc_domain::audit::{self, EventContent};
use hcc_domain::catalog::{Channel, Procedure};
use hcc_domain::lifecycle::{DossierState, EventDraft, Timeliness};
use hcc_domain::org::{Agency, AgencyKind, PointKind, ReceptionPoint, RoutingRule};
use hcc_domain::status::Status;
use jiff::Timestamp;
use crate::columns::Columns;
use crate::exec::{Arg, CountKey, CountRow, Counters, Counts, HotExec};
use crate::statement::Statement;
use sqlx::{QueryBuilder, Row};


fn enum_str<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn enum_parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown value {s:?}")))
}

/// Checklist item numbers as stored: "1,3,4".
fn items_text(items: &[u32]) -> String {
    items.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

fn items_parse(s: &str) -> Result<Vec<u32>, StoreError> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().map_err(|_| StoreError::Corrupt(format!("item list {s:?}"))))
        .collect()
}

fn opt_micros(t: Option<Timestamp>) -> Option<i64> {
    t.map(micros)
}

fn opt_ts(m: Option<i64>) -> Option<Timestamp> {
    m.map(from_micros)
}

fn status_parse(s: &str) -> Result<Status, StoreError> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
}

fn channel_parse(s: &str) -> Result<Channel, StoreError> {
    Channel::parse(s).ok_or_else(|| StoreError::Corrupt(format!("channel {s:?}")))
}

// ---------------------------------------------------------------------------------------------
// Migrations

pub async fn migrate(db: &Db) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(&mut *tx).await?;
    for (version, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(*version)
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Meta

pub async fn get_meta(db: &Db, key: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(&db.read).await?)
}

pub async fn set_meta(db: &Db, key: &str, value: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The clock columns of a dossier (received_at … result_sha256, eighteen values, in the order
/// the dossier INSERT and the transition UPDATE both list them), so the two never drift apart.
fn clock_args(s: &DossierState) -> [Arg<'_>; 18] {
    [
        Arg::Int(opt_micros(s.received_at)),
        Arg::Int(opt_micros(s.due_at)),
        Arg::Int(opt_micros(s.original_due_at)),
        Arg::Int(opt_micros(s.clock_stopped_at)),
        Arg::int(s.budget_minutes as i64),
        Arg::int(i64::from(s.step_index)),
        Arg::Int(opt_micros(s.step_started_at)),
        Arg::Int(opt_micros(s.step_due_at)),
        Arg::int(i64::from(s.supplement_requests)),
        Arg::int(i64::from(s.new_appointments)),
        Arg::int(s.extension_minutes as i64),
        Arg::int(i64::from(s.late_steps)),
        Arg::int(i64::from(s.approved)),
        Arg::Int(opt_micros(s.handled_at)),
        Arg::Int(opt_micros(s.finished_at)),
        Arg::owned(items_text(&s.unscanned_items)),
        Arg::int(i64::from(s.scan_waived)),
        Arg::opt_text(s.result_sha256.as_deref()),
    ]
}

/// Columns by name from this backend's sqlx rows.
impl Columns for DbRow {
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn text(&self, name: &str) -> Result<String, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(name)?)
    }
}

/// The hot writes' arguments as sqlx binds them.
fn sqlx_args(args: &[Arg<'_>]) -> Result<<DB as sqlx::Database>::Arguments, StoreError> {
    use sqlx::Arguments as _;
    let mut out = <DB as sqlx::Database>::Arguments::default();
    out.reserve(args.len(), 0);
    for a in args {
        match a {
            Arg::Int(n) => out.add(*n),
            Arg::Text(s) => out.add(s.as_deref()),
        }
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
    }
    Ok(out)
}

/// The hot writes through sqlx: PostgreSQL's path, and SQLite's for imports.
impl HotExec for Conn {
    async fn exec(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let query = sqlx::query_with(sqlx::AssertSqlSafe(sql), sqlx_args(args)?);
        Ok(query.execute(&mut *self).await?.rows_affected())
    }

    async fn int(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<i64>, StoreError> {
        let query = sqlx::query_scalar_with(sqlx::AssertSqlSafe(sql), sqlx_args(args)?);
        Ok(query.fetch_optional(&mut *self).await?)
    }

    async fn insert_id(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<i64, StoreError> {
        let sql = format!("{sql} RETURNING id");
        let query = sqlx::query_scalar_with(sqlx::AssertSqlSafe(sql), sqlx_args(args)?);
        Ok(query.fetch_one(&mut *self).await?)
    }

    async fn texts(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Vec<String>>, StoreError> {
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), sqlx_args(args)?).fetch_all(&mut *self).await?;
        rows.iter()
            .map(|r| (0..r.len()).map(|i| Ok(r.try_get::<Option<String>, _>(i)?.unwrap_or_default())).collect())
            .collect()
    }

    async fn add_counts(&mut self, table: Counters, rows: &[CountRow]) -> Result<(), StoreError> {
        crate::exec::upsert_counts(self, table, rows).await
    }

    async fn next_code_number(&mut self, unit: &str, day: &str) -> Result<i64, StoreError> {
        self.int(crate::exec::NEXT_CODE_NUMBER, &[Arg::text(unit), Arg::text(day)])
            .await?
            .ok_or_else(|| StoreError::Corrupt("code numbering returned no row".into()))
    }

    async fn index_search_text(&mut self, head: &'static str, id: i64, text: String) -> Result<(), StoreError> {
        crate::exec::insert_search_rows(self, head, &[(id, text)]).await
    }
}

/// Keyset paging on `(due, id)` ascending: only the rows after the cursor (`due_col`, `id_col`
/// are the query's column names, constants of the caller).
fn push_after_due(q: &mut QueryBuilder<DB>, due_col: &str, id_col: &str, after: Option<(Timestamp, i64)>) {
    if let Some((due, id)) = after {
        q.push(format_args!(" AND ({due_col} > "))
            .push_bind(micros(due))
            .push(format_args!(" OR ({due_col} = "))
            .push_bind(micros(due))
            .push(format_args!(" AND {id_col} > "))
            .push_bind(id)
            .push("))");
    }
}
