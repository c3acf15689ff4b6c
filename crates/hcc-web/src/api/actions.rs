//! `POST /api/v1/dossiers/{code}/actions/{action}`: every transition of the lifecycle. The domain
//! decides whether it is allowed and what it changes; the store writes it with its control-sheet
//! row in one transaction, refusing a lost update.

use super::dossiers::{DossierView, load_readable};
use super::receive::event_actor;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::ApiPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hcc_domain::actor::{Actor, Role};
use hcc_domain::lifecycle::{
    self, Action, ActionError, ActionKind, Context, DossierState, PauseKind, ReturnMethod, StaffRef,
};
use hcc_store::DossierRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The arguments of an action; each action reads the ones it needs.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ActionRequest {
    pub note: String,
    /// Refusals, stops: the reasons (required).
    pub reasons: String,
    /// Pause, extension, apology, withdrawal: the reason (required).
    pub reason: String,
    /// Supplement request: every missing paper, in one list.
    pub items: Vec<String>,
    /// Assign: the username of the specialist or leader.
    pub assignee: Option<String>,
    /// Forward: the agency to hand the dossier to.
    pub agency_code: Option<String>,
    /// Refuse to settle: the legal basis.
    pub legal_basis: String,
    /// Pause: `financial_obligation`, `public_posting`, `site_survey`, `other_authority`, `other`.
    pub pause_kind: Option<String>,
    /// Extend: e.g. `"5 working-days"`.
    pub extension: Option<String>,
    /// Apologize: the new appointment, RFC 3339 or `YYYY-MM-DD HH:MM` local.
    pub new_due_at: Option<String>,
    /// Return: `counter`, `post` or `online`.
    pub method: Option<String>,
    /// The `version` you read; a different current version answers 409 and changes nothing.
    pub expected_version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionResponse {
    pub action: String,
    pub dossier: DossierView,
}

fn enum_arg<T: serde::de::DeserializeOwned>(value: &str, what: &str) -> AppResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| AppError::unprocessable("invalid_action", format!("{what} không hợp lệ: {value}")))
}

