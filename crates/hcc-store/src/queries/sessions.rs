// Staff web sessions: the records behind the staff app's session cookie, keyed by the SHA-256 of
// the session id (the id itself is never stored).
// Part of the shared query set (see common.rs): included into each backend module.

// ---------------------------------------------------------------------------------------------
// Sessions

/// Creates a session; `false` when a session with this id already exists (the caller picks a new
/// id). Expired sessions are removed on the way, so the table never grows past the live ones.
pub async fn insert_session(db: &Db, s: &SessionRow, now: Timestamp) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(micros(now)).execute(&mut *tx).await?;
    let n = sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, data, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id_hash) DO NOTHING",
    )
    .bind(&s.id_hash)
    .bind(s.user_id)
    .bind(&s.data)
    .bind(micros(s.expires_at))
    .bind(micros(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(n.rows_affected() == 1)
}

/// Writes a session's data and expiry (creating it if it is missing).
pub async fn save_session(db: &Db, s: &SessionRow, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, data, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data,
           expires_at = excluded.expires_at, updated_at = excluded.updated_at",
    )
    .bind(&s.id_hash)
    .bind(s.user_id)
    .bind(&s.data)
    .bind(micros(s.expires_at))
    .bind(micros(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A session that has not expired at `now`.
pub async fn load_session(db: &Db, id_hash: &str, now: Timestamp) -> Result<Option<SessionRow>, StoreError> {
    let row = sqlx::query("SELECT id_hash, user_id, data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2")
        .bind(id_hash)
        .bind(micros(now))
        .fetch_optional(&db.read)
        .await?;
    row.map(|r| -> Result<SessionRow, StoreError> {
        Ok(SessionRow {
            id_hash: r.try_get("id_hash")?,
            user_id: r.try_get("user_id")?,
            data: r.try_get("data")?,
            expires_at: from_micros(r.try_get("expires_at")?),
        })
    })
    .transpose()
}

pub async fn delete_session(db: &Db, id_hash: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
