// Dossier writes: receipt with code numbering, the group-committed hot writes, transitions, imports.
// Part of the shared query set (see common.rs): included into each backend module.

/// Control-sheet rows made ready to write: each with its place and hash in the dossier's chain.
struct ChainedEvent<'a> {
    seq: i64,
    draft: &'a EventDraft,
    actor: &'a EventActor,
    at_micros: i64,
    /// The columns as hashed (empty for none), written exactly so.
    from_status: &'static str,
    step_outcome: &'static str,
    step_name: &'a str,
    handed_to: &'a str,
    details: String,
    prev_hash: String,
    hash: String,
}

/// Chains `events` after row `seq` (whose hash is `prev_hash`) of dossier `code`: pure, so the
/// dossier's new chain head is known before anything is written, and goes in the same statement
/// as the rest of the dossier's row. Gives the rows and the new head (count, hash).
fn chain_events<'a>(
    code: &str,
    mut seq: i64,
    mut prev_hash: String,
    events: impl IntoIterator<Item = (&'a EventDraft, &'a EventActor, Timestamp)>,
) -> Result<(Vec<ChainedEvent<'a>>, i64, String), StoreError> {
    let mut rows = Vec::new();
    for (draft, actor, at) in events {
        seq += 1;
        let details = if draft.details.is_null() { "{}".to_owned() } else { serde_json::to_string(&draft.details)? };
        let mut row = ChainedEvent {
            seq,
            draft,
            actor,
            at_micros: micros(at),
            from_status: draft.from_status.map_or("", Status::as_str),
            step_outcome: draft.step_outcome.map_or("", Timeliness::as_str),
            step_name: draft.step_name.as_deref().unwrap_or(""),
            handed_to: draft.handed_to.as_deref().unwrap_or(""),
            details,
            prev_hash,
            hash: String::new(),
        };
        let content = EventContent {
            dossier_code: code,
            seq,
            at_micros: row.at_micros,
            actor: &actor.username,
            role: &actor.role,
            unit: &actor.unit,
            action: draft.action.as_str(),
            from_status: row.from_status,
            to_status: draft.to_status.as_str(),
            step_name: row.step_name,
            step_due_micros: opt_micros(draft.step_due_at),
            step_outcome: row.step_outcome,
            handed_to: row.handed_to,
            note: &draft.note,
            details: &row.details,
        };
        row.hash = audit::event_hash(&row.prev_hash, &content);
        prev_hash = row.hash.clone();
        rows.push(row);
    }
    Ok((rows, seq, prev_hash))
}

/// Appends chained rows to dossier `dossier_id`'s control sheet, in one statement (and records
/// the agencies a forward involves).
async fn insert_events<E: HotExec>(conn: &mut E, dossier_id: i64, rows: &[ChainedEvent<'_>]) -> Result<(), StoreError> {
    const HEAD: &str = "INSERT INTO events (dossier_id, seq, at, actor_id, actor, actor_name, role, unit, action,
      from_status, to_status, step_name, step_due_at, step_outcome, handed_to, note, details, prev_hash, hash)";
    const WIDTH: usize = 19;
    // Well under both backends' limit on bound values per statement.
    for chunk in rows.chunks(500) {
        let mut args = Vec::with_capacity(chunk.len() * WIDTH);
        for e in chunk {
            args.extend([
                Arg::int(dossier_id),
                Arg::int(e.seq),
                Arg::int(e.at_micros),
                Arg::Int(e.actor.user_id),
                Arg::text(&e.actor.username),
                Arg::text(&e.actor.full_name),
                Arg::text(&e.actor.role),
                Arg::text(&e.actor.unit),
                Arg::text(e.draft.action.as_str()),
                Arg::text(e.from_status),
                Arg::text(e.draft.to_status.as_str()),
                Arg::text(e.step_name),
                Arg::Int(opt_micros(e.draft.step_due_at)),
                Arg::text(e.step_outcome),
                Arg::text(e.handed_to),
                Arg::text(&e.draft.note),
                Arg::text(&e.details),
                Arg::text(&e.prev_hash),
                Arg::text(&e.hash),
            ]);
        }
        conn.exec(&crate::exec::insert_values(HEAD, WIDTH, chunk.len()), &args).await?;
    }
    for e in rows.iter().filter(|e| e.draft.action == hcc_domain::lifecycle::ActionKind::Forward) {
        if let Some(to) = e.draft.handed_to.as_deref() {
            conn.exec(
                "INSERT INTO dossier_agencies (dossier_id, agency_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[Arg::int(dossier_id), Arg::text(to)],
            )
            .await?;
        }
    }
    Ok(())
}

