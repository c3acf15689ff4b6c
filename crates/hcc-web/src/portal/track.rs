//! `/tra-cuu` and `/tra-cuu/{code}`: the public tracking page, the receipt's QR target. Anyone
//! with the code sees the status, the steps and the appointment with a masked name; with the
//! receipt's secret (the form's field, or `?ma=`) the applicant also sees the papers, the
//! supplement request and the result-ready notice. The page never echoes the secret, so a wrong
//! one yields exactly the page no secret yields.

use super::citizen_session::MaybeSignedIn;
use super::rate_limit::{ClientIp, retry_seconds};
use super::{public_layout, render};
use crate::AppState;
use crate::api::track::{TrackView, lookup};
use crate::time::display;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hcc_templates::Lang;
use hcc_templates::portal::PortalLayout;
use hcc_templates::portal::{
    DueMove, NotFoundPage, PrivateTracking, Section, SupplementNotice, TrackPage, TrackedDossier, TrackedFile,
    TrackedPaper, TrackedStep,
};
use hcc_templates::portal_text::PortalText;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TrackParams {
    /// The dossier code (the form's GET fallback).
    #[serde(default, rename = "ma-ho-so")]
    code: Option<String>,
    /// The receipt's secret.
    #[serde(default)]
    ma: Option<String>,
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

/// `GET /tra-cuu`: the form; `?ma-ho-so=…` goes straight to the dossier.
pub async fn form(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: MaybeSignedIn,
    params: Result<Query<TrackParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params.map(|Query(p)| p).unwrap_or_default();
    match params.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => show(&state, ip, &who, code, params.ma.as_deref()).await,
        None => render(
            StatusCode::OK,
            &TrackPage {
                l: track_layout(&who, PortalText::of(who.1).track_title, "/tra-cuu"),
                code: String::new(),
                show_form: true,
                dossier: None,
            },
            true,
        ),
    }
}

/// `POST /tra-cuu`: code and secret from the form (the secret stays out of the address bar and
/// the server's logs).
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: MaybeSignedIn,
    form: Result<Form<TrackForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return not_found_page(&who) };
    let secret = Some(f.secret.as_str()).filter(|s| !s.trim().is_empty());
    show(&state, ip, &who, f.code.trim(), secret).await
}

/// `GET /tra-cuu/{code}[?ma=SECRET]`.
pub async fn page(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: MaybeSignedIn,
    Path(code): Path<String>,
    params: Result<Query<TrackParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let secret = params.ok().and_then(|Query(p)| p.ma);
    show(&state, ip, &who, &code, secret.as_deref()).await
}

async fn show(
    state: &AppState,
    ip: Option<std::net::IpAddr>,
    who: &MaybeSignedIn,
    code: &str,
    secret: Option<&str>,
) -> Response {
    if let Err(wait) = state.portal.tracking_limiter.check(ip) {
        return throttled_page(who, wait);
    }
    let lang = who.1;
    match lookup(state, code, secret, lang).await {
        Ok(view) => {
            let code = view.code.clone();
            let page = TrackPage {
                l: track_layout(who, format!("{} {code}", PortalText::of(lang).dossier), &format!("/tra-cuu/{code}")),
                code,
                show_form: view.private.is_none(),
                dossier: Some(tracked(view, secret.unwrap_or_default(), lang)),
            };
            render(StatusCode::OK, &page, true)
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => not_found_page(who),
        Err(e) => e.into_response(),
    }
}

/// A download link's query: until when, and the token that proves the secret was given.
#[derive(Deserialize)]
pub struct DownloadParams {
    #[serde(rename = "het-han")]
    expires: i64,
    t: String,
}

/// `GET /tra-cuu/{code}/tai-lieu/{id}?het-han=…&t=…`: the applicant downloads one of their
/// files from a link on the page the secret opened (the link holds no secret and expires).
pub async fn download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    who: MaybeSignedIn,
    Path((code, id)): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
    params: Result<Query<DownloadParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Err(wait) = state.portal.tracking_limiter.check(ip) {
        return throttled_page(&who, wait);
    }
    let Ok(Query(p)) = params else { return not_found_page(&who) };
    match crate::api::track::linked_document(&state, &code, id, p.expires, &p.t, &headers).await {
        Ok(r) => r,
        Err(_) => not_found_page(&who),
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0).replace('.', ","),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} byte"),
    }
}

/// The tracking pages' layout. The language switch comes back to `path` alone: never to the
/// address the visitor typed, which may hold a secret, right or wrong (a wrong one must change
/// nothing on the page) or a code that does not exist.
fn track_layout(who: &MaybeSignedIn, title: impl Into<String>, path: &str) -> PortalLayout {
    let mut l = public_layout(who, title, Section::Track);
    l.here = crate::ui::enc(path);
    l
}

