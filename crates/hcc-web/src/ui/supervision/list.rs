//! `/giam-sat/ho-so`: the dossiers behind a figure of the dashboard — the same period, scope and
//! breakdown, as a list filtered in the store (`DossierQuery`), newest first, cursor-paged.
//!
//! A counter is kept under the agency that held the dossier when it changed; the list filters on
//! the agency that holds it now. The two differ only for a dossier forwarded to another agency
//! after the counted change (liên thông).

use super::{DashQuery, Params, gauge_query, params, watched_fields};
use crate::AppState;
use crate::api::dossiers::scoped_query;
use crate::error::{AppError, AppResult};
use crate::time::display;
use crate::ui::{WebUser, enc, render};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::catalog::Channel;
use hcc_domain::status::Status;
use hcc_store::DossierQuery;
use hcc_templates::supervision::{DrillPage, DrillRow};
use serde::Deserialize;
use std::collections::HashMap;

/// Rows per page (the store caps a page at 200 whatever is asked).
pub const PAGE_SIZE: u32 = 50;

/// The list's parameters: the dashboard's, the figure (`what`) and a breakdown value.
#[derive(Deserialize, Default)]
pub struct DrillQuery {
    #[serde(flatten)]
    pub dash: DashQuery,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub procedure: String,
    #[serde(default)]
    pub point: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub cursor: String,
}

/// The statuses of an open dossier, as the gauges count them.
const OPEN: [Status; 6] = [
    Status::Received,
    Status::InProgress,
    Status::SupplementRequested,
    Status::Paused,
    Status::ResultReady,
    Status::NotSettled,
];

/// Sets the filters of figure `what` on `query`; its title.
pub fn apply_figure(
    query: &mut DossierQuery,
    what: &str,
    p: &Params,
    cal: &hcc_domain::calendar::WorkingCalendar,
    now: jiff::Timestamp,
) -> AppResult<String> {
    let period = p.instants(cal)?;
    let strs = |s: &[Status]| s.iter().map(|s| s.as_str().to_owned()).collect::<Vec<_>>();
    let g = gauge_query(p, cal, now, Vec::new());
    let micro = jiff::SignedDuration::from_micros(1);
    let title = match what {
        "received" => {
            query.received_in = Some(period);
            "Hồ sơ tiếp nhận trong kỳ"
        }
        "settled" => {
            query.settled_in = Some(period);
            "Hồ sơ giải quyết trong kỳ"
        }
        "settled_ok" | "settled_late" => {
            query.settled_in = Some(period);
            query.settled_late = Some(what == "settled_late");
            if what == "settled_late" {
                "Hồ sơ giải quyết quá hạn trong kỳ"
            } else {
                "Hồ sơ giải quyết đúng hạn, trước hạn trong kỳ"
            }
        }
        "returned" | "refused" | "withdrawn" | "stopped" => {
            query.finished_in = Some(period);
            query.status = Some(what.to_owned());
            match what {
                "returned" => "Hồ sơ đã trả kết quả trong kỳ",
                "refused" => "Hồ sơ từ chối tiếp nhận trong kỳ",
                "withdrawn" => "Hồ sơ công dân rút trong kỳ",
                _ => "Hồ sơ dừng giải quyết trong kỳ",
            }
        }
        "open" => {
            query.statuses = strs(&OPEN);
            "Hồ sơ đang giải quyết"
        }
        "overdue" => {
            query.overdue_at = Some(now);
            "Hồ sơ đã quá hạn, đang giải quyết"
        }
        "late_open" => {
            query.late_open_at = Some(period.1.min(now));
            "Hồ sơ đang giải quyết, đã quá hạn tại cuối kỳ"
        }
        "due_soon" => {
            query.statuses = strs(&[Status::Received, Status::InProgress]);
            query.due_after = Some(now - micro);
            query.due_before = Some(g.soon + micro);
            "Hồ sơ sắp đến hạn"
        }
        "paused" => {
            query.status = Some("paused".into());
            "Hồ sơ tạm dừng"
        }
        "supplement" => {
            query.status = Some("supplement_requested".into());
            "Hồ sơ chờ bổ sung"
        }
        "stuck" => {
            query.statuses = strs(&OPEN);
            query.updated_before = Some(g.stuck_before);
            "Hồ sơ không được xử lý quá thời gian"
        }
        other => return Err(AppError::bad_request("invalid_query", format!("Chỉ tiêu không hợp lệ: {other}"))),
    };
    Ok(title.to_owned())
}

/// `GET /giam-sat/ho-so`.
pub async fn list(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<DrillQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    }
}

/// A drill-down list made ready: the store query (scope, figure, breakdown value), its title and
/// the filters in words, and the names of agencies for the rows.
pub struct Prepared {
    pub query: DossierQuery,
    pub heading: String,
    pub filters: Vec<String>,
    pub params: Params,
    pub agency_names: HashMap<String, String>,
}

