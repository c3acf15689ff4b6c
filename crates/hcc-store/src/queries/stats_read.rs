// Supervision statistics, the reads of a period: the daily counters themselves (stats_rows, and
// filters the rollups cannot answer), the rollups per dimension for any period (whole months from
// stats_month, the edge days from stats_day) and the officers' figures (dimension `officer`).
// Part of the shared query set (see common.rs): included into each backend module after stats.rs.

/// The counters of a period, summed per dimension and measure.
pub async fn stats_rows(db: &Db, f: &StatsQuery) -> Result<Vec<StatRow>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(
        "SELECT agency_code, field, procedure_code, point_code, channel, measure, CAST(SUM(n) AS BIGINT) AS n FROM stats WHERE day >= ",
    );
    q.push_bind(f.from.to_string()).push(" AND day <= ").push_bind(f.to.to_string());
    push_stats_scope(&mut q, &f.agency, &f.fields);
    q.push(" GROUP BY agency_code, field, procedure_code, point_code, channel, measure");
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            Ok(StatRow {
                agency_code: r.try_get("agency_code")?,
                field: r.try_get("field")?,
                procedure_code: r.try_get("procedure_code")?,
                point_code: r.try_get("point_code")?,
                channel: r.try_get("channel")?,
                measure: r.try_get("measure")?,
                n: r.try_get::<i64, _>("n")?,
            })
        })
        .collect()
}

/// The counters of a period summed per value of one dimension and measure, from the rollups
/// ([`plan_period`]): one row per value and measure however many days and combinations the period
/// holds. The watched fields' view filters on fields, which the rollups do not key by: it sums the
/// daily counters (bounded by the period cap).
pub async fn stats_by(db: &Db, f: &StatsQuery, dim: StatDim) -> Result<Vec<StatSum>, StoreError> {
    if !f.fields.is_empty() {
        return stats_by_counters(db, f, dim).await;
    }
    let mut sums: std::collections::BTreeMap<(String, String), i64> = Default::default();
    // The running month and day, and the last finished ones, in each rollup's key form.
    let today = stats_calendar().local(Timestamp::now()).date();
    let yesterday = today.yesterday().map(|d| d.to_string()).unwrap_or_default();
    let month_start = today.first_of_month();
    let last_month = month_start.yesterday().map(|d| d.to_string()[..7].to_owned()).unwrap_or_default();
    let (today, this_month) = (today.to_string(), month_start.to_string()[..7].to_owned());
    // Kept sums are trusted only under the generation they were read in (`bump_stats_generation`).
    let generation: Option<String> =
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'stats_generation'").fetch_optional(&db.read).await?;
    let generation = generation.unwrap_or_default();
    for (grain, lo, hi, sign) in rollup_ranges(f.from, f.to) {
        let (current, previous) = match grain {
            Grain::Month => (&this_month, &last_month),
            Grain::Day => (&today, &yesterday),
        };
        let mut spans = vec![(lo.clone(), hi.clone(), false)];
        if lo < *current {
            // What is finished apart from the running month or day: it never moves (`sums_cache`).
            spans = vec![(lo.clone(), previous.clone().min(hi.clone()), true)];
            if hi >= *current {
                spans.push((current.clone(), hi.clone(), false));
            }
        }
        for (lo, hi, finished) in spans {
            let key = (generation.clone(), lo.clone(), hi.clone(), f.agency.clone(), dim);
            let rows = match db.sums_cache.get(&key).filter(|_| finished) {
                Some(rows) => rows,
                None => {
                    let rows = std::sync::Arc::new(rollup_sums(db, grain, &lo, &hi, &f.agency, dim).await?);
                    if finished {
                        db.sums_cache.put(key, rows.clone());
                    }
                    rows
                }
            };
            for r in rows.iter() {
                *sums.entry((r.value.clone(), r.measure.clone())).or_default() += sign * r.n;
            }
        }
    }
    // A month less its other days nets to nothing for a value absent from the edge days.
    Ok(sums.into_iter().filter(|(_, n)| *n != 0).map(|((value, measure), n)| StatSum { value, measure, n }).collect())
}

