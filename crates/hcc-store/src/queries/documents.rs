// Documents: the digitized papers and results of dossiers, the stored objects behind them, and
// the applicant's electronic data store (kho dữ liệu điện tử) they make up.
// Part of the shared query set (see common.rs): included into each backend module.

const DOCUMENT_COLUMNS: &str = "d.id, d.dossier_id, x.code AS dossier_code, d.event_seq, d.kind, d.item_no, d.sha256,
  d.file_name, d.media_type, d.size_bytes, d.pages, d.copy_kind, d.owner_id, d.valid_until, d.reused_from,
  d.digitized_by, d.digitized_by_name, d.digitized_unit, d.digitized_at, d.deleted_at, d.deleted_by, d.delete_reason";

fn document_from_row(r: &DbRow) -> Result<DocumentRecord, StoreError> {
    let kind: String = r.try_get("kind")?;
    let copy: String = r.try_get("copy_kind")?;
    Ok(DocumentRecord {
        id: r.try_get("id")?,
        dossier_id: r.try_get("dossier_id")?,
        dossier_code: r.try_get("dossier_code")?,
        event_seq: r.try_get("event_seq")?,
        kind: enum_parse(&kind)?,
        item_no: r.try_get::<Option<i64>, _>("item_no")?.map(|n| n as u32),
        sha256: r.try_get("sha256")?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        size: r.try_get::<i64, _>("size_bytes")? as u64,
        pages: r.try_get::<Option<i64>, _>("pages")?.map(|n| n as u32),
        copy_kind: enum_parse(&copy)?,
        owner_id: r.try_get("owner_id")?,
        valid_until: opt_ts(r.try_get("valid_until")?),
        reused_from: r.try_get("reused_from")?,
        digitized_by: r.try_get("digitized_by")?,
        digitized_by_name: r.try_get("digitized_by_name")?,
        digitized_unit: r.try_get("digitized_unit")?,
        digitized_at: from_micros(r.try_get("digitized_at")?),
        deleted_at: opt_ts(r.try_get("deleted_at")?),
        deleted_by: r.try_get("deleted_by")?,
        delete_reason: r.try_get("delete_reason")?,
    })
}

/// Writes a document change inside the transaction of the event (`event_seq`) that records it.
async fn write_document<E: HotExec>(
    conn: &mut E,
    dossier_id: i64,
    event_seq: i64,
    change: &DocumentChange,
    actor: &EventActor,
    now: Timestamp,
) -> Result<(), StoreError> {
    match change {
        DocumentChange::Add(d) => {
            let pages = Arg::Int(d.pages.map(i64::from));
            conn.exec(
                "INSERT INTO blobs (sha256, size_bytes, media_type, pages, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (sha256) DO UPDATE SET deleted_at = NULL",
                &[Arg::text(&d.sha256), Arg::int(d.size as i64), Arg::text(&d.media_type), pages.clone(), Arg::int(micros(now))],
            )
            .await?;
            conn.exec(
                "INSERT INTO documents (dossier_id, event_seq, kind, item_no, sha256, file_name, media_type, size_bytes,
                   pages, copy_kind, owner_id, valid_until, reused_from, digitized_by, digitized_by_name,
                   digitized_unit, digitized_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
                &[
                    Arg::int(dossier_id),
                    Arg::int(event_seq),
                    Arg::text(d.kind.as_str()),
                    Arg::Int(d.item_no.map(i64::from)),
                    Arg::text(&d.sha256),
                    Arg::text(&d.file_name),
                    Arg::text(&d.media_type),
                    Arg::int(d.size as i64),
                    pages,
                    Arg::text(d.copy_kind.as_str()),
                    Arg::text(&d.owner_id),
                    Arg::Int(opt_micros(d.valid_until)),
                    Arg::Int(d.reused_from),
                    Arg::Int(actor.user_id),
                    Arg::text(&actor.full_name),
                    Arg::text(&actor.unit),
                    Arg::int(micros(now)),
                ],
            )
            .await?;
        }
        DocumentChange::Delete { id, reason } => {
            let done = conn
                .exec(
                    "UPDATE documents SET deleted_at = $1, deleted_by = $2, delete_reason = $3
                     WHERE id = $4 AND dossier_id = $5 AND deleted_at IS NULL",
                    &[Arg::int(micros(now)), Arg::text(&actor.username), Arg::text(reason), Arg::int(*id), Arg::int(dossier_id)],
                )
                .await?;
            if done != 1 {
                return Err(StoreError::Conflict);
            }
            // The stored object goes only when no live document uses it any more.
            conn.exec(
                "UPDATE blobs SET deleted_at = $1 WHERE sha256 = (SELECT sha256 FROM documents WHERE id = $2)
                   AND NOT EXISTS (SELECT 1 FROM documents WHERE sha256 = blobs.sha256 AND deleted_at IS NULL)",
                &[Arg::int(micros(now)), Arg::int(*id)],
            )
            .await?;
        }
    }
    Ok(())
}

