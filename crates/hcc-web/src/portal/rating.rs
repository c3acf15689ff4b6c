//! `/danh-gia/{code}`: the applicant rates a dossier once its result was returned (DOMAIN.md
//! §Satisfaction) — very satisfied, satisfied or dissatisfied with a reason — and may leave a
//! comment or a complaint. The way in is a one-time link (only its hash is stored; its message is
//! queued in the outbox with it) or the signed-in owner's dossier page. One rating per dossier:
//! the table's unique constraint decides between two at once.

use super::citizen_session::{MaybeSignedIn, SignedIn};
use super::{message, render};
use crate::AppState;
use crate::auth::{new_token, token_hash};
use crate::error::{AppError, AppResult};
use crate::ui::see_other;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::citizen::{self, Rating};
use hcc_domain::status::Status;
use hcc_store::DossierRecord;
use hcc_store::citizens::NewRating;
use hcc_templates::Lang;
use hcc_templates::citizen::{CitizenMsg, RatePage};
use serde::Deserialize;

/// Makes the dossier's one-time rating link and queues its message to the applicant, once per
/// dossier (a second call changes nothing and answers `false`). Called when the result is
/// returned, and again when the owner first opens the returned dossier (a no-op by then).
pub async fn queue_link(state: &AppState, d: &DossierRecord) -> AppResult<(String, bool)> {
    let token = new_token();
    let link = format!("{}/danh-gia/{}?t={token}", state.public_url, d.code);
    let payload = serde_json::json!({
        "template": "rating_link",
        "to_phone": d.applicant.phone,
        "to_email": d.applicant.email,
        "link": link,
        "url": link,
        "text": format!("Hồ sơ {} đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng: {link}", d.code),
    });
    let issued =
        state.store.issue_rating_link(d.id, &token_hash(&token), &payload.to_string(), hcc_store::model::now()).await?;
    Ok((token, issued))
}

/// After a result is returned: its rating link goes out with it. A failure here does not undo the
/// return; it is logged, and the owner's dossier page makes the link later.
pub async fn after_return(state: &AppState, d: &DossierRecord) {
    if let Err(e) = queue_link(state, d).await {
        tracing::warn!(dossier = %d.code, error = %e.message, "rating link not queued at return");
    }
}

fn label(lang: Lang, r: Rating) -> &'static str {
    if lang == Lang::En { r.label_en() } else { r.label_vi() }
}

/// The rating link or the rating given, for the owner's dossier page: `(href, rated)`. The first
/// time a returned dossier is shown, its one-time link is made and its message queued.
/// What the owner's dossier page shows of the rating: the link to rate, or the rating given and
/// what became of the feedback left with it.
#[derive(Debug, Default)]
pub struct OwnerRating {
    /// The link to rate, when the result was returned and no rating was given yet.
    pub href: String,
    /// The rating given, in words.
    pub rated: String,
    /// The agency's answer to the feedback, once answered.
    pub answer: String,
    /// By when the agency answers feedback still waiting (`dd/mm/yyyy HH:MM`).
    pub answer_due: String,
}

pub async fn for_owner(state: &AppState, who: &SignedIn, d: &DossierRecord) -> AppResult<OwnerRating> {
    if d.state.status != Status::Returned {
        return Ok(OwnerRating::default());
    }
    if let Some(r) = state.store.rating_of(d.id).await? {
        let waiting = r.answered_at.is_none().then_some(r.feedback_due_at).flatten();
        return Ok(OwnerRating {
            href: String::new(),
            rated: label(who.lang, r.rating).to_owned(),
            answer: r.answer,
            answer_due: waiting.map(crate::time::display).unwrap_or_default(),
        });
    }
    let (token, issued) = queue_link(state, d).await?;
    // Made now: this page carries the link itself; made before: the owner's session suffices.
    let href = if issued { format!("/danh-gia/{}?t={token}", d.code) } else { format!("/danh-gia/{}", d.code) };
    Ok(OwnerRating { href, ..OwnerRating::default() })
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    t: String,
}

#[derive(Deserialize, Default)]
pub struct RateForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    csrf: String,
    rating: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
    complaint: Option<String>,
}

/// Who may rate `code`: the holder of its unused link, or its signed-in owner.
async fn rateable(state: &AppState, who: Option<&SignedIn>, code: &str, token: &str) -> AppResult<DossierRecord> {
    let not_found = || AppError::not_found("Liên kết đánh giá không hợp lệ hoặc đã được sử dụng");
    let d = state.store.get_dossier(code.trim()).await?.ok_or_else(not_found)?;
    let by_link = !token.is_empty() && state.store.rating_link_dossier(&token_hash(token)).await? == Some(d.id);
    let by_owner = match who {
        Some(w) => state.store.dossier_citizen(d.id).await? == Some(w.id),
        None => false,
    };
    if !(by_link || by_owner) {
        return Err(not_found());
    }
    if d.state.status != Status::Returned {
        return Err(AppError::conflict("Chỉ đánh giá được hồ sơ đã trả kết quả"));
    }
    if state.store.rating_of(d.id).await?.is_some() {
        return Err(AppError::new(StatusCode::CONFLICT, "already_rated", "Hồ sơ này đã được đánh giá"));
    }
    Ok(d)
}

