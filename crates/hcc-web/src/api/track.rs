//! `GET /api/v1/track/{code}`: public tracking, no login. Status, steps with dates and whether
//! each was on time, the appointment and why it moved, and a masked name — nothing else
//! personal. With the receipt's secret (header `X-Tracking-Secret` or query `ma`), also the
//! papers (whether each was handed in and digitized — never the files), the supplement request in
//! force and the result-ready notice. A wrong secret gets exactly the answer no secret gets.

use crate::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::portal::rate_limit::{ClientIp, Throttled};
use crate::time::{display, local, local_opt};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::code::DossierCode;
use hcc_domain::lifecycle::{self, ActionKind};
use hcc_domain::status::Status;
use hcc_store::{DocumentKind, DossierRecord, EventRecord};
use hcc_templates::Lang;
use hcc_templates::portal_text::PortalText;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The header that carries the receipt's secret.
pub const SECRET_HEADER: &str = "x-tracking-secret";

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

/// One change of the appointment (or of its clock), and why.
#[derive(Serialize, ToSchema, Clone)]
pub struct AppointmentChange {
    pub at: String,
    /// `supplement`, `pause`, `extension` or `apology`.
    pub kind: String,
    /// What happened, in the answer's language (Vietnamese for the API).
    pub label: String,
    /// The appointment before and after, when this moved it.
    pub old_due_at: Option<String>,
    pub new_due_at: Option<String>,
}

/// A paper of the checklist, for the applicant.
#[derive(Serialize, ToSchema, Clone)]
pub struct TrackDocument {
    pub no: u32,
    pub name: String,
    /// The case the paper belongs to, if any.
    pub group: Option<String>,
    pub mandatory: bool,
    pub provided: bool,
    /// Whether a digitized copy is attached (the file itself is never public).
    pub digitized: bool,
}

/// A digitized paper or result of the applicant's dossier.
#[derive(Serialize, ToSchema, Clone)]
pub struct TrackFile {
    pub id: i64,
    /// `input` (a paper handed in) or `result`.
    pub kind: String,
    pub item_no: Option<u32>,
    pub file_name: String,
    pub size: u64,
    /// `GET` it with the secret in `X-Tracking-Secret`.
    pub download_url: String,
}

/// The supplement request in force (Form 02).
#[derive(Serialize, ToSchema, Clone)]
pub struct SupplementView {
    pub requested_at: String,
    pub reason: String,
    pub items: Vec<String>,
}

/// What only the holder of the receipt's secret sees.
#[derive(Serialize, ToSchema, Clone)]
pub struct PrivateTrackView {
    pub documents: Vec<TrackDocument>,
    /// The applicant's own digitized papers and result, to download with the same secret.
    pub files: Vec<TrackFile>,
    pub supplement: Option<SupplementView>,
    /// Set when the result is ready or was returned: what to do.
    pub result_notice: Option<String>,
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
    /// Why the appointment moved: supplement, pause, extension, apology.
    pub appointment_changes: Vec<AppointmentChange>,
    /// Only with the right secret; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<PrivateTrackView>,
}

fn due_str(v: &serde_json::Value, key: &str) -> Option<jiff::Timestamp> {
    v.get(key).and_then(|x| x.as_str()).and_then(|s| s.parse().ok())
}

fn pause_label(kind: &str, t: &PortalText) -> &'static str {
    match kind {
        "financial_obligation" => t.pause_financial_obligation,
        "public_posting" => t.pause_public_posting,
        "site_survey" => t.pause_site_survey,
        "other_authority" => t.pause_other_authority,
        _ => t.pause_other,
    }
}

