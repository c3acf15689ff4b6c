//! `GET /api/v1/track/{code}`: public tracking, no login. Status, steps with dates and whether
//! each was on time, the appointment, and a masked name — nothing else personal.

use crate::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::ApiPath;
use crate::time::{local, local_opt};
use axum::Json;
use axum::extract::State;
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::code::DossierCode;
use hcc_domain::lifecycle::{self, ActionKind};
use hcc_domain::status::Status;
use hcc_store::{DossierRecord, EventRecord};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TrackStep {
    pub at: String,
    pub action: String,
    pub label: String,
    pub step_name: String,
    /// `early`, `on_time`, `late` or empty.
    pub outcome: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Serialize, ToSchema)]
pub struct TrackView {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// e.g. "N***** V** A".
    pub applicant: String,
    pub status: String,
    pub status_label: String,
    pub received_at: Option<String>,
    /// The appointment in force.
    pub due_at: Option<String>,
    /// The first appointment, when a new date was set.
    pub original_due_at: Option<String>,
    pub finished_at: Option<String>,
    /// early, on_time, late, not_due, due_soon, overdue or stopped.
    pub progress: Option<String>,
    pub progress_label: Option<String>,
    pub steps: Vec<TrackStep>,
}

impl TrackView {
    pub fn of(
        d: &DossierRecord,
        events: &[EventRecord],
        calendar: &WorkingCalendar,
        now: jiff::Timestamp,
    ) -> TrackView {
        let s = &d.state;
        let progress = lifecycle::progress(s, now, calendar, lifecycle::DUE_SOON_MINUTES);
        TrackView {
            code: d.code.clone(),
            procedure_code: d.procedure_code.clone(),
            procedure_name: d.procedure_name.clone(),
            applicant: hcc_domain::text::mask_name(&d.applicant.name),
            status: s.status.as_str().to_owned(),
            status_label: s.status.label_vi().to_owned(),
            received_at: local_opt(s.received_at),
            due_at: local_opt(s.due_at),
            original_due_at: local_opt(s.original_due_at.filter(|o| Some(*o) != s.due_at)),
            finished_at: local_opt(s.finished_at),
            progress: progress.map(|p| p.as_str().to_owned()),
            progress_label: progress.map(|p| p.label_vi().to_owned()),
            steps: events
                .iter()
                .map(|e| TrackStep {
                    at: local(e.at),
                    action: e.action.clone(),
                    label: ActionKind::parse(&e.action).map_or("", |a| a.label_vi()).to_owned(),
                    step_name: e.step_name.clone(),
                    outcome: e.step_outcome.clone(),
                    status: e.to_status.clone(),
                    status_label: Status::parse(&e.to_status).map_or("", |s| s.label_vi()).to_owned(),
                })
                .collect(),
        }
    }
}

/// Loads a dossier for public tracking; malformed and unknown codes get the same "not found".
pub async fn find(state: &AppState, code: &str) -> AppResult<(DossierRecord, Vec<EventRecord>)> {
    let not_found = || AppError::not_found("Không tìm thấy hồ sơ với mã này");
    DossierCode::parse(code).map_err(|_| not_found())?;
    let d = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    let events = state.store.events(d.id).await?;
    Ok((d, events))
}

/// Public tracking of a dossier by its code.
#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "public",
    params(("code" = String, Path, description = "Dossier code, e.g. 000.00.16.H26-241001-0001")),
    responses((status = 200, body = TrackView), (status = 404, body = ErrorBody)))]
pub async fn track(State(state): State<AppState>, ApiPath(code): ApiPath<String>) -> AppResult<Json<TrackView>> {
    let (d, events) = find(&state, &code).await?;
    Ok(Json(TrackView::of(&d, &events, &state.calendar(), hcc_store::model::now())))
}
