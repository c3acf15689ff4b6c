// The open dossiers now: `open_counts` (migration 0016) kept as the dossiers move, and the
// dashboard's gauges read from it (city-wide) or from the agency's open dossiers (a leader's
// view), with only the clock-dependent figures counted from index ranges.
// Part of the shared query set (see common.rs): included into each backend module after stats.rs.

/// The statuses of an open dossier ([`Status::is_open`]). Migrations 0015 and 0016 repeat this
/// list word for word: change them together.
const OPEN_STATUSES: &str = "'received', 'in_progress', 'supplement_requested', 'paused', 'result_ready', 'not_settled'";

/// The statuses whose clock runs towards the due time: only these are overdue or due soon (a
/// stopped clock is neither, and a dossier with its result ready has ended its handling).
const RUNNING_STATUSES: &str = "'received', 'in_progress'";

/// The rows of `open_counts` (migration 0016) one open dossier is counted in: the city-wide
/// dimensions, the same within its agency (a leader's view) and within its field (the watched
/// fields' view).
fn open_keys(agency: &str, dims: &StatDims<'_>) -> Vec<(&'static str, String)> {
    let (field, procedure, point, channel) = (dims.field, dims.procedure_code, dims.point_code, dims.channel);
    let mut keys = rollup_keys(agency, field, procedure, point, channel).to_vec();
    keys.extend([
        ("field:agency", format!("{field}|{agency}")),
        ("field:procedure", format!("{field}|{procedure}")),
        ("field:point", format!("{field}|{point}")),
        ("field:channel", format!("{field}|{channel}")),
    ]);
    keys
}

/// An `open_counts` key: dimension, value, status.
type OpenKey = (&'static str, String, &'static str);

/// Moves a dossier in the open counts: out of its keys as it was (agency and status before;
/// `None` for a new dossier), into its keys as it is. Only open statuses count; the changes are
/// netted first (a forward keeps the status and moves the agency: the city-wide 'total' and
/// 'field' rows do not change), so each row is touched once.
fn move_open_counts(counts: &mut Counts, dims: &StatDims<'_>, before: Option<(&str, Status)>, after: (&str, Status)) {
    let mut deltas: std::collections::BTreeMap<OpenKey, i64> = Default::default();
    for (side, sign) in [(before, -1), (Some(after), 1)] {
        if let Some((agency, status)) = side.filter(|(_, s)| s.is_open()) {
            for (dim, value) in open_keys(agency, dims) {
                *deltas.entry((dim, value, status.as_str())).or_default() += sign;
            }
        }
    }
    deltas.retain(|_, n| *n != 0);
    let rows = deltas
        .into_iter()
        .map(|((dim, value, status), n)| (CountKey::new([dim, &value, status]), n))
        .collect();
    counts.add(Counters::OpenCounts, rows);
}

/// Writes `open_counts` rows as they are, into an empty table (the rebuild).
async fn write_open_counts(conn: &mut Conn, rows: &std::collections::BTreeMap<OpenKey, i64>) -> Result<(), StoreError> {
    let rows: Vec<(&OpenKey, &i64)> = rows.iter().collect();
    for chunk in rows.chunks(500) {
        let mut args = Vec::with_capacity(chunk.len() * 4);
        for ((dim, value, status), n) in chunk {
            args.extend([Arg::text(dim), Arg::text(value), Arg::text(status), Arg::int(**n)]);
        }
        let sql = crate::exec::insert_values("INSERT INTO open_counts (dim, value, status, n)", 4, chunk.len());
        conn.exec(&sql, &args).await?;
    }
    Ok(())
}