/// The next code of `unit` for `date`, inside the caller's transaction (see
/// [`HotExec::next_code_number`]: never skipped, never repeated).
async fn next_code<E: HotExec>(conn: &mut E, unit: &str, date: jiff::civil::Date) -> Result<String, StoreError> {
    let day = hcc_domain::code::DossierCode::day_part(date);
    let seq = conn.next_code_number(unit, &day).await?;
    let seq = u32::try_from(seq).map_err(|_| StoreError::Corrupt(format!("code number {seq} out of range")))?;
    Ok(hcc_domain::code::DossierCode { unit: unit.to_owned(), date, seq }.to_string())
}

/// The applicant's part of a dossier's searchable text, folded: known before the code is.
fn applicant_search_text(a: &Applicant) -> String {
    hcc_domain::text::fold(&format!("{} {} {}", a.name, a.id_number, a.phone.as_deref().unwrap_or("")))
}

/// What the dossier list's `text` filter searches, folded (`text::fold`): the code, the
/// applicant's name, ID number and phone. Each backend indexes it for full-text search (migration
/// 0003). Folding keeps no space at either end and works character by character, so the code
/// folded alone and joined to the applicant's part folded before is the whole folded at once.
fn joined_search_text(code: &str, applicant: &str) -> String {
    let code = hcc_domain::text::fold(code);
    match (code.is_empty(), applicant.is_empty()) {
        (_, true) => code,
        (true, false) => applicant.to_owned(),
        (false, false) => format!("{code} {applicant}"),
    }
}

/// What writing a new dossier produced.
struct Inserted {
    id: i64,
    code: String,
    event_count: i64,
    last_hash: String,
}

/// The dossier row's INSERT: its 48 columns, numbered once (the checklist goes to its own table).
static INSERT_DOSSIER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::exec::insert_values(
        "INSERT INTO dossiers (code, secret, idempotency_key, procedure_code, procedure_version, procedure_name, field,
           channel, point_code, agency_code, assignee_id, routing_rule, status, resume_status, applicant_kind,
           applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
           applicant_commune, subject_commune, request_summary, return_method, search_text,
           submitted_at, received_at, due_at, original_due_at, clock_stopped_at, budget_minutes, step_index,
           step_started_at, step_due_at, supplement_requests, new_appointments, extension_minutes, late_steps,
           approved, handled_at, finished_at, unscanned_items, scan_waived, result_sha256, event_count, last_hash,
           version, updated_at)",
        48,
        1,
    )
});

/// What a new dossier's write needs that the dossier alone decides, worked out before the write
/// on the caller's thread: on SQLite every write goes through one thread, where folding the
/// searchable text and serialising the checklist were 3-4 % of a receipt's time.
pub(crate) struct Prepared {
    /// The counters it moves.
    counts: Counts,
    /// The applicant's part of its searchable text, folded ([`applicant_search_text`]).
    applicant_search: String,
    /// Its checklist, as stored (JSON).
    checklist: String,
}

fn prepare_new_dossier(d: &NewDossier) -> Result<Prepared, StoreError> {
    Ok(Prepared {
        counts: counts_of_new_dossier(d)?,
        applicant_search: applicant_search_text(&d.applicant),
        checklist: serde_json::to_string(&d.documents)?,
    })
}

