//! `/giam-sat/can-bo`: each officer's workload and results over a period (theo dõi, đánh giá cán
//! bộ) — dossiers whose handling ended while assigned to them (early, on time, late), the on-time
//! rate, the average handling time, and what they hold open now. A leader sees their agency's
//! officers; a supervisor every agency's (or one's). The settled figures come from the officer
//! rollups (written with each dossier change, never a scan of history); "in hand" counts the open
//! dossiers, like the dashboard's gauges.

use super::export::{self, Format, Table, Value};
use super::{DashQuery, Params, agency_opts, params, rate_text};
use crate::AppState;
use crate::error::AppResult;
use crate::ui::{WebUser, render};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::stats::Workload;
use hcc_templates::supervision::{WorkloadPage, WorkloadRow};
use std::collections::{BTreeMap, HashMap};

type Q = Result<Query<DashQuery>, axum::extract::rejection::QueryRejection>;

/// One officer's line: display name, agency name, figures.
struct Line {
    officer: String,
    agency: String,
    w: Workload,
}

async fn lines(state: &AppState, p: &Params) -> AppResult<Vec<Line>> {
    let mut by: BTreeMap<(String, String), Workload> = BTreeMap::new();
    for r in state.store.officer_stats(p.from, p.to, &p.agency).await? {
        let Some((agency, user)) = r.value.split_once('|') else { continue };
        by.entry((agency.to_owned(), user.to_owned())).or_default().add(&r.measure, r.n);
    }
    for (agency, user, n) in state.store.officers_in_hand(&p.agency).await? {
        by.entry((agency, user)).or_default().in_hand += n;
    }
    let users: HashMap<String, String> =
        state.store.list_users().await?.into_iter().map(|u| (u.username, u.full_name)).collect();
    let agencies: HashMap<String, String> =
        state.agency_list().await?.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
    let mut out: Vec<Line> = by
        .into_iter()
        .map(|((agency, user), w)| Line {
            officer: match users.get(&user) {
                Some(name) if !name.is_empty() => format!("{name} ({user})"),
                _ => user,
            },
            agency: agencies.get(&agency).cloned().unwrap_or(agency),
            w,
        })
        .collect();
    // Busiest first: what was handled, then what is in hand.
    out.sort_by(|a, b| (b.w.handled(), b.w.in_hand).cmp(&(a.w.handled(), a.w.in_hand)).then(a.officer.cmp(&b.officer)));
    Ok(out)
}

fn hours(w: &Workload) -> String {
    w.average_hours().map_or_else(|| "—".to_owned(), |h| format!("{h:.1} giờ").replace('.', ","))
}

/// `GET /giam-sat/can-bo`.
pub async fn page(State(state): State<AppState>, user: WebUser, q: Q) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    }
}

async fn settle(state: &AppState, user: &WebUser, q: &DashQuery) -> AppResult<Params> {
    let cal = state.calendar();
    let phases = state.store.pilot_phases().await?;
    params(q, &user.actor, &phases, cal.local(hcc_store::model::now()).date())
}

async fn build(state: &AppState, user: &WebUser, q: &DashQuery) -> AppResult<WorkloadPage> {
    let p = settle(state, user, q).await?;
    let rows = lines(state, &p)
        .await?
        .into_iter()
        .map(|l| WorkloadRow {
            officer: l.officer,
            agency: l.agency,
            handled: l.w.handled().to_string(),
            early: l.w.early.to_string(),
            on_time: l.w.on_time.to_string(),
            late: l.w.late.to_string(),
            rate: rate_text(l.w.on_time_rate()),
            average: hours(&l.w),
            in_hand: l.w.in_hand.to_string(),
        })
        .collect();
    let heading = "Theo dõi, đánh giá cán bộ giải quyết hồ sơ".to_owned();
    let query = p.query();
    Ok(WorkloadPage {
        l: user.layout(&heading, "/giam-sat"),
        heading,
        period: format!("{} – {}", p.from.strftime("%d/%m/%Y"), p.to.strftime("%d/%m/%Y")),
        from: p.from.to_string(),
        to: p.to.to_string(),
        agencies: agency_opts(state, user, &p.agency).await?,
        error: p.error.clone(),
        rows,
        back: format!("/giam-sat?{query}"),
        csv_href: format!("/giam-sat/can-bo.csv?{query}"),
        xlsx_href: format!("/giam-sat/can-bo.xlsx?{query}"),
    })
}

async fn table(state: &AppState, user: &WebUser, q: &DashQuery) -> AppResult<Table> {
    let p = settle(state, user, q).await?;
    super::downloads::refuse_bad_period(&p)?;
    let rows = lines(state, &p)
        .await?
        .into_iter()
        .map(|l| {
            vec![
                Value::Text(l.officer),
                Value::Text(l.agency),
                Value::Int(l.w.handled()),
                Value::Int(l.w.early),
                Value::Int(l.w.on_time),
                Value::Int(l.w.late),
                Value::Text(rate_text(l.w.on_time_rate())),
                Value::Text(hours(&l.w)),
                Value::Int(l.w.in_hand),
            ]
        })
        .collect();
    Ok(Table {
        file_name: format!("can-bo-{}-{}", p.from, p.to),
        title: "Cán bộ".to_owned(),
        header: [
            "Cán bộ",
            "Cơ quan",
            "Đã giải quyết",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tỷ lệ đúng hạn",
            "Thời gian giải quyết trung bình",
            "Đang xử lý",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        pages: export::ready(rows),
    })
}

async fn download(state: AppState, user: WebUser, q: Q, format: Format) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let t = match table(&state, &user, &q).await {
        Ok(t) => t,
        Err(e) => return user.error_page(e),
    };
    export::respond(t, format).await.unwrap_or_else(|e| user.error_page(e))
}

/// `GET /giam-sat/can-bo.csv`.
pub async fn csv(State(state): State<AppState>, user: WebUser, q: Q) -> Response {
    download(state, user, q, Format::Csv).await
}

/// `GET /giam-sat/can-bo.xlsx`.
pub async fn xlsx(State(state): State<AppState>, user: WebUser, q: Q) -> Response {
    download(state, user, q, Format::Xlsx).await
}
