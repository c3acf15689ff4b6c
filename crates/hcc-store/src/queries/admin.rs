// Administrative changes with their log row, and the log itself.
// Part of the shared query set (see common.rs): included into each backend module.

// ---------------------------------------------------------------------------------------------
// Administration

/// Applies an administrator's change and appends its row to the administrators' log in the same
/// transaction: a change is never without its record, and a record never without its change.
pub async fn admin_apply(db: &Db, change: &AdminChange, audit: &AdminAuditEntry) -> Result<AdminOutcome, StoreError> {
    let mut tx = db.begin_write().await?;
    let outcome = match change {
        AdminChange::PutAgency(a) => put_agency_in(&mut tx, a).await.map(|()| AdminOutcome::Done)?,
        AdminChange::PutPoint(p) => put_point_in(&mut tx, p).await.map(|()| AdminOutcome::Done)?,
        AdminChange::PutCalendarDay(d) => put_calendar_day_in(&mut tx, d).await.map(|()| AdminOutcome::Done)?,
        AdminChange::DeleteCalendarDay(date) => found(delete_calendar_day_in(&mut tx, *date).await?),
        AdminChange::CreateUser(u) => AdminOutcome::UserCreated(create_user_in(&mut tx, u).await?),
        AdminChange::SetUserDisabled { username, disabled } => {
            found(set_disabled_in(&mut tx, username, *disabled).await?)
        }
        AdminChange::SetUserPassword { username, password_hash } => {
            found(set_password_in(&mut tx, username, password_hash).await?)
        }
        AdminChange::SetUserScope { username, full_name, role, agency_code, point_code } => {
            let n = sqlx::query(
                "UPDATE users SET full_name = $1, role = $2, agency_code = $3, point_code = $4 WHERE username = $5",
            )
            .bind(full_name)
            .bind(role)
            .bind(agency_code)
            .bind(point_code)
            .bind(username)
            .execute(&mut *tx)
            .await?;
            // Rights follow the role: sessions opened under the old one end now.
            for sql in [
                "DELETE FROM tokens WHERE user_id IN (SELECT id FROM users WHERE username = $1)",
                "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)",
            ] {
                sqlx::query(sql).bind(username).execute(&mut *tx).await?;
            }
            found(n.rows_affected() > 0)
        }
        AdminChange::PutProcedure(p) => AdminOutcome::Procedure(put_procedure_in(&mut tx, p).await?),
        AdminChange::SetFileRules { procedure_code, rules } => {
            set_file_rules_in(&mut tx, procedure_code, rules).await.map(|()| AdminOutcome::Done)?
        }
    };
    // Nothing changed, nothing to record (an unknown target, or a procedure saved unchanged).
    let changed = !matches!(outcome, AdminOutcome::NotFound | AdminOutcome::Procedure(PutOutcome::Unchanged { .. }));
    if changed {
        sqlx::query(
            "INSERT INTO admin_audit (at, user_id, username, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(micros(audit.at))
        .bind(audit.user_id)
        .bind(&audit.username)
        .bind(&audit.action)
        .bind(&audit.target)
        .bind(&audit.detail)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

fn found(changed: bool) -> AdminOutcome {
    if changed { AdminOutcome::Done } else { AdminOutcome::NotFound }
}

/// The administrators' log, newest first; `target` narrows it to one code, username or date.
pub async fn admin_audit(db: &Db, target: Option<&str>, limit: u32) -> Result<Vec<AdminAuditEntry>, StoreError> {
    let mut q: QueryBuilder<DB> =
        QueryBuilder::new("SELECT at, user_id, username, action, target, detail FROM admin_audit");
    if let Some(t) = target {
        q.push(" WHERE target = ").push_bind(t.to_owned());
    }
    q.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(i64::from(limit));
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            Ok(AdminAuditEntry {
                at: from_micros(r.try_get("at")?),
                user_id: r.try_get("user_id")?,
                username: r.try_get("username")?,
                action: r.try_get("action")?,
                target: r.try_get("target")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}

/// Every stored version of a procedure, newest first (the catalog's history).
pub async fn procedure_versions(db: &Db, code: &str) -> Result<Vec<(u32, Timestamp, bool)>, StoreError> {
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT version, created_at, is_current FROM procedures WHERE code = $1 ORDER BY version DESC")
            .bind(code)
            .fetch_all(&db.read)
            .await?;
    Ok(rows.into_iter().map(|(v, at, cur)| (v as u32, from_micros(at), cur != 0)).collect())
}
