//! `/ho-so`: the inbox (hồ sơ cần xử lý) — the dossiers the user may see, most urgent first, with
//! filters, a diacritics-insensitive search and cursor paging. An htmx request gets only the
//! table and the pager.

use super::{WebUser, enc, render};
use crate::AppState;
use crate::api::dossiers::scoped_query;
use crate::error::{AppError, AppResult};
use crate::time::display;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use hcc_domain::actor::Role;
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::status::Status;
use hcc_store::{DossierListing, urgency_key};
use hcc_templates::pages::{InboxPage, InboxRow, Opt};
use hcc_templates::{Lang, Msg};
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::HashMap;

/// Rows per page.
pub const PAGE_SIZE: u32 = 50;

/// The filters, as the form sends them.
#[derive(Deserialize, Default, Clone)]
pub struct InboxQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    point: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    cursor: String,
}

impl InboxQuery {
    /// The address of this list, on the page after `cursor` (or the first page).
    fn href(&self, cursor: Option<&str>) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("status", &self.status),
            ("due", &self.due),
            ("field", &self.field),
            ("procedure", &self.procedure),
            ("point", &self.point),
            ("mine", &self.mine),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", enc(v)));
            }
        }
        if let Some(c) = cursor {
            parts.push(format!("cursor={}", enc(c)));
        }
        if parts.is_empty() { "/ho-so".to_owned() } else { format!("/ho-so?{}", parts.join("&")) }
    }
}

/// The inbox's cursor: the last row's urgency key and id.
fn encode_cursor(d: &DossierListing) -> String {
    format!("{}.{}", urgency_key(d.step_due_at), d.id)
}

fn decode_cursor(s: &str) -> Option<(i64, i64)> {
    let (key, id) = s.split_once('.')?;
    Some((key.parse().ok()?, id.parse().ok()?))
}

/// How a due time stands now: the CSS class and its words (colour never carries meaning alone).
pub fn due_state(
    t: &Msg,
    status: Status,
    due: Option<Timestamp>,
    now: Timestamp,
    cal: &WorkingCalendar,
) -> (&'static str, &'static str) {
    if status.clock_stopped() {
        return ("stopped", t.due_stopped);
    }
    if status.handling_ended() {
        return ("none", "—");
    }
    match due {
        None => ("none", t.due_none),
        Some(d) if d < now => ("late", t.due_late),
        Some(d) if cal.local(d).date() == cal.local(now).date() => ("today", t.due_today_label),
        Some(_) => ("ontime", t.due_on_time),
    }
}

fn opt(value: &str, label: &str, current: &str) -> Opt {
    Opt { value: value.to_owned(), label: label.to_owned(), selected: value == current }
}

/// `GET /ho-so`.
pub async fn inbox(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    q: Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let started = std::time::Instant::now();
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => {
            // htmx asks for the results only (not when restoring history: that needs the page).
            let partial = headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request");
            let mut r =
                if partial { render(StatusCode::OK, &page.as_results()) } else { render(StatusCode::OK, &page) };
            r.headers_mut().insert(axum::http::header::VARY, HeaderValue::from_static("HX-Request"));
            server_timing(&mut r, started);
            r
        }
        Err(e) => user.error_page(e),
    }
}

/// Reports the server-side time of the page (`Server-Timing: app;dur=…`, in milliseconds).
pub fn server_timing(r: &mut Response, started: std::time::Instant) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.1}")) {
        r.headers_mut().insert("server-timing", v);
    }
}

