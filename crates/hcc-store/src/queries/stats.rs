// Supervision statistics: the counters written with every dossier change, the dashboard's reads
// and the rebuild from the control sheets (the open-state gauges are in open_counts.rs).
// Part of the shared query set (see common.rs): included into each backend module.
//
// Why two kinds of figures. What *happened* in a period (received, settled early/on time/late,
// returned, refused, withdrawn, apologies, supplements, pauses, digitization at receipt) is a flow:
// it never changes once the day is over, so it is kept as counters per local day, written as
// increments in the same transaction as the change (`INSERT … ON CONFLICT DO UPDATE SET n = n + …`)
// and summed over the period's rows — the dashboard never scans history. What is *open now* (in
// progress, paused, waiting for a supplement) is a gauge: kept as open counts moved with each
// change (open_counts.rs). What depends on the clock (due soon, overdue, stuck) cannot be a
// counter — it would have to be moved by the passing of time, by a job that could double count or
// lag — so it is counted at read time from index ranges that hold only the dossiers in that state.

use hcc_domain::stats::{Measure, Replay, ReplayEvent};

/// The calendar the counters judge with. Only its time zone matters here — the day a change is
/// counted under and the early/on-time judgement compare local dates, never working hours — so the
/// store needs no copy of the installation's holidays for it.
fn stats_calendar() -> &'static hcc_domain::calendar::WorkingCalendar {
    static CAL: std::sync::LazyLock<hcc_domain::calendar::WorkingCalendar> = std::sync::LazyLock::new(|| {
        hcc_domain::calendar::WorkingCalendar::new(
            hcc_domain::calendar::OfficeHours::default(),
            std::iter::empty(),
            std::iter::empty(),
        )
    });
    &CAL
}

/// Marks that past days' counters changed (a rebuild, an import of histories, a load of
/// counters), inside the writing transaction: every process's kept sums of finished days
/// (`sums_cache`) name the generation they were read under, so none is used after this commits.
async fn bump_stats_generation<E: HotExec>(conn: &mut E) -> Result<(), StoreError> {
    let generation = format!("{}-{:016x}", Timestamp::now().as_microsecond(), rand::random::<u64>());
    conn.exec(
        "INSERT INTO meta (key, value) VALUES ('stats_generation', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[Arg::owned(generation)],
    )
    .await?;
    Ok(())
}

/// The dimensions of a dossier's counters that never change (the agency may: it is per change).
struct StatDims<'a> {
    field: &'a str,
    procedure_code: &'a str,
    point_code: &'a str,
    channel: &'a str,
}

/// Adds `deltas` to the counters of `day` and `agency`.
fn add_stats(counts: &mut Counts, dims: &StatDims<'_>, day: jiff::civil::Date, agency: &str, deltas: &[(Measure, i64)]) {
    if deltas.is_empty() {
        return;
    }
    let day = day.to_string();
    let (field, procedure, point, channel) = (dims.field, dims.procedure_code, dims.point_code, dims.channel);
    let rows = deltas
        .iter()
        .map(|(m, n)| (CountKey::new([&day, agency, field, procedure, point, channel, m.as_str()]), *n))
        .collect();
    counts.add(Counters::Stats, rows);
    let keys = rollup_keys(agency, field, procedure, point, channel);
    for grain in [Grain::Month, Grain::Day] {
        let period = grain.period(&day);
        let rows = deltas
            .iter()
            .flat_map(|(m, n)| keys.iter().map(move |(dim, value)| (CountKey::new([period, dim, value, m.as_str()]), *n)))
            .collect();
        counts.add(grain.counters(), rows);
    }
}

/// Adds an officer's share of a change ([`hcc_domain::stats::officer_deltas`]) to both rollups,
/// under dimension `officer` and value `AGENCY|USERNAME`.
fn add_officer_stats(
    counts: &mut Counts,
    day: jiff::civil::Date,
    agency: &str,
    officer: &str,
    deltas: &[(hcc_domain::stats::OfficerMeasure, i64)],
) {
    if deltas.is_empty() {
        return;
    }
    let day = day.to_string();
    let value = format!("{agency}|{officer}");
    for grain in [Grain::Month, Grain::Day] {
        let period = grain.period(&day);
        let rows = deltas.iter().map(|(m, n)| (CountKey::new([period, "officer", &value, m.as_str()]), *n)).collect();
        counts.add(grain.counters(), rows);
    }
}

/// Which rollup: per month (`stats_month`, keyed 'YYYY-MM') or per day (`stats_day`, 'YYYY-MM-DD').
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Grain {
    Month,
    Day,
}