/// The counters a new dossier moves: computed from it alone, before its write.
fn counts_of_new_dossier(d: &NewDossier) -> Result<Counts, StoreError> {
    let s = &d.state;
    let dims = StatDims {
        field: &d.field,
        procedure_code: &d.procedure_code,
        point_code: &s.point_code,
        channel: s.channel.as_str(),
    };
    let mut counts = Counts::default();
    stats_of_new_dossier(&mut counts, &dims, &d.events)?;
    move_open_counts(&mut counts, &dims, None, (&s.agency_code, s.status));
    Ok(counts)
}

/// Writes a new dossier with its code, control sheet, checklist, documents and counters (`prepared`:
/// what [`prepare_new_dossier`] made of it).
async fn insert_dossier<E: HotExec>(
    conn: &mut E,
    d: &NewDossier,
    prepared: &Prepared,
    now: Timestamp,
) -> Result<Inserted, StoreError> {
    let s = &d.state;
    let code = next_code(conn, &s.point_code, d.code_date).await?;
    let drafts = d.events.iter().map(|(draft, actor, at)| (draft, actor, *at));
    let (events, count, last) = chain_events(&code, 0, audit::GENESIS.to_owned(), drafts)?;
    let submitted_at = d.events.first().map_or(now, |e| e.2);
    let a = &d.applicant;
    let searched = joined_search_text(&code, &prepared.applicant_search);
    let mut args = Vec::with_capacity(48);
    args.extend([
        Arg::text(&code),
        Arg::text(&d.secret),
        Arg::opt_text(d.idempotency_key.as_deref()),
        Arg::text(&d.procedure_code),
        Arg::int(d.procedure_version),
        Arg::text(&d.procedure_name),
        Arg::text(&d.field),
        Arg::text(s.channel.as_str()),
        Arg::text(&s.point_code),
        Arg::text(&s.agency_code),
        Arg::Int(s.assignee),
        Arg::text(&d.routing_rule),
        Arg::text(s.status.as_str()),
        Arg::opt_text(s.resume_status.map(Status::as_str)),
        Arg::text(a.kind.as_str()),
        Arg::text(&a.name),
        Arg::text(&a.id_number),
        Arg::opt_text(a.phone.as_deref()),
        Arg::opt_text(a.email.as_deref()),
        Arg::text(&a.address),
        Arg::opt_text(a.commune_code.as_deref()),
        Arg::opt_text(d.subject_commune.as_deref()),
        Arg::text(&d.request_summary),
        Arg::text(&d.return_method),
        Arg::text(&searched),
        Arg::int(micros(submitted_at)),
    ]);
    args.extend(clock_args(s));
    args.extend([Arg::int(count), Arg::text(&last), Arg::int(1), Arg::int(micros(now))]);
    let id = conn.insert_id(&INSERT_DOSSIER, &args).await?;
    drop(args);
    conn.exec(
        "INSERT INTO dossier_checklists (dossier_id, documents) VALUES ($1, $2)",
        &[Arg::int(id), Arg::text(&prepared.checklist)],
    )
    .await?;
    if let Some(insert) = SEARCH_ROW_INSERT {
        conn.index_search_text(insert, id, searched).await?;
    }
    // The first agency is involved from the start; forwards add the others.
    let first_agency = d.events.first().and_then(|e| e.0.handed_to.as_deref()).unwrap_or(&s.agency_code);
    if first_agency == s.agency_code {
        conn.exec(
            "INSERT INTO dossier_agencies (dossier_id, agency_code) VALUES ($1, $2)",
            &[Arg::int(id), Arg::text(first_agency)],
        )
        .await?;
    } else {
        conn.exec(
            "INSERT INTO dossier_agencies (dossier_id, agency_code) VALUES ($1, $2), ($3, $4)",
            &[Arg::int(id), Arg::text(first_agency), Arg::int(id), Arg::text(&s.agency_code)],
        )
        .await?;
    }
    insert_events(conn, id, &events).await?;
    for (index, doc) in &d.files {
        let Some((_, actor, at)) = d.events.get(*index) else {
            return Err(StoreError::Corrupt(format!("document recorded by missing event {index}")));
        };
        write_document(conn, id, *index as i64 + 1, &DocumentChange::Add(doc.clone()), actor, *at).await?;
    }
    prepared.counts.write(conn).await?;
    Ok(Inserted { id, code, event_count: count, last_hash: last })
}