async fn build_action(state: &AppState, kind: ActionKind, req: ActionRequest) -> AppResult<Action> {
    Ok(match kind {
        ActionKind::Receive => Action::Receive { note: req.note },
        ActionKind::RefuseReceipt => Action::RefuseReceipt { reasons: req.reasons },
        ActionKind::RequestSupplement => Action::RequestSupplement { items: req.items, reason: req.reason },
        ActionKind::ReceiveSupplement => Action::ReceiveSupplement { note: req.note },
        ActionKind::Assign => {
            let username = req
                .assignee
                .ok_or_else(|| AppError::unprocessable("invalid_action", "Cần chọn người được phân công (assignee)"))?;
            let user = state
                .store
                .user_by_username(&username)
                .await?
                .filter(|u| !u.disabled)
                .ok_or_else(|| AppError::unprocessable("unknown_user", format!("Không có tài khoản {username}")))?;
            let role = Role::parse(&user.role)
                .ok_or_else(|| AppError::unprocessable("unknown_user", format!("Không có tài khoản {username}")))?;
            Action::Assign {
                assignee: StaffRef { user_id: user.id, username: user.username, role, agency: user.agency_code },
                note: req.note,
            }
        }
        ActionKind::Forward => {
            let agency_code = req.agency_code.ok_or_else(|| {
                AppError::unprocessable("invalid_action", "Cần chọn cơ quan nhận hồ sơ (agency_code)")
            })?;
            if state.store.get_agency(&agency_code).await?.is_none() {
                return Err(AppError::unprocessable("unknown_agency", format!("Không có cơ quan mã {agency_code}")));
            }
            Action::Forward { agency_code, note: req.note }
        }
        ActionKind::CompleteStep => Action::CompleteStep { note: req.note },
        ActionKind::Approve => Action::Approve { note: req.note },
        ActionKind::RefuseToSettle => Action::RefuseToSettle { reasons: req.reasons, legal_basis: req.legal_basis },
        ActionKind::Pause => Action::Pause {
            kind: match req.pause_kind.as_deref() {
                Some(k) => enum_arg::<PauseKind>(k, "Lý do tạm dừng")?,
                None => PauseKind::Other,
            },
            reason: req.reason,
        },
        ActionKind::Resume => Action::Resume { note: req.note },
        ActionKind::Extend => {
            let raw = req.extension.unwrap_or_default();
            let limit = raw.parse().map_err(|e: hcc_domain::time_limit::TimeLimitParseError| {
                AppError::unprocessable("invalid_action", format!("Thời gian gia hạn: {e}"))
            })?;
            Action::Extend { limit, reason: req.reason }
        }
        ActionKind::Apologize => {
            let raw = req.new_due_at.unwrap_or_default();
            let new_due_at = crate::time::parse(&raw)
                .ok_or_else(|| AppError::unprocessable("invalid_action", "Ngày hẹn mới không hợp lệ (new_due_at)"))?;
            Action::Apologize { new_due_at, reason: req.reason }
        }
        ActionKind::MarkResultReady => Action::MarkResultReady { note: req.note },
        ActionKind::ReturnResult => Action::ReturnResult {
            method: enum_arg::<ReturnMethod>(req.method.as_deref().unwrap_or("counter"), "Hình thức trả kết quả")?,
            note: req.note,
            signature_sha256: None,
        },
        ActionKind::Withdraw => Action::Withdraw { reason: req.reason },
        ActionKind::Stop => Action::Stop { reasons: req.reasons },
        ActionKind::WaiveDigitization => Action::WaiveDigitization { reason: req.reason },
        ActionKind::Digitize | ActionKind::AttachResult | ActionKind::DeleteDocument => {
            return Err(AppError::unprocessable(
                "use_documents_api",
                "Tài liệu được tải lên, đính kèm hoặc xóa qua /api/v1/dossiers/{code}/documents và /api/v1/documents/{id}",
            ));
        }
    })
}

pub fn action_error(e: ActionError) -> AppError {
    let status = match &e {
        ActionError::Denied(hcc_domain::permission::Denied::NotInScope) => StatusCode::NOT_FOUND,
        ActionError::Denied(_) => StatusCode::FORBIDDEN,
        ActionError::InvalidState { .. }
        | ActionError::Finished
        | ActionError::NotDigitized { .. }
        | ActionError::ResultNotDigitized => StatusCode::CONFLICT,
        ActionError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    AppError::new(status, e.code(), e.to_string())
}

/// Performs one lifecycle action on a dossier.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/actions/{action}", tag = "dossiers", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code"),
           ("action" = String, Path, description = "receive, refuse_receipt, request_supplement, receive_supplement, assign, forward, complete_step, approve, refuse_to_settle, pause, resume, extend, apologize, mark_result_ready, return_result, withdraw, stop, waive_digitization")),
    request_body = ActionRequest,
    responses((status = 200, body = ActionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath((code, action)): ApiPath<(String, String)>,
    body: axum::body::Bytes,
) -> AppResult<Json<ActionResponse>> {
    let kind = ActionKind::parse(&action).ok_or_else(|| AppError::not_found(format!("Không có thao tác {action}")))?;
    // An action without arguments may be posted with an empty body.
    let req: ActionRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ActionRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                AppError::unprocessable("invalid_body", format!("Dữ liệu gửi lên không đúng cấu trúc: {e}"))
            } else {
                AppError::bad_request("invalid_json", "Nội dung JSON không hợp lệ")
            }
        })?
    };
    let record = perform(&state, &actor, &code, kind, req).await?;
    let calendar = state.calendar();
    Ok(Json(ActionResponse {
        action: kind.as_str().to_owned(),
        dossier: DossierView::of(&record, &calendar, hcc_store::model::now()),
    }))
}

