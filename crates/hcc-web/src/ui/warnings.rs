//! `/canh-bao`: the early warnings still standing for the signed-in officer — the dossiers whose
//! current step is due soon or overdue (the warning job's `due_soon`, `overdue`) or escalated to
//! the supervisors. Each sees their own part: a specialist the dossiers assigned to them, a leader
//! their agency's, the counter staff what their point still holds, a supervisor every escalation.
//! The same warnings reach them by email or SMS; this is where they act on them.

use super::{WebUser, render};
use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::actor::Role;
use hcc_store::notify::WarningScope;
use hcc_templates::pages::{WarningRow, WarningsPage};
use serde::Deserialize;

/// Warnings per page.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct WarningsQuery {
    /// The cursor: `DUE_MICROS.ID` of the previous page's last row.
    #[serde(default)]
    after: String,
}

/// The warnings a role sees, or why it sees none.
fn scope_of(user: &WebUser) -> AppResult<WarningScope> {
    let a = &user.actor;
    let missing = || AppError::forbidden("Tài khoản chưa được gán cơ quan hoặc điểm tiếp nhận");
    Ok(match a.role {
        Role::Specialist => WarningScope {
            agency: Some(a.agency.clone().ok_or_else(missing)?),
            assignee: Some(a.user_id),
            ..Default::default()
        },
        Role::Leader => WarningScope { agency: Some(a.agency.clone().ok_or_else(missing)?), ..Default::default() },
        Role::Reception | Role::Postal => {
            WarningScope { point: Some(a.point.clone().ok_or_else(missing)?), ..Default::default() }
        }
        Role::Supervisor => WarningScope { kind: Some("escalated".into()), ..Default::default() },
        Role::Admin => return Err(AppError::forbidden("Quản trị viên không xử lý hồ sơ")),
    })
}

fn kind_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "due_soon" => ("Sắp đến hạn", "today"),
        "overdue" => ("Quá hạn", "late"),
        "escalated" => ("Quá hạn, đã báo cáo vượt cấp", "late"),
        _ => ("Cảnh báo", ""),
    }
}

/// `GET /canh-bao`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<WarningsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    }
}

async fn build(state: &AppState, user: &WebUser, q: &WarningsQuery) -> AppResult<WarningsPage> {
    let scope = scope_of(user)?;
    let mut items = state.store.active_warnings(&scope, super::due_cursor(&q.after), PAGE + 1).await?;
    let next_href = match items.len() > PAGE as usize {
        true => {
            items.truncate(PAGE as usize);
            items.last().map(|w| format!("/canh-bao?after={}.{}", w.due_at.as_microsecond(), w.id)).unwrap_or_default()
        }
        false => String::new(),
    };
    let now = hcc_store::model::now();
    let rows = items
        .iter()
        .map(|w| {
            let (label, class) = kind_label(&w.kind);
            WarningRow {
                kind: label,
                class: if w.due_at < now { "late" } else { class },
                code: w.code.clone(),
                procedure_name: w.procedure_name.clone(),
                applicant_name: w.applicant_name.clone(),
                status: hcc_domain::status::Status::parse(&w.status).map_or("", |s| s.label_vi()),
                due: crate::time::display(w.due_at),
                given: crate::time::display(w.given_at),
            }
        })
        .collect();
    let heading = match user.actor.role {
        Role::Supervisor => "Hồ sơ quá hạn đã báo cáo vượt cấp",
        _ => "Cảnh báo hồ sơ sắp đến hạn, quá hạn",
    };
    Ok(WarningsPage { l: user.layout(heading, "/canh-bao"), heading, rows, next_href })
}
