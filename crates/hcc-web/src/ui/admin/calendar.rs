//! `/quan-tri/lich`: the working calendar of a year — public holidays and make-up working
//! Saturdays — added, changed and removed by an administrator. The calendar in force is reloaded
//! after each change, so the next due date computed uses it.

use super::{AdminPost, apply, msg, refuse_non_admin, saved_notice};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::ui::{WebUser, render, see_other};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_store::{AdminChange, AdminOutcome, CalendarDay};
use hcc_templates::Lang;
use hcc_templates::admin::{AdminForm, CalendarPage, DayRow};
use hcc_templates::pages::Opt;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

const YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    #[serde(default)]
    nam: Option<String>,
    /// A day to edit (`YYYY-MM-DD`).
    #[serde(default)]
    ngay: Option<String>,
    #[serde(default, rename = "da-luu")]
    saved: Option<String>,
}

fn weekday(lang: Lang, d: Date) -> &'static str {
    let i = d.weekday().to_monday_zero_offset() as usize;
    match lang {
        Lang::Vi => ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][i],
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i],
    }
}

/// Reads `YYYY-MM-DD` (the date picker) or `dd/mm/yyyy` (typed by hand).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let mut parts = s.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

fn today() -> Date {
    crate::time::local_date(jiff::Timestamp::now())
}

async fn calendar_page(
    state: &AppState,
    user: &WebUser,
    year: i16,
    f: AdminForm,
    error: String,
    notice: String,
    status: StatusCode,
) -> Response {
    let m = msg(user);
    let lang = user.lang;
    let days = match state.store.calendar_days().await {
        Ok(d) => d,
        Err(e) => return user.error_page(e.into()),
    };
    let rows = days
        .into_iter()
        .filter(|d| d.date.year() == year)
        .map(|d| DayRow {
            date: d.date.to_string(),
            label: format!("{} ({})", d.date.strftime("%d/%m/%Y"), weekday(lang, d.date)),
            holiday: d.kind == "holiday",
            kind: if d.kind == "holiday" { m.holiday } else { m.makeup }.to_owned(),
            edit_href: format!("/quan-tri/lich?nam={year}&ngay={}", d.date),
            name: d.name,
        })
        .collect();
    let kind = f.v("kind").to_owned();
    let kinds = [("holiday", m.holiday), ("makeup", m.makeup)]
        .into_iter()
        .map(|(v, label)| Opt { value: v.to_owned(), label: label.to_owned(), selected: v == kind })
        .collect();
    let mut l = user.layout(&format!("{} {year}", m.calendar_title), "/quan-tri");
    l.notice = notice;
    let page = CalendarPage {
        l,
        m,
        year,
        prev_href: format!("/quan-tri/lich?nam={}", year - 1),
        next_href: format!("/quan-tri/lich?nam={}", year + 1),
        rows,
        f,
        kinds,
        error,
    };
    render(status, &page)
}

/// `GET /quan-tri/lich?nam=YYYY[&ngay=YYYY-MM-DD]`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<CalendarQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let year = match q.nam.as_deref().map(str::parse::<i16>) {
        None => today().year(),
        Some(Ok(y)) if YEARS.contains(&y) => y,
        Some(_) => return user.error_page(AppError::bad_request("invalid_year", "Năm phải từ 2000 đến 2100")),
    };
    let editing = q.ngay.as_deref().and_then(parse_date);
    let mut f = AdminForm::with([("kind", "holiday")]);
    if let Some(date) = editing {
        match state.store.calendar_days().await {
            Ok(days) => {
                if let Some(d) = days.into_iter().find(|d| d.date == date) {
                    f = AdminForm::with([("date", d.date.to_string()), ("kind", d.kind), ("name", d.name)]);
                }
            }
            Err(e) => return user.error_page(e.into()),
        }
    }
    let notice = saved_notice(user.lang, q.saved.is_some());
    calendar_page(&state, &user, year, f, String::new(), notice, StatusCode::OK).await
}

/// Checks the day form; the day to store, or the errors in `f`.
pub fn check_day(date: &str, kind: &str, name: &str, f: &mut AdminForm) -> Option<CalendarDay> {
    let date = match parse_date(date) {
        Some(d) if YEARS.contains(&d.year()) => Some(d),
        Some(_) => {
            f.fail("date", "Ngày phải trong các năm 2000–2100");
            None
        }
        None => {
            f.fail("date", "Ngày không hợp lệ (dd/mm/yyyy)");
            None
        }
    };
    if !matches!(kind, "holiday" | "makeup") {
        f.fail("kind", "Chọn ngày nghỉ hoặc ngày làm bù");
    }
    // A make-up day turns a day off into a working day: on a weekday it would change nothing.
    if kind == "makeup"
        && let Some(d) = date
        && !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    {
        f.fail("date", "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật");
    }
    let name = hcc_domain::text::normalize(name);
    if name.is_empty() {
        f.fail("name", "Cần nhập tên ngày (ví dụ: Tết Nguyên đán, Nghỉ bù Quốc khánh)");
    } else if name.chars().count() > 200 {
        f.fail("name", "Tên ngày quá dài (tối đa 200 ký tự)");
    }
    if f.has_errors() {
        return None;
    }
    date.map(|date| CalendarDay { date, kind: kind.to_owned(), name })
}

async fn reload(state: &AppState) -> AppResult<()> {
    state.set_calendar(state.store.working_calendar().await?);
    Ok(())
}

/// `POST /quan-tri/lich`: add or change a day.
pub async fn save(State(state): State<AppState>, AdminPost { user, v }: AdminPost) -> Response {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let mut f = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let Some(day) = check_day(get("date"), get("kind"), get("name"), &mut f) else {
        let year =
            parse_date(get("date")).map(|d| d.year()).filter(|y| YEARS.contains(y)).unwrap_or_else(|| today().year());
        let error = msg(&user).fix_errors.to_owned();
        return calendar_page(&state, &user, year, f, error, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let (date, year) = (day.date, day.date.year());
    let what = if day.kind == "holiday" { "Ngày nghỉ" } else { "Ngày làm bù" };
    let detail = format!("{what} {}: {}", date.strftime("%d/%m/%Y"), day.name);
    let result =
        match apply(&state, &user, AdminChange::PutCalendarDay(day), "calendar.put", &date.to_string(), detail).await {
            Ok(_) => reload(&state).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(()) => see_other(&format!("/quan-tri/lich?nam={year}&da-luu=1")),
        Err(e) => user.error_page(e),
    }
}

/// `POST /quan-tri/lich/xoa`: remove a day (it becomes an ordinary day again).
pub async fn delete(State(state): State<AppState>, AdminPost { user, v }: AdminPost) -> Response {
    let Some(date) = v.get("date").and_then(|d| parse_date(d)) else {
        return user.error_page(AppError::bad_request("invalid_date", "Ngày không hợp lệ (dd/mm/yyyy)"));
    };
    let detail = format!("Xóa ngày {} khỏi lịch", date.strftime("%d/%m/%Y"));
    match apply(&state, &user, AdminChange::DeleteCalendarDay(date), "calendar.delete", &date.to_string(), detail).await
    {
        Ok(AdminOutcome::NotFound) => user.error_page(AppError::not_found(format!("Ngày {date} không có trong lịch"))),
        Ok(_) => match reload(&state).await {
            Ok(()) => see_other(&format!("/quan-tri/lich?nam={}&da-luu=1", date.year())),
            Err(e) => user.error_page(e),
        },
        Err(e) => user.error_page(e),
    }
}