/// Performs one lifecycle action for `actor` and answers the dossier as written. The API handler
/// and the staff app's forms both call this: the domain's `decide()` judges, the store writes the
/// dossier and its control-sheet row in one transaction.
pub async fn perform(
    state: &AppState,
    actor: &Actor,
    code: &str,
    kind: ActionKind,
    req: ActionRequest,
) -> AppResult<DossierRecord> {
    let expected = req.expected_version;
    let (dossier, involved) = load_readable(state, actor, code).await?;
    if expected.is_some_and(|v| v != dossier.version) {
        return Err(AppError::conflict(
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thực hiện lại thao tác",
        ));
    }
    let action = build_action(state, kind, req).await?;
    let procedure = state
        .procedure(&dossier.procedure_code, Some(dossier.procedure_version as u32))
        .await?
        .ok_or_else(|| AppError::internal(format!("procedure {} missing", dossier.procedure_code)))?;
    let calendar = state.calendar();
    let now = hcc_store::model::now();
    let ctx = Context { procedure: &procedure, calendar: &calendar, actor, involved_agencies: &involved, now };
    let transition = lifecycle::decide(&dossier.state, &action, &ctx).map_err(action_error)?;
    let record =
        state.store.apply_transition(&dossier, &transition.state, &transition.event, &event_actor(actor), now).await?;
    if kind == ActionKind::ReturnResult {
        crate::portal::rating::after_return(state, &record).await;
    }
    Ok(record)
}

/// The actions `ctx.actor` may take on a dossier now, in the lifecycle's order. Each is asked of
/// `decide()` itself with placeholder arguments, so this never disagrees with the decision: an
/// action counts as available when only its arguments (still to be typed) could make it fail.
pub fn available_actions(state: &DossierState, ctx: &Context) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|&kind| {
            let Some(probe) = probe(kind, ctx) else { return false };
            matches!(lifecycle::decide(state, &probe, ctx), Ok(_) | Err(ActionError::Invalid(_)))
        })
        .collect()
}

/// An action of `kind` with placeholder arguments (see [`available_actions`]).
fn probe(kind: ActionKind, ctx: &Context) -> Option<Action> {
    let note = String::new;
    Some(match kind {
        ActionKind::Receive => Action::Receive { note: note() },
        ActionKind::RefuseReceipt => Action::RefuseReceipt { reasons: note() },
        ActionKind::RequestSupplement => Action::RequestSupplement { items: Vec::new(), reason: note() },
        ActionKind::ReceiveSupplement => Action::ReceiveSupplement { note: note() },
        ActionKind::Assign => Action::Assign {
            assignee: StaffRef {
                user_id: ctx.actor.user_id,
                username: ctx.actor.username.clone(),
                role: ctx.actor.role,
                agency: ctx.actor.agency.clone(),
            },
            note: note(),
        },
        ActionKind::Forward => Action::Forward { agency_code: String::new(), note: note() },
        ActionKind::CompleteStep => Action::CompleteStep { note: note() },
        ActionKind::Approve => Action::Approve { note: note() },
        ActionKind::RefuseToSettle => Action::RefuseToSettle { reasons: note(), legal_basis: note() },
        ActionKind::Pause => Action::Pause { kind: PauseKind::Other, reason: note() },
        ActionKind::Resume => Action::Resume { note: note() },
        ActionKind::Extend => Action::Extend { limit: "1 working-days".parse().ok()?, reason: note() },
        ActionKind::Apologize => Action::Apologize { new_due_at: ctx.now, reason: note() },
        ActionKind::MarkResultReady => Action::MarkResultReady { note: note() },
        ActionKind::ReturnResult => {
            Action::ReturnResult { method: ReturnMethod::Counter, note: note(), signature_sha256: None }
        }
        ActionKind::Withdraw => Action::Withdraw { reason: note() },
        ActionKind::Stop => Action::Stop { reasons: note() },
        ActionKind::WaiveDigitization => Action::WaiveDigitization { reason: note() },
        // Documents are added, attached and deleted through their own forms (uploads).
        ActionKind::Digitize | ActionKind::AttachResult | ActionKind::DeleteDocument => return None,
    })
}