impl Grain {
    /// The month ('YYYY-MM') or the day itself, of a day 'YYYY-MM-DD'.
    fn period(self, day: &str) -> &str {
        match self {
            Grain::Month => day.get(..7).unwrap_or(day),
            Grain::Day => day,
        }
    }
    fn counters(self) -> Counters {
        match self {
            Grain::Month => Counters::StatsMonth,
            Grain::Day => Counters::StatsDay,
        }
    }
    fn table(self) -> &'static str {
        match self {
            Grain::Month => "stats_month",
            Grain::Day => "stats_day",
        }
    }
    fn column(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Day => "day",
        }
    }
}

/// A row of a rollup: month or day, dimension, value, measure, count.
type RollupRow = (String, &'static str, String, String, i64);

/// The rollup rows (dimension, value) one counter feeds: the city-wide dimensions and, for a
/// leader's view, the same within its agency.
fn rollup_keys(agency: &str, field: &str, procedure: &str, point: &str, channel: &str) -> [(&'static str, String); 10] {
    [
        ("total", String::new()),
        ("agency", agency.to_owned()),
        ("field", field.to_owned()),
        ("procedure", procedure.to_owned()),
        ("point", point.to_owned()),
        ("channel", channel.to_owned()),
        ("agency:field", format!("{agency}|{field}")),
        ("agency:procedure", format!("{agency}|{procedure}")),
        ("agency:point", format!("{agency}|{point}")),
        ("agency:channel", format!("{agency}|{channel}")),
    ]
}

/// Adds rollup rows to the month's or the day's rollup.
fn add_rollup(counts: &mut Counts, grain: Grain, rows: &[RollupRow]) {
    let rows = rows
        .iter()
        .map(|(period, dim, value, measure, n)| (CountKey::new([period.as_str(), dim, value, measure]), *n))
        .collect();
    counts.add(grain.counters(), rows);
}

/// Writes rollup rows at once (the rebuild, a load of counters).
async fn write_rollup<E: HotExec>(conn: &mut E, grain: Grain, rows: &[RollupRow]) -> Result<(), StoreError> {
    let mut counts = Counts::default();
    add_rollup(&mut counts, grain, rows);
    counts.write(conn).await
}

/// The counters a live transition moves (`stats::deltas` on the state before and after, and
/// `stats::change_deltas` on its control-sheet row), added to `counts`; reads the control sheet
/// (this row already appended) where a measure depends on it.
#[allow(clippy::too_many_arguments)]
async fn stats_of_transition<E: HotExec>(
    conn: &mut E,
    counts: &mut Counts,
    dossier_id: i64,
    dims: &StatDims<'_>,
    before: &DossierState,
    after: &DossierState,
    event: &EventDraft,
    now: Timestamp,
) -> Result<(), StoreError> {
    let cal = stats_calendar();
    let mut deltas = hcc_domain::stats::deltas(Some(before), after, cal);
    // Whether a paper was reused matters only at the hand-over: read then from the control sheet,
    // as the rebuild's replay reads it (this row is already appended).
    let handed_over = before.status == Status::Received && after.status == Status::InProgress;
    let reuses_papers = handed_over && sheet_reuses_a_paper(conn, dossier_id).await?;
    let facts = hcc_domain::stats::ChangeFacts { action: event.action, details: &event.details, reuses_papers };
    deltas.extend(hcc_domain::stats::change_deltas(Some(before), after, &facts));
    if deltas.is_empty() {
        return Ok(());
    }
    let day = cal.local(now).date();
    add_stats(counts, dims, day, &after.agency_code, &deltas);
    let officer = hcc_domain::stats::officer_deltas(&deltas, after);
    if !officer.is_empty() {
        // Rare (once per dossier, when its handling ends). The officer is read from the control
        // sheet as the rebuild's replay reads it — the last assignment's `handed_to`, unless a
        // forward to another agency came after it — so both find the same key.
        let last = conn
            .texts(
                "SELECT action, handed_to FROM events WHERE dossier_id = $1 AND action IN ('assign', 'forward')
                 ORDER BY seq DESC LIMIT 1",
                &[Arg::int(dossier_id)],
            )
            .await?;
        if let Some([action, u]) = last.first().map(Vec::as_slice)
            && action == "assign"
            && !u.is_empty()
        {
            add_officer_stats(counts, day, &after.agency_code, u, &officer);
        }
    }
    Ok(())
}

/// Whether a dossier's control sheet records a paper reused from the electronic store
/// (`stats::row_reuses_a_paper`): a `digitize` row whose details name `reused_from`.
async fn sheet_reuses_a_paper<E: HotExec>(conn: &mut E, dossier_id: i64) -> Result<bool, StoreError> {
    let rows = conn
        .texts(
            "SELECT details FROM events WHERE dossier_id = $1 AND action = 'digitize' AND details LIKE '%reused_from%'",
            &[Arg::int(dossier_id)],
        )
        .await?;
    for row in rows {
        let details: serde_json::Value = serde_json::from_str(row.first().map_or("", String::as_str))?;
        if hcc_domain::stats::row_reuses_a_paper(hcc_domain::lifecycle::ActionKind::Digitize, &details) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The counters a new dossier's control-sheet rows move (a receipt, or a whole imported history),
/// by the same replay the rebuild uses; summed per day, agency and measure. Pure: it needs nothing
/// but the dossier.
fn stats_of_new_dossier(
    counts: &mut Counts,
    dims: &StatDims<'_>,
    events: &[(EventDraft, EventActor, Timestamp)],
) -> Result<(), StoreError> {
    let Some(channel) = Channel::parse(dims.channel) else {
        return Err(StoreError::Corrupt(format!("channel {:?}", dims.channel)));
    };
    let mut replay = Replay::new(stats_calendar());
    // Per day and agency, every measure: one write of each counter table per group.
    let mut sums: std::collections::BTreeMap<(jiff::civil::Date, String), std::collections::BTreeMap<Measure, i64>> =
        Default::default();
    for (draft, _, at) in events {
        let step = replay.step(
            dims.point_code,
            channel,
            &ReplayEvent {
                action: draft.action,
                to_status: draft.to_status,
                at: *at,
                handed_to: draft.handed_to.as_deref(),
                details: &draft.details,
            },
        );
        for (m, n) in step.deltas {
            *sums.entry((step.day, step.agency_code.clone())).or_default().entry(m).or_default() += n;
        }
        if let Some((officer, d)) = &step.officer {
            add_officer_stats(counts, step.day, &step.agency_code, officer, d);
        }
    }
    for ((day, agency), measures) in sums {
        let deltas: Vec<(Measure, i64)> = measures.into_iter().filter(|(_, n)| *n != 0).collect();
        add_stats(counts, dims, day, &agency, &deltas);
    }
    Ok(())
}

fn push_stats_scope(q: &mut QueryBuilder<DB>, agency: &Option<String>, fields: &[String]) {
    if let Some(a) = agency {
        q.push(" AND agency_code = ").push_bind(a.clone());
    }
    if !fields.is_empty() {
        q.push(" AND field IN (");
        let mut list = q.separated(", ");
        for f in fields {
            list.push_bind(f.clone());
        }
        q.push(")");
    }
}

/// A rollup's key: month or day, dimension, value, measure.
type RollupKey = (String, &'static str, String, String);

/// The rollup rows the counters `fine` (by full key) make, per month or per day.
fn rollup_of<'a>(
    fine: impl Iterator<Item = (&'a StatKey, i64)>,
    grain: Grain,
) -> std::collections::BTreeMap<RollupKey, i64> {
    let mut out = std::collections::BTreeMap::new();
    for ((day, agency, field, procedure, point, channel, measure), n) in fine {
        let period = if grain == Grain::Month { &day[..7] } else { day.as_str() };
        for (dim, value) in rollup_keys(agency, field, procedure, point, channel) {
            *out.entry((period.to_owned(), dim, value, measure.clone())).or_default() += n;
        }
    }
    out
}

pub async fn pilot_phases(db: &Db) -> Result<Vec<PilotPhase>, StoreError> {
    let rows: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT no, name, starts_on, ends_on FROM pilot_phases ORDER BY no").fetch_all(&db.read).await?;
    let date = |s: &str| s.parse::<jiff::civil::Date>().map_err(|_| StoreError::Corrupt(format!("phase date {s:?}")));
    rows.into_iter()
        .map(|(no, name, starts, ends)| {
            Ok(PilotPhase { no, name, starts_on: date(&starts)?, ends_on: ends.as_deref().map(date).transpose()? })
        })
        .collect()
}

/// A counter's key: day, agency, field, procedure, point, channel, measure.
type StatKey = (String, String, String, String, String, String, String);
/// A stored counter: its key and value.
type StatLine = (String, String, String, String, String, String, String, i64);

/// Dossiers the rebuild replays at a time.
const REBUILD_CHUNK: i64 = 2000;

/// Recomputes every counter from the control sheets (each dossier's events replayed with
/// `stats::Replay`), compares them with the maintained ones and, when `write`, replaces them. Runs
/// in one write transaction that keeps dossier writes out meanwhile (SQLite's single writer; on
/// PostgreSQL a lock on the counters, which every dossier write takes), so nothing is counted twice
/// or missed while it runs.
pub async fn rebuild_stats(db: &Db, write: bool) -> Result<StatsRebuild, StoreError> {
    let mut tx = db.begin_write().await?;
    lock_stats(&mut tx).await?;
    let cal = stats_calendar();
    let mut expected: std::collections::BTreeMap<StatKey, i64> = Default::default();
    // Officers' rows live only in the rollups: (day, agency, officer, measure).
    let mut officers: std::collections::BTreeMap<(String, String, String, &'static str), i64> = Default::default();
    let mut report = StatsRebuild::default();
    let mut after = 0_i64;
    loop {
        let dossiers: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, point_code, channel, field, procedure_code FROM dossiers WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(REBUILD_CHUNK)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = dossiers.last().map(|d| d.0) else { break };
        let events: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(
            "SELECT dossier_id, action, to_status, at, handed_to, details FROM events
             WHERE dossier_id > $1 AND dossier_id <= $2 ORDER BY dossier_id, seq",
        )
        .bind(after)
        .bind(last)
        .fetch_all(&mut *tx)
        .await?;
        let mut rows = events.iter().peekable();
        for (id, point, channel, field, procedure) in &dossiers {
            report.dossiers += 1;
            let ch = channel_parse(channel)?;
            let mut replay = Replay::new(cal);
            while let Some((_, action, to, at, handed_to, details)) = rows.next_if(|e| e.0 == *id) {
                report.events += 1;
                let details: serde_json::Value = serde_json::from_str(details)?;
                let action = hcc_domain::lifecycle::ActionKind::parse(action)
                    .ok_or_else(|| StoreError::Corrupt(format!("action {action:?}")))?;
                let step = replay.step(
                    point,
                    ch,
                    &ReplayEvent {
                        action,
                        to_status: status_parse(to)?,
                        at: from_micros(*at),
                        handed_to: Some(handed_to.as_str()).filter(|h| !h.is_empty()),
                        details: &details,
                    },
                );
                for (m, n) in step.deltas {
                    let key = (
                        step.day.to_string(),
                        step.agency_code.clone(),
                        field.clone(),
                        procedure.clone(),
                        point.clone(),
                        channel.clone(),
                        m.as_str().to_owned(),
                    );
                    *expected.entry(key).or_default() += n;
                }
                if let Some((officer, d)) = step.officer {
                    for (m, n) in d {
                        let key = (step.day.to_string(), step.agency_code.clone(), officer.clone(), m.as_str());
                        *officers.entry(key).or_default() += n;
                    }
                }
            }
        }
        after = last;
    }
    let maintained: Vec<StatLine> = sqlx::query_as(
        "SELECT day, agency_code, field, procedure_code, point_code, channel, measure, n FROM stats WHERE n <> 0",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut maintained: std::collections::BTreeMap<StatKey, i64> =
        maintained.into_iter().map(|(a, b, c, d, e, f, g, n)| ((a, b, c, d, e, f, g), n)).collect();
    report.counters = expected.len() as u64;
    for (key, n) in &expected {
        let had = maintained.remove(key).unwrap_or(0);
        if had != *n {
            report.differing += 1;
            if report.differences.len() < 50 {
                report.differences.push((format!("{key:?}"), had, *n));
            }
        }
    }
    for (key, had) in maintained {
        report.differing += 1;
        if report.differences.len() < 50 {
            report.differences.push((format!("{key:?}"), had, 0));
        }
    }
    let mut rollups = Vec::new();
    for grain in [Grain::Month, Grain::Day] {
        let mut want = rollup_of(expected.iter().map(|(k, n)| (k, *n)), grain);
        for ((day, agency, officer, m), n) in &officers {
            let period = if grain == Grain::Month { day[..7].to_owned() } else { day.clone() };
            *want.entry((period, "officer", format!("{agency}|{officer}"), (*m).to_owned())).or_default() += n;
        }
        let (table, col) = (grain.table(), grain.column());
        let stored: Vec<(String, String, String, String, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {col}, dim, value, measure, n FROM {table} WHERE n <> 0")))
                .fetch_all(&mut *tx)
                .await?;
        let mut stored: std::collections::BTreeMap<(String, String, String, String), i64> =
            stored.into_iter().map(|(a, b, c, d, n)| ((a, b, c, d), n)).collect();
        for ((period, dim, value, measure), n) in &want {
            let had = stored.remove(&(period.clone(), (*dim).to_owned(), value.clone(), measure.clone())).unwrap_or(0);
            if had != *n {
                report.differing += 1;
                if report.differences.len() < 50 {
                    report.differences.push((format!("{table} {period} {dim} {value} {measure}"), had, *n));
                }
            }
        }
        for (key, had) in stored {
            report.differing += 1;
            if report.differences.len() < 50 {
                report.differences.push((format!("{table} {key:?}"), had, 0));
            }
        }
        rollups.push((grain, want));
    }
    // The open counts are a gauge, not a history: they are recomputed from the dossiers as they
    // stand, which this transaction holds still.
    let want_open = open_counts_of_dossiers(&mut tx).await?;
    let stored: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT dim, value, status, n FROM open_counts WHERE n <> 0").fetch_all(&mut *tx).await?;
    let mut stored: std::collections::BTreeMap<(String, String, String), i64> =
        stored.into_iter().map(|(d, v, s, n)| ((d, v, s), n)).collect();
    report.counters += want_open.len() as u64;
    let mut differs = |key: String, had: i64, want: i64| {
        report.differing += 1;
        if report.differences.len() < 50 {
            report.differences.push((key, had, want));
        }
    };
    for ((dim, value, status), n) in &want_open {
        let had = stored.remove(&((*dim).to_owned(), value.clone(), (*status).to_owned())).unwrap_or(0);
        if had != *n {
            differs(format!("open_counts {dim} {value} {status}"), had, *n);
        }
    }
    for ((dim, value, status), had) in stored {
        differs(format!("open_counts {dim} {value} {status}"), had, 0);
    }
    if write {
        sqlx::query("DELETE FROM open_counts").execute(&mut *tx).await?;
        write_open_counts(&mut tx, &want_open).await?;
        for (grain, want) in rollups {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {}", grain.table()))).execute(&mut *tx).await?;
            let rows: Vec<RollupRow> =
                want.into_iter().map(|((period, dim, value, measure), n)| (period, dim, value, measure, n)).collect();
            write_rollup(&mut *tx, grain, &rows).await?;
        }
        sqlx::query("DELETE FROM stats").execute(&mut *tx).await?;
        let rows: Vec<(&StatKey, &i64)> = expected.iter().collect();
        for chunk in rows.chunks(500) {
            let mut q: QueryBuilder<DB> = QueryBuilder::new(
                "INSERT INTO stats (day, agency_code, field, procedure_code, point_code, channel, measure, n) ",
            );
            q.push_values(chunk, |mut b, ((day, agency, field, procedure, point, channel, measure), n)| {
                b.push_bind(day.clone())
                    .push_bind(agency.clone())
                    .push_bind(field.clone())
                    .push_bind(procedure.clone())
                    .push_bind(point.clone())
                    .push_bind(channel.clone())
                    .push_bind(measure.clone())
                    .push_bind(**n);
            });
            q.build().execute(&mut *tx).await?;
        }
        bump_stats_generation(&mut *tx).await?;
        report.written = true;
    }
    tx.commit().await?;
    db.sums_cache.clear();
    Ok(report)
}

/// Fills the counters directly with `rows` (benchmarks: a year of a large city's counters without
/// its dossiers). Adds to what is there.
pub async fn load_stats(db: &Db, rows: &[(String, StatRow)]) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let counts: Vec<CountRow> = rows
        .iter()
        .map(|(day, r)| {
            let key = [day, &r.agency_code, &r.field, &r.procedure_code, &r.point_code, &r.channel, &r.measure];
            (CountKey::new(key.map(String::as_str)), r.n)
        })
        .collect();
    crate::exec::upsert_counts(&mut *tx, Counters::Stats, &counts).await?;
    let keys: Vec<(StatKey, i64)> = rows
        .iter()
        .map(|(day, r)| {
            let key = (
                day.clone(),
                r.agency_code.clone(),
                r.field.clone(),
                r.procedure_code.clone(),
                r.point_code.clone(),
                r.channel.clone(),
                r.measure.clone(),
            );
            (key, r.n)
        })
        .collect();
    for grain in [Grain::Month, Grain::Day] {
        let rows: Vec<RollupRow> = rollup_of(keys.iter().map(|(k, n)| (k, *n)), grain)
            .into_iter()
            .map(|((period, dim, value, measure), n)| (period, dim, value, measure, n))
            .collect();
        write_rollup(&mut *tx, grain, &rows).await?;
    }
    bump_stats_generation(&mut *tx).await?;
    tx.commit().await?;
    db.sums_cache.clear();
    Ok(())
}
