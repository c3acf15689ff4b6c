// The store's queries, written once and compiled for each backend: `sqlite.rs` and `postgres.rs`
// include this file after defining `DB` (the sqlx database type) and `Db` (the pools and
// `begin_write`). SQL here uses only what both dialects share: `$N` parameters, `RETURNING`,
// `ON CONFLICT`, BIGINT microseconds for instants and TEXT for everything else.

use crate::model::*;
use hcc_domain::audit::{self, EventContent};
use hcc_domain::catalog::{Channel, Procedure};
use hcc_domain::lifecycle::{DossierState, EventDraft, Timeliness};
use hcc_domain::org::{Agency, AgencyKind, PointKind, ReceptionPoint, RoutingRule};
use hcc_domain::status::Status;
use jiff::Timestamp;
use sqlx::{QueryBuilder, Row};

type Conn = <DB as sqlx::Database>::Connection;
type DbRow = <DB as sqlx::Database>::Row;

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

fn opt_micros(t: Option<Timestamp>) -> Option<i64> {
    t.map(micros)
}

fn opt_ts(m: Option<i64>) -> Option<Timestamp> {
    m.map(from_micros)
}

fn status_parse(s: &str) -> Result<Status, StoreError> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
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

// ---------------------------------------------------------------------------------------------
// Reference data

pub async fn put_admin_units(db: &Db, provinces: &[Province], communes: &[Commune]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    for p in provinces {
        sqlx::query(
            "INSERT INTO provinces (code, name, full_name) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_name = excluded.full_name",
        )
        .bind(&p.code)
        .bind(&p.name)
        .bind(&p.full_name)
        .execute(&mut *tx)
        .await?;
    }
    for c in communes {
        sqlx::query(
            "INSERT INTO communes (code, province_code, name, full_name, name_folded) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET province_code = excluded.province_code, name = excluded.name,
               full_name = excluded.full_name, name_folded = excluded.name_folded",
        )
        .bind(&c.code)
        .bind(&c.province_code)
        .bind(&c.name)
        .bind(&c.full_name)
        .bind(hcc_domain::text::fold(&c.full_name))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn commune_from_row(r: &DbRow) -> Result<Commune, StoreError> {
    Ok(Commune {
        code: r.try_get("code")?,
        province_code: r.try_get("province_code")?,
        name: r.try_get("name")?,
        full_name: r.try_get("full_name")?,
    })
}

pub async fn get_commune(db: &Db, code: &str) -> Result<Option<Commune>, StoreError> {
    let row = sqlx::query("SELECT code, province_code, name, full_name FROM communes WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(commune_from_row).transpose()
}

pub async fn list_communes(db: &Db, province_code: &str) -> Result<Vec<Commune>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, province_code, name, full_name FROM communes WHERE province_code = $1 ORDER BY name_folded",
    )
    .bind(province_code)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(commune_from_row).collect()
}

pub async fn count_communes(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM communes").fetch_one(&db.read).await?)
}

pub async fn put_agency(db: &Db, a: &Agency) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO agencies (code, name, kind, commune_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, commune_code = excluded.commune_code",
    )
    .bind(&a.code)
    .bind(&a.name)
    .bind(enum_str(&a.kind))
    .bind(&a.commune_code)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

fn agency_from_row(r: &DbRow) -> Result<Agency, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Agency {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: enum_parse::<AgencyKind>(&kind)?,
        commune_code: r.try_get("commune_code")?,
    })
}

pub async fn list_agencies(db: &Db) -> Result<Vec<Agency>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, commune_code FROM agencies ORDER BY code").fetch_all(&db.read).await?;
    rows.iter().map(agency_from_row).collect()
}

pub async fn get_agency(db: &Db, code: &str) -> Result<Option<Agency>, StoreError> {
    let row = sqlx::query("SELECT code, name, kind, commune_code FROM agencies WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(agency_from_row).transpose()
}

/// The agencies tied to a commune (its People's Committee).
pub async fn agencies_for_commune(db: &Db, commune_code: &str) -> Result<Vec<Agency>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, commune_code FROM agencies WHERE commune_code = $1 ORDER BY code")
        .bind(commune_code)
        .fetch_all(&db.read)
        .await?;
    rows.iter().map(agency_from_row).collect()
}

pub async fn put_point(db: &Db, p: &ReceptionPoint) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO points (code, name, kind, address, commune_code) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, address = excluded.address,
           commune_code = excluded.commune_code",
    )
    .bind(&p.code)
    .bind(&p.name)
    .bind(enum_str(&p.kind))
    .bind(&p.address)
    .bind(&p.commune_code)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

fn point_from_row(r: &DbRow) -> Result<ReceptionPoint, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(ReceptionPoint {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind: enum_parse::<PointKind>(&kind)?,
        address: r.try_get("address")?,
        commune_code: r.try_get("commune_code")?,
    })
}

pub async fn list_points(db: &Db) -> Result<Vec<ReceptionPoint>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, address, commune_code FROM points ORDER BY code").fetch_all(&db.read).await?;
    rows.iter().map(point_from_row).collect()
}