/// The rollup ranges a period reads ([`hcc_domain::stats::plan_period`]) and the sign each is
/// added with: the whole months from the monthly rollup ('YYYY-MM' bounds), the edge days from the
/// daily one ('YYYY-MM-DD'), and an edge that covers most of a finished month as that month (+)
/// less its other days (−).
fn rollup_ranges(from: jiff::civil::Date, to: jiff::civil::Date) -> Vec<(Grain, String, String, i64)> {
    let today = stats_calendar().local(Timestamp::now()).date();
    let plan = hcc_domain::stats::plan_period(from, to, today);
    let month = |d: jiff::civil::Date| d.to_string()[..7].to_owned();
    let mut ranges = Vec::new();
    if let Some((a, b)) = plan.months {
        ranges.push((Grain::Month, month(a), month(b), 1));
    }
    for (a, b) in plan.days {
        ranges.push((Grain::Day, a.to_string(), b.to_string(), 1));
    }
    for m in plan.month_less {
        ranges.push((Grain::Month, month(m.month.0), month(m.month.1), 1));
        for (a, b) in m.less {
            ranges.push((Grain::Day, a.to_string(), b.to_string(), -1));
        }
    }
    ranges
}

/// [`stats_by`] summed from the daily counters themselves (filters the rollups cannot answer).
async fn stats_by_counters(db: &Db, f: &StatsQuery, dim: StatDim) -> Result<Vec<StatSum>, StoreError> {
    let col = dim.column();
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!(
        "SELECT {col} AS value, measure, CAST(SUM(n) AS BIGINT) AS n FROM stats WHERE day >= "
    ));
    q.push_bind(f.from.to_string()).push(" AND day <= ").push_bind(f.to.to_string());
    push_stats_scope(&mut q, &f.agency, &f.fields);
    // PostgreSQL refuses to group by a constant: the totals group by the measure alone.
    if dim == StatDim::Total {
        q.push(" GROUP BY measure");
    } else {
        q.push(format_args!(" GROUP BY {col}, measure"));
    }
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| Ok(StatSum { value: r.try_get("value")?, measure: r.try_get("measure")?, n: r.try_get::<i64, _>("n")? }))
        .collect()
}

/// One rollup's sums over `[lo, hi]` (months or days) for one dimension, within `agency` if given.
async fn rollup_sums(
    db: &Db,
    grain: Grain,
    lo: &str,
    hi: &str,
    agency: &Option<String>,
    dim: StatDim,
) -> Result<Vec<StatSum>, StoreError> {
    let name = dim.name();
    let (table, col) = (grain.table(), grain.column());
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!(
        "SELECT value, measure, CAST(SUM(n) AS BIGINT) AS n FROM {table} WHERE {col} >= "
    ));
    q.push_bind(lo.to_owned()).push(format_args!(" AND {col} <= ")).push_bind(hi.to_owned());
    let mut prefix = None;
    match (agency, dim) {
        (None, _) => {
            q.push(" AND dim = ").push_bind(name);
        }
        (Some(a), StatDim::Total | StatDim::Agency) => {
            q.push(" AND dim = 'agency' AND value = ").push_bind(a.clone());
        }
        (Some(a), _) => {
            // 'AGENCY|…' sorts between 'AGENCY|' and 'AGENCY}' ('}' follows '|'): an index range.
            q.push(" AND dim = ")
                .push_bind(format!("agency:{name}"))
                .push(" AND value >= ")
                .push_bind(format!("{a}|"))
                .push(" AND value < ")
                .push_bind(format!("{a}}}"));
            prefix = Some(format!("{a}|"));
        }
    }
    q.push(" GROUP BY value, measure");
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| {
            let value: String = r.try_get("value")?;
            let value = match (&prefix, dim) {
                (_, StatDim::Total) => String::new(),
                (Some(p), _) => value.strip_prefix(p.as_str()).unwrap_or(&value).to_owned(),
                (None, _) => value,
            };
            Ok(StatSum { value, measure: r.try_get("measure")?, n: r.try_get::<i64, _>("n")? })
        })
        .collect()
}

/// Officers' counters over a period (dimension `officer` of the rollups, planned like
/// [`stats_by`]): one row per `AGENCY|USERNAME` and measure, within `agency` when given.
pub async fn officer_stats(
    db: &Db,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    agency: &Option<String>,
) -> Result<Vec<StatSum>, StoreError> {
    let mut sums: std::collections::BTreeMap<(String, String), i64> = Default::default();
    for (grain, lo, hi, sign) in rollup_ranges(from, to) {
        let (table, col) = (grain.table(), grain.column());
        let mut q: QueryBuilder<DB> = QueryBuilder::new(format!(
            "SELECT value, measure, CAST(SUM(n) AS BIGINT) AS n FROM {table} WHERE dim = 'officer' AND {col} >= "
        ));
        q.push_bind(lo).push(format_args!(" AND {col} <= ")).push_bind(hi);
        if let Some(a) = agency {
            q.push(" AND value >= ").push_bind(format!("{a}|")).push(" AND value < ").push_bind(format!("{a}}}"));
        }
        q.push(" GROUP BY value, measure");
        for r in q.build().fetch_all(&db.read).await? {
            *sums.entry((r.try_get("value")?, r.try_get("measure")?)).or_default() += sign * r.try_get::<i64, _>("n")?;
        }
    }
    Ok(sums.into_iter().filter(|(_, n)| *n != 0).map(|((value, measure), n)| StatSum { value, measure, n }).collect())
}

