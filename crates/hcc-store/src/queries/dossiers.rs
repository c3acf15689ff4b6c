// Dossier reads: rows, lookups, control sheets and cursor-paged lists.
// Part of the shared query set (see common.rs): included into each backend module.

// ---------------------------------------------------------------------------------------------
// Dossiers

/// The columns of a whole dossier, read `FROM dossiers` (the checklist from its own table,
/// migration 0020).
const DOSSIER_COLUMNS: &str = "id, code, secret, procedure_code, procedure_version, procedure_name, field, channel,
  point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind, applicant_name,
  applicant_id_number, applicant_phone, applicant_email, applicant_address, applicant_commune, subject_commune,
  request_summary, (SELECT documents FROM dossier_checklists WHERE dossier_id = dossiers.id) AS documents,
  return_method, submitted_at, received_at, due_at, original_due_at, clock_stopped_at,
  budget_minutes, step_index, step_started_at, step_due_at, supplement_requests, new_appointments,
  extension_minutes, late_steps, approved, handled_at, finished_at, unscanned_items, scan_waived, result_sha256,
  event_count, last_hash, version, updated_at";

/// The columns of a list row: everything but the checklist, which lists never show (it is the
/// largest column, and a page of fifty would carry it fifty times).
const LIST_COLUMNS: &str = "id, code, secret, procedure_code, procedure_version, procedure_name, field, channel,
  point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind, applicant_name,
  applicant_id_number, applicant_phone, applicant_email, applicant_address, applicant_commune, subject_commune,
  request_summary, '[]' AS documents, return_method, submitted_at, received_at, due_at, original_due_at, clock_stopped_at,
  budget_minutes, step_index, step_started_at, step_due_at, supplement_requests, new_appointments,
  extension_minutes, late_steps, approved, handled_at, finished_at, unscanned_items, scan_waived, result_sha256,
  event_count, last_hash, version, updated_at";

fn dossier_from_row(r: &impl Columns) -> Result<DossierRecord, StoreError> {
    // Read in the order of DOSSIER_COLUMNS and LIST_COLUMNS: the embedded backend's reader finds
    // each column right after the one read before it (`columns::NamedRow`), without a lookup.
    let id = r.int("id")?;
    let code = r.text("code")?;
    let secret = r.text("secret")?;
    let procedure_code = r.text("procedure_code")?;
    let procedure_version = r.int("procedure_version")?;
    let procedure_name = r.text("procedure_name")?;
    let field = r.text("field")?;
    let channel = channel_parse(&r.text("channel")?)?;
    let point_code = r.text("point_code")?;
    let agency_code = r.text("agency_code")?;
    let assignee = r.opt_int("assignee_id")?;
    let routing_rule = r.text("routing_rule")?;
    let status = status_parse(&r.text("status")?)?;
    let resume_status = r.opt_text("resume_status")?.as_deref().map(status_parse).transpose()?;
    let applicant = Applicant {
        kind: enum_parse(&r.text("applicant_kind")?)?,
        name: r.text("applicant_name")?,
        id_number: r.text("applicant_id_number")?,
        phone: r.opt_text("applicant_phone")?,
        email: r.opt_text("applicant_email")?,
        address: r.text("applicant_address")?,
        commune_code: r.opt_text("applicant_commune")?,
    };
    let subject_commune = r.opt_text("subject_commune")?;
    let request_summary = r.text("request_summary")?;
    let documents = serde_json::from_str(&r.text("documents")?)?;
    let return_method = r.text("return_method")?;
    let submitted_at = from_micros(r.int("submitted_at")?);
    let state = DossierState {
        received_at: opt_ts(r.opt_int("received_at")?),
        due_at: opt_ts(r.opt_int("due_at")?),
        original_due_at: opt_ts(r.opt_int("original_due_at")?),
        clock_stopped_at: opt_ts(r.opt_int("clock_stopped_at")?),
        budget_minutes: r.int("budget_minutes")? as u64,
        step_index: r.int("step_index")? as u32,
        step_started_at: opt_ts(r.opt_int("step_started_at")?),
        step_due_at: opt_ts(r.opt_int("step_due_at")?),
        supplement_requests: r.int("supplement_requests")? as u32,
        new_appointments: r.int("new_appointments")? as u32,
        extension_minutes: r.int("extension_minutes")? as u64,
        late_steps: r.int("late_steps")? as u32,
        approved: r.int("approved")? != 0,
        handled_at: opt_ts(r.opt_int("handled_at")?),
        finished_at: opt_ts(r.opt_int("finished_at")?),
        unscanned_items: items_parse(&r.text("unscanned_items")?)?,
        scan_waived: r.int("scan_waived")? != 0,
        result_sha256: r.opt_text("result_sha256")?,
        status,
        resume_status,
        channel,
        point_code,
        agency_code,
        assignee,
    };
    Ok(DossierRecord {
        id,
        code,
        secret,
        procedure_code,
        procedure_version,
        procedure_name,
        field,
        applicant,
        subject_commune,
        request_summary,
        documents,
        return_method,
        routing_rule,
        submitted_at,
        state,
        event_count: r.int("event_count")?,
        last_hash: r.text("last_hash")?,
        version: r.int("version")?,
        updated_at: from_micros(r.int("updated_at")?),
    })
}

