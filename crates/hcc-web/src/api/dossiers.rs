//! Reading dossiers: `GET /api/v1/dossiers/{code}`, `GET /api/v1/dossiers?…`,
//! `GET /api/v1/dossiers/{code}/events` (the control sheet).

use super::{decode_cursor, encode_cursor};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::time::{local, local_opt};
use axum::Json;
use axum::extract::State;
use hcc_domain::actor::{Actor, Role};
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::lifecycle;
use hcc_domain::permission::{self, DossierScope};
use hcc_domain::status::Status;
use hcc_store::{Applicant, ChecklistItem, DossierListing, DossierQuery, DossierRecord, EventRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A dossier as staff see it.
#[derive(Serialize, ToSchema)]
pub struct DossierView {
    pub code: String,
    pub status: String,
    pub status_label: String,
    /// The national portal's status code (1–10).
    pub portal_status: u8,
    pub procedure_code: String,
    pub procedure_version: i64,
    pub procedure_name: String,
    pub field: String,
    pub channel: String,
    pub point_code: String,
    pub agency_code: String,
    pub assignee_id: Option<i64>,
    pub routing_rule: String,
    #[schema(value_type = Object)]
    pub applicant: Applicant,
    pub subject_commune: Option<String>,
    pub request_summary: String,
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<ChecklistItem>,
    pub return_method: String,
    pub submitted_at: String,
    pub received_at: Option<String>,
    /// The appointment in force (hẹn trả kết quả).
    pub due_at: Option<String>,
    pub original_due_at: Option<String>,
    pub clock_stopped_at: Option<String>,
    pub step_index: u32,
    pub step_due_at: Option<String>,
    pub supplement_requests: u32,
    pub new_appointments: u32,
    pub late_steps: u32,
    pub approved: bool,
    pub handled_at: Option<String>,
    pub finished_at: Option<String>,
    /// Against the appointment: early, on_time, late (finished); not_due, due_soon, overdue, stopped (open).
    pub progress: Option<String>,
    pub progress_label: Option<String>,
    /// Send it back as `expected_version` with an action to refuse lost updates.
    pub version: i64,
}

impl DossierView {
    pub fn of(d: &DossierRecord, calendar: &WorkingCalendar, now: jiff::Timestamp) -> DossierView {
        let s = &d.state;
        let progress = lifecycle::progress(s, now, calendar, lifecycle::DUE_SOON_MINUTES);
        DossierView {
            code: d.code.clone(),
            status: s.status.as_str().to_owned(),
            status_label: s.status.label_vi().to_owned(),
            portal_status: s.status.portal_code(),
            procedure_code: d.procedure_code.clone(),
            procedure_version: d.procedure_version,
            procedure_name: d.procedure_name.clone(),
            field: d.field.clone(),
            channel: s.channel.as_str().to_owned(),
            point_code: s.point_code.clone(),
            agency_code: s.agency_code.clone(),
            assignee_id: s.assignee,
            routing_rule: d.routing_rule.clone(),
            applicant: d.applicant.clone(),
            subject_commune: d.subject_commune.clone(),
            request_summary: d.request_summary.clone(),
            documents: d.documents.clone(),
            return_method: d.return_method.clone(),
            submitted_at: local(d.submitted_at),
            received_at: local_opt(s.received_at),
            due_at: local_opt(s.due_at),
            original_due_at: local_opt(s.original_due_at),
            clock_stopped_at: local_opt(s.clock_stopped_at),
            step_index: s.step_index,
            step_due_at: local_opt(s.step_due_at),
            supplement_requests: s.supplement_requests,
            new_appointments: s.new_appointments,
            late_steps: s.late_steps,
            approved: s.approved,
            handled_at: local_opt(s.handled_at),
            finished_at: local_opt(s.finished_at),
            progress: progress.map(|p| p.as_str().to_owned()),
            progress_label: progress.map(|p| p.label_vi().to_owned()),
            version: d.version,
        }
    }
}

/// Loads a dossier the actor may read, or answers 404 (the same answer as for a code that does
/// not exist, so codes of other agencies' dossiers cannot be probed).
pub async fn load_readable(state: &AppState, actor: &Actor, code: &str) -> AppResult<(DossierRecord, Vec<String>)> {
    let not_found = || AppError::not_found(format!("Không tìm thấy hồ sơ {code}"));
    if code.len() > 40 {
        return Err(not_found());
    }
    let d = state.store.get_dossier(code).await?.ok_or_else(not_found)?;
    let involved = state.store.involved_agencies(d.id).await?;
    let scope = DossierScope {
        point_code: &d.state.point_code,
        agency_code: &d.state.agency_code,
        involved_agencies: &involved,
    };
    if !permission::can_read(actor, &scope) {
        return Err(not_found());
    }
    Ok((d, involved))
}

/// A dossier with the applicant's data. The read is logged.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", tag = "dossiers", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = DossierView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_dossier(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<DossierView>> {
    let (d, _) = load_readable(&state, &actor, &code).await?;
    state.store.log_staff_read(actor.user_id, d.id, "dossier", hcc_store::model::now()).await?;
    Ok(Json(DossierView::of(&d, &state.calendar(), hcc_store::model::now())))
}

