// Satisfaction ratings of finished dossiers (one per dossier) and their one-time links.
// Part of the shared query set (see common.rs): included into each backend module.

pub async fn issue_rating_link(
    db: &Db,
    dossier_id: i64,
    token_hash: &str,
    payload: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "INSERT INTO rating_links (dossier_id, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (dossier_id) DO NOTHING",
    )
    .bind(dossier_id)
    .bind(token_hash)
    .bind(micros(now))
    .execute(&mut *tx)
    .await?;
    if n.rows_affected() != 1 {
        return Ok(false);
    }
    // The link's message is queued with the link itself: no link without its message.
    sqlx::query("INSERT INTO outbox (dossier_id, kind, payload, created_at) VALUES ($1, 'rating', $2, $3)")
        .bind(dossier_id)
        .bind(payload)
        .bind(micros(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn rating_link_dossier(db: &Db, token_hash: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT dossier_id FROM rating_links WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .fetch_optional(&db.write)
        .await?)
}

pub async fn insert_rating(db: &Db, r: &crate::citizens::NewRating, now: Timestamp) -> Result<i64, StoreError> {
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO ratings (dossier_id, agency_code, month, rating, reason, comment, is_complaint, created_at, feedback_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dossier_id) DO NOTHING RETURNING id",
    )
    .bind(r.dossier_id)
    .bind(&r.agency_code)
    .bind(&r.month)
    .bind(r.rating.as_str())
    .bind(&r.reason)
    .bind(&r.comment)
    .bind(i64::from(r.is_complaint))
    .bind(micros(now))
    .bind(r.feedback_due_at.map(micros))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Err(StoreError::Duplicate("rating")) };
    sqlx::query("UPDATE rating_links SET used_at = $1 WHERE dossier_id = $2 AND used_at IS NULL")
        .bind(micros(now))
        .bind(r.dossier_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

fn rating_parse(s: &str) -> Result<hcc_domain::citizen::Rating, StoreError> {
    hcc_domain::citizen::Rating::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown rating {s:?}")))
}

pub async fn rating_of(db: &Db, dossier_id: i64) -> Result<Option<crate::citizens::RatingRecord>, StoreError> {
    let row = sqlx::query("SELECT rating, reason, comment, is_complaint, created_at, feedback_due_at, answer, answered_at
         FROM ratings WHERE dossier_id = $1")
        .bind(dossier_id)
        .fetch_optional(&db.write)
        .await?;
    row.map(|r| -> Result<crate::citizens::RatingRecord, StoreError> {
        Ok(crate::citizens::RatingRecord {
            dossier_id,
            rating: rating_parse(&r.try_get::<String, _>("rating")?)?,
            reason: r.try_get("reason")?,
            comment: r.try_get("comment")?,
            is_complaint: r.try_get::<i64, _>("is_complaint")? != 0,
            created_at: from_micros(r.try_get("created_at")?),
            feedback_due_at: r.try_get::<Option<i64>, _>("feedback_due_at")?.map(from_micros),
            answer: r.try_get("answer")?,
            answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(from_micros),
        })
    })
    .transpose()
}

pub async fn rating_counts(
    db: &Db,
    from_month: &str,
    to_month: &str,
) -> Result<Vec<(String, hcc_domain::citizen::RatingCounts)>, StoreError> {
    let rows = sqlx::query(
        "SELECT agency_code, rating, COUNT(*) AS n FROM ratings WHERE month >= $1 AND month <= $2
         GROUP BY agency_code, rating ORDER BY agency_code",
    )
    .bind(from_month)
    .bind(to_month)
    .fetch_all(&db.read)
    .await?;
    let mut out: Vec<(String, hcc_domain::citizen::RatingCounts)> = Vec::new();
    for r in rows {
        let agency: String = r.try_get("agency_code")?;
        let rating = rating_parse(&r.try_get::<String, _>("rating")?)?;
        let n = u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0);
        match out.last_mut() {
            Some((a, counts)) if *a == agency => counts.add(rating, n),
            _ => {
                let mut counts = hcc_domain::citizen::RatingCounts::default();
                counts.add(rating, n);
                out.push((agency, counts));
            }
        }
    }
    Ok(out)
}
