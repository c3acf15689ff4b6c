//! `/giam-sat/phan-anh`: the applicants' feedback and complaints (phản ánh, kiến nghị), oldest
//! deadline first. A supervisor sees every agency's (or one's) and answers none; a leader sees
//! their agency's and answers them: the answer is written with its notice to the applicant in one
//! transaction, once (the first answer stays).

use super::agency_scope;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::time::display;
use crate::ui::{WebUser, enc, render, see_other};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::actor::Role;
use hcc_domain::feedback::{self, FeedbackState};
use hcc_store::feedback::{FeedbackAnswer, FeedbackQuery, FeedbackRow};
use hcc_templates::supervision::{FeedbackItem, FeedbackPage};
use serde::Deserialize;
use std::collections::HashMap;

/// Rows per page.
const PAGE: u32 = 50;

#[derive(Deserialize, Default)]
pub struct FeedbackParams {
    #[serde(default)]
    agency: String,
    /// `open` (default) or `all`.
    #[serde(default)]
    show: String,
    /// The cursor: `DUE_MICROS.ID` of the previous page's last row.
    #[serde(default)]
    after: String,
    /// Set after an answer was sent.
    #[serde(default)]
    sent: String,
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    answer: String,
    /// The cursor of the page the form was on.
    #[serde(default)]
    after: String,
}

/// A refused answer, shown beside its form with what was typed.
struct Refused {
    id: i64,
    draft: String,
    error: String,
    code: &'static str,
}

/// `GET /giam-sat/phan-anh`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<FeedbackParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q, None).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    }
}

/// `POST /giam-sat/phan-anh/{id}`: a leader answers their agency's feedback.
pub async fn answer(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: Result<Form<AnswerForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return user.form_expired() };
    if !user.csrf_ok(Some(&f.csrf)) {
        return user.form_expired();
    }
    let agency = match (&user.actor.role, &user.actor.agency) {
        (Role::Leader, Some(a)) => a.clone(),
        _ => {
            return user
                .error_page(AppError::forbidden("Chỉ lãnh đạo cơ quan giải quyết hồ sơ trả lời phản ánh, kiến nghị"));
        }
    };
    let back = FeedbackParams { after: f.after, ..Default::default() };
    let text = match feedback::validate_answer(&f.answer) {
        Ok(t) => t,
        Err(e) => {
            let refused = Refused { id, draft: f.answer, error: e.to_string(), code: e.code() };
            return match build(&state, &user, &back, Some(refused)).await {
                Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
                Err(e) => user.error_page(e),
            };
        }
    };
    let notice = serde_json::json!({ "answer": text }).to_string();
    let a = FeedbackAnswer {
        rating_id: id,
        agency_code: agency,
        answer: text,
        answered_by: user.actor.username.clone(),
        notice,
    };
    match state.store.answer_feedback(&a, hcc_store::model::now()).await {
        Ok(true) => see_other(&format!("/giam-sat/phan-anh?sent=1#fb-{id}")),
        Ok(false) => user.error_page(AppError::new(
            StatusCode::CONFLICT,
            "feedback_not_open",
            "Phản ánh này đã được trả lời hoặc không thuộc cơ quan của bạn",
        )),
        Err(e) => user.error_page(e.into()),
    }
}

async fn build(
    state: &AppState,
    user: &WebUser,
    q: &FeedbackParams,
    refused: Option<Refused>,
) -> AppResult<FeedbackPage> {
    let agency = agency_scope(&user.actor, &q.agency)?;
    let open_only = q.show != "all";
    let query =
        FeedbackQuery { agency: agency.clone(), open_only, after: crate::ui::due_cursor(&q.after), limit: PAGE + 1 };
    let mut rows = state.store.feedback_page(&query).await?;
    let more = rows.len() > PAGE as usize;
    rows.truncate(PAGE as usize);
    let agencies: HashMap<String, String> = state.agency_list().await?.into_iter().map(|a| (a.code, a.name)).collect();
    let now = hcc_store::model::now();
    let next_href = match (more, rows.last()) {
        (true, Some(last)) => format!(
            "/giam-sat/phan-anh?agency={}&show={}&after={}.{}",
            enc(agency.as_deref().unwrap_or_default()),
            if open_only { "open" } else { "all" },
            last.due_at.as_microsecond(),
            last.id
        ),
        _ => String::new(),
    };
    let mine =
        |r: &FeedbackRow| user.actor.role == Role::Leader && user.actor.agency.as_deref() == Some(&r.agency_code);
    let items = rows
        .iter()
        .map(|r| {
            let s = FeedbackState::of(r.due_at, r.answered_at, now);
            let refusal = refused.as_ref().filter(|x| x.id == r.id);
            FeedbackItem {
                id: r.id,
                dossier_code: r.dossier_code.clone(),
                procedure_name: r.procedure_name.clone(),
                agency: agencies.get(&r.agency_code).cloned().unwrap_or_else(|| r.agency_code.clone()),
                sent_at: display(r.created_at),
                due_at: display(r.due_at),
                state: s.label_vi().to_owned(),
                state_class: match s {
                    FeedbackState::AnsweredOnTime => "ok",
                    FeedbackState::Overdue | FeedbackState::AnsweredLate => "late",
                    FeedbackState::Open => "",
                },
                rating: r.rating.label_vi().to_owned(),
                reason: r.reason.clone(),
                comment: r.comment.clone(),
                is_complaint: r.is_complaint,
                answer: r.answer.clone(),
                answered: r.answered_at.map(|at| format!("{}, {}", r.answered_by, display(at))).unwrap_or_default(),
                can_answer: r.answered_at.is_none() && mine(r),
                draft: refusal.map(|x| x.draft.clone()).unwrap_or_default(),
                error: refusal.map(|x| x.error.clone()).unwrap_or_default(),
                error_code: refusal.map(|x| x.code.to_owned()).unwrap_or_default(),
            }
        })
        .collect();
    let agency_opts = super::agency_opts(state, user, &agency).await?;
    Ok(FeedbackPage {
        l: user.layout("Phản ánh, kiến nghị", "/giam-sat"),
        agencies: agency_opts,
        agency: agency.unwrap_or_default(),
        open_only,
        rows: items,
        next_href,
        after: q.after.clone(),
        notice: if q.sent.is_empty() {
            String::new()
        } else {
            "Đã gửi câu trả lời đến người dân.".to_owned()
        },
        formula: hcc_domain::index::Indicator::FeedbackOnTime.formula_vi(),
    })
}

#[cfg(test)]
mod tests {
    use crate::ui::due_cursor as cursor;
    use jiff::Timestamp;

    #[test]
    fn the_cursor_reads_back_what_the_page_wrote_and_nothing_else() {
        let t = Timestamp::from_microsecond(1_767_225_600_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(cursor(&format!("{}.{}", t.as_microsecond(), 42)), Some((t, 42)));
        for bad in ["", "x", "1.", ".2", "a.b", "1.2.3", "99999999999999999999.1"] {
            assert_eq!(cursor(bad), None, "{bad}");
        }
    }
}
