// The procedure catalog: versioned procedures.
// Part of the shared query set (see common.rs): included into each backend module.

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
    let mut tx = db.begin_write().await?;
    let outcome = put_procedure_in(&mut tx, p).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// [`put_procedure`] inside the caller's transaction.
async fn put_procedure_in(tx: &mut Conn, p: &Procedure) -> Result<PutOutcome, StoreError> {
    let hash = content_hash(p)?;
    let current: Option<(i64, String)> =
        sqlx::query_as("SELECT version, content_hash FROM procedures WHERE code = $1 ORDER BY version DESC LIMIT 1")
            .bind(&p.code)
            .fetch_optional(&mut *tx)
            .await?;
    let (version, outcome) = match current {
        Some((v, h)) if h == hash => return Ok(PutOutcome::Unchanged { version: v as u32 }),
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
