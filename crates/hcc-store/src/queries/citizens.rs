// Citizen accounts, their one-time codes and sessions, and online-submission drafts.
// Part of the shared query set (see common.rs): included into each backend module.

use crate::citizens::{Citizen, CodeRow, DraftRow, NewCitizen, NewCode};

// ---------------------------------------------------------------------------------------------
// Accounts and one-time codes

fn citizen_from_row(r: &DbRow) -> Result<Citizen, StoreError> {
    Ok(Citizen {
        id: r.try_get("id")?,
        contact: r.try_get("contact")?,
        full_name: r.try_get("full_name")?,
        password_hash: r.try_get("password_hash")?,
        verified: r.try_get::<Option<i64>, _>("verified_at")?.is_some(),
    })
}

/// Inserts a code and its outbox message (no dossier: the message stands alone).
async fn insert_code(conn: &mut Conn, citizen_id: i64, code: &NewCode, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO citizen_codes (citizen_id, code_hash, expires_at, attempts, created_at) VALUES ($1, $2, $3, 0, $4)")
        .bind(citizen_id)
        .bind(&code.code_hash)
        .bind(micros(code.expires_at))
        .bind(micros(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO outbox (dossier_id, kind, payload, created_at) VALUES (NULL, 'one_time_code', $1, $2)")
        .bind(&code.payload)
        .bind(micros(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn create_citizen(db: &Db, c: &NewCitizen, now: Timestamp) -> Result<i64, StoreError> {
    let mut tx = db.begin_write().await?;
    let existing = sqlx::query("SELECT id, verified_at FROM citizens WHERE contact = $1")
        .bind(&c.contact)
        .fetch_optional(&mut *tx)
        .await?;
    let id = match existing {
        Some(r) if r.try_get::<Option<i64>, _>("verified_at")?.is_some() => {
            return Err(StoreError::Duplicate("contact"));
        }
        // Nobody proved this contact yet: whoever proves it now takes the account.
        Some(r) => {
            let id: i64 = r.try_get("id")?;
            sqlx::query("UPDATE citizens SET full_name = $1, password_hash = $2 WHERE id = $3")
                .bind(&c.full_name)
                .bind(&c.password_hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO citizens (contact, full_name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&c.contact)
            .bind(&c.full_name)
            .bind(&c.password_hash)
            .bind(micros(now))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    insert_code(&mut tx, id, &c.code, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn issue_citizen_code(db: &Db, citizen_id: i64, code: &NewCode, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    insert_code(&mut tx, citizen_id, code, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn latest_citizen_code(db: &Db, citizen_id: i64) -> Result<Option<CodeRow>, StoreError> {
    let row = sqlx::query(
        "SELECT id, code_hash, expires_at, attempts, used_at FROM citizen_codes WHERE citizen_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(citizen_id)
    .fetch_optional(&db.write)
    .await?;
    row.map(|r| -> Result<CodeRow, StoreError> {
        Ok(CodeRow {
            id: r.try_get("id")?,
            code_hash: r.try_get("code_hash")?,
            expires_at: from_micros(r.try_get("expires_at")?),
            attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            used: r.try_get::<Option<i64>, _>("used_at")?.is_some(),
        })
    })
    .transpose()
}

pub async fn record_code_try(db: &Db, code_id: i64, attempts: u32, accepted: bool, now: Timestamp) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    // Only the try that read the current count may write: two tries at once cannot both pass.
    let sql = if accepted {
        "UPDATE citizen_codes SET used_at = $1, attempts = attempts + 1 WHERE id = $2 AND attempts = $3 AND used_at IS NULL"
    } else {
        "UPDATE citizen_codes SET attempts = attempts + 1 WHERE id = $2 AND attempts = $3 AND used_at IS NULL AND $1 >= 0"
    };
    let n = sqlx::query(sql).bind(micros(now)).bind(code_id).bind(i64::from(attempts)).execute(&mut *tx).await?;
    if n.rows_affected() != 1 {
        return Ok(false);
    }
    if accepted {
        sqlx::query(
            "UPDATE citizens SET verified_at = $1 WHERE verified_at IS NULL
               AND id = (SELECT citizen_id FROM citizen_codes WHERE id = $2)",
        )
        .bind(micros(now))
        .bind(code_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

pub async fn citizen_by_contact(db: &Db, contact: &str) -> Result<Option<Citizen>, StoreError> {
    let row = sqlx::query("SELECT id, contact, full_name, password_hash, verified_at FROM citizens WHERE contact = $1")
        .bind(contact)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(citizen_from_row).transpose()
}

pub async fn citizen_by_id(db: &Db, id: i64) -> Result<Option<Citizen>, StoreError> {
    let row = sqlx::query("SELECT id, contact, full_name, password_hash, verified_at FROM citizens WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(citizen_from_row).transpose()
}

pub async fn citizen_for_oidc(db: &Db, issuer: &str, subject: &str, full_name: &str, now: Timestamp) -> Result<Citizen, StoreError> {
    let mut tx = db.begin_write().await?;
    // The provider vouched for the person: the account is verified, and has no password.
    sqlx::query(
        "INSERT INTO citizens (contact, full_name, password_hash, verified_at, oidc_issuer, oidc_subject, created_at)
         VALUES (NULL, $1, '', $2, $3, $4, $2) ON CONFLICT (oidc_issuer, oidc_subject) DO NOTHING",
    )
    .bind(full_name)
    .bind(micros(now))
    .bind(issuer)
    .bind(subject)
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query(
        "SELECT id, contact, full_name, password_hash, verified_at FROM citizens WHERE oidc_issuer = $1 AND oidc_subject = $2",
    )
    .bind(issuer)
    .bind(subject)
    .fetch_one(&mut *tx)
    .await?;
    let citizen = citizen_from_row(&row)?;
    tx.commit().await?;
    Ok(citizen)
}

// ---------------------------------------------------------------------------------------------
// Sessions

pub async fn insert_citizen_session(
    db: &Db,
    id_hash: &str,
    citizen_id: i64,
    csrf: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM citizen_sessions WHERE expires_at < $1").bind(micros(now)).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO citizen_sessions (id_hash, citizen_id, csrf, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id_hash)
        .bind(citizen_id)
        .bind(csrf)
        .bind(micros(expires_at))
        .bind(micros(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn load_citizen_session(db: &Db, id_hash: &str, now: Timestamp) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT citizen_id, csrf FROM citizen_sessions WHERE id_hash = $1 AND expires_at > $2")
        .bind(id_hash)
        .bind(micros(now))
        .fetch_optional(&db.read)
        .await?;
    row.map(|r| -> Result<(i64, String), StoreError> { Ok((r.try_get("citizen_id")?, r.try_get("csrf")?)) }).transpose()
}

pub async fn delete_citizen_session(db: &Db, id_hash: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM citizen_sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Drafts of online submissions

const DRAFT_COLUMNS: &str = "draft_key, citizen_id, procedure_code, form, files, dossier_id, updated_at";

fn draft_from_row(r: &DbRow) -> Result<DraftRow, StoreError> {
    Ok(DraftRow {
        key: r.try_get("draft_key")?,
        citizen_id: r.try_get("citizen_id")?,
        procedure_code: r.try_get("procedure_code")?,
        form: r.try_get("form")?,
        files: r.try_get("files")?,
        dossier_id: r.try_get("dossier_id")?,
        updated_at: from_micros(r.try_get("updated_at")?),
    })
}

pub async fn get_draft(db: &Db, key: &str) -> Result<Option<DraftRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {DRAFT_COLUMNS} FROM citizen_drafts WHERE draft_key = $1"));
    // From the writer: a resumed submission must see the draft it just saved.
    let row = sqlx::query(sql).bind(key).fetch_optional(&db.write).await?;
    row.as_ref().map(draft_from_row).transpose()
}

pub async fn save_draft(db: &Db, d: &DraftRow) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "INSERT INTO citizen_drafts (draft_key, citizen_id, procedure_code, form, files, dossier_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, NULL, $6)
         ON CONFLICT (draft_key) DO UPDATE SET form = excluded.form, files = excluded.files,
           procedure_code = excluded.procedure_code, updated_at = excluded.updated_at
         WHERE citizen_drafts.citizen_id = excluded.citizen_id AND citizen_drafts.dossier_id IS NULL",
    )
    .bind(&d.key)
    .bind(d.citizen_id)
    .bind(&d.procedure_code)
    .bind(&d.form)
    .bind(&d.files)
    .bind(micros(d.updated_at))
    .execute(&mut *tx)
    .await?;
    if n.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn finish_draft(db: &Db, key: &str, dossier_id: i64, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizen_drafts SET dossier_id = $1, updated_at = $2 WHERE draft_key = $3 AND dossier_id IS NULL")
        .bind(dossier_id)
        .bind(micros(now))
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn drafts_of(db: &Db, citizen_id: i64, limit: u32) -> Result<Vec<DraftRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DRAFT_COLUMNS} FROM citizen_drafts WHERE citizen_id = $1 ORDER BY updated_at DESC, draft_key LIMIT $2"
    ));
    let rows = sqlx::query(sql).bind(citizen_id).bind(i64::from(limit)).fetch_all(&db.write).await?;
    rows.iter().map(draft_from_row).collect()
}

pub async fn dossier_citizen(db: &Db, dossier_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT citizen_id FROM citizen_drafts WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_optional(&db.write)
        .await?)
}

/// The newest outbox messages of a kind: (dossier id, payload). Operators and tests read what
/// was queued.
pub async fn outbox_messages(db: &Db, kind: &str, limit: u32) -> Result<Vec<(Option<i64>, String)>, StoreError> {
    let rows = sqlx::query("SELECT dossier_id, payload FROM outbox WHERE kind = $1 ORDER BY id DESC LIMIT $2")
        .bind(kind)
        .bind(i64::from(limit))
        .fetch_all(&db.write)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("dossier_id")?, r.try_get("payload")?))).collect()
}