/// The columns of a list row ([`DossierListing`]), in the order `listing_from_row` reads them.
const LISTING_COLUMNS: &str = "id, code, procedure_code, procedure_name, field, channel, point_code, agency_code,
  assignee_id, applicant_name, step_due_at, status, received_at, due_at, original_due_at, handled_at,
  supplement_requests, version";

fn listing_from_row(r: &impl Columns) -> Result<DossierListing, StoreError> {
    // A struct literal's fields are evaluated in the order written: LISTING_COLUMNS's order.
    Ok(DossierListing {
        id: r.int("id")?,
        code: r.text("code")?,
        procedure_code: r.text("procedure_code")?,
        procedure_name: r.text("procedure_name")?,
        field: r.text("field")?,
        channel: channel_parse(&r.text("channel")?)?,
        point_code: r.text("point_code")?,
        agency_code: r.text("agency_code")?,
        assignee: r.opt_int("assignee_id")?,
        applicant_name: r.text("applicant_name")?,
        step_due_at: opt_ts(r.opt_int("step_due_at")?),
        timing: hcc_domain::lifecycle::Timing {
            status: status_parse(&r.text("status")?)?,
            received_at: opt_ts(r.opt_int("received_at")?),
            due_at: opt_ts(r.opt_int("due_at")?),
            original_due_at: opt_ts(r.opt_int("original_due_at")?),
            handled_at: opt_ts(r.opt_int("handled_at")?),
            supplement_requests: r.int("supplement_requests")? as u32,
        },
        version: r.int("version")?,
    })
}

pub async fn involved_agencies(db: &Db, dossier_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT agency_code FROM dossier_agencies WHERE dossier_id = $1 ORDER BY agency_code")
        .bind(dossier_id)
        .fetch_all(&db.read)
        .await?)
}

