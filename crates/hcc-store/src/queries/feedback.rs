// Feedback and complaints left with ratings: the list, the answer, the indicator's counts.
// Part of the shared query set (see common.rs): included into each backend module.

pub async fn feedback_page(db: &Db, f: &crate::feedback::FeedbackQuery) -> Result<Vec<crate::feedback::FeedbackRow>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(
        "SELECT r.id, r.dossier_id, d.code, d.procedure_name, r.agency_code, r.rating, r.reason, r.comment,
                r.is_complaint, r.created_at, r.feedback_due_at, r.answered_at, r.answered_by, r.answer
         FROM ratings r JOIN dossiers d ON d.id = r.dossier_id WHERE r.feedback_due_at IS NOT NULL",
    );
    if let Some(a) = &f.agency {
        q.push(" AND r.agency_code = ").push_bind(a.clone());
    }
    if f.open_only {
        q.push(" AND r.answered_at IS NULL");
    }
    push_after_due(&mut q, "r.feedback_due_at", "r.id", f.after);
    q.push(" ORDER BY r.feedback_due_at, r.id LIMIT ").push_bind(i64::from(f.limit.clamp(1, 500)));
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            Ok(crate::feedback::FeedbackRow {
                id: r.try_get("id")?,
                dossier_id: r.try_get("dossier_id")?,
                dossier_code: r.try_get("code")?,
                procedure_name: r.try_get("procedure_name")?,
                agency_code: r.try_get("agency_code")?,
                rating: rating_parse(&r.try_get::<String, _>("rating")?)?,
                reason: r.try_get("reason")?,
                comment: r.try_get("comment")?,
                is_complaint: r.try_get::<i64, _>("is_complaint")? != 0,
                created_at: from_micros(r.try_get("created_at")?),
                due_at: from_micros(r.try_get("feedback_due_at")?),
                answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(from_micros),
                answered_by: r.try_get("answered_by")?,
                answer: r.try_get("answer")?,
            })
        })
        .collect()
}

pub async fn answer_feedback(db: &Db, a: &crate::feedback::FeedbackAnswer, now: Timestamp) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    // Only unanswered feedback of the answering agency: of two answers at once, one wins.
    let dossier_id: Option<i64> = sqlx::query_scalar(
        "UPDATE ratings SET answered_at = $1, answered_by = $2, answer = $3
         WHERE id = $4 AND agency_code = $5 AND feedback_due_at IS NOT NULL AND answered_at IS NULL
         RETURNING dossier_id",
    )
    .bind(micros(now))
    .bind(&a.answered_by)
    .bind(&a.answer)
    .bind(a.rating_id)
    .bind(&a.agency_code)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(dossier_id) = dossier_id else { return Ok(false) };
    sqlx::query("INSERT INTO outbox (dossier_id, kind, payload, created_at) VALUES ($1, 'feedback_answer', $2, $3)")
        .bind(dossier_id)
        .bind(&a.notice)
        .bind(micros(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn feedback_counts(
    db: &Db,
    from: Timestamp,
    to: Timestamp,
    agency: &Option<String>,
    now: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(
        "SELECT CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= feedback_due_at THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time,
                COUNT(*) AS judged
         FROM ratings WHERE feedback_due_at >= ",
    );
    q.push_bind(micros(from)).push(" AND feedback_due_at < ").push_bind(micros(to));
    q.push(" AND (answered_at IS NOT NULL OR feedback_due_at < ").push_bind(micros(now)).push(")");
    if let Some(a) = agency {
        q.push(" AND agency_code = ").push_bind(a.clone());
    }
    let row = q.build().fetch_one(&db.read).await?;
    Ok((row.try_get::<i64, _>("on_time")?, row.try_get::<i64, _>("judged")?))
}