/// A write on the hot path (receipts and transitions). On SQLite these are group-committed: many
/// run in one transaction (`sqlite_writer::run_group`), and each caller is answered only after the
/// shared commit is on disk.
pub(crate) enum HotWrite {
    /// The dossier is shared with the caller, which builds its answer from it once written.
    Create { dossier: std::sync::Arc<NewDossier>, prepared: Prepared, now: Timestamp },
    Apply {
        /// The dossier as it was read: the write is refused unless its version is still the
        /// stored one; the statistics count what changed from its state, and the new rows
        /// continue its chain head.
        current: Box<DossierRecord>,
        state: Box<DossierState>,
        event: Box<EventDraft>,
        actor: Box<EventActor>,
        /// The document the event records, written with it.
        document: Option<Box<DocumentChange>>,
        now: Timestamp,
    },
    /// A staff member read a dossier's personal data or documents: logged before the data leaves.
    LogRead { user_id: i64, dossier_id: i64, what: String, now: Timestamp },
    /// Finished histories written at once (`import_dossiers`), each with its counters.
    Import { dossiers: Vec<(NewDossier, Prepared)>, now: Timestamp },
}

/// What a hot write did.
pub(crate) enum HotOutcome {
    /// A dossier made now (with what the write decided: its code and chain head).
    Created { id: i64, code: String, event_count: i64, last_hash: String },
    /// An idempotent replay: the dossier made the first time.
    Replayed { id: i64 },
    /// A transition written; the dossier's new chain head.
    Applied { event_count: i64, last_hash: String },
    /// A write with nothing to answer: a read logged, histories imported.
    Written,
}

pub(crate) async fn run_hot<E: HotExec>(conn: &mut E, w: &HotWrite) -> Result<HotOutcome, StoreError> {
    match w {
        HotWrite::Create { dossier, prepared, now } => create_dossier_in(conn, dossier, prepared, *now).await,
        HotWrite::Apply { current, state, event, actor, document, now } => {
            let (event_count, last_hash) = apply_transition_in(conn, current, state, event, actor, *now).await?;
            if let Some(change) = document {
                write_document(conn, current.id, event_count, change, actor, *now).await?;
            }
            Ok(HotOutcome::Applied { event_count, last_hash })
        }
        HotWrite::LogRead { user_id, dossier_id, what, now } => {
            conn.exec(
                "INSERT INTO staff_reads (user_id, dossier_id, at, what) VALUES ($1, $2, $3, $4)",
                &[Arg::int(*user_id), Arg::int(*dossier_id), Arg::int(micros(*now)), Arg::text(what)],
            )
            .await?;
            Ok(HotOutcome::Written)
        }
        HotWrite::Import { dossiers, now } => {
            for (d, prepared) in dossiers {
                insert_dossier(conn, d, prepared, *now).await?;
            }
            // Past days' counters changed: every process's kept sums of them are stale.
            bump_stats_generation(conn).await?;
            Ok(HotOutcome::Written)
        }
    }
}