fn event_from_row(r: &DbRow) -> Result<EventRecord, StoreError> {
    let details: String = r.try_get("details")?;
    Ok(EventRecord {
        seq: r.try_get("seq")?,
        at: from_micros(r.try_get("at")?),
        actor: r.try_get("actor")?,
        actor_name: r.try_get("actor_name")?,
        role: r.try_get("role")?,
        unit: r.try_get("unit")?,
        action: r.try_get("action")?,
        from_status: r.try_get("from_status")?,
        to_status: r.try_get("to_status")?,
        step_name: r.try_get("step_name")?,
        step_due_at: opt_ts(r.try_get("step_due_at")?),
        step_outcome: r.try_get("step_outcome")?,
        handed_to: r.try_get("handed_to")?,
        note: r.try_get("note")?,
        details: serde_json::from_str(&details)?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const EVENT_COLUMNS: &str = "seq, at, actor, actor_name, role, unit, action, from_status, to_status, step_name,
  step_due_at, step_outcome, handed_to, note, details, prev_hash, hash";

pub async fn events(db: &Db, dossier_id: i64) -> Result<Vec<EventRecord>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {EVENT_COLUMNS} FROM events WHERE dossier_id = $1 ORDER BY seq"));
    let rows = sqlx::query(sql).bind(dossier_id).fetch_all(&db.read).await?;
    rows.iter().map(event_from_row).collect()
}

/// How the list's `text` filter is applied.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TextFilter {
    /// Through the full-text index: the dossiers it matches, then the other filters and the order.
    Index,
    /// Reading the dossiers in order and testing each one ([`hcc_domain::text::matches_words`]):
    /// for words so common that listing every match would cost more than reading one page.
    Scan,
}

/// One page of dossiers, newest first (or most urgent first), after the cursor. Every filter maps
/// onto an index; `text` onto the full-text index unless its words are common (`text_is_common`:
/// "nguyen van" matches a large share of all dossiers), when the page is read in order and each
/// dossier tested, which stops as soon as the page is full. List rows carry an empty checklist
/// (read the dossier for it).
pub async fn list_dossiers(db: &Db, f: &DossierQuery) -> Result<Page<DossierRecord>, StoreError> {
    let (ids, next_after) = page_ids(db, f).await?;
    Ok(Page { items: rows_by_ids(db, &ids).await?, next_after })
}

/// One page of list rows (as [`list_dossiers`], reading only what a list row shows).
pub async fn list_dossier_listings(db: &Db, f: &DossierQuery) -> Result<Page<DossierListing>, StoreError> {
    let (ids, next_after) = page_ids(db, f).await?;
    Ok(Page { items: listings_by_ids(db, &ids).await?, next_after })
}

/// The ids of one page of the list, in its order, and the cursor to the next page if any.
async fn page_ids(db: &Db, f: &DossierQuery) -> Result<(Vec<i64>, Option<i64>), StoreError> {
    let limit = f.limit.clamp(1, 200);
    let want = i64::from(limit) + 1;
    let words = f.text.as_deref().map(hcc_domain::text::search_words).unwrap_or_default();
    let text = if !words.is_empty() && text_is_common(db, &words).await? { TextFilter::Scan } else { TextFilter::Index };
    let listed = if SPLIT_STATUS_LISTS && f.by_urgency && !f.statuses.is_empty() {
        most_urgent_each_status(db, f, &words, text, want).await?
    } else if text == TextFilter::Scan {
        scan_for_words(db, f, &words, UrgencyPart::Whole, want).await?
    } else {
        list_ids_each_status(db, f, &words, want).await?
    };
    let mut ids: Vec<i64> = listed.into_iter().map(|r| r.id).collect();
    let next_after = if ids.len() > limit as usize {
        ids.truncate(limit as usize);
        ids.last().copied()
    } else {
        None
    };
    Ok((ids, next_after))
}

/// The first `want` dossiers of `part` of the list, in its order, whose text matches `words`:
/// the rows that fit a pattern every match fits, a chunk at a time in the list's order, each
/// tested exactly.
/// A whole list's chunk is large (`SearchScan::chunk_rows`) because every chunk sorts the whole
/// candidate set again (a list of several statuses most urgent first is not an index order),
/// while one chunk of that size is cheap to transfer: in practice one query answers. A part of a
/// status's list (`most_urgent_each_status`) is read in its index's order and stops where the
/// chunk does, so its chunk is about what the page needs.
async fn scan_for_words(
    db: &Db,
    f: &DossierQuery,
    words: &[Vec<String>],
    part: UrgencyPart,
    want: i64,
) -> Result<Vec<ListedId>, StoreError> {
    let configured = db.search_scan.chunk_rows.load(std::sync::atomic::Ordering::Relaxed);
    let chunk = match part {
        UrgencyPart::Whole => configured.max(want),
        UrgencyPart::Dated | UrgencyPart::Undated => configured.min(want.saturating_mul(2)).max(1),
    };
    let mut cursor = f.clone();
    let mut found = Vec::new();
    loop {
        let rows = list_ids(db, &cursor, words, TextFilter::Scan, part, chunk).await?;
        let read = rows.len() as i64;
        let Some(last) = rows.last().map(|r| (r.urgency, r.id)) else { break };
        found.extend(
            rows.into_iter().filter(|r| hcc_domain::text::matches_words(r.text.as_deref().unwrap_or(""), words)),
        );
        if found.len() as i64 >= want || read < chunk {
            break;
        }
        // An undated row's key is the largest, which moves the undated part on by id.
        if f.by_urgency {
            cursor.after_urgency = Some(last);
        } else {
            cursor.after_id = Some(last.1);
        }
    }
    found.truncate(usize::try_from(want).unwrap_or(0));
    Ok(found)
}

/// The list's first step, in id order. Where the backend asks for it (`SPLIT_STATUS_LISTS`),
/// a list of several statuses is read one status at a time and merged: each status is then a
/// range of an index in id order ((scope, status, id)). One query for all of them walks the
/// scope's whole history in id order testing each row's status — SQLite's planner, without
/// statistics, prefers that to sorting — so a reception point's returns page (13 results waiting
/// among 190,000 dossiers received there) took 250 ms and grew with the point's history.
async fn list_ids_each_status(
    db: &Db,
    f: &DossierQuery,
    words: &[Vec<String>],
    limit: i64,
) -> Result<Vec<ListedId>, StoreError> {
    if !SPLIT_STATUS_LISTS || f.by_urgency || f.statuses.len() < 2 {
        return list_ids(db, f, words, TextFilter::Index, UrgencyPart::Whole, limit).await;
    }
    let mut ids = Vec::new();
    for status in &f.statuses {
        let one = DossierQuery { statuses: vec![status.clone()], ..f.clone() };
        ids.extend(list_ids(db, &one, words, TextFilter::Index, UrgencyPart::Whole, limit).await?);
    }
    Ok(first_in_order(ids, limit, |r| std::cmp::Reverse(r.id)))
}

/// The first `limit` of the rows read a status at a time, in the list's order (`order`: a key
/// that ends with the id, so a dossier read twice sits next to itself and is kept once).
fn first_in_order<K: Ord>(mut ids: Vec<ListedId>, limit: i64, order: impl Fn(&ListedId) -> K) -> Vec<ListedId> {
    ids.sort_unstable_by_key(order);
    ids.dedup_by_key(|r| r.id);
    ids.truncate(usize::try_from(limit).unwrap_or(0));
    ids
}

/// The first step of a list most urgent first, a status at a time: each status's dossiers with a
/// step due time in the order of the (scope, status, step due time) index, then those without
/// one (last in the urgency order) by id, each read only as far as the page needs, and merged.
/// One query ordered by the urgency key sorted every open dossier of the scope to show fifty:
/// an inbox of 500,000 open dossiers took 96 ms, growing with the inbox. A search of common
/// words (`TextFilter::Scan`) reads each part the same way, testing each row, until it has the
/// page: sorting every candidate took 444 ms for an inbox of 500,000 open "Nguyễn Văn Đức".
async fn most_urgent_each_status(
    db: &Db,
    f: &DossierQuery,
    words: &[Vec<String>],
    text: TextFilter,
    limit: i64,
) -> Result<Vec<ListedId>, StoreError> {
    let past_dated = f.after_urgency.is_some_and(|(key, _)| key == i64::MAX);
    let mut ids = Vec::new();
    for status in &f.statuses {
        let one = DossierQuery { statuses: vec![status.clone()], ..f.clone() };
        let mut found = 0;
        if !past_dated {
            let dated = urgency_part(db, &one, words, text, UrgencyPart::Dated, limit).await?;
            found = dated.len() as i64;
            ids.extend(dated);
        }
        if found < limit {
            ids.extend(urgency_part(db, &one, words, text, UrgencyPart::Undated, limit - found).await?);
        }
    }
    Ok(first_in_order(ids, limit, |r| (r.urgency, r.id)))
}

/// Up to `limit` dossiers of one status's `part` of a list most urgent first, in its order.
async fn urgency_part(
    db: &Db,
    f: &DossierQuery,
    words: &[Vec<String>],
    text: TextFilter,
    part: UrgencyPart,
    limit: i64,
) -> Result<Vec<ListedId>, StoreError> {
    match text {
        TextFilter::Index => list_ids(db, f, words, TextFilter::Index, part, limit).await,
        TextFilter::Scan => scan_for_words(db, f, words, part, limit).await,
    }
}

/// Which part of a list most urgent first a statement reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum UrgencyPart {
    /// All of it, ordered by the urgency key (or any list not by urgency).
    Whole,
    /// The dossiers with a step due time, by that time and id.
    Dated,
    /// The dossiers without one, which come last, by id.
    Undated,
}