/// Why the appointment moved, from the control sheet's rows (their kind and structured details
/// only: free-text notes may name people and stay off the public page).
pub fn appointment_changes(events: &[EventRecord], lang: Lang) -> Vec<AppointmentChange> {
    let t = PortalText::of(lang);
    let mut out = Vec::new();
    for e in events {
        let Some(kind) = ActionKind::parse(&e.action) else { continue };
        let d = &e.details;
        let (old, new) = (due_str(d, "old_due_at"), due_str(d, "new_due_at"));
        let moved = old.is_some() && new.is_some() && old != new;
        let (kind, label) = match kind {
            ActionKind::RequestSupplement => ("supplement", t.change_supplement.to_owned()),
            ActionKind::ReceiveSupplement if moved => {
                let restart = d.get("clock_policy").and_then(|v| v.as_str()) == Some("restart");
                ("supplement", if restart { t.change_supplement_restart } else { t.change_supplement_shift }.to_owned())
            }
            ActionKind::Pause => (
                "pause",
                t.change_pause
                    .replace("{why}", pause_label(d.get("pause_kind").and_then(|v| v.as_str()).unwrap_or(""), t)),
            ),
            ActionKind::Resume if moved => ("pause", t.change_resume.to_owned()),
            ActionKind::Extend => ("extension", t.change_extension.to_owned()),
            ActionKind::Apologize => ("apology", t.change_apology.to_owned()),
            _ => continue,
        };
        out.push(AppointmentChange {
            at: local(e.at),
            kind: kind.to_owned(),
            label,
            old_due_at: if moved { local_opt(old) } else { None },
            new_due_at: if moved { local_opt(new) } else { None },
        });
    }
    out
}

impl TrackView {
    pub fn of(
        d: &DossierRecord,
        events: &[EventRecord],
        calendar: &WorkingCalendar,
        now: jiff::Timestamp,
        lang: Lang,
    ) -> TrackView {
        let s = &d.state;
        let progress = lifecycle::progress(s, now, calendar, lifecycle::DUE_SOON_MINUTES);
        TrackView {
            code: d.code.clone(),
            procedure_code: d.procedure_code.clone(),
            procedure_name: d.procedure_name.clone(),
            applicant: hcc_domain::text::mask_name(&d.applicant.name),
            status: s.status.as_str().to_owned(),
            status_label: lang.label("status", s.status.as_str(), s.status.label_vi()).to_owned(),
            received_at: local_opt(s.received_at),
            due_at: local_opt(s.due_at),
            original_due_at: local_opt(s.original_due_at.filter(|o| Some(*o) != s.due_at)),
            finished_at: local_opt(s.finished_at),
            progress: progress.map(|p| p.as_str().to_owned()),
            progress_label: progress.map(|p| lang.label("progress", p.as_str(), p.label_vi()).to_owned()),
            steps: events
                .iter()
                .map(|e| TrackStep {
                    at: local(e.at),
                    action: e.action.clone(),
                    label: ActionKind::parse(&e.action)
                        .map_or("", |a| lang.label("action", a.as_str(), a.label_vi()))
                        .to_owned(),
                    step_name: e.step_name.clone(),
                    outcome: e.step_outcome.clone(),
                    status: e.to_status.clone(),
                    status_label: Status::parse(&e.to_status)
                        .map_or("", |s| lang.label("status", s.as_str(), s.label_vi()))
                        .to_owned(),
                })
                .collect(),
            appointment_changes: appointment_changes(events, lang),
            private: None,
        }
    }
}

/// Does `given` match the dossier's secret? Compared in constant time (over SHA-256 digests, so
/// the length of the guess tells nothing either); letters are read in upper case as printed.
pub fn secret_matches(given: &str, secret: &str) -> bool {
    use sha2::Digest;
    let given = given.trim().to_ascii_uppercase();
    let a = sha2::Sha256::digest(given.as_bytes());
    let b = sha2::Sha256::digest(secret.as_bytes());
    let diff = a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    diff == 0 && !secret.is_empty() && !given.is_empty()
}

