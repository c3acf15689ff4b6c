//! `/giam-sat`: the supervisor's live picture (bảng giám sát). What happened in the period comes
//! from the statistics counters (summed over the period's days, never by scanning history); what
//! is open now comes from the open dossiers (see the store's `queries/stats.rs` for why). Every
//! figure links to the dossiers behind it (`list`). A supervisor sees every agency; a leader only
//! their own; nobody else sees this page.

mod chart;
pub mod downloads;
pub mod export;
pub mod feedback;
pub mod list;
pub mod service_index;
pub mod workload;

/// The supervision center's routes: the dashboard, the lists behind its figures and their
/// downloads.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/giam-sat", get(dashboard))
        .route("/giam-sat/ho-so", get(list::list))
        .route("/giam-sat/ho-so.csv", get(downloads::dossiers_csv))
        .route("/giam-sat/ho-so.xlsx", get(downloads::dossiers_xlsx))
        .route("/giam-sat/bao-cao.csv", get(downloads::report_csv))
        .route("/giam-sat/bao-cao.xlsx", get(downloads::report_xlsx))
        .route("/giam-sat/can-bo", get(workload::page))
        .route("/giam-sat/can-bo.csv", get(workload::csv))
        .route("/giam-sat/can-bo.xlsx", get(workload::xlsx))
        .route("/giam-sat/chi-so", get(service_index::page))
        .route("/giam-sat/phan-anh", get(feedback::page))
        .route("/giam-sat/phan-anh/{id}", axum::routing::post(feedback::answer))
}

use super::{WebUser, enc, render};
use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::actor::{Actor, Role};
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::catalog::Channel;
use hcc_domain::lifecycle::DUE_SOON_MINUTES;
use hcc_domain::stats::{self, ON_TIME_FORMULA_VI};
use hcc_store::{GaugeQuery, GaugeRow, PilotPhase, StatDim, StatSum, StatsQuery};
use hcc_templates::pages::Opt;
use hcc_templates::supervision::{BreakRow, Breakdown, Cell, Figure, SupervisionPage};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The longest period a report covers (two years of daily counters).
pub const MAX_PERIOD_DAYS: i32 = 732;
/// "Stuck" by default: no action for this many working days.
pub const STUCK_DAYS: u32 = 3;
/// Rows shown per breakdown.
const TOP_ROWS: usize = 30;

/// The dashboard's parameters, as the form sends them.
#[derive(Deserialize, Default, Clone)]
pub struct DashQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub stuck: String,
}

/// Who may see what: `None` for every agency (a supervisor), `Some` for one (a leader's own).
pub fn agency_scope(actor: &Actor, requested: &str) -> AppResult<Option<String>> {
    match actor.role {
        Role::Supervisor => Ok(Some(requested.trim()).filter(|a| !a.is_empty() && a.len() <= 60).map(str::to_owned)),
        Role::Leader => match &actor.agency {
            Some(a) => Ok(Some(a.clone())),
            None => Err(AppError::forbidden("Tài khoản lãnh đạo chưa được gán cơ quan")),
        },
        _ => Err(AppError::forbidden("Chỉ giám sát viên và lãnh đạo cơ quan xem bảng giám sát")),
    }
}

/// The period and the other settled parameters of a request.
pub struct Params {
    pub from: Date,
    pub to: Date,
    pub agency: Option<String>,
    pub watched: bool,
    pub stuck_days: u32,
    pub phase: Option<i64>,
    pub error: String,
}

fn parse_date(s: &str) -> Option<Date> {
    s.trim().parse().ok()
}