/// One row of the control sheet.
#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub actor_name: String,
    pub role: String,
    pub unit: String,
    pub action: String,
    pub action_label: String,
    pub from_status: String,
    pub to_status: String,
    pub step_name: String,
    pub step_due_at: Option<String>,
    /// `early`, `on_time`, `late` or empty.
    pub step_outcome: String,
    pub handed_to: String,
    pub note: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl EventView {
    pub fn of(e: &EventRecord) -> EventView {
        let label = hcc_domain::lifecycle::ActionKind::parse(&e.action).map_or(e.action.as_str(), |a| a.label_vi());
        EventView {
            seq: e.seq,
            at: local(e.at),
            actor: e.actor.clone(),
            actor_name: e.actor_name.clone(),
            role: e.role.clone(),
            unit: e.unit.clone(),
            action: e.action.clone(),
            action_label: label.to_owned(),
            from_status: e.from_status.clone(),
            to_status: e.to_status.clone(),
            step_name: e.step_name.clone(),
            step_due_at: local_opt(e.step_due_at),
            step_outcome: e.step_outcome.clone(),
            handed_to: e.handed_to.clone(),
            note: e.note.clone(),
            details: e.details.clone(),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventsResponse {
    pub code: String,
    pub events: Vec<EventView>,
}

/// The control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ): every hand-over, oldest first.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/events", tag = "dossiers", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = EventsResponse), (status = 404, body = ErrorBody)))]
pub async fn get_events(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<EventsResponse>> {
    let (d, _) = load_readable(&state, &actor, &code).await?;
    let events = state.store.events(d.id).await?;
    Ok(Json(EventsResponse { code: d.code, events: events.iter().map(EventView::of).collect() }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierListQuery {
    pub status: Option<String>,
    pub agency: Option<String>,
    pub procedure: Option<String>,
    pub field: Option<String>,
    /// Reception point code.
    pub point: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`: appointment before this instant.
    pub due_before: Option<String>,
    /// `true`: open dossiers past their appointment now.
    pub overdue: Option<bool>,
    /// Username of the assignee, or `me`.
    pub assigned_to: Option<String>,
    /// Code, applicant name or ID number, with or without diacritics.
    pub text: Option<String>,
    /// Agency staff: `true` also lists dossiers that passed through the agency (liên thông).
    pub involved: Option<bool>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
}

/// A dossier as a list row: what an inbox or a supervisor's table shows, without the checklist and
/// the applicant's contact details (open the dossier for those; the read is logged).
#[derive(Serialize, ToSchema)]
pub struct DossierSummary {
    pub code: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub procedure_code: String,
    pub procedure_name: String,
    pub field: String,
    pub channel: &'static str,
    pub point_code: String,
    pub agency_code: String,
    pub assignee_id: Option<i64>,
    pub applicant_name: String,
    pub received_at: Option<String>,
    pub due_at: Option<String>,
    pub step_due_at: Option<String>,
    pub progress: Option<&'static str>,
    pub progress_label: Option<&'static str>,
    pub version: i64,
}

impl DossierSummary {
    /// The list row of `d`, taking its strings: a page is fifty rows, each made once and sent.
    pub fn of(d: DossierListing, calendar: &WorkingCalendar, now: jiff::Timestamp) -> DossierSummary {
        let t = d.timing;
        let progress = t.progress(now, calendar, lifecycle::DUE_SOON_MINUTES);
        DossierSummary {
            code: d.code,
            status: t.status.as_str(),
            status_label: t.status.label_vi(),
            procedure_code: d.procedure_code,
            procedure_name: d.procedure_name,
            field: d.field,
            channel: d.channel.as_str(),
            point_code: d.point_code,
            agency_code: d.agency_code,
            assignee_id: d.assignee,
            applicant_name: d.applicant_name,
            received_at: local_opt(t.received_at),
            due_at: local_opt(t.due_at),
            step_due_at: local_opt(d.step_due_at),
            progress: progress.map(|p| p.as_str()),
            progress_label: progress.map(|p| p.label_vi()),
            version: d.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DossierPage {
    pub items: Vec<DossierSummary>,
    pub next_cursor: Option<String>,
}

/// A list query restricted to what `actor` may see — the one place where list visibility is
/// decided, for the API and the staff app alike. Agency staff see their agency's dossiers (with
/// `involved`, also those that passed through it); counter staff their point's; supervisors all.
pub fn scoped_query(actor: &Actor, involved: bool) -> AppResult<DossierQuery> {
    let mut query = DossierQuery::default();
    match actor.role {
        Role::Supervisor => {}
        Role::Specialist | Role::Leader if involved => query.involved_agency = actor.agency.clone(),
        Role::Specialist | Role::Leader => query.visible_to_agency = actor.agency.clone(),
        Role::Reception | Role::Postal => query.visible_to_point = actor.point.clone(),
        Role::Admin => return Err(AppError::forbidden("Quản trị hệ thống không xem hồ sơ")),
    }
    let scoped =
        query.visible_to_agency.is_some() || query.involved_agency.is_some() || query.visible_to_point.is_some();
    if !scoped && actor.role != Role::Supervisor {
        return Err(AppError::forbidden("Tài khoản chưa được gán cơ quan hoặc điểm tiếp nhận"));
    }
    Ok(query)
}

/// Dossiers the caller may see, newest first, filtered.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers", security(("bearer" = [])), params(DossierListQuery),
    responses((status = 200, body = DossierPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_dossiers(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(q): ApiQuery<DossierListQuery>,
) -> AppResult<Json<DossierPage>> {
    let mut query = scoped_query(&actor, q.involved == Some(true))?;
    query.limit = q.limit.unwrap_or(50).clamp(1, 200);
    if let Some(s) = &q.status {
        if Status::parse(s).is_none() {
            return Err(AppError::bad_request("invalid_status", format!("Trạng thái không hợp lệ: {s}")));
        }
        query.status = Some(s.clone());
    }
    let too_long = |s: &Option<String>| s.as_ref().is_some_and(|s| s.len() > 200);
    if too_long(&q.text) || too_long(&q.agency) || too_long(&q.procedure) || too_long(&q.field) || too_long(&q.point) {
        return Err(AppError::bad_request("invalid_query", "Tham số truy vấn quá dài"));
    }
    query.agency = q.agency;
    query.procedure = q.procedure;
    query.field = q.field;
    query.point = q.point;
    query.text = q.text;
    if let Some(d) = &q.due_before {
        query.due_before = Some(crate::time::parse(d).ok_or_else(|| {
            AppError::bad_request("invalid_query", "due_before phải là thời điểm RFC 3339 hoặc ngày YYYY-MM-DD")
        })?);
    }
    if q.overdue == Some(true) {
        query.overdue_at = Some(hcc_store::model::now());
    }
    if let Some(who) = &q.assigned_to {
        let id = if who == "me" {
            actor.user_id
        } else {
            state
                .store
                .user_by_username(who)
                .await?
                .map(|u| u.id)
                .ok_or_else(|| AppError::bad_request("unknown_user", format!("Không có tài khoản {who}")))?
        };
        query.assignee = Some(id);
    }
    query.after_id = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let page = state.store.list_dossier_listings(&query).await?;
    let (calendar, now) = (state.calendar(), hcc_store::model::now());
    Ok(Json(DossierPage {
        items: page.items.into_iter().map(|d| DossierSummary::of(d, &calendar, now)).collect(),
        next_cursor: page.next_after.map(encode_cursor),
    }))
}