/// The applicant's part of the tracking answer.
pub async fn private_view(
    state: &AppState,
    d: &DossierRecord,
    events: &[EventRecord],
    lang: Lang,
) -> AppResult<PrivateTrackView> {
    let t = PortalText::of(lang);
    let documents = state.store.documents_of(d.id).await?;
    let digitized = |no: u32| {
        documents
            .iter()
            .any(|doc| doc.kind == DocumentKind::Input && doc.item_no == Some(no) && doc.deleted_at.is_none())
    };
    let supplement = (d.state.status == Status::SupplementRequested)
        .then(|| events.iter().rev().find(|e| e.action == ActionKind::RequestSupplement.as_str()))
        .flatten()
        .map(|e| SupplementView {
            requested_at: local(e.at),
            reason: e.note.clone(),
            items: e.details["items"]
                .as_array()
                .map(|a| a.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
                .unwrap_or_default(),
        });
    let ready_at = events.iter().rev().find(|e| e.action == ActionKind::MarkResultReady.as_str()).map(|e| e.at);
    let result_notice = match d.state.status {
        Status::ResultReady => {
            let how = match d.return_method.as_str() {
                "post" => t.result_by_post,
                "online" => t.result_online,
                _ => t.result_at_counter,
            };
            let since = ready_at.map(|at| format!("{}{}", t.since, display(at))).unwrap_or_default();
            Some(t.result_ready.replace("{since}", &since).replace("{how}", how))
        }
        Status::Returned => {
            let when = d.state.finished_at.map(|at| format!("{}{}", t.at, display(at))).unwrap_or_default();
            Some(t.result_returned.replace("{when}", &when))
        }
        _ => None,
    };
    let files = documents
        .iter()
        .filter(|doc| doc.deleted_at.is_none())
        .map(|doc| TrackFile {
            id: doc.id,
            kind: doc.kind.as_str().to_owned(),
            item_no: doc.item_no,
            file_name: doc.file_name.clone(),
            size: doc.size,
            download_url: format!("/api/v1/track/{}/documents/{}", d.code, doc.id),
        })
        .collect();
    Ok(PrivateTrackView {
        files,
        documents: d
            .documents
            .iter()
            .map(|i| TrackDocument {
                no: i.no,
                name: i.name.clone(),
                group: i.group.clone(),
                mandatory: i.mandatory,
                provided: i.provided,
                digitized: digitized(i.no),
            })
            .collect(),
        supplement,
        result_notice,
    })
}

/// The one "not found" of public tracking, for unknown and malformed codes alike.
pub fn not_found() -> AppError {
    AppError::not_found("Không tìm thấy hồ sơ với mã này")
}

/// Loads a dossier for public tracking; malformed and unknown codes get the same "not found".
pub async fn find(state: &AppState, code: &str) -> AppResult<(DossierRecord, Vec<EventRecord>)> {
    DossierCode::parse(code).map_err(|_| not_found())?;
    let d = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    let events = state.store.events(d.id).await?;
    Ok((d, events))
}

/// The tracking answer for `code`, with the applicant's part when `secret` matches.
pub async fn lookup(state: &AppState, code: &str, secret: Option<&str>, lang: Lang) -> AppResult<TrackView> {
    let (d, events) = find(state, code).await?;
    let mut view = TrackView::of(&d, &events, &state.calendar(), hcc_store::model::now(), lang);
    if secret.is_some_and(|s| secret_matches(s, &d.secret)) {
        view.private = Some(private_view(state, &d, &events, lang).await?);
    }
    Ok(view)
}

/// A public tracking answer as sent, kept with the dossier version it was built from.
#[derive(Clone)]
pub struct CachedAnswer {
    version: i64,
    /// The answer's clock-dependent part (overdue or not) holds until then.
    until: jiff::Timestamp,
    body: axum::body::Bytes,
}

/// The public answer (no secret) for `code`, as JSON. The most frequent lookup: a kept answer is
/// sent again after one one-column read proves the dossier unchanged (every change raises its
/// version in the change's own transaction, in any process), so neither the control sheet nor
/// the view is read or built again.
pub async fn public_answer(state: &AppState, code: &str) -> AppResult<axum::body::Bytes> {
    DossierCode::parse(code).map_err(|_| not_found())?;
    let code = code.trim();
    let now = hcc_store::model::now();
    if let Some(kept) = state.caches.tracked.get(&code.to_owned()).filter(|k| now < k.until) {
        match state.store.dossier_version(code).await? {
            Some(v) if v == kept.version => return Ok(kept.body),
            None => return Err(not_found()),
            Some(_) => {}
        }
    }
    let (d, events) = find(state, code).await?;
    let view = TrackView::of(&d, &events, &state.calendar(), now, Lang::Vi);
    let body = axum::body::Bytes::from(serde_json::to_vec(&view).map_err(AppError::internal)?);
    // An open dossier's answer turns "overdue" at its appointment: it is not kept past it.
    let until = match (d.state.handled_at, d.state.due_at) {
        (None, Some(due)) if due > now => due,
        (None, Some(_)) | (None, None) | (Some(_), _) => jiff::Timestamp::MAX,
    };
    state.caches.tracked.put(code.to_owned(), CachedAnswer { version: d.version, until, body: body.clone() });
    Ok(body)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackQuery {
    /// The secret printed on the receipt (mã tra cứu); the `X-Tracking-Secret` header is preferred.
    pub ma: Option<String>,
}

/// Public tracking of a dossier by its code.
#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "public",
    params(("code" = String, Path, description = "Dossier code, e.g. 000.00.16.H26-241001-0001"), TrackQuery,
        ("X-Tracking-Secret" = Option<String>, Header, description = "The secret printed on the receipt")),
    responses((status = 200, body = TrackView), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn track(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<TrackQuery>,
) -> Response {
    if let Err(retry) = state.portal.tracking_limiter.check(ip) {
        return Throttled(retry).into_response();
    }
    let secret = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.ma);
    let headers = [(axum::http::header::CACHE_CONTROL, "no-store"), (axum::http::header::VARY, "x-tracking-secret")];
    let answer = match secret {
        None => public_answer(&state, &code).await.map(|body| {
            let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
            (headers, json, body).into_response()
        }),
        Some(secret) => {
            lookup(&state, &code, Some(&secret), Lang::Vi).await.map(|view| (headers, Json(view)).into_response())
        }
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// The applicant downloads one of their documents (a scanned paper or the result) with the
/// receipt's secret. Anything else — a wrong secret, another dossier's document, a deleted one —
/// gets the same "not found"; lookups share the tracking rate limit.
#[utoipa::path(get, path = "/api/v1/track/{code}/documents/{id}", tag = "tracking",
    params(("code" = String, Path, description = "Dossier code"), ("id" = i64, Path, description = "Document id"),
           ("X-Tracking-Secret" = String, Header, description = "The secret printed on the receipt")),
    responses((status = 200, description = "The file"), (status = 404, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub async fn document(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    ApiQuery(q): ApiQuery<TrackQuery>,
) -> Response {
    if let Err(retry) = state.portal.tracking_limiter.check(ip) {
        return Throttled(retry).into_response();
    }
    let secret = headers.get(SECRET_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.ma);
    match applicant_document(&state, &code, id, secret.as_deref(), &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// A download link's token for document `id` until `expires` (Unix seconds): one-way from the
/// dossier's secret, so the link shows nothing of the secret and dies with its time.
pub fn download_token(secret: &str, id: i64, expires: i64) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("hcc-download|{}|{id}|{expires}", secret.trim().to_ascii_uppercase()));
    hex::encode(&digest[..16])
}

/// How long a download link on the tracking page stays valid.
pub const DOWNLOAD_LINK_SECONDS: i64 = 1800;

/// Serves document `id` of dossier `code` for a link made by [`download_token`].
pub async fn linked_document(
    state: &AppState,
    code: &str,
    id: i64,
    expires: i64,
    token: &str,
    headers: &HeaderMap,
) -> AppResult<Response> {
    DossierCode::parse(code).map_err(|_| not_found())?;
    let d = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    let expected = download_token(&d.secret, id, expires);
    let fresh = expires >= hcc_store::model::now().as_second();
    let same =
        expected.len() == token.len() && expected.bytes().zip(token.bytes()).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    if !fresh || !same {
        return Err(not_found());
    }
    let doc = state.store.get_document(id).await?.filter(|x| x.dossier_id == d.id && x.deleted_at.is_none());
    let doc = doc.ok_or_else(not_found)?;
    let mut resp = super::downloads::serve_blob(state, &doc, headers).await?;
    resp.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Serves document `id` of dossier `code` when `secret` is the dossier's.
pub async fn applicant_document(
    state: &AppState,
    code: &str,
    id: i64,
    secret: Option<&str>,
    headers: &HeaderMap,
) -> AppResult<Response> {
    DossierCode::parse(code).map_err(|_| not_found())?;
    let d = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    if !secret.is_some_and(|s| secret_matches(s, &d.secret)) {
        return Err(not_found());
    }
    let doc = state.store.get_document(id).await?.filter(|x| x.dossier_id == d.id && x.deleted_at.is_none());
    let doc = doc.ok_or_else(not_found)?;
    let mut resp = super::downloads::serve_blob(state, &doc, headers).await?;
    resp.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::secret_matches;

    #[test]
    fn the_secret_matches_as_printed_and_nothing_else_does() {
        assert!(secret_matches("K7MQ2ZP9XA", "K7MQ2ZP9XA"));
        assert!(secret_matches(" k7mq2zp9xa ", "K7MQ2ZP9XA"), "typed in lower case, with spaces");
        assert!(!secret_matches("K7MQ2ZP9X", "K7MQ2ZP9XA"));
        assert!(!secret_matches("K7MQ2ZP9XAB", "K7MQ2ZP9XA"));
        assert!(!secret_matches("", ""), "an empty secret never opens anything");
    }
}
