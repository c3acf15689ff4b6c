// Delivery of the outbox's notices: planning (one delivery per channel the recipient can be
// reached on), claiming under a lease, and recording what the provider acknowledged.
// Part of the shared query set (see common.rs): included into each backend module.
//
// Every instant a lease or a retry depends on comes from the database's clock (`DB_NOW`), so
// several processes with skewed clocks never both believe they hold a message.

use crate::notify::{CHANNEL_EMAIL, CHANNEL_TEXT, ClaimedDelivery, DeliveryRecord};

/// Writes a notice for later delivery (a rating link, a one-time code, a warning). Dossier
/// transitions write theirs in their own transaction (`dossier_writes.rs`).
pub async fn enqueue_notice(
    db: &Db,
    dossier_id: i64,
    kind: &str,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let mut tx = db.begin_write().await?;
    let id = insert_notice(&mut *tx, dossier_id, kind, &serde_json::to_string(payload)?, now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_notice<E: HotExec>(
    conn: &mut E,
    dossier_id: i64,
    kind: &str,
    payload: &str,
    now: Timestamp,
) -> Result<i64, StoreError> {
    conn.insert_id(
        "INSERT INTO outbox (dossier_id, kind, payload, created_at) VALUES ($1, $2, $3, $4)",
        &[Arg::int(dossier_id), Arg::text(kind), Arg::text(payload), Arg::int(micros(now))],
    )
    .await
}

/// Plans up to `limit` notices not planned yet: one pending delivery per channel in `channels`
/// the recipient has an address for (the applicant's, or the staff member's named by the
/// payload's `user_id`). The unique (notice, channel) key makes a second planner a no-op.
pub async fn plan_outbox(db: &Db, channels: &[&str], limit: u32, now: Timestamp) -> Result<u32, StoreError> {
    let mut tx = db.begin_write().await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, dossier_id, payload FROM outbox WHERE planned_at IS NULL ORDER BY id LIMIT $1{SKIP_LOCKED}"
    ));
    let notices: Vec<(i64, Option<i64>, String)> =
        sqlx::query_as(sql).bind(i64::from(limit)).fetch_all(&mut *tx).await?;
    for (id, dossier_id, payload) in &notices {
        let payload: serde_json::Value = serde_json::from_str(payload).unwrap_or(serde_json::Value::Null);
        // A message addressed in its payload (a citizen's one-time code, before any dossier).
        let addressed = payload.get("to").and_then(|v| v.as_str()).map(|to| {
            if payload.get("channel").and_then(|v| v.as_str()) == Some("email") {
                (Some(to.to_owned()), None)
            } else {
                (None, Some(to.to_owned()))
            }
        });
        let (email, phone): (Option<String>, Option<String>) = match (addressed, payload.get("user_id")) {
            (Some(addressed), _) => addressed,
            (None, Some(user)) => sqlx::query_as("SELECT email, phone FROM users WHERE id = $1 AND disabled = 0")
                .bind(user.as_i64().unwrap_or(0))
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or((None, None)),
            (None, None) => sqlx::query_as("SELECT applicant_email, applicant_phone FROM dossiers WHERE id = $1")
                .bind(dossier_id)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or((None, None)),
        };
        for (channel, address) in [(CHANNEL_EMAIL, email), (CHANNEL_TEXT, phone)] {
            let Some(address) = address.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()) else { continue };
            if !channels.contains(&channel) {
                continue;
            }
            let sql = sqlx::AssertSqlSafe(format!(
                "INSERT INTO deliveries (outbox_id, channel, recipient, status, attempts, next_attempt_at, last_error,
                   created_at)
                 VALUES ($1, $2, $3, 'pending', 0, {DB_NOW}, '', $4) ON CONFLICT (outbox_id, channel) DO NOTHING"
            ));
            sqlx::query(sql).bind(id).bind(channel).bind(&address).bind(micros(now)).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE outbox SET planned_at = $1 WHERE id = $2").bind(micros(now)).bind(id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(notices.len() as u32)
}