/// Writes a new dossier, its code, its first control-sheet rows and its outbox notice. With an
/// idempotency key already used, writes nothing and names the dossier made the first time: a
/// retried submission never makes two dossiers.
async fn create_dossier_in<E: HotExec>(
    conn: &mut E,
    d: &NewDossier,
    prepared: &Prepared,
    now: Timestamp,
) -> Result<HotOutcome, StoreError> {
    if let Some(key) = &d.idempotency_key {
        let existing = conn.int("SELECT id FROM dossiers WHERE idempotency_key = $1", &[Arg::text(key)]).await?;
        if let Some(id) = existing {
            return Ok(HotOutcome::Replayed { id });
        }
    }
    let ins = insert_dossier(conn, d, prepared, now).await?;
    insert_notice(conn, ins.id, d.state.status.as_str(), "{}", now).await?;
    Ok(HotOutcome::Created { id: ins.id, code: ins.code, event_count: ins.event_count, last_hash: ins.last_hash })
}

/// Receives a dossier (see [`create_dossier_in`]); answers once it is durable, with the record
/// as written (built from what was sent and what the write decided, without reading it back).
pub async fn create_dossier(db: &Db, d: NewDossier, now: Timestamp) -> Result<(DossierRecord, bool), StoreError> {
    let prepared = prepare_new_dossier(&d)?;
    let d = std::sync::Arc::new(d);
    let outcome = db.write_hot(HotWrite::Create { dossier: d.clone(), prepared, now }).await?;
    // The writer has let go of its share by now, as a rule: then nothing is copied.
    let d = std::sync::Arc::try_unwrap(d).unwrap_or_else(|shared| (*shared).clone());
    match outcome {
        HotOutcome::Created { id, code, event_count, last_hash } => Ok((
            DossierRecord {
                id,
                code,
                secret: d.secret,
                procedure_code: d.procedure_code,
                procedure_version: d.procedure_version,
                procedure_name: d.procedure_name,
                field: d.field,
                applicant: d.applicant,
                subject_commune: d.subject_commune,
                request_summary: d.request_summary,
                documents: d.documents,
                return_method: d.return_method,
                routing_rule: d.routing_rule,
                submitted_at: d.events.first().map_or(now, |e| e.2),
                state: d.state,
                event_count,
                last_hash,
                version: 1,
                updated_at: now,
            },
            true,
        )),
        HotOutcome::Replayed { id } => Ok((get_dossier_by_id(db, id).await?.ok_or(StoreError::NotFound)?, false)),
        HotOutcome::Applied { .. } | HotOutcome::Written => Err(StoreError::Corrupt("unexpected write outcome".into())),
    }
}