/// The one "not found" page, whatever was wrong with the code.
fn not_found_page(who: &MaybeSignedIn) -> Response {
    let t = PortalText::of(who.1);
    render(
        StatusCode::NOT_FOUND,
        &NotFoundPage {
            l: track_layout(who, t.not_found_heading, "/tra-cuu"),
            heading: t.not_found_heading.into(),
            message: t.not_found_message.into(),
            back_href: "/tra-cuu".into(),
            back_label: t.track_another.into(),
        },
        true,
    )
}

fn throttled_page(who: &MaybeSignedIn, wait: std::time::Duration) -> Response {
    let t = PortalText::of(who.1);
    let secs = retry_seconds(wait);
    let mut r = render(
        StatusCode::TOO_MANY_REQUESTS,
        &NotFoundPage {
            l: track_layout(who, t.throttled_heading, "/tra-cuu"),
            heading: t.throttled_heading.into(),
            message: t.throttled_message.replace("{secs}", &secs.to_string()),
            back_href: "/tra-cuu".into(),
            back_label: t.back_to_tracking.into(),
        },
        true,
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    r
}

/// `2026-02-24T09:30:00+07:00` → `24/02/2026 09:30`.
fn shown(rfc3339: Option<&str>) -> String {
    rfc3339.and_then(|s| s.parse::<jiff::Timestamp>().ok()).map(display).unwrap_or_default()
}

fn tracked(v: TrackView, secret: &str, lang: Lang) -> TrackedDossier {
    let t = PortalText::of(lang);
    let code = v.code.clone();
    let progress_class = match v.progress.as_deref() {
        Some("early" | "on_time" | "not_due") => "ok",
        Some("late" | "overdue") => "late",
        Some("due_soon" | "stopped") => "wait",
        _ => "",
    };
    TrackedDossier {
        code: v.code,
        procedure_code: v.procedure_code,
        procedure_name: v.procedure_name,
        applicant: v.applicant,
        status_label: v.status_label,
        progress_label: v.progress_label.unwrap_or_default(),
        progress_class: progress_class.into(),
        received_at: shown(v.received_at.as_deref()),
        due_at: {
            let d = shown(v.due_at.as_deref());
            if d.is_empty() { "—".into() } else { d }
        },
        original_due_at: shown(v.original_due_at.as_deref()),
        finished_at: shown(v.finished_at.as_deref()),
        moves: v
            .appointment_changes
            .iter()
            .map(|c| DueMove {
                at: shown(Some(&c.at)),
                what: c.label.clone(),
                detail: match (&c.old_due_at, &c.new_due_at) {
                    (Some(o), Some(n)) => {
                        t.moved_from_to.replace("{from}", &shown(Some(o))).replace("{to}", &shown(Some(n)))
                    }
                    _ => String::new(),
                },
            })
            .collect(),
        steps: v
            .steps
            .iter()
            .map(|s| {
                let (label, class) = match s.outcome.as_str() {
                    "early" => (lang.label("progress", "early", "Trước hạn"), "ok"),
                    "on_time" => (lang.label("progress", "on_time", "Đúng hạn"), "ok"),
                    "late" => (lang.label("progress", "late", "Quá hạn"), "late"),
                    _ => ("", ""),
                };
                TrackedStep {
                    at: shown(Some(&s.at)),
                    label: s.label.clone(),
                    step_name: s.step_name.clone(),
                    status_label: s.status_label.clone(),
                    outcome_label: label.into(),
                    outcome_class: class.into(),
                }
            })
            .collect(),
        private: v.private.map(|p| PrivateTracking {
            files: p
                .files
                .into_iter()
                .map(|f| TrackedFile {
                    href: {
                        let expires = hcc_store::model::now().as_second() + crate::api::track::DOWNLOAD_LINK_SECONDS;
                        let token = crate::api::track::download_token(secret, f.id, expires);
                        format!("/tra-cuu/{code}/tai-lieu/{}?het-han={expires}&t={token}", f.id)
                    },
                    label: match (f.kind.as_str(), f.item_no) {
                        ("result", _) => t.file_result.to_owned(),
                        (_, Some(no)) => t.file_paper.replace("{no}", &no.to_string()),
                        _ => t.file_other.to_owned(),
                    },
                    file_name: f.file_name,
                    size: human_size(f.size),
                })
                .collect(),
            papers: p
                .documents
                .into_iter()
                .map(|d| TrackedPaper {
                    no: d.no,
                    name: d.name,
                    group: d.group.unwrap_or_default(),
                    provided: d.provided,
                    digitized: d.digitized,
                })
                .collect(),
            supplement: p.supplement.map(|s| SupplementNotice {
                at: shown(Some(&s.requested_at)),
                reason: s.reason,
                items: s.items,
            }),
            result_notice: p.result_notice.unwrap_or_default(),
        }),
    }
}
