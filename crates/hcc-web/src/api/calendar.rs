//! The editable working calendar: `GET /api/v1/calendar/days`, and for administrators
//! `PUT|DELETE /api/v1/calendar/days/{date}`. The seed holidays are data, not law: the government
//! announces extra days and swaps each year, and an administrator records them here.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hcc_domain::actor::Role;
use hcc_store::CalendarDay;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// Only this year.
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct DayView {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `holiday` (a day off) or `makeup` (a working Saturday).
    pub kind: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct DaysResponse {
    pub days: Vec<DayView>,
}

/// Holidays and make-up working days of the calendar in force.
#[utoipa::path(get, path = "/api/v1/calendar/days", tag = "calendar", security(("bearer" = [])), params(DaysQuery),
    responses((status = 200, body = DaysResponse), (status = 401, body = ErrorBody)))]
pub async fn list_days(
    State(state): State<AppState>,
    Staff(_actor): Staff,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> AppResult<Json<DaysResponse>> {
    let days = state.store.calendar_days().await?;
    Ok(Json(DaysResponse {
        days: days
            .into_iter()
            .filter(|d| q.year.is_none_or(|y| d.date.year() == y))
            .map(|d| DayView { date: d.date.to_string(), kind: d.kind, name: d.name })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct DayInput {
    /// `holiday` or `makeup`.
    pub kind: String,
    pub name: String,
}

fn admin_only(role: Role) -> AppResult<()> {
    if role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden("Chỉ quản trị hệ thống được sửa lịch làm việc"))
    }
}

fn parse_date(s: &str) -> AppResult<jiff::civil::Date> {
    s.parse().map_err(|_| AppError::bad_request("invalid_date", format!("Ngày không hợp lệ: {s} (YYYY-MM-DD)")))
}

async fn reload(state: &AppState) -> AppResult<()> {
    state.set_calendar(state.store.working_calendar().await?);
    Ok(())
}

/// Sets a day as a holiday or a make-up working day.
#[utoipa::path(put, path = "/api/v1/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, description = "YYYY-MM-DD")), request_body = DayInput,
    responses((status = 200, body = DayView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_day(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(date): ApiPath<String>,
    ApiJson(input): ApiJson<DayInput>,
) -> AppResult<Json<DayView>> {
    admin_only(actor.role)?;
    let date = parse_date(&date)?;
    if !matches!(input.kind.as_str(), "holiday" | "makeup") {
        return Err(AppError::unprocessable("invalid_field", "Loại ngày phải là holiday (nghỉ) hoặc makeup (làm bù)"));
    }
    let name = hcc_domain::text::normalize(&input.name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::unprocessable("invalid_field", "Cần nhập tên ngày (tối đa 200 ký tự)"));
    }
    let day = CalendarDay { date, kind: input.kind, name };
    state.store.put_calendar_day(&day).await?;
    reload(&state).await?;
    tracing::info!(admin = actor.username, date = %day.date, kind = day.kind, "calendar day set");
    Ok(Json(DayView { date: day.date.to_string(), kind: day.kind, name: day.name }))
}

/// Removes a day from the calendar (it becomes an ordinary day again).
#[utoipa::path(delete, path = "/api/v1/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_day(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(date): ApiPath<String>,
) -> AppResult<StatusCode> {
    admin_only(actor.role)?;
    let date = parse_date(&date)?;
    if !state.store.delete_calendar_day(date).await? {
        return Err(AppError::not_found(format!("Ngày {date} không có trong lịch")));
    }
    reload(&state).await?;
    tracing::info!(admin = actor.username, %date, "calendar day removed");
    Ok(StatusCode::NO_CONTENT)
}