/// Reads and checks the list's parameters into a store query (also used by the exports).
pub async fn prepare(state: &AppState, user: &WebUser, q: &DrillQuery) -> AppResult<Prepared> {
    let cal = state.calendar();
    let now = hcc_store::model::now();
    let phases = state.store.pilot_phases().await?;
    let p = params(&q.dash, &user.actor, &phases, cal.local(now).date())?;
    // The dashboard's scope first (refuses everyone but supervisors and leaders), then the
    // list's own (a leader: their agency's dossiers).
    let mut query = scoped_query(&user.actor, false)?;
    query.agency = p.agency.clone();
    query.fields = watched_fields(state, p.watched).await?;
    query.limit = PAGE_SIZE;
    let too_long = |s: &str| s.len() > 300;
    let mut filters = vec![format!("Kỳ báo cáo: {} – {}", p.from.strftime("%d/%m/%Y"), p.to.strftime("%d/%m/%Y"))];
    if !q.field.is_empty() && !too_long(&q.field) {
        query.field = Some(q.field.clone());
        filters.push(format!("Lĩnh vực: {}", q.field));
    }
    if !q.procedure.is_empty() && !too_long(&q.procedure) {
        query.procedure = Some(q.procedure.clone());
        filters.push(format!("Thủ tục: {}", q.procedure));
    }
    if !q.point.is_empty() && !too_long(&q.point) {
        query.point = Some(q.point.clone());
        filters.push(format!("Điểm tiếp nhận: {}", q.point));
    }
    if !q.channel.is_empty() {
        let c = Channel::parse(&q.channel)
            .ok_or_else(|| AppError::bad_request("invalid_query", format!("Kênh không hợp lệ: {}", q.channel)))?;
        query.channel = Some(c.as_str().to_owned());
        filters.push(format!("Kênh: {}", c.label_vi()));
    }
    let agencies = state.agency_list().await?;
    let agency_names: HashMap<String, String> = agencies.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
    if let Some(a) = &p.agency {
        filters.push(format!("Cơ quan: {}", agency_names.get(a.as_str()).map_or(a.as_str(), |n| n.as_str())));
    }
    if p.watched {
        filters.push("Lĩnh vực trọng điểm: đất đai, đầu tư, quy hoạch, xây dựng".to_owned());
    }
    let heading = apply_figure(&mut query, &q.what, &p, &cal, now)?;
    if !q.cursor.is_empty() {
        query.after_id = Some(
            q.cursor.parse().map_err(|_| AppError::bad_request("invalid_query", "Con trỏ phân trang không hợp lệ"))?,
        );
    }
    Ok(Prepared { query, heading, filters, params: p, agency_names })
}

/// The query string of a list (without its cursor), for its pages and its exports.
pub fn keep_query(p: &Params, q: &DrillQuery) -> String {
    let mut keep = format!("{}&what={}", p.query(), enc(&q.what));
    for (k, v) in [("field", &q.field), ("procedure", &q.procedure), ("point", &q.point), ("channel", &q.channel)] {
        if !v.is_empty() {
            keep.push_str(&format!("&{k}={}", enc(v)));
        }
    }
    keep
}

async fn build(state: &AppState, user: &WebUser, q: &DrillQuery) -> AppResult<DrillPage> {
    let Prepared { query, heading, filters, params: p, agency_names } = prepare(state, user, q).await?;
    let page = state.store.list_dossier_listings(&query).await?;
    let rows = page
        .items
        .iter()
        .map(|d| DrillRow {
            code: d.code.clone(),
            href: format!("/ho-so/{}", d.code),
            applicant: d.applicant_name.clone(),
            procedure: format!("{} — {}", d.procedure_code, d.procedure_name),
            status: d.timing.status.label_vi().to_owned(),
            agency: agency_names.get(d.agency_code.as_str()).cloned().unwrap_or_else(|| d.agency_code.clone()),
            received: d.timing.received_at.map(display).unwrap_or_default(),
            appointment: d.timing.due_at.map(display).unwrap_or_default(),
            handled: d.timing.handled_at.map(display).unwrap_or_default(),
        })
        .collect();
    let keep = keep_query(&p, q);
    let next_href = page.next_after.map(|id| format!("/giam-sat/ho-so?{keep}&cursor={id}")).unwrap_or_default();
    Ok(DrillPage {
        l: user.layout(&heading, "/giam-sat"),
        heading,
        filters,
        back: format!("/giam-sat?{}", p.query()),
        rows,
        next_href,
        csv_href: format!("/giam-sat/ho-so.csv?{keep}"),
        xlsx_href: format!("/giam-sat/ho-so.xlsx?{keep}"),
    })
}
