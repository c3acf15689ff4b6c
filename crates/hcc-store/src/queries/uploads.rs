// Resumable uploads: how far each got (the pieces themselves are in the document store).
// Part of the shared query set (see common.rs): included into each backend module.

fn upload_from_row(r: &DbRow) -> Result<UploadRecord, StoreError> {
    Ok(UploadRecord {
        id: r.try_get("id")?,
        dossier_id: r.try_get("dossier_id")?,
        user_id: r.try_get("user_id")?,
        params: serde_json::from_str(r.try_get::<&str, _>("params")?)?,
        size: r.try_get::<i64, _>("size_bytes")? as u64,
        received: r.try_get::<i64, _>("received")? as u64,
        parts: r.try_get::<i64, _>("parts")? as u32,
        created_at: from_micros(r.try_get("created_at")?),
        document_id: r.try_get("document_id")?,
    })
}

pub async fn create_upload(db: &Db, u: &UploadRecord) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO uploads (id, dossier_id, user_id, params, size_bytes, received, parts, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, 0, $6, $6)",
    )
    .bind(&u.id)
    .bind(u.dossier_id)
    .bind(u.user_id)
    .bind(serde_json::to_string(&u.params)?)
    .bind(u.size as i64)
    .bind(micros(u.created_at))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_upload(db: &Db, id: &str) -> Result<Option<UploadRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT id, dossier_id, user_id, params, size_bytes, received, parts, created_at, document_id
         FROM uploads WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    row.as_ref().map(upload_from_row).transpose()
}

/// Records one more piece, only if the upload is still where the caller found it (a piece sent
/// twice, or two at once, moves it once).
pub async fn advance_upload(
    db: &Db,
    id: &str,
    from_received: u64,
    to_received: u64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE uploads SET received = $1, parts = parts + 1, updated_at = $2
         WHERE id = $3 AND received = $4 AND document_id IS NULL",
    )
    .bind(to_received as i64)
    .bind(micros(now))
    .bind(id)
    .bind(from_received as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

pub async fn finish_upload(db: &Db, id: &str, document_id: i64, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE uploads SET document_id = $1, updated_at = $2 WHERE id = $3")
        .bind(document_id)
        .bind(micros(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