/// Writes many finished histories at once (the demo city and benchmarks): one transaction per
/// batch, through the hot writer (on SQLite, its thread and its summing of the counters), with
/// the same code numbering and hash chains as live receipts.
pub async fn import_dossiers(db: &Db, batch: Vec<NewDossier>, now: Timestamp) -> Result<(), StoreError> {
    let dossiers = batch
        .into_iter()
        .map(|d| prepare_new_dossier(&d).map(|prepared| (d, prepared)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    db.write_hot(HotWrite::Import { dossiers, now }).await?;
    // Histories fill past months' counters.
    db.sums_cache.clear();
    Ok(())
}

/// Writes a transition: the dossier row (only if nobody changed it since `expected_version` was
/// read), its control-sheet row (continuing the chain head as read), an outbox notice and the statistics counters it moves, together.
/// A concurrent change gives [`StoreError::Conflict`] and writes nothing.
async fn apply_transition_in<E: HotExec>(
    conn: &mut E,
    current: &DossierRecord,
    state: &DossierState,
    event: &EventDraft,
    actor: &EventActor,
    now: Timestamp,
) -> Result<(i64, String), StoreError> {
    let (s, before, dossier_id) = (state, &current.state, current.id);
    // The new rows continue the chain head as read: if the version still matches, so does the
    // head (every appended row raises the version), and the head moves in the same statement.
    let (events, count, last_hash) =
        chain_events(&current.code, current.event_count, current.last_hash.clone(), [(event, actor, now)])?;
    // The versioned UPDATE comes first: on PostgreSQL it takes the row lock, so a concurrent
    // writer waits here and then finds the version moved on, before it appends anything.
    let mut args = Vec::with_capacity(27);
    args.extend([
        Arg::text(&s.agency_code),
        Arg::Int(s.assignee),
        Arg::text(s.status.as_str()),
        Arg::opt_text(s.resume_status.map(Status::as_str)),
    ]);
    // $5 … $22: the clock and digitization columns.
    args.extend(clock_args(s));
    args.extend([
        Arg::int(micros(now)),
        Arg::int(count),
        Arg::text(&last_hash),
        Arg::int(dossier_id),
        Arg::int(current.version),
    ]);
    let updated = conn
        .exec(
            "UPDATE dossiers SET agency_code = $1, assignee_id = $2, status = $3, resume_status = $4, received_at = $5,
               due_at = $6, original_due_at = $7, clock_stopped_at = $8, budget_minutes = $9, step_index = $10,
               step_started_at = $11, step_due_at = $12, supplement_requests = $13, new_appointments = $14,
               extension_minutes = $15, late_steps = $16, approved = $17, handled_at = $18, finished_at = $19,
               unscanned_items = $20, scan_waived = $21, result_sha256 = $22, version = version + 1, updated_at = $23,
               event_count = $24, last_hash = $25
             WHERE id = $26 AND version = $27",
            &args,
        )
        .await?;
    drop(args);
    if updated == 0 {
        let exists = conn.int("SELECT id FROM dossiers WHERE id = $1", &[Arg::int(dossier_id)]).await?;
        return Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    }
    insert_events(conn, dossier_id, &events).await?;
    if event.from_status != Some(event.to_status) {
        // The event's details (the supplement list, the reasons of a refusal) go with the notice,
        // so the applicant's message can say what is needed and why.
        let payload = if event.details.is_null() { "{}".to_owned() } else { serde_json::to_string(&event.details)? };
        insert_notice(conn, dossier_id, event.to_status.as_str(), &payload, now).await?;
    } else if event.action == hcc_domain::lifecycle::ActionKind::Apologize {
        // The signed apology (Form 04) reaches the applicant with the new date it sets.
        let payload = serde_json::json!({ "new_due_at": s.due_at, "reason": event.note });
        insert_notice(conn, dossier_id, "apology", &serde_json::to_string(&payload)?, now).await?;
    }
    let dims = StatDims {
        field: &current.field,
        procedure_code: &current.procedure_code,
        point_code: &s.point_code,
        channel: s.channel.as_str(),
    };
    let mut counts = Counts::default();
    stats_of_transition(conn, &mut counts, dossier_id, &dims, before, state, event, now).await?;
    move_open_counts(&mut counts, &dims, Some((&before.agency_code, before.status)), (&state.agency_code, state.status));
    counts.write(conn).await?;
    Ok((count, last_hash))
}

/// Applies a transition to the dossier as it was read (see [`apply_transition_in`]); answers once it
/// is durable, with the record as it now stands (built from what was written, not read back).
pub async fn apply_transition(
    db: &Db,
    current: &DossierRecord,
    state: &DossierState,
    event: &EventDraft,
    actor: &EventActor,
    document: Option<DocumentChange>,
    now: Timestamp,
) -> Result<DossierRecord, StoreError> {
    let outcome = db
        .write_hot(HotWrite::Apply {
            current: Box::new(current.clone()),
            state: Box::new(state.clone()),
            event: Box::new(event.clone()),
            actor: Box::new(actor.clone()),
            document: document.map(Box::new),
            now,
        })
        .await?;
    let HotOutcome::Applied { event_count, last_hash } = outcome else {
        return Err(StoreError::Corrupt("unexpected write outcome".into()));
    };
    Ok(DossierRecord {
        state: state.clone(),
        event_count,
        last_hash,
        version: current.version + 1,
        updated_at: now,
        ..current.clone()
    })
}