/// Every document of a dossier, deleted ones included (marked), oldest first.
pub async fn documents_of(db: &Db, dossier_id: i64) -> Result<Vec<DocumentRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents d JOIN dossiers x ON x.id = d.dossier_id
         WHERE d.dossier_id = $1 ORDER BY d.id"
    ));
    let rows = sqlx::query(sql).bind(dossier_id).fetch_all(&db.read).await?;
    rows.iter().map(document_from_row).collect()
}

pub async fn get_document(db: &Db, id: i64) -> Result<Option<DocumentRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents d JOIN dossiers x ON x.id = d.dossier_id WHERE d.id = $1"
    ));
    let row = sqlx::query(sql).bind(id).fetch_optional(&db.read).await?;
    row.as_ref().map(document_from_row).transpose()
}

/// The applicant's electronic data store: their live documents still valid at `now`, from every
/// dossier, newest first; one per stored object (the same scan reused is listed once).
pub async fn vault(db: &Db, owner_id: &str, now: Timestamp, limit: u32) -> Result<Vec<DocumentRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents d JOIN dossiers x ON x.id = d.dossier_id
         WHERE d.owner_id = $1 AND d.deleted_at IS NULL AND (d.valid_until IS NULL OR d.valid_until > $2)
         ORDER BY d.id DESC LIMIT $3"
    ));
    let rows = sqlx::query(sql)
        .bind(owner_id)
        .bind(micros(now))
        .bind(i64::from(limit.clamp(1, 500)) * 4)
        .fetch_all(&db.read)
        .await?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in &rows {
        let d = document_from_row(r)?;
        if seen.insert(d.sha256.clone()) {
            out.push(d);
        }
        if out.len() >= limit as usize {
            break;
        }
    }
    Ok(out)
}

pub async fn get_blob(db: &Db, sha256: &str) -> Result<Option<BlobRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT sha256, size_bytes, media_type, pages, created_at FROM blobs WHERE sha256 = $1 AND deleted_at IS NULL",
    )
        .bind(sha256)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(blob_from_row).transpose()
}

fn blob_from_row(r: &DbRow) -> Result<BlobRecord, StoreError> {
    Ok(BlobRecord {
        sha256: r.try_get("sha256")?,
        size: r.try_get::<i64, _>("size_bytes")? as u64,
        media_type: r.try_get("media_type")?,
        pages: r.try_get::<Option<i64>, _>("pages")?.map(|n| n as u32),
        created_at: from_micros(r.try_get("created_at")?),
    })
}

/// Stored objects in hash order after `after` (keyset paging for `hcc verify`).
pub async fn blobs_after(db: &Db, after: &str, limit: u32) -> Result<Vec<BlobRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT sha256, size_bytes, media_type, pages, created_at FROM blobs
         WHERE sha256 > $1 AND deleted_at IS NULL ORDER BY sha256 LIMIT $2",
    )
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(blob_from_row).collect()
}

/// Whether any live document still refers to a stored object (so it must stay stored).
pub async fn blob_in_use(db: &Db, sha256: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE sha256 = $1 AND deleted_at IS NULL")
        .bind(sha256)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

/// The document rules of a procedure (upload limits, archive period), if an administrator set them.
pub async fn file_rules(db: &Db, procedure_code: &str) -> Result<Option<FileRules>, StoreError> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT max_bytes, media_types, archive_years FROM procedure_file_rules WHERE procedure_code = $1",
    )
    .bind(procedure_code)
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|(max, types, years)| FileRules {
        max_bytes: max as u64,
        media_types: types.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        archive_years: years.map(|y| y as u32),
    }))
}

pub async fn set_file_rules(db: &Db, procedure_code: &str, rules: &FileRules) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    set_file_rules_in(&mut tx, procedure_code, rules).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_file_rules_in(conn: &mut Conn, procedure_code: &str, rules: &FileRules) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO procedure_file_rules (procedure_code, max_bytes, media_types, archive_years) VALUES ($1, $2, $3, $4)
         ON CONFLICT (procedure_code) DO UPDATE SET max_bytes = excluded.max_bytes, media_types = excluded.media_types,
           archive_years = excluded.archive_years",
    )
    .bind(procedure_code)
    .bind(rules.max_bytes as i64)
    .bind(rules.media_types.join(","))
    .bind(rules.archive_years.map(i64::from))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