fn layout_for(who: Option<&SignedIn>, lang: Lang, here: &str) -> hcc_templates::portal::PortalLayout {
    let title = CitizenMsg::of(lang).rate_title;
    match who {
        Some(w) => w.layout(title),
        None => super::citizen_session::layout(lang, title, here),
    }
}

/// `GET /danh-gia/{code}?t=TOKEN`.
pub async fn form(
    State(state): State<AppState>,
    MaybeSignedIn(who, lang, here): MaybeSignedIn,
    Path(code): Path<String>,
    q: Result<Query<TokenQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let token = q.map(|Query(q)| q.t).unwrap_or_default();
    match rateable(&state, who.as_ref(), &code, &token).await {
        Ok(d) => render(
            StatusCode::OK,
            &RatePage {
                l: layout_for(who.as_ref(), lang, &here),
                code: d.code,
                procedure: d.procedure_name,
                token,
                choice: String::new(),
                reason: String::new(),
                comment: String::new(),
                error: String::new(),
                error_code: String::new(),
            },
            true,
        ),
        Err(e) => message(lang, &here, e, "/tra-cuu"),
    }
}

/// `POST /danh-gia/{code}`.
pub async fn submit(
    State(state): State<AppState>,
    MaybeSignedIn(who, lang, here): MaybeSignedIn,
    Path(code): Path<String>,
    form: Result<Form<RateForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return message(lang, &here, AppError::bad_request("invalid_form", "Biểu mẫu không hợp lệ"), "/tra-cuu");
    };
    // The owner's form carries the session's token; a link's form carries the link's own token,
    // which no other site can know.
    if f.t.is_empty() && !who.as_ref().is_some_and(|w| w.csrf_ok(Some(&f.csrf))) {
        return message(lang, &here, super::form_expired(), "/tra-cuu");
    }
    let d = match rateable(&state, who.as_ref(), &code, &f.t).await {
        Ok(d) => d,
        Err(e) => return message(lang, &here, e, "/tra-cuu"),
    };
    let valid = match citizen::validate_rating(f.rating.as_deref(), &f.reason, &f.comment, f.complaint.is_some()) {
        Ok(v) => v,
        Err(e) => {
            let page = RatePage {
                l: layout_for(who.as_ref(), lang, &here),
                code: d.code,
                procedure: d.procedure_name,
                token: f.t,
                choice: f.rating.unwrap_or_default(),
                reason: f.reason,
                comment: f.comment,
                error: e.to_string(),
                error_code: "invalid_rating".to_owned(),
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page, true);
        }
    };
    // The month the dossier was finished in: the indices judge a dossier in its settlement period.
    let finished = d.state.finished_at.unwrap_or_else(hcc_store::model::now);
    let month = crate::time::local_date(finished).strftime("%Y-%m").to_string();
    let now = hcc_store::model::now();
    // What the applicant wrote is feedback the agency answers by its own deadline.
    let feedback_due_at = hcc_domain::feedback::needs_answer(&valid.comment)
        .then(|| state.calendar().due_at(now, hcc_domain::feedback::FEEDBACK_LIMIT));
    let new = NewRating {
        dossier_id: d.id,
        agency_code: d.state.agency_code.clone(),
        month,
        rating: valid.rating,
        reason: valid.reason,
        comment: valid.comment,
        is_complaint: valid.is_complaint,
        feedback_due_at,
    };
    match state.store.insert_rating(&new, now).await {
        Ok(_) => {
            let owner = state.store.dossier_citizen(d.id).await.ok().flatten();
            if who.as_ref().is_some_and(|w| owner == Some(w.id)) {
                see_other(&format!("/cong-dan/ho-so/{}", d.code))
            } else {
                let m = CitizenMsg::of(lang);
                let page = hcc_templates::citizen::MessagePage {
                    l: layout_for(who.as_ref(), lang, &here),
                    heading: m.rate_title.to_owned(),
                    message: m.thanks.to_owned(),
                    code: String::new(),
                    back_href: "/tra-cuu".to_owned(),
                    back_label: m.back.to_owned(),
                };
                render(StatusCode::OK, &page, true)
            }
        }
        Err(hcc_store::StoreError::Duplicate(_)) => message(
            lang,
            &here,
            AppError::new(StatusCode::CONFLICT, "already_rated", "Hồ sơ này đã được đánh giá"),
            "/tra-cuu",
        ),
        Err(e) => message(lang, &here, e.into(), "/tra-cuu"),
    }
}