/// Reads and bounds the parameters: a period of at most [`MAX_PERIOD_DAYS`], from ≤ to; this month
/// to today by default; a pilot phase sets the period to its days.
pub fn params(q: &DashQuery, actor: &Actor, phases: &[PilotPhase], today: Date) -> AppResult<Params> {
    let agency = agency_scope(actor, &q.agency)?;
    let month_start = today.first_of_month();
    let mut error = String::new();
    let mut from = month_start;
    let mut to = today;
    let phase = q.phase.trim().parse::<i64>().ok();
    if let Some(p) = phase.and_then(|n| phases.iter().find(|p| p.no == n)) {
        from = p.starts_on;
        to = p.ends_on.unwrap_or(today).min(today.max(p.starts_on));
    } else {
        if !q.from.is_empty() {
            match parse_date(&q.from) {
                Some(d) => from = d,
                None => error = format!("Ngày không hợp lệ: {}", q.from),
            }
        }
        if !q.to.is_empty() {
            match parse_date(&q.to) {
                Some(d) => to = d,
                None => error = format!("Ngày không hợp lệ: {}", q.to),
            }
        }
    }
    let span = (to - from).get_days();
    if from > to || span > MAX_PERIOD_DAYS || !error.is_empty() {
        if error.is_empty() {
            error = format!("Kỳ báo cáo phải có ngày bắt đầu trước ngày kết thúc và dài tối đa {MAX_PERIOD_DAYS} ngày");
        }
        from = month_start;
        to = today;
    }
    let stuck_days = q.stuck.trim().parse::<u32>().ok().filter(|n| (1..=60).contains(n)).unwrap_or(STUCK_DAYS);
    Ok(Params { from, to, agency, watched: q.view == "watched", stuck_days, phase, error })
}

impl Params {
    /// The query string that keeps these parameters (for links).
    pub fn query(&self) -> String {
        let mut s = format!("from={}&to={}", self.from, self.to);
        if let Some(a) = &self.agency {
            s.push_str(&format!("&agency={}", enc(a)));
        }
        if self.watched {
            s.push_str("&view=watched");
        }
        if self.stuck_days != STUCK_DAYS {
            s.push_str(&format!("&stuck={}", self.stuck_days));
        }
        s
    }

    /// The local instants the period covers: `[from 00:00, the day after to 00:00)`.
    pub fn instants(&self, cal: &WorkingCalendar) -> AppResult<(Timestamp, Timestamp)> {
        let end = self.to.tomorrow().map_err(AppError::internal)?;
        let midnight = jiff::civil::Time::midnight();
        Ok((cal.instant(self.from.to_datetime(midnight)), cal.instant(end.to_datetime(midnight))))
    }
}

/// The fields of the watched view (a name that matches nothing when the catalog has none, so
/// the view is empty rather than everything).
pub async fn watched_fields(state: &AppState, watched: bool) -> AppResult<Vec<String>> {
    if !watched {
        return Ok(Vec::new());
    }
    let fields: Vec<String> = state.fields().await?.into_iter().filter(|f| stats::is_watched_field(f)).collect();
    Ok(if fields.is_empty() { vec!["—".to_owned()] } else { fields })
}

/// The instant `days` working days before `now` (same local time of day).
pub fn working_days_before(cal: &WorkingCalendar, now: Timestamp, days: u32) -> Timestamp {
    let local = cal.local(now);
    let mut d = local.date();
    let mut left = days;
    while left > 0 {
        match d.yesterday() {
            Ok(y) => d = y,
            Err(_) => break,
        }
        if cal.is_working_day(d) {
            left -= 1;
        }
    }
    cal.instant(d.to_datetime(local.time()))
}

/// The gauge query of "now" for these parameters.
pub fn gauge_query(p: &Params, cal: &WorkingCalendar, now: Timestamp, fields: Vec<String>) -> GaugeQuery {
    GaugeQuery {
        now,
        soon: cal.add_working_minutes(now, DUE_SOON_MINUTES),
        stuck_before: working_days_before(cal, now, p.stuck_days),
        agency: p.agency.clone(),
        fields,
    }
}

/// The counters of one row of a breakdown (or of the whole period).
#[derive(Default, Clone)]
struct Sums {
    m: HashMap<String, i64>,
    open: i64,
    overdue: i64,
    due_soon: i64,
    stuck: i64,
    paused: i64,
    supplement: i64,
}

impl Sums {
    fn get(&self, m: &str) -> i64 {
        self.m.get(m).copied().unwrap_or(0)
    }
    fn ok(&self) -> i64 {
        self.get("settled_early") + self.get("settled_on_time")
    }
    fn late(&self) -> i64 {
        self.get("settled_late")
    }
    fn rate(&self) -> String {
        rate_text(stats::on_time_rate(self.get("settled_early"), self.get("settled_on_time"), self.late()))
    }
    fn add_row(&mut self, r: &StatSum) {
        *self.m.entry(r.measure.clone()).or_default() += r.n;
    }
    fn add_gauge(&mut self, g: &GaugeRow) {
        self.open += g.open;
        self.overdue += g.overdue;
        self.due_soon += g.due_soon;
        self.stuck += g.stuck;
        self.paused += g.paused;
        self.supplement += g.supplement;
    }
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{r:.2}%").replace('.', ","))
}

