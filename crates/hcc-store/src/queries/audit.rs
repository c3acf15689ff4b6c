// The audit: per-dossier hash chains and daily roots.
// Part of the shared query set (see common.rs): included into each backend module.

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