/// The open counts the dossiers as they stand make (the rebuild's side of the comparison).
async fn open_counts_of_dossiers(conn: &mut Conn) -> Result<std::collections::BTreeMap<OpenKey, i64>, StoreError> {
    let rows: Vec<(String, String, String, String, String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT agency_code, field, procedure_code, point_code, channel, status, COUNT(*) FROM dossiers
         WHERE status IN ({OPEN_STATUSES}) GROUP BY agency_code, field, procedure_code, point_code, channel, status"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut out: std::collections::BTreeMap<OpenKey, i64> = Default::default();
    for (agency, field, procedure_code, point_code, channel, status, n) in rows {
        let status = status_parse(&status)?.as_str();
        let dims = StatDims { field: &field, procedure_code: &procedure_code, point_code: &point_code, channel: &channel };
        for (dim, value) in open_keys(&agency, &dims) {
            *out.entry((dim, value, status)).or_default() += n;
        }
    }
    Ok(out)
}

/// The gauges being summed: one row per dimension and value.
#[derive(Default)]
struct GaugeSums(std::collections::HashMap<(StatDim, String), GaugeRow>);

impl GaugeSums {
    fn add(&mut self, dim: StatDim, value: &str, status: &str, open: i64, overdue: i64) {
        let row = self
            .0
            .entry((dim, value.to_owned()))
            .or_insert_with(|| GaugeRow { dim, value: value.to_owned(), ..Default::default() });
        row.open += open;
        row.overdue += overdue;
        match status {
            "paused" => row.paused += open,
            "supplement_requested" => row.supplement += open,
            _ => {}
        }
    }

    /// One open dossier group of the given columns, under every dimension.
    fn add_dossiers(&mut self, cols: [&str; 5], status: &str, open: i64, overdue: i64) {
        self.add(StatDim::Total, "", status, open, overdue);
        for (dim, value) in
            [StatDim::Agency, StatDim::Field, StatDim::Procedure, StatDim::Point, StatDim::Channel].into_iter().zip(cols)
        {
            self.add(dim, value, status, open, overdue);
        }
    }

    fn finish(mut self, due_soon: i64, stuck: i64) -> Vec<GaugeRow> {
        let total =
            self.0.entry((StatDim::Total, String::new())).or_default();
        total.due_soon = due_soon;
        total.stuck = stuck;
        let mut rows: Vec<GaugeRow> = self.0.into_values().collect();
        rows.sort_by(|a, b| (a.dim, &a.value).cmp(&(b.dim, &b.value)));
        rows
    }
}

/// The open dossiers now, per dimension value: how many are open, paused, waiting for a
/// supplement and overdue, and for the whole scope how many are due soon and stuck.
///
/// Within one agency (a leader's view) the agency's open dossiers are grouped through their
/// covering index (migration 0015): their number follows one agency's work in hand. City-wide,
/// the open counts are read from `open_counts`, kept as the dossiers move (a few hundred rows
/// however many dossiers are open), and only what depends on the clock is counted from the
/// dossiers, through index ranges that hold just the dossiers in that state: overdue (running,
/// due before now), due soon, stuck (open, unchanged since `stuck_before`).
pub async fn open_gauges(db: &Db, g: &GaugeQuery) -> Result<Vec<GaugeRow>, StoreError> {
    if g.agency.is_some() {
        return open_gauges_of_agency(db, g).await;
    }
    let mut sums = GaugeSums::default();
    let mut q: QueryBuilder<DB> = QueryBuilder::new("SELECT dim, value, status, n FROM open_counts WHERE n <> 0 AND ");
    if g.fields.is_empty() {
        q.push("dim IN ('total', 'agency', 'field', 'procedure', 'point', 'channel')");
    } else {
        // The watched fields' rows: 'field' by value, the 'field:…' ones by their 'FIELD|' prefix
        // ('FIELD|…' sorts between 'FIELD|' and 'FIELD}'): index ranges.
        q.push("((dim = 'field' AND value IN (");
        let mut list = q.separated(", ");
        for f in &g.fields {
            list.push_bind(f.clone());
        }
        q.push(")) OR (dim IN ('field:agency', 'field:procedure', 'field:point', 'field:channel') AND (");
        for (i, f) in g.fields.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            q.push("(value >= ").push_bind(format!("{f}|")).push(" AND value < ").push_bind(format!("{f}}}")).push(")");
        }
        q.push(")))");
    }
    let rows: Vec<(String, String, String, i64)> = q.build_query_as().fetch_all(&db.read).await?;
    for (dim, value, status, n) in &rows {
        let (dim, value) = match (dim.as_str(), g.fields.is_empty()) {
            ("total", _) => (StatDim::Total, ""),
            ("field", false) => {
                sums.add(StatDim::Total, "", status, *n, 0);
                (StatDim::Field, value.as_str())
            }
            (name, _) => {
                let Some(dim) = StatDim::ALL.into_iter().find(|d| d.name() == name.trim_start_matches("field:"))
                else {
                    continue;
                };
                (dim, value.split_once('|').map_or(value.as_str(), |(_, v)| v))
            }
        };
        sums.add(dim, value, status, *n, 0);
    }

    let mut q: QueryBuilder<DB> = QueryBuilder::new(
        "SELECT agency_code, field, procedure_code, point_code, channel, COUNT(*) FROM dossiers WHERE status IN (",
    );
    q.push(RUNNING_STATUSES).push(") AND due_at < ").push_bind(micros(g.now));
    push_stats_scope(&mut q, &None, &g.fields);
    q.push(" GROUP BY agency_code, field, procedure_code, point_code, channel");
    let overdue: Vec<(String, String, String, String, String, i64)> = q.build_query_as().fetch_all(&db.read).await?;
    for (agency, field, procedure, point, channel, n) in &overdue {
        sums.add_dossiers([agency, field, procedure, point, channel], "", 0, *n);
    }

    let mut q: QueryBuilder<DB> = QueryBuilder::new("SELECT COUNT(*) FROM dossiers WHERE status IN (");
    q.push(RUNNING_STATUSES)
        .push(") AND due_at >= ")
        .push_bind(micros(g.now))
        .push(" AND due_at <= ")
        .push_bind(micros(g.soon));
    push_stats_scope(&mut q, &None, &g.fields);
    let due_soon: i64 = q.build_query_scalar().fetch_one(&db.read).await?;
    let mut q: QueryBuilder<DB> = QueryBuilder::new("SELECT COUNT(*) FROM dossiers WHERE status IN (");
    q.push(OPEN_STATUSES).push(") AND updated_at < ").push_bind(micros(g.stuck_before));
    push_stats_scope(&mut q, &None, &g.fields);
    let stuck: i64 = q.build_query_scalar().fetch_one(&db.read).await?;
    Ok(sums.finish(due_soon, stuck))
}

