//! `/quan-tri/…`: the administration pages, for administrators only. Each section has its own
//! module (the catalog, its import, agencies and points, accounts, the calendar). Every change is
//! checked on the server, comes back beside its field with what was typed when refused, and is
//! written with its row of the administrators' log in one transaction ([`apply`]).

pub mod accounts;
pub mod calendar;
pub mod import;
pub mod procedures;
pub mod units;

use super::{WebUser, render};
use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use hcc_domain::actor::Role;
use hcc_store::{AdminAuditEntry, AdminChange, AdminOutcome};
use hcc_templates::Lang;
use hcc_templates::admin::{AdminIndexPage, AdminMsg, AuditRow};
use std::collections::HashMap;

/// The administration routes (the catalog import is an upload: see [`upload_routes`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/quan-tri", get(index))
        .route("/quan-tri/thu-tuc", get(procedures::list))
        .route("/quan-tri/thu-tuc/nhap", get(import::form))
        .route("/quan-tri/thu-tuc/{code}", get(procedures::page).post(procedures::publish))
        .route("/quan-tri/thu-tuc/{code}/quy-dinh-tep", post(procedures::file_rules))
        .route("/quan-tri/co-quan", get(units::agencies).post(units::save_agency))
        .route("/quan-tri/diem-tiep-nhan", get(units::points).post(units::save_point))
        .route("/quan-tri/tai-khoan", get(accounts::list).post(accounts::create))
        .route("/quan-tri/tai-khoan/{username}", get(accounts::page).post(accounts::save_scope))
        .route("/quan-tri/tai-khoan/{username}/khoa", post(accounts::lock))
        .route("/quan-tri/tai-khoan/{username}/mat-khau", post(accounts::reset_password))
        .route("/quan-tri/lich", get(calendar::page).post(calendar::save))
        .route("/quan-tri/lich/xoa", post(calendar::delete))
}

/// The catalog import takes files: mounted with the uploads, outside the small body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/quan-tri/thu-tuc/nhap", post(import::upload))
}

/// The answer for anyone but an administrator: 403, in the layout.
pub fn refuse_non_admin(user: &WebUser) -> Option<Response> {
    (user.actor.role != Role::Admin)
        .then(|| user.error_page(AppError::forbidden("Chỉ quản trị hệ thống được dùng trang quản trị")))
}

/// The messages of the user's language.
pub fn msg(user: &WebUser) -> &'static AdminMsg {
    AdminMsg::of(user.lang)
}

/// A posted form's fields, trimmed; the last value of a repeated name wins.
pub fn fields(pairs: Vec<(String, String)>) -> HashMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k, v.trim().to_owned())).collect()
}

/// An administrator's posted form, its token checked: other roles get 403, a form without the
/// session's token is answered as expired, before any field is read.
pub struct AdminPost {
    pub user: WebUser,
    /// The form's fields, trimmed.
    pub v: HashMap<String, String>,
}

impl FromRequest<AppState> for AdminPost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = WebUser::from_request_parts(&mut parts, state).await?;
        if let Some(r) = refuse_non_admin(&user) {
            return Err(r);
        }
        let form = Form::<Vec<(String, String)>>::from_request(Request::from_parts(parts, body), state).await;
        let Ok(Form(pairs)) = form else { return Err(user.form_expired()) };
        let v = fields(pairs);
        if !user.csrf_ok(v.get("csrf")) {
            return Err(user.form_expired());
        }
        Ok(AdminPost { user, v })
    }
}

/// Writes an administrator's change with its log row (one transaction).
pub async fn apply(
    state: &AppState,
    user: &WebUser,
    change: AdminChange,
    action: &str,
    target: &str,
    detail: String,
) -> AppResult<AdminOutcome> {
    let audit = AdminAuditEntry {
        at: jiff::Timestamp::now(),
        user_id: user.actor.user_id,
        username: user.actor.username.clone(),
        action: action.to_owned(),
        target: target.to_owned(),
        detail,
    };
    let outcome = state.store.admin_apply(&change, &audit).await?;
    tracing::info!(admin = user.actor.username, action, target, "administrative change");
    Ok(outcome)
}

/// The log's latest rows (of one target when given), display-ready.
pub async fn log_rows(state: &AppState, target: Option<&str>, limit: u32) -> AppResult<Vec<AuditRow>> {
    Ok(state
        .store
        .admin_audit(target, limit)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: crate::time::display(e.at),
            username: e.username,
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect())
}

/// `notice` for a page reached after a change (`?da-luu=1`).
pub fn saved_notice(lang: Lang, saved: bool) -> String {
    if saved { AdminMsg::of(lang).saved.to_owned() } else { String::new() }
}

/// `GET /quan-tri`.
pub async fn index(State(state): State<AppState>, user: WebUser) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let m = msg(&user);
    match log_rows(&state, None, 50).await {
        Ok(log) => render(StatusCode::OK, &AdminIndexPage { l: user.layout(m.admin_title, "/quan-tri"), m, log }),
        Err(e) => user.error_page(e),
    }
}