fn percent(part: i64, whole: i64) -> String {
    rate_text((whole > 0).then(|| part as f64 * 100.0 / whole as f64))
}

/// A breakdown dimension: its anchor, title, the list filter it drills down with, and its
/// dimension of the counters and gauges.
struct Dim {
    id: &'static str,
    title: &'static str,
    param: &'static str,
    stat: StatDim,
}

const DIMS: [Dim; 5] = [
    Dim { id: "co-quan", title: "Theo cơ quan", param: "agency", stat: StatDim::Agency },
    Dim { id: "linh-vuc", title: "Theo lĩnh vực", param: "field", stat: StatDim::Field },
    Dim { id: "thu-tuc", title: "Theo thủ tục", param: "procedure", stat: StatDim::Procedure },
    Dim { id: "diem-tiep-nhan", title: "Theo điểm tiếp nhận", param: "point", stat: StatDim::Point },
    Dim { id: "kenh", title: "Theo kênh nộp", param: "channel", stat: StatDim::Channel },
];

/// The columns of every breakdown and the list each drills to (empty: no list).
const COLUMNS: [(&str, &str); 7] = [
    ("Tiếp nhận", "received"),
    ("Đúng, trước hạn", "settled_ok"),
    ("Quá hạn", "settled_late"),
    ("Tỷ lệ đúng hạn", ""),
    ("Đã trả kết quả", "returned"),
    ("Đang giải quyết", "open"),
    ("Quá hạn hiện tại", "overdue"),
];

fn cells(s: &Sums, href: impl Fn(&str) -> String) -> Vec<Cell> {
    let values = [
        s.get("received").to_string(),
        s.ok().to_string(),
        s.late().to_string(),
        s.rate(),
        s.get("returned").to_string(),
        s.open.to_string(),
        s.overdue.to_string(),
    ];
    COLUMNS
        .iter()
        .zip(values)
        .map(|((_, what), value)| Cell { href: if what.is_empty() { String::new() } else { href(what) }, value })
        .collect()
}

/// Names of agencies, points, procedures and channels for the tables.
struct Names {
    agencies: HashMap<String, String>,
    points: HashMap<String, String>,
    procedures: HashMap<String, String>,
}

impl Names {
    fn of(&self, dim: &str, code: &str) -> String {
        let found = match dim {
            "agency" => self.agencies.get(code),
            "point" => self.points.get(code),
            // Shown with its code: procedure names are long and several share a beginning.
            "procedure" => {
                return self.procedures.get(code).map_or_else(|| code.to_owned(), |n| format!("{code} — {n}"));
            }
            "channel" => return Channel::parse(code).map_or_else(|| code.to_owned(), |c| c.label_vi().to_owned()),
            _ => None,
        };
        found.cloned().unwrap_or_else(|| code.to_owned())
    }
}

/// `GET /giam-sat`.
pub async fn dashboard(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<DashQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let started = std::time::Instant::now();
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => {
            let mut r = render(StatusCode::OK, &page);
            super::inbox::server_timing(&mut r, started);
            r
        }
        Err(e) => user.error_page(e),
    }
}