/// The head of [`officers_in_hand`]'s query, read through the open statuses' indexes.
const OFFICERS_IN_HAND: &str = "SELECT d.agency_code, u.username, COUNT(*) AS n FROM dossiers d JOIN users u ON u.id = d.assignee_id
         WHERE d.status IN ('received', 'in_progress', 'supplement_requested', 'paused') AND d.handled_at IS NULL";

/// Dossiers still being handled per agency and assignee now (an officer's work in hand), within
/// `agency` if given: counted from the open dossiers only, like the gauges. A dossier whose result
/// is ready, signed or refused on the merits (its handling ended) waits for the counter, not for
/// its officer.
pub async fn officers_in_hand(db: &Db, agency: &Option<String>) -> Result<Vec<(String, String, i64)>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(OFFICERS_IN_HAND);
    if let Some(a) = agency {
        q.push(" AND d.agency_code = ").push_bind(a.clone());
    }
    q.push(" GROUP BY d.agency_code, u.username");
    let rows = q.build().fetch_all(&db.read).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("agency_code")?, r.try_get("username")?, r.try_get::<i64, _>("n")?)))
        .collect()
}

/// The two halves of the index's "still being handled and already late at the period's end"
/// (`push_late_open_at`): the dossiers still open now, and those whose handling ended since.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LateOpen {
    StillOpen,
    HandledSince,
}

/// Pushes (without a leading AND) the index's rule for a dossier being handled at `end`, a
/// period's end (DOMAIN §Index: open dossiers are judged at the period's end): received before
/// it, its first appointment (a new date with an apology does not excuse) passed before it, its
/// handling not ended by then, and no stopped clock that stopped in time (a supplement or a pause
/// that began before the appointment holds the count). One half of it per call: the dossiers
/// still open now (small: the open dossiers) or those handled late since `end` (read through the
/// partial index of late endings, migration 0018, whose WHERE clause is repeated here).
fn push_late_open_at(q: &mut Statement, end: Timestamp, half: LateOpen) {
    const APPOINTMENT: &str = "COALESCE(original_due_at, due_at)";
    let end = micros(end);
    match half {
        LateOpen::StillOpen => {
            q.push("handled_at IS NULL AND status IN ('received', 'in_progress', 'supplement_requested', 'paused')")
        }
        LateOpen::HandledSince => {
            q.push("handled_at >= ").bind(end).push(format_args!(" AND handled_at > {APPOINTMENT}"))
        }
    };
    q.push(" AND received_at < ")
        .bind(end)
        .push(format_args!(" AND {APPOINTMENT} < "))
        .bind(end)
        .push(" AND (finished_at IS NULL OR finished_at >= ")
        .bind(end)
        .push(") AND NOT (clock_stopped_at IS NOT NULL AND clock_stopped_at < ")
        .bind(end)
        .push(format_args!(" AND clock_stopped_at <= {APPOINTMENT})"));
}

/// How many dossiers were being handled and already late at `end` (the index's judgement of the
/// open dossiers at a period's end), within `agency` if given.
pub async fn late_open_count(db: &Db, end: Timestamp, agency: &Option<String>) -> Result<i64, StoreError> {
    let mut n = 0;
    for half in [LateOpen::StillOpen, LateOpen::HandledSince] {
        let from = match half {
            LateOpen::StillOpen => "dossiers",
            LateOpen::HandledSince => HANDLED_LATE_FROM,
        };
        let mut q = Statement::new(format!("SELECT COUNT(*) FROM {from} WHERE "));
        push_late_open_at(&mut q, end, half);
        if let Some(a) = agency {
            q.push(" AND agency_code = ").bind(a);
        }
        n += sqlx::query_scalar_with::<_, i64, _>(sqlx::AssertSqlSafe(q.sql()), sqlx_args(q.args())?)
            .fetch_one(&db.read)
            .await?;
    }
    Ok(n)
}