/// Claims up to `limit` pending deliveries on `channels` (those this worker can send) that are due
/// and not leased by anyone (the database's clock decides both), leases them to `worker` for
/// `lease_micros` and counts the attempt.
pub async fn claim_deliveries(
    db: &Db,
    worker: &str,
    channels: &[&str],
    limit: u32,
    lease_micros: i64,
) -> Result<Vec<ClaimedDelivery>, StoreError> {
    // Only the known channel names reach the SQL text, so quoting them is safe.
    let known: Vec<String> =
        [CHANNEL_EMAIL, CHANNEL_TEXT].iter().filter(|c| channels.contains(c)).map(|c| format!("'{c}'")).collect();
    if known.is_empty() {
        return Ok(Vec::new());
    }
    let channels = known.join(", ");
    let mut tx = db.begin_write().await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "UPDATE deliveries SET claimed_by = $1, lease_until = {DB_NOW} + $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM deliveries
                      WHERE status = 'pending' AND channel IN ({channels}) AND next_attempt_at <= {DB_NOW}
                        AND (lease_until IS NULL OR lease_until < {DB_NOW})
                      ORDER BY next_attempt_at, id LIMIT $3{SKIP_LOCKED})
         RETURNING id, outbox_id, channel, recipient, attempts"
    ));
    let claimed: Vec<(i64, i64, String, String, i64)> =
        sqlx::query_as(sql).bind(worker).bind(lease_micros).bind(i64::from(limit)).fetch_all(&mut *tx).await?;
    let mut out = Vec::with_capacity(claimed.len());
    for (id, outbox_id, channel, recipient, attempts) in claimed {
        let row = sqlx::query(
            // Messages without a dossier (a citizen's one-time code) carry all they say in the payload.
            "SELECT o.kind, o.payload, COALESCE(d.code, '') AS code, COALESCE(d.procedure_name, '') AS procedure_name,
                    COALESCE(d.applicant_name, '') AS applicant_name, COALESCE(d.status, '') AS status, d.due_at
             FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id WHERE o.id = $1",
        )
        .bind(outbox_id)
        .fetch_one(&mut *tx)
        .await?;
        let payload: String = row.try_get("payload")?;
        out.push(ClaimedDelivery {
            id,
            outbox_id,
            channel,
            recipient,
            attempts,
            kind: row.try_get("kind")?,
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            dossier_code: row.try_get("code")?,
            procedure_name: row.try_get("procedure_name")?,
            applicant_name: row.try_get("applicant_name")?,
            status: row.try_get("status")?,
            due_at: opt_ts(row.try_get("due_at")?),
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// Records the provider's acknowledgement and marks the delivery sent, in one statement; `false`
/// when it was already recorded (another worker whose lease had run out got there first).
pub async fn mark_delivered(db: &Db, id: i64, provider_ref: &str) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "UPDATE deliveries SET status = 'sent', sent_at = {DB_NOW}, provider_ref = $1, claimed_by = NULL,
           lease_until = NULL, last_error = ''
         WHERE id = $2 AND status = 'pending'"
    ));
    let done = sqlx::query(sql).bind(provider_ref).bind(id).execute(&mut *tx).await?.rows_affected() == 1;
    tx.commit().await?;
    Ok(done)
}

/// Records a failed attempt by `worker`: retried after `retry_micros` (the database's clock), or
/// given up (`None`). A delivery another worker has since claimed or sent is left alone.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    worker: &str,
    error: &str,
    retry_micros: Option<i64>,
) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let error: String = error.chars().take(1000).collect();
    let query = match retry_micros {
        Some(delay) => sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE deliveries SET next_attempt_at = {DB_NOW} + $1, claimed_by = NULL, lease_until = NULL,
               last_error = $2
             WHERE id = $3 AND status = 'pending' AND claimed_by = $4"
        )))
        .bind(delay),
        None => sqlx::query(
            "UPDATE deliveries SET status = 'failed', claimed_by = NULL, lease_until = NULL, last_error = $1
             WHERE id = $2 AND status = 'pending' AND claimed_by = $3",
        ),
    };
    let done = query.bind(&error).bind(id).bind(worker).execute(&mut *tx).await?.rows_affected() == 1;
    tx.commit().await?;
    Ok(done)
}

/// Every delivery of a dossier's notices, oldest first.
pub async fn deliveries_of(db: &Db, dossier_id: i64) -> Result<Vec<DeliveryRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT l.id, l.outbox_id, o.kind, l.channel, l.recipient, l.status, l.attempts, l.last_error,
           l.provider_ref, l.sent_at
         FROM deliveries l JOIN outbox o ON o.id = l.outbox_id WHERE o.dossier_id = $1 ORDER BY l.id",
    )
    .bind(dossier_id)
    .fetch_all(&db.read)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DeliveryRecord {
                id: r.try_get("id")?,
                outbox_id: r.try_get("outbox_id")?,
                kind: r.try_get("kind")?,
                channel: r.try_get("channel")?,
                recipient: r.try_get("recipient")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                last_error: r.try_get("last_error")?,
                provider_ref: r.try_get("provider_ref")?,
                sent_at: opt_ts(r.try_get("sent_at")?),
            })
        })
        .collect()
}

/// The notices of a dossier (kind and payload), oldest first.
pub async fn notices_of(db: &Db, dossier_id: i64) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, payload FROM outbox WHERE dossier_id = $1 ORDER BY id")
            .bind(dossier_id)
            .fetch_all(&db.read)
            .await?;
    Ok(rows.into_iter().map(|(k, p)| (k, serde_json::from_str(&p).unwrap_or(serde_json::Value::Null))).collect())
}

/// Deletes, oldest first and at most `limit` at a time, the notices queued before `before` whose
/// every delivery is settled (sent or given up), with their deliveries. A notice still waiting to
/// be planned (no provider configured) or with a delivery still pending is kept whatever its age.
/// The control sheet, not the outbox, is the dossier's record: this only bounds the table.
pub async fn purge_notices(db: &Db, before: Timestamp, limit: i64) -> Result<u64, StoreError> {
    let mut tx = db.begin_write().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox o WHERE created_at < $1 AND planned_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.outbox_id = o.id AND d.status = 'pending')
         ORDER BY id LIMIT $2",
    )
    .bind(micros(before))
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    if ids.is_empty() {
        return Ok(0);
    }
    for table in ["deliveries", "outbox"] {
        let column = if table == "deliveries" { "outbox_id" } else { "id" };
        let mut q: QueryBuilder<DB> = QueryBuilder::new(format!("DELETE FROM {table} WHERE {column} IN ("));
        let mut list = q.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ids.len() as u64)
}