async fn build(state: &AppState, user: &WebUser, q: &InboxQuery) -> AppResult<InboxPage> {
    let t = user.t();
    let lang = user.lang;
    let now = hcc_store::model::now();
    let calendar = state.calendar();
    let mut query = scoped_query(&user.actor, false)?;
    query.by_urgency = true;
    query.limit = PAGE_SIZE;
    let mut error = String::new();
    let too_long = |s: &str, n: usize| s.chars().count() > n;
    match q.status.as_str() {
        "" | "open" => {
            query.statuses = Status::ALL.into_iter().filter(|s| !s.is_final()).map(|s| s.as_str().to_owned()).collect();
        }
        "all" => {}
        s if Status::parse(s).is_some() => query.status = Some(s.to_owned()),
        _ => error = format!("{}: {}", t.status, q.status),
    }
    let text = q.q.trim();
    if !text.is_empty() && !too_long(text, 200) {
        query.text = Some(text.to_owned());
    }
    let procedure = q.procedure.trim();
    if !procedure.is_empty() && !too_long(procedure, 40) {
        query.procedure = Some(procedure.to_owned());
    }
    if !q.field.is_empty() && !too_long(&q.field, 300) {
        query.field = Some(q.field.clone());
    }
    if !q.point.is_empty() && !too_long(&q.point, 60) {
        query.point = Some(q.point.clone());
    }
    match q.due.as_str() {
        "overdue" => query.overdue_at = Some(now),
        "today" => {
            let tomorrow = calendar.local(now).date().tomorrow().map_err(AppError::internal)?;
            query.due_before = Some(calendar.instant(tomorrow.to_datetime(jiff::civil::Time::midnight())));
        }
        "week" => query.due_before = Some(now + jiff::SignedDuration::from_hours(24 * 7)),
        _ => {}
    }
    let show_mine = matches!(user.actor.role, Role::Specialist | Role::Leader);
    if show_mine && q.mine == "1" {
        query.assignee = Some(user.actor.user_id);
    }
    if !q.cursor.is_empty() {
        match decode_cursor(&q.cursor) {
            Some(c) => query.after_urgency = Some(c),
            None => error = "Con trỏ phân trang không hợp lệ".to_owned(),
        }
    }
    let page = state.store.list_dossier_listings(&query).await?;
    let points = state.point_list().await?;
    let point_names: HashMap<&str, &str> = points.iter().map(|p| (p.code.as_str(), p.name.as_str())).collect();
    let rows = page.items.iter().map(|d| row(t, lang, d, &point_names, now, &calendar)).collect();
    let next_href = match (page.next_after, page.items.last()) {
        (Some(_), Some(last)) => q.href(Some(&encode_cursor(last))),
        _ => String::new(),
    };
    let first_href = if q.cursor.is_empty() { String::new() } else { q.href(None) };

    let mut statuses = vec![opt("", t.status_open, &q.status), opt("all", t.status_all, &q.status)];
    statuses.extend(
        Status::ALL.into_iter().map(|s| opt(s.as_str(), lang.label("status", s.as_str(), s.label_vi()), &q.status)),
    );
    let dues = vec![
        opt("", t.due_any, &q.due),
        opt("overdue", t.due_overdue, &q.due),
        opt("today", t.due_today, &q.due),
        opt("week", t.due_week, &q.due),
    ];
    let mut fields = vec![opt("", t.field_all, &q.field)];
    fields.extend(state.fields().await?.iter().map(|f| opt(f, f, &q.field)));
    let mut point_opts = vec![opt("", t.point_all, &q.point)];
    let own_point = user.actor.point.as_deref();
    point_opts.extend(
        points.iter().filter(|p| own_point.is_none_or(|own| own == p.code)).map(|p| opt(&p.code, &p.name, &q.point)),
    );
    let l = user.layout(t.inbox_title, "/ho-so");
    Ok(InboxPage {
        l,
        text: q.q.clone(),
        procedure: q.procedure.clone(),
        mine: q.mine == "1",
        show_mine,
        statuses,
        fields,
        dues,
        points: point_opts,
        rows,
        next_href,
        first_href,
        error,
    })
}

fn row(
    t: &Msg,
    lang: Lang,
    d: &DossierListing,
    point_names: &HashMap<&str, &str>,
    now: Timestamp,
    cal: &WorkingCalendar,
) -> InboxRow {
    let status = d.timing.status;
    let (due_class, due_label) = due_state(t, status, d.step_due_at, now, cal);
    InboxRow {
        code: d.code.clone(),
        href: format!("/ho-so/{}", d.code),
        applicant: d.applicant_name.clone(),
        procedure_code: d.procedure_code.clone(),
        procedure_name: d.procedure_name.clone(),
        status: lang.label("status", status.as_str(), status.label_vi()).to_owned(),
        step_due: d.step_due_at.map(display).unwrap_or_default(),
        due_class,
        due_label: due_label.to_owned(),
        appointment: d.timing.due_at.map(display).unwrap_or_default(),
        received: d.timing.received_at.map(display).unwrap_or_default(),
        point: point_names.get(d.point_code.as_str()).map_or_else(|| d.point_code.clone(), |n| (*n).to_owned()),
    }
}