pub async fn get_point(db: &Db, code: &str) -> Result<Option<ReceptionPoint>, StoreError> {
    let row = sqlx::query("SELECT code, name, kind, address, commune_code FROM points WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(point_from_row).transpose()
}

pub async fn set_routing_rules(db: &Db, rules: &[RoutingRule]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
    for (i, rule) in rules.iter().enumerate() {
        sqlx::query("INSERT INTO routing_rules (position, rule) VALUES ($1, $2)")
            .bind(i as i64)
            .bind(serde_json::to_string(rule)?)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn routing_rules(db: &Db) -> Result<Vec<RoutingRule>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT rule FROM routing_rules ORDER BY position").fetch_all(&db.read).await?;
    rows.iter().map(|r| serde_json::from_str(r).map_err(StoreError::from)).collect()
}

// ---------------------------------------------------------------------------------------------
// Calendar

pub async fn put_calendar_day(db: &Db, day: &CalendarDay) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO calendar_days (date, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .bind(day.date.to_string())
    .bind(&day.kind)
    .bind(&day.name)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_calendar_day(db: &Db, date: jiff::civil::Date) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("DELETE FROM calendar_days WHERE date = $1").bind(date.to_string()).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(n.rows_affected() > 0)
}

pub async fn calendar_days(db: &Db) -> Result<Vec<CalendarDay>, StoreError> {
    let rows = sqlx::query("SELECT date, kind, name FROM calendar_days ORDER BY date").fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            let date: String = r.try_get("date")?;
            Ok(CalendarDay {
                date: date.parse().map_err(|_| StoreError::Corrupt(format!("bad date {date:?}")))?,
                kind: r.try_get("kind")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Catalog

fn content_hash(p: &Procedure) -> Result<String, StoreError> {
    use sha2::Digest;
    let mut normalized = p.clone();
    normalized.version = 0;
    Ok(hex::encode(sha2::Sha256::digest(serde_json::to_vec(&normalized)?)))
}

/// Stores a procedure: a new code becomes version 1; changed content becomes a new current
/// version (older versions stay for the dossiers received under them); unchanged content is a no-op.
pub async fn put_procedure(db: &Db, p: &Procedure) -> Result<PutOutcome, StoreError> {
    let hash = content_hash(p)?;
    let mut tx = db.begin_write().await?;
    let current: Option<(i64, String)> =
        sqlx::query_as("SELECT version, content_hash FROM procedures WHERE code = $1 ORDER BY version DESC LIMIT 1")
            .bind(&p.code)
            .fetch_optional(&mut *tx)
            .await?;
    let (version, outcome) = match current {
        Some((v, h)) if h == hash => {
            tx.commit().await?;
            return Ok(PutOutcome::Unchanged { version: v as u32 });
        }
        Some((v, _)) => (v + 1, PutOutcome::NewVersion { version: (v + 1) as u32 }),
        None => (1, PutOutcome::Created { version: 1 }),
    };
    let mut stored = p.clone();
    stored.version = version as u32;
    sqlx::query("UPDATE procedures SET is_current = 0 WHERE code = $1").bind(&p.code).execute(&mut *tx).await?;
    let search = hcc_domain::text::fold(&format!("{} {} {}", p.code, p.name, p.field));
    sqlx::query(
        "INSERT INTO procedures (code, version, name, field, level, search_text, data, content_hash, is_current, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)",
    )
    .bind(&p.code)
    .bind(version)
    .bind(&p.name)
    .bind(&p.field)
    .bind(&p.level)
    .bind(search)
    .bind(serde_json::to_string(&stored)?)
    .bind(hash)
    .bind(micros(Timestamp::now()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// A procedure by code: the current version, or the one named.
pub async fn get_procedure(db: &Db, code: &str, version: Option<u32>) -> Result<Option<Procedure>, StoreError> {
    let data: Option<String> = match version {
        Some(v) => {
            sqlx::query_scalar("SELECT data FROM procedures WHERE code = $1 AND version = $2")
                .bind(code)
                .bind(i64::from(v))
                .fetch_optional(&db.read)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT data FROM procedures WHERE code = $1 AND is_current = 1")
                .bind(code)
                .fetch_optional(&db.read)
                .await?
        }
    };
    data.map(|d| serde_json::from_str(&d).map_err(StoreError::from)).transpose()
}

/// The current version number of a procedure, if it exists.
pub async fn current_procedure_version(db: &Db, code: &str) -> Result<Option<u32>, StoreError> {
    let v: Option<i64> = sqlx::query_scalar("SELECT version FROM procedures WHERE code = $1 AND is_current = 1")
        .bind(code)
        .fetch_optional(&db.read)
        .await?;
    Ok(v.map(|v| v as u32))
}

/// Current procedures ordered by code, after `after_code`, optionally filtered by folded text
/// and field.
pub async fn list_procedures(
    db: &Db,
    text: Option<&str>,
    field: Option<&str>,
    after_code: Option<&str>,
    limit: u32,
) -> Result<Vec<Procedure>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new("SELECT data FROM procedures WHERE is_current = 1");
    if let Some(t) = text.map(hcc_domain::text::fold).filter(|t| !t.is_empty()) {
        q.push(" AND search_text LIKE ").push_bind(format!("%{}%", escape_like(&t))).push(" ESCAPE '\\'");
    }
    if let Some(f) = field {
        q.push(" AND field = ").push_bind(f.to_owned());
    }
    if let Some(a) = after_code {
        q.push(" AND code > ").push_bind(a.to_owned());
    }
    q.push(" ORDER BY code LIMIT ").push_bind(i64::from(limit));
    let rows: Vec<String> = q.build_query_scalar().fetch_all(&db.read).await?;
    rows.iter().map(|d| serde_json::from_str(d).map_err(StoreError::from)).collect()
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

// ---------------------------------------------------------------------------------------------
// Users and tokens

const USER_COLUMNS: &str = "id, username, full_name, password_hash, role, agency_code, point_code, disabled";

fn user_from_row(r: &DbRow) -> Result<User, StoreError> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        full_name: r.try_get("full_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        agency_code: r.try_get("agency_code")?,
        point_code: r.try_get("point_code")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub async fn create_user(db: &Db, u: &NewUser) -> Result<User, StoreError> {
    let mut tx = db.begin_write().await?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(&u.username).fetch_optional(&mut *tx).await?;
    if exists.is_some() {
        return Err(StoreError::Duplicate("username"));
    }
    let row = sqlx::query(
        "INSERT INTO users (username, full_name, password_hash, role, agency_code, point_code, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7)
         RETURNING id, username, full_name, password_hash, role, agency_code, point_code, disabled",
    )
    .bind(&u.username)
    .bind(&u.full_name)
    .bind(&u.password_hash)
    .bind(&u.role)
    .bind(&u.agency_code)
    .bind(&u.point_code)
    .bind(micros(Timestamp::now()))
    .fetch_one(&mut *tx)
    .await?;
    let user = user_from_row(&row)?;
    tx.commit().await?;
    Ok(user)
}

pub async fn user_by_username(db: &Db, username: &str) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"));
    let row = sqlx::query(sql).bind(username).fetch_optional(&db.read).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"));
    let row = sqlx::query(sql).bind(id).fetch_optional(&db.read).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn list_users(db: &Db) -> Result<Vec<User>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"));
    let rows = sqlx::query(sql).fetch_all(&db.read).await?;
    rows.iter().map(user_from_row).collect()
}

pub async fn set_password(db: &Db, username: &str, password_hash: &str) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
        .bind(password_hash)
        .bind(username)
        .execute(&mut *tx)
        .await?;
    // A new password ends every session opened with the old one.
    sqlx::query("DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
        .bind(username)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(n.rows_affected() > 0)
}

pub async fn set_disabled(db: &Db, username: &str, disabled: bool) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
        .bind(i64::from(disabled))
        .bind(username)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(n.rows_affected() > 0)
}

pub async fn insert_token(db: &Db, token_hash: &str, user_id: i64, now: Timestamp, expires: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM tokens WHERE expires_at < $1").bind(micros(now)).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(micros(now))
        .bind(micros(expires))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The active user holding an unexpired token with this hash.
pub async fn user_by_token(db: &Db, token_hash: &str, now: Timestamp) -> Result<Option<User>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.full_name, u.password_hash, u.role, u.agency_code, u.point_code, u.disabled
         FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.disabled = 0",
    )
    .bind(token_hash)
    .bind(micros(now))
    .fetch_optional(&db.read)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

// ---------------------------------------------------------------------------------------------
// Dossiers

const DOSSIER_COLUMNS: &str = "id, code, secret, procedure_code, procedure_version, procedure_name, field, channel,
  point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind, applicant_name,
  applicant_id_number, applicant_phone, applicant_email, applicant_address, applicant_commune, subject_commune,
  request_summary, documents, return_method, submitted_at, received_at, due_at, original_due_at, clock_stopped_at,
  budget_minutes, step_index, step_started_at, step_due_at, supplement_requests, new_appointments,
  extension_minutes, late_steps, approved, handled_at, finished_at, event_count, last_hash, version, updated_at";

/// The columns of a list row: everything but the checklist, which lists never show (it is the
/// largest column, and a page of fifty would carry it fifty times).
const LIST_COLUMNS: &str = "id, code, secret, procedure_code, procedure_version, procedure_name, field, channel,
  point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind, applicant_name,
  applicant_id_number, applicant_phone, applicant_email, applicant_address, applicant_commune, subject_commune,
  request_summary, '[]' AS documents, return_method, submitted_at, received_at, due_at, original_due_at, clock_stopped_at,
  budget_minutes, step_index, step_started_at, step_due_at, supplement_requests, new_appointments,
  extension_minutes, late_steps, approved, handled_at, finished_at, event_count, last_hash, version, updated_at";

fn dossier_from_row(r: &DbRow) -> Result<DossierRecord, StoreError> {
    let channel: String = r.try_get("channel")?;
    let status: String = r.try_get("status")?;
    let resume: Option<String> = r.try_get("resume_status")?;
    let kind: String = r.try_get("applicant_kind")?;
    let documents: String = r.try_get("documents")?;
    let state = DossierState {
        status: status_parse(&status)?,
        resume_status: resume.as_deref().map(status_parse).transpose()?,
        channel: Channel::parse(&channel).ok_or_else(|| StoreError::Corrupt(format!("channel {channel:?}")))?,
        point_code: r.try_get("point_code")?,
        agency_code: r.try_get("agency_code")?,
        assignee: r.try_get("assignee_id")?,
        received_at: opt_ts(r.try_get("received_at")?),
        due_at: opt_ts(r.try_get("due_at")?),
        original_due_at: opt_ts(r.try_get("original_due_at")?),
        clock_stopped_at: opt_ts(r.try_get("clock_stopped_at")?),
        budget_minutes: r.try_get::<i64, _>("budget_minutes")? as u64,
        step_index: r.try_get::<i64, _>("step_index")? as u32,
        step_started_at: opt_ts(r.try_get("step_started_at")?),
        step_due_at: opt_ts(r.try_get("step_due_at")?),
        supplement_requests: r.try_get::<i64, _>("supplement_requests")? as u32,
        new_appointments: r.try_get::<i64, _>("new_appointments")? as u32,
        extension_minutes: r.try_get::<i64, _>("extension_minutes")? as u64,
        late_steps: r.try_get::<i64, _>("late_steps")? as u32,
        approved: r.try_get::<i64, _>("approved")? != 0,
        handled_at: opt_ts(r.try_get("handled_at")?),
        finished_at: opt_ts(r.try_get("finished_at")?),
    };
    Ok(DossierRecord {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        secret: r.try_get("secret")?,
        procedure_code: r.try_get("procedure_code")?,
        procedure_version: r.try_get("procedure_version")?,
        procedure_name: r.try_get("procedure_name")?,
        field: r.try_get("field")?,
        applicant: Applicant {
            kind: enum_parse(&kind)?,
            name: r.try_get("applicant_name")?,
            id_number: r.try_get("applicant_id_number")?,
            phone: r.try_get("applicant_phone")?,
            email: r.try_get("applicant_email")?,
            address: r.try_get("applicant_address")?,
            commune_code: r.try_get("applicant_commune")?,
        },
        subject_commune: r.try_get("subject_commune")?,
        request_summary: r.try_get("request_summary")?,
        documents: serde_json::from_str(&documents)?,
        return_method: r.try_get("return_method")?,
        routing_rule: r.try_get("routing_rule")?,
        submitted_at: from_micros(r.try_get("submitted_at")?),
        state,
        event_count: r.try_get("event_count")?,
        last_hash: r.try_get("last_hash")?,
        version: r.try_get("version")?,
        updated_at: from_micros(r.try_get("updated_at")?),
    })
}

/// Appends control-sheet rows for a dossier, continuing its hash chain; returns the new
/// (event_count, last_hash).
async fn append_events(
    conn: &mut Conn,
    dossier_id: i64,
    code: &str,
    mut seq: i64,
    mut prev_hash: String,
    events: &[(EventDraft, EventActor, Timestamp)],
) -> Result<(i64, String), StoreError> {
    for (draft, actor, at) in events {
        seq += 1;
        let details = if draft.details.is_null() { "{}".to_owned() } else { serde_json::to_string(&draft.details)? };
        let from = draft.from_status.map_or("", Status::as_str);
        let outcome = draft.step_outcome.map_or("", Timeliness::as_str);
        let content = EventContent {
            dossier_code: code,
            seq,
            at_micros: micros(*at),
            actor: &actor.username,
            role: &actor.role,
            unit: &actor.unit,
            action: draft.action.as_str(),
            from_status: from,
            to_status: draft.to_status.as_str(),
            step_name: draft.step_name.as_deref().unwrap_or(""),
            step_due_micros: opt_micros(draft.step_due_at),
            step_outcome: outcome,
            handed_to: draft.handed_to.as_deref().unwrap_or(""),
            note: &draft.note,
            details: &details,
        };
        let hash = audit::event_hash(&prev_hash, &content);
        sqlx::query(
            "INSERT INTO events (dossier_id, seq, at, actor_id, actor, actor_name, role, unit, action, from_status,
               to_status, step_name, step_due_at, step_outcome, handed_to, note, details, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(dossier_id)
        .bind(seq)
        .bind(content.at_micros)
        .bind(actor.user_id)
        .bind(&actor.username)
        .bind(&actor.full_name)
        .bind(&actor.role)
        .bind(&actor.unit)
        .bind(content.action)
        .bind(from)
        .bind(content.to_status)
        .bind(content.step_name)
        .bind(content.step_due_micros)
        .bind(outcome)
        .bind(content.handed_to)
        .bind(&draft.note)
        .bind(&details)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
        if let Some(to) = draft.handed_to.as_deref().filter(|_| draft.action == hcc_domain::lifecycle::ActionKind::Forward) {
            sqlx::query("INSERT INTO dossier_agencies (dossier_id, agency_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(dossier_id)
                .bind(to)
                .execute(&mut *conn)
                .await?;
        }
        prev_hash = hash;
    }
    Ok((seq, prev_hash))
}

/// The next code of `unit` for `date`, inside the caller's transaction: a rollback gives the
/// number back, so codes never skip; the row lock serialises concurrent receipts, so they never
/// repeat.
async fn next_code(conn: &mut Conn, unit: &str, date: jiff::civil::Date) -> Result<String, StoreError> {
    let day = hcc_domain::code::DossierCode::day_part(date);
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO code_sequences (unit, day, last) VALUES ($1, $2, 1)
         ON CONFLICT (unit, day) DO UPDATE SET last = code_sequences.last + 1 RETURNING last",
    )
    .bind(unit)
    .bind(&day)
    .fetch_one(&mut *conn)
    .await?;
    Ok(hcc_domain::code::DossierCode { unit: unit.to_owned(), date, seq: seq as u32 }.to_string())
}

fn search_text(code: &str, a: &Applicant) -> String {
    hcc_domain::text::fold(&format!("{code} {} {}", a.name, a.id_number))
}

/// What writing a new dossier produced.
struct Inserted {
    id: i64,
    code: String,
    event_count: i64,
    last_hash: String,
}

async fn insert_dossier(conn: &mut Conn, d: &NewDossier, now: Timestamp) -> Result<Inserted, StoreError> {
    let s = &d.state;
    let code = next_code(conn, &s.point_code, d.code_date).await?;
    let submitted_at = d.events.first().map_or(now, |e| e.2);
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO dossiers (code, secret, idempotency_key, procedure_code, procedure_version, procedure_name, field,
           channel, point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind,
           applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
           applicant_commune, subject_commune, request_summary, documents, return_method, search_text,
           submitted_at, received_at, due_at, original_due_at, clock_stopped_at, budget_minutes, step_index,
           step_started_at, step_due_at, supplement_requests, new_appointments, extension_minutes, late_steps,
           approved, handled_at, finished_at, event_count, last_hash, version, updated_at)
         VALUES ({}) RETURNING id",
        (1..=46).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    ));
    let id: i64 = sqlx::query_scalar(sql)
        .bind(&code)
        .bind(&d.secret)
        .bind(&d.idempotency_key)
        .bind(&d.procedure_code)
        .bind(d.procedure_version)
        .bind(&d.procedure_name)
        .bind(&d.field)
        .bind(s.channel.as_str())
        .bind(&s.point_code)
        .bind(&s.agency_code)
        .bind(s.assignee)
        .bind(&d.routing_rule)
        .bind(s.status.as_str())
        .bind(s.resume_status.map(Status::as_str))
        .bind(d.applicant.kind.as_str())
        .bind(&d.applicant.name)
        .bind(&d.applicant.id_number)
        .bind(&d.applicant.phone)
        .bind(&d.applicant.email)
        .bind(&d.applicant.address)
        .bind(&d.applicant.commune_code)
        .bind(&d.subject_commune)
        .bind(&d.request_summary)
        .bind(serde_json::to_string(&d.documents)?)
        .bind(&d.return_method)
        .bind(search_text(&code, &d.applicant))
        .bind(micros(submitted_at))
        .bind(opt_micros(s.received_at))
        .bind(opt_micros(s.due_at))
        .bind(opt_micros(s.original_due_at))
        .bind(opt_micros(s.clock_stopped_at))
        .bind(s.budget_minutes as i64)
        .bind(i64::from(s.step_index))
        .bind(opt_micros(s.step_started_at))
        .bind(opt_micros(s.step_due_at))
        .bind(i64::from(s.supplement_requests))
        .bind(i64::from(s.new_appointments))
        .bind(s.extension_minutes as i64)
        .bind(i64::from(s.late_steps))
        .bind(i64::from(s.approved))
        .bind(opt_micros(s.handled_at))
        .bind(opt_micros(s.finished_at))
        .bind(0_i64)
        .bind(audit::GENESIS)
        .bind(1_i64)
        .bind(micros(now))
        .fetch_one(&mut *conn)
        .await?;
    // The first agency is involved from the start; forwards add the others.
    let first_agency = d
        .events
        .first()
        .and_then(|e| e.0.handed_to.clone())
        .unwrap_or_else(|| s.agency_code.clone());
    for agency in [first_agency, s.agency_code.clone()] {
        sqlx::query("INSERT INTO dossier_agencies (dossier_id, agency_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(agency)
            .execute(&mut *conn)
            .await?;
    }
    let (count, last) = append_events(conn, id, &code, 0, audit::GENESIS.to_owned(), &d.events).await?;
    sqlx::query("UPDATE dossiers SET event_count = $1, last_hash = $2 WHERE id = $3")
        .bind(count)
        .bind(&last)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Inserted { id, code, event_count: count, last_hash: last })
}

/// A write on the hot path (receipts and transitions). On SQLite these are group-committed: many
/// run in one transaction, each inside its own savepoint, and each caller is answered only after
/// the shared commit is on disk.
pub(crate) enum HotWrite {
    Create { dossier: Box<NewDossier>, now: Timestamp },
    Apply {
        dossier_id: i64,
        expected_version: i64,
        state: Box<DossierState>,
        event: Box<EventDraft>,
        actor: Box<EventActor>,
        now: Timestamp,
    },
}

/// What a hot write did.
pub(crate) enum HotOutcome {
    /// A dossier made now (with what the write decided: its code and chain head).
    Created { id: i64, code: String, event_count: i64, last_hash: String },
    /// An idempotent replay: the dossier made the first time.
    Replayed { id: i64 },
    /// A transition written; the dossier's new chain head.
    Applied { event_count: i64, last_hash: String },
}

pub(crate) async fn run_hot(conn: &mut Conn, w: &HotWrite) -> Result<HotOutcome, StoreError> {
    match w {
        HotWrite::Create { dossier, now } => create_dossier_in(conn, dossier, *now).await,
        HotWrite::Apply { dossier_id, expected_version, state, event, actor, now } => {
            let (event_count, last_hash) =
                apply_transition_in(conn, *dossier_id, *expected_version, state, event, actor, *now).await?;
            Ok(HotOutcome::Applied { event_count, last_hash })
        }
    }
}

/// Writes a new dossier, its code, its first control-sheet rows and its outbox notice. With an
/// idempotency key already used, writes nothing and names the dossier made the first time: a
/// retried submission never makes two dossiers.
async fn create_dossier_in(conn: &mut Conn, d: &NewDossier, now: Timestamp) -> Result<HotOutcome, StoreError> {
    if let Some(key) = &d.idempotency_key {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM dossiers WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(id) = existing {
            return Ok(HotOutcome::Replayed { id });
        }
    }
    let ins = insert_dossier(conn, d, now).await?;
    outbox(conn, ins.id, d.state.status.as_str(), now).await?;
    Ok(HotOutcome::Created { id: ins.id, code: ins.code, event_count: ins.event_count, last_hash: ins.last_hash })
}

/// Receives a dossier (see [`create_dossier_in`]); answers once it is durable, with the record
/// as written (built from what was sent and what the write decided, without reading it back).
pub async fn create_dossier(db: &Db, d: NewDossier, now: Timestamp) -> Result<(DossierRecord, bool), StoreError> {
    let write = HotWrite::Create { dossier: Box::new(d.clone()), now };
    match db.write_hot(write).await? {
        HotOutcome::Created { id, code, event_count, last_hash } => Ok((
            DossierRecord {
                id,
                code,
                secret: d.secret,
                procedure_code: d.procedure_code,
                procedure_version: d.procedure_version,
                procedure_name: d.procedure_name,
                field: d.field,
                applicant: d.applicant,
                subject_commune: d.subject_commune,
                request_summary: d.request_summary,
                documents: d.documents,
                return_method: d.return_method,
                routing_rule: d.routing_rule,
                submitted_at: d.events.first().map_or(now, |e| e.2),
                state: d.state,
                event_count,
                last_hash,
                version: 1,
                updated_at: now,
            },
            true,
        )),
        HotOutcome::Replayed { id } => Ok((get_dossier_by_id(db, id).await?.ok_or(StoreError::NotFound)?, false)),
        HotOutcome::Applied { .. } => Err(StoreError::Corrupt("unexpected write outcome".into())),
    }
}

/// Writes many finished histories at once (the demo city and benchmarks): one transaction per
/// batch, the same code numbering and hash chains as live receipts.
pub async fn import_dossiers(db: &Db, batch: &[NewDossier], now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    for d in batch {
        insert_dossier(&mut tx, d, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn outbox(conn: &mut Conn, dossier_id: i64, kind: &str, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (dossier_id, kind, payload, created_at) VALUES ($1, $2, '{}', $3)")
        .bind(dossier_id)
        .bind(kind)
        .bind(micros(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

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

pub async fn involved_agencies(db: &Db, dossier_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT agency_code FROM dossier_agencies WHERE dossier_id = $1 ORDER BY agency_code")
        .bind(dossier_id)
        .fetch_all(&db.read)
        .await?)
}

/// Writes a transition: the dossier row (only if nobody changed it since `expected_version` was
/// read), its control-sheet row and an outbox notice, together. A concurrent change gives
/// [`StoreError::Conflict`] and writes nothing.
async fn apply_transition_in(
    conn: &mut Conn,
    dossier_id: i64,
    expected_version: i64,
    state: &DossierState,
    event: &EventDraft,
    actor: &EventActor,
    now: Timestamp,
) -> Result<(i64, String), StoreError> {
    let s = state;
    // The versioned UPDATE comes first: on PostgreSQL it takes the row lock, so a concurrent
    // writer waits here and then finds the version moved on, before it appends anything.
    let claimed: Option<(String, i64, String)> = sqlx::query_as(
        "UPDATE dossiers SET agency_code = $1, assignee_id = $2, status = $3, resume_status = $4, received_at = $5,
           due_at = $6, original_due_at = $7, clock_stopped_at = $8, budget_minutes = $9, step_index = $10,
           step_started_at = $11, step_due_at = $12, supplement_requests = $13, new_appointments = $14,
           extension_minutes = $15, late_steps = $16, approved = $17, handled_at = $18, finished_at = $19,
           version = version + 1, updated_at = $20
         WHERE id = $21 AND version = $22
         RETURNING code, event_count, last_hash",
    )
    .bind(&s.agency_code)
    .bind(s.assignee)
    .bind(s.status.as_str())
    .bind(s.resume_status.map(Status::as_str))
    .bind(opt_micros(s.received_at))
    .bind(opt_micros(s.due_at))
    .bind(opt_micros(s.original_due_at))
    .bind(opt_micros(s.clock_stopped_at))
    .bind(s.budget_minutes as i64)
    .bind(i64::from(s.step_index))
    .bind(opt_micros(s.step_started_at))
    .bind(opt_micros(s.step_due_at))
    .bind(i64::from(s.supplement_requests))
    .bind(i64::from(s.new_appointments))
    .bind(s.extension_minutes as i64)
    .bind(i64::from(s.late_steps))
    .bind(i64::from(s.approved))
    .bind(opt_micros(s.handled_at))
    .bind(opt_micros(s.finished_at))
    .bind(micros(now))
    .bind(dossier_id)
    .bind(expected_version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((code, count, last_hash)) = claimed else {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM dossiers WHERE id = $1").bind(dossier_id).fetch_optional(&mut *conn).await?;
        return Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    };
    let (count, last_hash) =
        append_events(conn, dossier_id, &code, count, last_hash, &[(event.clone(), actor.clone(), now)]).await?;
    sqlx::query("UPDATE dossiers SET event_count = $1, last_hash = $2 WHERE id = $3")
        .bind(count)
        .bind(&last_hash)
        .bind(dossier_id)
        .execute(&mut *conn)
        .await?;
    if event.from_status != Some(event.to_status) {
        outbox(conn, dossier_id, event.to_status.as_str(), now).await?;
    }
    Ok((count, last_hash))
}

/// Applies a transition to the dossier as it was read (see [`apply_transition_in`]); answers once it
/// is durable, with the record as it now stands (built from what was written, not read back).
pub async fn apply_transition(
    db: &Db,
    current: &DossierRecord,
    state: &DossierState,
    event: &EventDraft,
    actor: &EventActor,
    now: Timestamp,
) -> Result<DossierRecord, StoreError> {
    let outcome = db
        .write_hot(HotWrite::Apply {
            dossier_id: current.id,
            expected_version: current.version,
            state: Box::new(state.clone()),
            event: Box::new(event.clone()),
            actor: Box::new(actor.clone()),
            now,
        })
        .await?;
    let HotOutcome::Applied { event_count, last_hash } = outcome else {
        return Err(StoreError::Corrupt("unexpected write outcome".into()));
    };
    Ok(DossierRecord {
        state: state.clone(),
        event_count,
        last_hash,
        version: current.version + 1,
        updated_at: now,
        ..current.clone()
    })
}

fn event_from_row(r: &DbRow) -> Result<EventRecord, StoreError> {
    let details: String = r.try_get("details")?;
    Ok(EventRecord {
        seq: r.try_get("seq")?,
        at: from_micros(r.try_get("at")?),
        actor: r.try_get("actor")?,
        actor_name: r.try_get("actor_name")?,
        role: r.try_get("role")?,
        unit: r.try_get("unit")?,
        action: r.try_get("action")?,
        from_status: r.try_get("from_status")?,
        to_status: r.try_get("to_status")?,
        step_name: r.try_get("step_name")?,
        step_due_at: opt_ts(r.try_get("step_due_at")?),
        step_outcome: r.try_get("step_outcome")?,
        handed_to: r.try_get("handed_to")?,
        note: r.try_get("note")?,
        details: serde_json::from_str(&details)?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const EVENT_COLUMNS: &str = "seq, at, actor, actor_name, role, unit, action, from_status, to_status, step_name,
  step_due_at, step_outcome, handed_to, note, details, prev_hash, hash";

pub async fn events(db: &Db, dossier_id: i64) -> Result<Vec<EventRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {EVENT_COLUMNS} FROM events WHERE dossier_id = $1 ORDER BY seq"));
    let rows = sqlx::query(sql).bind(dossier_id).fetch_all(&db.read).await?;
    rows.iter().map(event_from_row).collect()
}

/// One page of dossiers, newest first, after the cursor. Every filter maps onto an index. List
/// rows carry an empty checklist (read the dossier for it).
pub async fn list_dossiers(db: &Db, f: &DossierQuery) -> Result<Page<DossierRecord>, StoreError> {
    let limit = f.limit.clamp(1, 200);
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!("SELECT {LIST_COLUMNS} FROM dossiers d WHERE 1 = 1"));
    if let Some(s) = &f.status {
        q.push(" AND status = ").push_bind(s.clone());
    }
    if let Some(a) = &f.agency {
        q.push(" AND agency_code = ").push_bind(a.clone());
    }
    if let Some(p) = &f.procedure {
        q.push(" AND procedure_code = ").push_bind(p.clone());
    }
    if let Some(x) = &f.field {
        q.push(" AND field = ").push_bind(x.clone());
    }
    if let Some(p) = &f.point {
        q.push(" AND point_code = ").push_bind(p.clone());
    }
    if let Some(u) = f.assignee {
        q.push(" AND assignee_id = ").push_bind(u);
    }
    if let Some(t) = f.due_before {
        q.push(" AND due_at < ").push_bind(micros(t));
    }
    if let Some(t) = f.overdue_at {
        q.push(" AND due_at < ")
            .push_bind(micros(t))
            .push(" AND status IN ('received', 'in_progress')");
    }
    if let Some(t) = f.text.as_deref().map(hcc_domain::text::fold).filter(|t| !t.is_empty()) {
        q.push(" AND search_text LIKE ").push_bind(format!("%{}%", escape_like(&t))).push(" ESCAPE '\\'");
    }
    if let Some(a) = &f.visible_to_agency {
        q.push(" AND agency_code = ").push_bind(a.clone());
    }
    if let Some(a) = &f.involved_agency {
        q.push(" AND id IN (SELECT dossier_id FROM dossier_agencies WHERE agency_code = ").push_bind(a.clone()).push(")");
    }
    if let Some(p) = &f.visible_to_point {
        q.push(" AND point_code = ").push_bind(p.clone());
    }
    if let Some(after) = f.after_id {
        q.push(" AND id < ").push_bind(after);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    let rows = q.build().fetch_all(&db.read).await?;
    let mut items = rows.iter().map(dossier_from_row).collect::<Result<Vec<_>, _>>()?;
    let next_after = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|d| d.id)
    } else {
        None
    };
    Ok(Page { items, next_after })
}

pub async fn count_dossiers(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM dossiers").fetch_one(&db.read).await?)
}

/// Records that a staff member read a dossier's personal data.
pub async fn log_staff_read(db: &Db, user_id: i64, dossier_id: i64, what: &str, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO staff_reads (user_id, dossier_id, at, what) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(dossier_id)
        .bind(micros(now))
        .bind(what)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Audit

/// Recomputes every dossier's hash chain from its events and compares it with the stored hashes
/// and the dossier's recorded count and last hash: an edited, removed, inserted or reordered
/// event shows up as a problem. Reads in pages so memory stays flat.
pub async fn verify(db: &Db) -> Result<VerifyReport, StoreError> {
    let mut report = VerifyReport::default();
    let mut after = 0_i64;
    loop {
        let dossiers: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT id, code, event_count, last_hash FROM dossiers WHERE id > $1 ORDER BY id LIMIT 500",
        )
        .bind(after)
        .fetch_all(&db.read)
        .await?;
        let (Some(first), Some(last)) = (dossiers.first(), dossiers.last()) else { break };
        after = last.0;
        // One query for the whole page's events, not one per dossier.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT dossier_id, {EVENT_COLUMNS} FROM events WHERE dossier_id >= $1 AND dossier_id <= $2 ORDER BY dossier_id, seq"
        ));
        let rows = sqlx::query(sql).bind(first.0).bind(last.0).fetch_all(&db.read).await?;
        let mut by_dossier: std::collections::HashMap<i64, Vec<EventRecord>> = std::collections::HashMap::new();
        for r in &rows {
            by_dossier.entry(r.try_get("dossier_id")?).or_default().push(event_from_row(r)?);
        }
        for (id, code, count, last_hash) in &dossiers {
            report.dossiers_checked += 1;
            let evs = by_dossier.remove(id).unwrap_or_default();
            let mut prev = audit::GENESIS.to_owned();
            for (i, e) in evs.iter().enumerate() {
                report.events_checked += 1;
                let expected_seq = i as i64 + 1;
                if e.seq != expected_seq {
                    report.problems.push(format!("{code}: sự kiện thứ {expected_seq} bị thiếu hoặc sai thứ tự (gặp số {})", e.seq));
                }
                if e.prev_hash != prev {
                    report.problems.push(format!("{code}: sự kiện {} không nối tiếp sự kiện trước (chuỗi băm bị đứt)", e.seq));
                }
                let details = serde_json::to_string(&e.details)?;
                let content = EventContent {
                    dossier_code: code,
                    seq: e.seq,
                    at_micros: micros(e.at),
                    actor: &e.actor,
                    role: &e.role,
                    unit: &e.unit,
                    action: &e.action,
                    from_status: &e.from_status,
                    to_status: &e.to_status,
                    step_name: &e.step_name,
                    step_due_micros: opt_micros(e.step_due_at),
                    step_outcome: &e.step_outcome,
                    handed_to: &e.handed_to,
                    note: &e.note,
                    details: &details,
                };
                let recomputed = audit::event_hash(&e.prev_hash, &content);
                if recomputed != e.hash {
                    report.problems.push(format!("{code}: nội dung sự kiện {} đã bị sửa (mã băm không khớp)", e.seq));
                }
                prev = e.hash.clone();
            }
            if evs.len() as i64 != *count {
                report.problems.push(format!("{code}: hồ sơ ghi {count} sự kiện nhưng còn {} sự kiện", evs.len()));
            }
            if prev != *last_hash {
                report.problems.push(format!("{code}: mã băm cuối của hồ sơ không khớp sự kiện cuối cùng"));
            }
        }
    }
    report.problems.extend(verify_days(db).await?);
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// Daily roots

/// Microseconds at local (UTC+07:00) midnight starting `day`.
fn day_start_micros(day: jiff::civil::Date) -> i64 {
    let local = day.to_datetime(jiff::civil::Time::midnight());
    jiff::tz::Offset::constant(7).to_timestamp(local).map(micros).unwrap_or(0)
}

/// The event hashes of one local day, in id order, and the last id among them.
async fn day_hashes(db: &Db, day: jiff::civil::Date) -> Result<(Vec<String>, i64), StoreError> {
    let next = day.tomorrow().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, hash FROM events WHERE at >= $1 AND at < $2 ORDER BY id")
        .bind(day_start_micros(day))
        .bind(day_start_micros(next))
        .fetch_all(&db.read)
        .await?;
    let last = rows.last().map_or(0, |r| r.0);
    Ok((rows.into_iter().map(|r| r.1).collect(), last))
}

/// Seals every finished local day (before `today`) not sealed yet: a root over the day's event
/// hashes chained to the previous day's root. Once sealed, an event added to, removed from or
/// changed in that day — even with a consistent per-dossier chain — no longer matches the root.
pub async fn seal_days(db: &Db, today: jiff::civil::Date) -> Result<u32, StoreError> {
    let last: Option<(String, String)> =
        sqlx::query_as("SELECT day, root FROM audit_roots ORDER BY day DESC LIMIT 1").fetch_optional(&db.read).await?;
    let (mut day, mut prev_root) = match last {
        Some((d, root)) => {
            let d: jiff::civil::Date = d.parse().map_err(|_| StoreError::Corrupt(format!("root day {d:?}")))?;
            (d.tomorrow().map_err(|e| StoreError::Corrupt(e.to_string()))?, root)
        }
        None => {
            let first: Option<i64> = sqlx::query_scalar("SELECT MIN(at) FROM events").fetch_one(&db.read).await?;
            let Some(first) = first else { return Ok(0) };
            (jiff::tz::Offset::constant(7).to_datetime(from_micros(first)).date(), audit::GENESIS.to_owned())
        }
    };
    let mut sealed = 0;
    while day < today {
        let (hashes, last_id) = day_hashes(db, day).await?;
        let root = audit::day_root(&prev_root, &hashes);
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "INSERT INTO audit_roots (day, last_event_id, event_count, prev_root, root, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day.to_string())
        .bind(last_id)
        .bind(hashes.len() as i64)
        .bind(&prev_root)
        .bind(&root)
        .bind(micros(Timestamp::now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        prev_root = root;
        sealed += 1;
        day = day.tomorrow().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    Ok(sealed)
}

/// Recomputes every sealed day's root from the events now stored and reports the days that no
/// longer match (back-dated, edited or deleted events) or whose chain of roots is broken.
pub async fn verify_days(db: &Db) -> Result<Vec<String>, StoreError> {
    let roots: Vec<(String, String, String)> =
        sqlx::query_as("SELECT day, prev_root, root FROM audit_roots ORDER BY day").fetch_all(&db.read).await?;
    let mut problems = Vec::new();
    let mut prev = audit::GENESIS.to_owned();
    for (i, (day, prev_root, root)) in roots.iter().enumerate() {
        if i > 0 && *prev_root != prev {
            problems.push(format!("ngày {day}: chuỗi gốc băm theo ngày bị đứt"));
        }
        let date: jiff::civil::Date = day.parse().map_err(|_| StoreError::Corrupt(format!("root day {day:?}")))?;
        let (hashes, _) = day_hashes(db, date).await?;
        if audit::day_root(prev_root, &hashes) != *root {
            problems.push(format!(
                "ngày {day}: sự kiện của ngày đã niêm phong bị thêm, sửa hoặc xóa (gốc băm không khớp)"
            ));
        }
        prev = root.clone();
    }
    Ok(problems)
}