async fn build(state: &AppState, user: &WebUser, q: &DashQuery) -> AppResult<SupervisionPage> {
    let cal = state.calendar();
    let now = hcc_store::model::now();
    let today = cal.local(now).date();
    let phases = state.store.pilot_phases().await?;
    let p = params(q, &user.actor, &phases, today)?;
    let fields = watched_fields(state, p.watched).await?;
    let query = StatsQuery { from: p.from, to: p.to, agency: p.agency.clone(), fields: fields.clone() };
    let totals_rows = state.store.stats_by(&query, StatDim::Total).await?;
    let gauges = state.store.open_gauges(&gauge_query(&p, &cal, now, fields.clone())).await?;

    let mut total = Sums::default();
    totals_rows.iter().for_each(|r| total.add_row(r));
    gauges.iter().filter(|g| g.dim == StatDim::Total).for_each(|g| total.add_gauge(g));
    let base = p.query();
    let drill = |what: &str, extra: &str| format!("/giam-sat/ho-so?{base}&what={what}{extra}");

    let fig = |label: &str, value: i64, what: &str, class: &'static str| Figure {
        label: label.to_owned(),
        value: value.to_string(),
        href: if what.is_empty() { String::new() } else { drill(what, "") },
        class,
    };
    let totals = vec![
        fig("Tiếp nhận", total.get("received"), "received", ""),
        fig("Giải quyết trước hạn", total.get("settled_early"), "settled_ok", "ok"),
        fig("Giải quyết đúng hạn", total.get("settled_on_time"), "settled_ok", "ok"),
        fig("Giải quyết quá hạn", total.late(), "settled_late", "late"),
        fig("Đã trả kết quả", total.get("returned"), "returned", ""),
        fig("Từ chối tiếp nhận", total.get("refused"), "refused", ""),
        fig("Không giải quyết", total.get("not_settled"), "", ""),
        fig("Dừng giải quyết", total.get("stopped"), "stopped", ""),
        fig("Công dân rút hồ sơ", total.get("withdrawn"), "withdrawn", ""),
        fig("Yêu cầu bổ sung", total.get("supplements"), "", ""),
        fig("Tạm dừng", total.get("pauses"), "", ""),
        fig("Xin lỗi, hẹn lại", total.get("apologies"), "", "warn"),
        fig("Gia hạn", total.get("extensions"), "", ""),
    ];
    let stuck_label = format!("Không xử lý quá {} ngày làm việc", p.stuck_days);
    let gauges_figs = vec![
        fig("Đang giải quyết", total.open, "open", ""),
        fig("Sắp đến hạn", total.due_soon, "due_soon", "warn"),
        fig("Đã quá hạn", total.overdue, "overdue", "late"),
        fig("Tạm dừng", total.paused, "paused", ""),
        fig("Chờ bổ sung", total.supplement, "supplement", ""),
        fig(&stuck_label, total.stuck, "stuck", "warn"),
    ];

    let agencies = state.agency_list().await?;
    let points = state.point_list().await?;
    let mut names = Names {
        agencies: agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect(),
        points: points.iter().map(|p| (p.code.clone(), p.name.clone())).collect(),
        procedures: HashMap::new(),
    };

    let mut breakdowns = Vec::new();
    let mut by_agency: Vec<(String, Sums)> = Vec::new();
    for dim in &DIMS {
        let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
        for r in state.store.stats_by(&query, dim.stat).await? {
            sums.entry(r.value.clone()).or_default().add_row(&r);
        }
        for g in gauges.iter().filter(|g| g.dim == dim.stat) {
            sums.entry(g.value.clone()).or_default().add_gauge(g);
        }
        let mut list: Vec<(String, Sums)> = sums.into_iter().collect();
        list.sort_by(|a, b| {
            (b.1.get("received") + b.1.open).cmp(&(a.1.get("received") + a.1.open)).then(a.0.cmp(&b.0))
        });
        let more = list.len().saturating_sub(TOP_ROWS);
        list.truncate(TOP_ROWS);
        if dim.param == "procedure" {
            for (code, _) in &list {
                if let Some(proc) = state.procedure(code, None).await? {
                    names.procedures.insert(code.clone(), proc.name.clone());
                }
            }
        }
        let rows_out = list
            .iter()
            .map(|(code, s)| BreakRow {
                name: names.of(dim.param, code),
                cells: cells(s, |what| drill(what, &format!("&{}={}", dim.param, enc(code)))),
            })
            .collect();
        if dim.param == "agency" {
            by_agency = list.clone();
        }
        breakdowns.push(Breakdown { id: dim.id, title: dim.title.to_owned(), rows: rows_out, more });
    }

    // Pilot phases: each phase's days within the period.
    let mut phase_rows = Vec::new();
    for ph in &phases {
        let from = ph.starts_on.max(p.from);
        let to = ph.ends_on.unwrap_or(today).min(p.to);
        if from > to {
            continue;
        }
        let q = StatsQuery { from, to, agency: p.agency.clone(), fields: fields.clone() };
        let mut s = Sums::default();
        state.store.stats_by(&q, StatDim::Total).await?.iter().for_each(|r| s.add_row(r));
        let scoped = Params {
            from,
            to,
            agency: p.agency.clone(),
            watched: p.watched,
            stuck_days: p.stuck_days,
            phase: None,
            error: String::new(),
        };
        let pq = scoped.query();
        let mut c = cells(&s, |what| format!("/giam-sat/ho-so?{pq}&what={what}"));
        // Open-now figures belong to no phase.
        for cell in c.iter_mut().skip(5) {
            cell.value = "—".to_owned();
            cell.href.clear();
        }
        phase_rows.push(BreakRow { name: format!("{} ({} – {})", ph.name, from, to), cells: c });
    }
    breakdowns.push(Breakdown {
        id: "giai-doan",
        title: "Theo giai đoạn thí điểm".to_owned(),
        rows: phase_rows,
        more: 0,
    });

    let chart_rows: Vec<chart::Bar> = by_agency
        .iter()
        .take(12)
        .map(|(code, s)| chart::Bar { label: names.of("agency", code), ok: s.ok(), late: s.late(), open: s.open })
        .collect();
    let chart = chart::bars("Kết quả giải quyết theo cơ quan trong kỳ", &chart_rows);

    let mut phase_opts =
        vec![Opt {
            value: String::new(), label: "— Theo ngày đã chọn —".to_owned(), selected: p.phase.is_none()
        }];
    phase_opts.extend(phases.iter().map(|ph| Opt {
        value: ph.no.to_string(),
        label: ph.name.clone(),
        selected: p.phase == Some(ph.no),
    }));
    let agency_opts = agency_opts(state, user, &p.agency).await?;
    let heading = match (&p.agency, user.actor.role) {
        (Some(a), _) => format!("Giám sát giải quyết hồ sơ — {}", names.of("agency", a)),
        (None, _) => "Giám sát giải quyết hồ sơ — toàn Thành phố".to_owned(),
    };
    let view_base = {
        let mut v = p.clone_without_view();
        v.watched = false;
        v.query()
    };
    Ok(SupervisionPage {
        l: user.layout(&heading, "/giam-sat"),
        heading,
        period: format!("{} – {}", p.from.strftime("%d/%m/%Y"), p.to.strftime("%d/%m/%Y")),
        from: p.from.to_string(),
        to: p.to.to_string(),
        phases: phase_opts,
        agencies: agency_opts,
        watched: p.watched,
        stuck_days: p.stuck_days,
        error: p.error.clone(),
        totals,
        gauges: gauges_figs,
        rate: total.rate(),
        rate_formula: format!(
            "{ON_TIME_FORMULA_VI} Trong kỳ: ({} + {}) ÷ {}.",
            total.get("settled_early"),
            total.get("settled_on_time"),
            total.ok() + total.late()
        ),
        digitized: format!(
            "{} ({} / {})",
            percent(total.get("digitized_at_receipt"), total.get("handed_over")),
            total.get("digitized_at_receipt"),
            total.get("handed_over")
        ),
        columns: COLUMNS.iter().map(|(c, _)| (*c).to_owned()).collect(),
        breakdowns,
        chart,
        workload_href: format!("/giam-sat/can-bo?{}", p.query()),
        index_href: match &p.agency {
            Some(a) => format!("/giam-sat/chi-so?month={}&agency={}", &p.to.to_string()[..7], enc(a)),
            None => format!("/giam-sat/chi-so?month={}", &p.to.to_string()[..7]),
        },
        csv_href: format!("/giam-sat/bao-cao.csv?{}", p.query()),
        xlsx_href: format!("/giam-sat/bao-cao.xlsx?{}", p.query()),
        all_href: format!("/giam-sat?{view_base}"),
        watched_href: format!("/giam-sat?{view_base}&view=watched"),
        now: crate::time::display(now),
    })
}

/// The agency picker: every agency for a supervisor; none for a leader (their own is fixed).
async fn agency_opts(state: &AppState, user: &WebUser, selected: &Option<String>) -> AppResult<Vec<Opt>> {
    if user.actor.role != Role::Supervisor {
        return Ok(Vec::new());
    }
    let agencies = state.agency_list().await?;
    let mut v =
        vec![Opt { value: String::new(), label: "Tất cả cơ quan".to_owned(), selected: selected.is_none() }];
    v.extend(agencies.iter().map(|a| Opt {
        value: a.code.clone(),
        label: a.name.clone(),
        selected: selected.as_deref() == Some(a.code.as_str()),
    }));
    Ok(v)
}

impl Params {
    fn clone_without_view(&self) -> Params {
        Params {
            from: self.from,
            to: self.to,
            agency: self.agency.clone(),
            watched: false,
            stuck_days: self.stuck_days,
            phase: None,
            error: String::new(),
        }
    }
}
