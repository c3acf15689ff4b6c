//! The download routes of the supervision pages: the dossiers behind a figure
//! (`/giam-sat/ho-so.csv|.xlsx`, every page of the list, read a page at a time) and the
//! dashboard's report (`/giam-sat/bao-cao.csv|.xlsx`: the period's figures and every breakdown).
//! Same parameters and the same scope as the pages they come from.

use super::export::{self, EXPORT_PAGE, Format, Table, Value};
use super::list::{DrillQuery, Prepared, prepare};
use super::{DashQuery, Params, build};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::time::display;
use crate::ui::WebUser;
use axum::extract::{Query, State};
use axum::response::Response;
use futures::StreamExt;
use hcc_store::{DossierQuery, DossierRecord};
use std::collections::HashMap;
use std::sync::Arc;

type Q<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

async fn answer(user: &WebUser, table: AppResult<Table>, format: Format) -> Response {
    match table {
        Ok(t) => match export::respond(t, format).await {
            Ok(r) => r,
            Err(e) => user.error_page(e),
        },
        Err(e) => user.error_page(e),
    }
}

/// `GET /giam-sat/ho-so.csv`.
pub async fn dossiers_csv(State(state): State<AppState>, user: WebUser, q: Q<DrillQuery>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    answer(&user, dossiers(&state, &user, &q).await, Format::Csv).await
}

/// `GET /giam-sat/ho-so.xlsx`.
pub async fn dossiers_xlsx(State(state): State<AppState>, user: WebUser, q: Q<DrillQuery>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    answer(&user, dossiers(&state, &user, &q).await, Format::Xlsx).await
}

/// `GET /giam-sat/bao-cao.csv`.
pub async fn report_csv(State(state): State<AppState>, user: WebUser, q: Q<DashQuery>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    answer(&user, report(&state, &user, &q).await, Format::Csv).await
}

/// `GET /giam-sat/bao-cao.xlsx`.
pub async fn report_xlsx(State(state): State<AppState>, user: WebUser, q: Q<DashQuery>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    answer(&user, report(&state, &user, &q).await, Format::Xlsx).await
}

const DOSSIER_HEADER: [&str; 15] = [
    "Mã hồ sơ",
    "Người nộp",
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Trạng thái",
    "Cơ quan đang giải quyết",
    "Điểm tiếp nhận",
    "Kênh nộp",
    "Tiếp nhận",
    "Hẹn trả",
    "Kết thúc giải quyết",
    "Hoàn thành",
    "Số lần yêu cầu bổ sung",
    "Số lần hẹn lại",
];

fn dossier_row(d: &DossierRecord, agencies: &HashMap<String, String>) -> Vec<Value> {
    let when = |t: Option<jiff::Timestamp>| Value::Text(t.map(display).unwrap_or_default());
    vec![
        d.code.clone().into(),
        d.applicant.name.clone().into(),
        d.procedure_code.clone().into(),
        d.procedure_name.clone().into(),
        d.field.clone().into(),
        d.state.status.label_vi().into(),
        agencies.get(&d.state.agency_code).cloned().unwrap_or_else(|| d.state.agency_code.clone()).into(),
        d.state.point_code.clone().into(),
        d.state.channel.label_vi().into(),
        when(d.state.received_at),
        when(d.state.due_at),
        when(d.state.handled_at),
        when(d.state.finished_at),
        i64::from(d.state.supplement_requests).into(),
        i64::from(d.state.new_appointments).into(),
    ]
}

/// Every dossier of a drill-down list, newest first, read from the store a page at a time with
/// the list's cursor.
async fn dossiers(state: &AppState, user: &WebUser, q: &DrillQuery) -> AppResult<Table> {
    let Prepared { mut query, heading, params, agency_names, .. } = prepare(state, user, q).await?;
    refuse_bad_period(&params)?;
    query.limit = EXPORT_PAGE;
    let store = state.store.clone();
    let names = Arc::new(agency_names);
    let pages = futures::stream::unfold(Some(query), move |next: Option<DossierQuery>| {
        let store = store.clone();
        let names = names.clone();
        async move {
            let mut query = next?;
            match store.list_dossiers(&query).await {
                Ok(page) => {
                    let rows = page.items.iter().map(|d| dossier_row(d, &names)).collect();
                    let more = page.next_after.map(|id| {
                        query.after_id = Some(id);
                        query
                    });
                    Some((Ok(rows), more))
                }
                Err(e) => Some((Err(e.into()), None)),
            }
        }
    })
    .boxed();
    let what: String = q.what.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(20).collect();
    Ok(Table {
        file_name: format!("ho-so-{what}-{}-{}", params.from, params.to),
        title: heading,
        header: DOSSIER_HEADER.iter().map(|h| (*h).to_owned()).collect(),
        pages,
    })
}

/// A page falls back to this month on a bad period and says so; a download must not quietly
/// deliver another period than the one asked for.
pub fn refuse_bad_period(p: &Params) -> AppResult<()> {
    if p.error.is_empty() { Ok(()) } else { Err(AppError::bad_request("invalid_period", p.error.clone())) }
}

/// A figure as a number when it is one (counts), as text otherwise (rates, "—").
fn figure(v: &str) -> Value {
    v.parse::<i64>().map_or_else(|_| Value::Text(v.to_owned()), Value::Int)
}

/// The dashboard's figures and breakdowns as one table: section, row, then the values.
async fn report(state: &AppState, user: &WebUser, q: &DashQuery) -> AppResult<Table> {
    let page = build(state, user, q).await?;
    if !page.error.is_empty() {
        return Err(AppError::bad_request("invalid_period", page.error));
    }
    let mut rows: Vec<Vec<Value>> = Vec::new();
    rows.push(vec!["Kỳ báo cáo".into(), page.period.clone().into()]);
    for f in &page.totals {
        rows.push(vec!["Trong kỳ".into(), f.label.clone().into(), figure(&f.value)]);
    }
    rows.push(vec![
        "Trong kỳ".into(),
        "Tỷ lệ giải quyết đúng hạn".into(),
        page.rate.clone().into(),
        page.rate_formula.clone().into(),
    ]);
    rows.push(vec!["Trong kỳ".into(), "Số hóa đầy đủ khi tiếp nhận".into(), page.digitized.clone().into()]);
    for f in &page.gauges {
        rows.push(vec![format!("Hiện tại ({})", page.now).into(), f.label.clone().into(), figure(&f.value)]);
    }
    for b in &page.breakdowns {
        let mut head: Vec<Value> = vec![b.title.clone().into(), String::new().into()];
        head.extend(page.columns.iter().map(|c| Value::Text(c.clone())));
        rows.push(head);
        for r in &b.rows {
            let mut line: Vec<Value> = vec![b.title.clone().into(), r.name.clone().into()];
            line.extend(r.cells.iter().map(|c| figure(&c.value)));
            rows.push(line);
        }
    }
    Ok(Table {
        file_name: format!("bao-cao-giam-sat-{}-{}", page.from, page.to),
        title: "Báo cáo giám sát".to_owned(),
        header: vec!["Bảng".into(), "Dòng".into(), "Giá trị".into()],
        pages: export::ready(rows),
    })
}
