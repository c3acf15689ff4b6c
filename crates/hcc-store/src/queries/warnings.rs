// The early-warning job's reads and writes: open dossiers by the due time of their current step,
// staff contacts, and warnings recorded once with their notices.
// Part of the shared query set (see common.rs): included into each backend module.

use crate::notify::{NewWarning, StaffContact, WarningCandidate, WarningItem, WarningScope};

/// The query of [`warning_candidates`] (read through `dossiers_status_step_due`).
const WARNING_CANDIDATES: &str =
    "SELECT id, code, procedure_name, procedure_code, procedure_version, status, point_code, agency_code,
       assignee_id, step_index, step_due_at, due_at FROM dossiers
     WHERE status IN ('received', 'in_progress') AND step_due_at <= $1 AND id > $2 ORDER BY id LIMIT $3";

/// Open dossiers (received, in progress: the clock runs) whose current step is due before
/// `horizon`, after `after_id`, by id.
pub async fn warning_candidates(
    db: &Db,
    horizon: Timestamp,
    after_id: i64,
    limit: u32,
) -> Result<Vec<WarningCandidate>, StoreError> {
    let rows = sqlx::query(WARNING_CANDIDATES)
    .bind(micros(horizon))
    .bind(after_id)
    .bind(i64::from(limit))
    .fetch_all(&db.read)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(WarningCandidate {
                dossier_id: r.try_get("id")?,
                code: r.try_get("code")?,
                procedure_name: r.try_get("procedure_name")?,
                procedure_code: r.try_get("procedure_code")?,
                procedure_version: r.try_get("procedure_version")?,
                status: r.try_get("status")?,
                point_code: r.try_get("point_code")?,
                agency_code: r.try_get("agency_code")?,
                assignee_id: r.try_get("assignee_id")?,
                step_index: r.try_get("step_index")?,
                step_due_at: from_micros(r.try_get("step_due_at")?),
                due_at: opt_ts(r.try_get("due_at")?),
            })
        })
        .collect()
}

/// Records a warning and its notices together; `false` (and nothing written) when the same
/// warning was already given, by this process or another.
pub async fn record_warning(db: &Db, w: &NewWarning, now: Timestamp) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO warnings (dossier_id, step_index, kind, due_at, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (dossier_id, step_index, kind) DO NOTHING RETURNING id",
    )
    .bind(w.dossier_id)
    .bind(w.step_index)
    .bind(&w.kind)
    .bind(micros(w.due_at))
    .bind(micros(now))
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_none() {
        return Ok(false);
    }
    for user in &w.recipients {
        let mut payload = w.payload.clone();
        if let Some(map) = payload.as_object_mut() {
            map.insert("user_id".into(), serde_json::json!(user));
        } else {
            payload = serde_json::json!({ "user_id": user });
        }
        let kind = format!("warning_{}", w.kind);
        insert_notice(&mut *tx, w.dossier_id, &kind, &serde_json::to_string(&payload)?, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Warnings given for a dossier: (step index, kind), oldest first.
pub async fn warnings_of(db: &Db, dossier_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT step_index, kind FROM warnings WHERE dossier_id = $1 ORDER BY id")
        .bind(dossier_id)
        .fetch_all(&db.read)
        .await?)
}

/// Active staff with their contacts.
pub async fn staff_contacts(db: &Db) -> Result<Vec<StaffContact>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, username, full_name, role, agency_code, point_code, email, phone FROM users WHERE disabled = 0
         ORDER BY id",
    )
    .fetch_all(&db.read)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StaffContact {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                full_name: r.try_get("full_name")?,
                role: r.try_get("role")?,
                agency_code: r.try_get("agency_code")?,
                point_code: r.try_get("point_code")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
            })
        })
        .collect()
}

/// Sets where a staff member receives warnings; `false` for an unknown username.
pub async fn set_staff_contact(
    db: &Db,
    username: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE users SET email = $1, phone = $2 WHERE username = $3")
        .bind(email)
        .bind(phone)
        .bind(username)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(done)
}

/// The warnings still standing: given about the current step of a dossier still open, in the
/// scope, most pressing (earliest due) first, after the cursor `(due_at, id)`.
pub async fn active_warnings(
    db: &Db,
    scope: &WarningScope,
    after: Option<(Timestamp, i64)>,
    limit: i64,
) -> Result<Vec<WarningItem>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!(
        "SELECT w.id, w.kind, w.due_at, w.created_at, d.code, d.procedure_name, d.applicant_name, d.status, d.agency_code
         FROM warnings w JOIN dossiers d ON d.id = w.dossier_id
         WHERE w.step_index = d.step_index AND d.status IN ({OPEN_STATUSES})"
    ));
    if let Some(a) = &scope.agency {
        q.push(" AND d.agency_code = ").push_bind(a.clone());
    }
    if let Some(u) = scope.assignee {
        q.push(" AND d.assignee_id = ").push_bind(u);
    }
    if let Some(p) = &scope.point {
        q.push(" AND d.point_code = ").push_bind(p.clone()).push(" AND d.status = 'received'");
    }
    if let Some(k) = &scope.kind {
        q.push(" AND w.kind = ").push_bind(k.clone());
    }
    push_after_due(&mut q, "w.due_at", "w.id", after);
    q.push(" ORDER BY w.due_at, w.id LIMIT ").push_bind(limit);
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            Ok(WarningItem {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                due_at: from_micros(r.try_get("due_at")?),
                given_at: from_micros(r.try_get("created_at")?),
                code: r.try_get("code")?,
                procedure_name: r.try_get("procedure_name")?,
                applicant_name: r.try_get("applicant_name")?,
                status: r.try_get("status")?,
                agency_code: r.try_get("agency_code")?,
            })
        })
        .collect()
}
