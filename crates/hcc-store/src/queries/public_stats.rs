// The public figures of the transparency page and the procedure guide's search.
// Part of the shared query set (see common.rs): included into each backend module.
//
// The figures are aggregate queries over the dossiers table (one GROUP BY per view) and are
// read through `public_stats` only, so an incrementally maintained statistics table can take
// their place without touching the web edge.

use crate::public::{ProcedureFilter, PublicFigures, PublicStats, StatsPeriod};

/// The counting columns shared by both groupings. "Late" follows the national index: handled
/// after the first appointment (a new date set by an apology does not make it on time), or asked
/// for a supplement more than once; open dossiers count as in progress, and as overdue when past
/// their appointment at `now`.
const FIGURE_COLUMNS: &str = "COUNT(*) AS received,
    COUNT(CASE WHEN d.handled_at IS NOT NULL AND d.supplement_requests <= 1
               AND d.handled_at <= COALESCE(d.original_due_at, d.due_at) THEN 1 END) AS on_time,
    COUNT(CASE WHEN d.handled_at IS NOT NULL AND (d.supplement_requests > 1
               OR d.handled_at > COALESCE(d.original_due_at, d.due_at)) THEN 1 END) AS late,
    COUNT(CASE WHEN d.handled_at IS NULL AND d.finished_at IS NULL THEN 1 END) AS in_progress,
    COUNT(CASE WHEN d.handled_at IS NULL AND d.finished_at IS NULL AND d.due_at < $3 THEN 1 END) AS overdue,
    COUNT(CASE WHEN d.new_appointments > 0 THEN 1 END) AS apologies";

fn figures_of(row: &DbRow) -> Result<PublicFigures, StoreError> {
    Ok(PublicFigures {
        key: row.try_get("key")?,
        label: row.try_get("label")?,
        received: row.try_get("received")?,
        on_time: row.try_get("on_time")?,
        late: row.try_get("late")?,
        in_progress: row.try_get("in_progress")?,
        overdue: row.try_get("overdue")?,
        apologies: row.try_get("apologies")?,
    })
}

/// The public figures of the dossiers received in `period`, per agency (the one settling the
/// dossier now) and per field, largest first.
pub async fn public_stats(db: &Db, period: StatsPeriod, now: Timestamp) -> Result<PublicStats, StoreError> {
    let by_agency = format!(
        "SELECT d.agency_code AS key, a.name AS label, {FIGURE_COLUMNS}
         FROM dossiers d JOIN agencies a ON a.code = d.agency_code
         WHERE d.received_at >= $1 AND d.received_at < $2
         GROUP BY d.agency_code, a.name ORDER BY received DESC, key"
    );
    let by_field = format!(
        "SELECT d.field AS key, d.field AS label, {FIGURE_COLUMNS}
         FROM dossiers d
         WHERE d.received_at >= $1 AND d.received_at < $2
         GROUP BY d.field ORDER BY received DESC, key"
    );
    let mut out = PublicStats::default();
    for (sql, into) in [(by_agency, &mut out.by_agency), (by_field, &mut out.by_field)] {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(micros(period.from))
            .bind(micros(period.to))
            .bind(micros(now))
            .fetch_all(&db.read)
            .await?;
        *into = rows.iter().map(figures_of).collect::<Result<_, _>>()?;
    }
    Ok(out)
}

/// Current procedures for the public guide: every folded word of the text must occur in the
/// code, name or field (so "dang ky dat dai" finds "Đăng ký đất đai…"), optionally one field and
/// one level, ordered by code after `after_code`.
pub async fn search_procedures(db: &Db, f: &ProcedureFilter) -> Result<Vec<Procedure>, StoreError> {
    let mut q: QueryBuilder<DB> = QueryBuilder::new("SELECT data FROM procedures WHERE is_current = 1");
    let folded = f.text.as_deref().map(hcc_domain::text::fold).unwrap_or_default();
    for word in folded.split(' ').filter(|w| !w.is_empty()).take(12) {
        q.push(" AND search_text LIKE ").push_bind(format!("%{}%", escape_like(word))).push(" ESCAPE '\\'");
    }
    if let Some(field) = f.field.as_deref().filter(|s| !s.is_empty()) {
        q.push(" AND field = ").push_bind(field.to_owned());
    }
    if let Some(level) = f.level.as_deref().filter(|s| !s.is_empty()) {
        q.push(" AND level LIKE ").push_bind(format!("%{}%", escape_like(level))).push(" ESCAPE '\\'");
    }
    if let Some(a) = f.after_code.as_deref() {
        q.push(" AND code > ").push_bind(a.to_owned());
    }
    q.push(" ORDER BY code LIMIT ").push_bind(i64::from(f.limit));
    let rows: Vec<String> = q.build_query_scalar().fetch_all(&db.read).await?;
    rows.iter().map(|d| serde_json::from_str(d).map_err(StoreError::from)).collect()
}