/// [`open_gauges`] within one agency: its open dossiers grouped through the covering index.
async fn open_gauges_of_agency(db: &Db, g: &GaugeQuery) -> Result<Vec<GaugeRow>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new(format!(
        "SELECT agency_code, field, procedure_code, point_code, channel, status, COUNT(*) AS open,
           SUM(CASE WHEN status IN ({RUNNING_STATUSES}) AND due_at < "
    ));
    q.push_bind(micros(g.now))
        .push(format_args!(" THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN status IN ({RUNNING_STATUSES}) AND due_at >= "))
        .push_bind(micros(g.now))
        .push(" AND due_at <= ")
        .push_bind(micros(g.soon))
        .push(" THEN 1 ELSE 0 END) AS due_soon, SUM(CASE WHEN updated_at < ")
        .push_bind(micros(g.stuck_before))
        .push(format_args!(" THEN 1 ELSE 0 END) AS stuck FROM {OPEN_GAUGES_FROM} WHERE status IN ({OPEN_STATUSES})"));
    push_stats_scope(&mut q, &g.agency, &g.fields);
    q.push(" GROUP BY agency_code, field, procedure_code, point_code, channel, status");
    let rows = q.build().fetch_all(&db.read).await?;
    let mut sums = GaugeSums::default();
    let (mut due_soon, mut stuck) = (0, 0);
    for r in &rows {
        let cols: [String; 5] = [
            r.try_get("agency_code")?,
            r.try_get("field")?,
            r.try_get("procedure_code")?,
            r.try_get("point_code")?,
            r.try_get("channel")?,
        ];
        let status: String = r.try_get("status")?;
        let overdue = r.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0);
        sums.add_dossiers(cols.each_ref().map(String::as_str), &status, r.try_get("open")?, overdue);
        due_soon += r.try_get::<Option<i64>, _>("due_soon")?.unwrap_or(0);
        stuck += r.try_get::<Option<i64>, _>("stuck")?.unwrap_or(0);
    }
    Ok(sums.finish(due_soon, stuck))
}