/// A row of the list's first step: which dossier, its urgency key, its searchable text when the
/// search scans.
struct ListedId {
    id: i64,
    urgency: i64,
    text: Option<String>,
}


/// The list query's first step: the ids of up to `limit` dossiers in the list's order (with
/// their searchable text when `text` scans). Only ids and keys are sorted — an inbox sorts all its
/// open dossiers by urgency, and with whole rows that sort cost tens of milliseconds for 20,000 of
/// them — and the page's rows are read after (`rows_by_ids`).
async fn list_ids(
    db: &Db,
    f: &DossierQuery,
    words: &[Vec<String>],
    text: TextFilter,
    part: UrgencyPart,
    limit: i64,
) -> Result<Vec<ListedId>, StoreError> {
    let q = list_ids_statement(f, words, text, part, limit);
    if text == TextFilter::Scan {
        // Thousands of rows with their text: a read for the pool's threads, not the caller's.
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(q.sql()), sqlx_args(q.args())?).fetch_all(&db.read).await?;
        return rows
            .iter()
            .map(|r| Ok(ListedId { id: r.try_get("id")?, urgency: r.try_get("urgency")?, text: r.try_get("search_text")? }))
            .collect();
    }
    listed_ids(db, &q).await
}

/// The statement of [`list_ids`]: `id`, `urgency` (and `search_text` when `text` scans) of the
/// dossiers the filters keep, in the list's order.
fn list_ids_statement(
    f: &DossierQuery,
    words: &[Vec<String>],
    text: TextFilter,
    part: UrgencyPart,
    limit: i64,
) -> Statement {
    let extra = if text == TextFilter::Scan { ", search_text" } else { "" };
    // The urgency key only where the order needs it: a list in id order is then read from its
    // index alone, without a look at each dossier's row.
    let urgency = if f.by_urgency { "COALESCE(step_due_at, 9223372036854775807)" } else { "CAST(0 AS BIGINT)" };
    let mut q = Statement::new(format!("SELECT id, {urgency} AS urgency{extra} FROM dossiers d WHERE 1 = 1"));
    if let Some(s) = &f.status {
        q.push(" AND status = ").bind(s);
    }
    if let Some(a) = &f.agency {
        q.push(" AND agency_code = ").bind(a);
    }
    if let Some(p) = &f.procedure {
        q.push(" AND procedure_code = ").bind(p);
    }
    if let Some(x) = &f.field {
        q.push(" AND field = ").bind(x);
    }
    if let Some(p) = &f.point {
        q.push(" AND point_code = ").bind(p);
    }
    if let Some(u) = f.assignee {
        q.push(" AND assignee_id = ").bind(u);
    }
    if let Some(t) = f.due_before {
        q.push(" AND due_at < ").bind(micros(t));
    }
    if let Some(t) = f.overdue_at {
        q.push(" AND due_at < ").bind(micros(t)).push(" AND status IN ('received', 'in_progress')");
    }
    if let Some(t) = f.late_open_at {
        // The two halves of the rule, each through its own index (`late_open_count`): an OR of
        // them would read the whole table in id order.
        q.push(" AND id IN (SELECT id FROM dossiers WHERE ");
        push_late_open_at(&mut q, t, LateOpen::StillOpen);
        q.push(format_args!(" UNION ALL SELECT id FROM {HANDLED_LATE_FROM} WHERE "));
        push_late_open_at(&mut q, t, LateOpen::HandledSince);
        q.push(")");
    }
    if let Some(c) = &f.channel {
        q.push(" AND channel = ").bind(c);
    }
    if !f.fields.is_empty() {
        q.push(" AND field IN (").bind_list(&f.fields).push(")");
    }
    if let Some((a, b)) = f.received_in {
        q.push(" AND received_at >= ").bind(micros(a)).push(" AND received_at < ").bind(micros(b));
    }
    if let Some((a, b)) = f.settled_in {
        q.push(" AND handled_at >= ")
            .bind(micros(a))
            .push(" AND handled_at < ")
            .bind(micros(b))
            .push(" AND received_at IS NOT NULL AND status <> 'withdrawn'");
        // The index's rule (`lifecycle::progress`): late after the first appointment, or after more
        // than one supplement request.
        const LATE: &str = "(handled_at > COALESCE(original_due_at, due_at) OR supplement_requests > 1)";
        match f.settled_late {
            Some(true) => q.push(format_args!(" AND {LATE}")),
            Some(false) => q.push(format_args!(" AND NOT {LATE}")),
            None => &mut q,
        };
    }
    if let Some((a, b)) = f.finished_in {
        q.push(" AND finished_at >= ").bind(micros(a)).push(" AND finished_at < ").bind(micros(b));
    }
    if let Some(t) = f.due_after {
        q.push(" AND due_at > ").bind(micros(t));
    }
    if let Some(t) = f.updated_before {
        q.push(" AND updated_at < ").bind(micros(t));
    }
    // Full-text search on the folded code, name, ID number and phone (each backend's index; see
    // `push_text_filter`). A query without a letter or digit filters nothing.
    if !words.is_empty() {
        match text {
            TextFilter::Index => push_text_filter(&mut q, words),
            TextFilter::Scan => {
                // A superset of the matches (each word's tokens in order, anything between); the
                // caller keeps the exact ones.
                for word in words {
                    q.push(" AND search_text LIKE ").bind(format!("%{}%", word.join("%")));
                }
            }
        }
    }
    if let Some(a) = &f.visible_to_agency {
        q.push(" AND agency_code = ").bind(a);
    }
    if let Some(a) = &f.involved_agency {
        q.push(" AND id IN (SELECT dossier_id FROM dossier_agencies WHERE agency_code = ").bind(a).push(")");
    }
    if let Some(p) = &f.visible_to_point {
        q.push(" AND point_code = ").bind(p);
    }
    if !f.statuses.is_empty() {
        q.push(" AND status IN (").bind_list(&f.statuses).push(")");
    }
    if f.by_urgency && part == UrgencyPart::Dated {
        // The row value leaves the undated out too, and seeks straight to the cursor.
        match f.after_urgency {
            Some((key, id)) => q.push(" AND (step_due_at, id) > (").bind(key).push(", ").bind(id).push(")"),
            None => q.push(" AND step_due_at IS NOT NULL"),
        };
        q.push(" ORDER BY step_due_at, id LIMIT ").bind(limit);
    } else if f.by_urgency && part == UrgencyPart::Undated {
        q.push(" AND step_due_at IS NULL");
        // Past a dated dossier, every undated one is still ahead.
        if let Some((_, id)) = f.after_urgency.filter(|(key, _)| *key == i64::MAX) {
            q.push(" AND id > ").bind(id);
        }
        q.push(" ORDER BY id LIMIT ").bind(limit);
    } else if f.by_urgency {
        // The key is `urgency_key`: the step due time, or the largest BIGINT when there is none.
        const KEY: &str = "COALESCE(step_due_at, 9223372036854775807)";
        if let Some((key, id)) = f.after_urgency {
            q.push(format_args!(" AND ({KEY} > "))
                .bind(key)
                .push(format_args!(" OR ({KEY} = "))
                .bind(key)
                .push(" AND id > ")
                .bind(id)
                .push("))");
        }
        q.push(format_args!(" ORDER BY {KEY}, id LIMIT ")).bind(limit);
    } else {
        if let Some(after) = f.after_id {
            q.push(" AND id < ").bind(after);
        }
        q.push(" ORDER BY id DESC LIMIT ").bind(limit);
    }
    q
}

pub async fn count_dossiers(db: &Db) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM dossiers").fetch_one(&db.read).await?)
}

/// Records that a staff member read a dossier's personal data.
pub async fn log_staff_read(db: &Db, user_id: i64, dossier_id: i64, what: &str, now: Timestamp) -> Result<(), StoreError> {
    // Through the hot writer: on SQLite many reads share one commit (each still durable before
    // its answer), instead of one sync per document opened.
    db.write_hot(HotWrite::LogRead { user_id, dossier_id, what: what.to_owned(), now }).await?;
    Ok(())
}
