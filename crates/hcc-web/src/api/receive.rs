//! `POST /api/v1/dossiers`: receive a dossier at any reception point, whatever the applicant's
//! address (phi địa giới hành chính). Validates everything before writing anything.

use super::dossiers::DossierView;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hcc_domain::actor::{Actor, Role};
use hcc_domain::catalog::{self, Channel, Procedure};
use hcc_domain::identity::{IdentityError, PersonalId, Phone, TaxCode};
use hcc_domain::lifecycle::{Action, Context};
use hcc_domain::{lifecycle, org, text};
use hcc_store::{Applicant, ApplicantKind, ChecklistItem, EventActor, NewDossier};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ApplicantInput {
    /// `person` (default) or `organization`.
    pub kind: Option<String>,
    pub name: String,
    /// CCCD (12 digits) or old CMND (9) for a person; tax code for an organisation.
    pub id_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: String,
    /// Commune/ward code of the applicant's address (5 digits).
    pub commune_code: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReceiveRequest {
    pub procedure_code: String,
    /// `counter` (default), `post` or `online`.
    pub channel: Option<String>,
    /// Defaults to the officer's own reception point.
    pub point_code: Option<String>,
    pub applicant: ApplicantInput,
    /// Commune/ward where the land or works lie; decides the competent commune.
    pub subject_commune: Option<String>,
    #[serde(default)]
    pub request_summary: String,
    /// Numbers (`no`) of the required-document items handed in.
    #[serde(default)]
    pub documents: Vec<u32>,
    /// The applicant's case, for a procedure whose papers are published per case: the heading as
    /// the catalog gives it in `documents[].group` (diacritics and case ignored). Without it, the
    /// first case whose mandatory papers were all handed in is taken.
    pub case: Option<String>,
    /// `counter` (default), `post` or `online`.
    pub return_method: Option<String>,
    /// A retried request with the same key returns the dossier made the first time.
    pub idempotency_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RoutingView {
    pub agency_code: String,
    pub rule: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReceiveResponse {
    pub code: String,
    pub status: String,
    pub status_label: String,
    /// Appointment (hẹn trả kết quả), RFC 3339 in Asia/Ho_Chi_Minh; absent until received.
    pub due_at: Option<String>,
    /// Printed on the receipt; gives the applicant full tracking.
    pub secret: String,
    pub routing: RoutingView,
    pub receipt_url: String,
    pub tracking_url: String,
    pub dossier: DossierView,
}

fn identity_error(e: IdentityError) -> AppError {
    let code = match e {
        IdentityError::CccdLength | IdentityError::CccdProvince | IdentityError::CmndLength => "invalid_citizen_id",
        IdentityError::TaxCodeFormat | IdentityError::TaxCodeCheckDigit => "invalid_tax_code",
        IdentityError::Phone => "invalid_phone",
    };
    AppError::unprocessable(code, e.to_string())
}

pub fn bounded(value: &str, what: &str, max: usize, required: bool) -> AppResult<String> {
    let v = text::normalize(value);
    if required && v.is_empty() {
        return Err(AppError::unprocessable("missing_field", format!("Cần nhập {what}")));
    }
    if v.chars().count() > max || v.chars().any(|c| c.is_control()) {
        return Err(AppError::unprocessable(
            "invalid_field",
            format!("{what} không hợp lệ hoặc quá dài (tối đa {max} ký tự)"),
        ));
    }
    Ok(v)
}

pub fn applicant(input: &ApplicantInput) -> AppResult<Applicant> {
    let kind = match input.kind.as_deref().unwrap_or("person") {
        "person" => ApplicantKind::Person,
        "organization" => ApplicantKind::Organization,
        other => return Err(AppError::unprocessable("invalid_field", format!("Loại người nộp không hợp lệ: {other}"))),
    };
    let id_number = match kind {
        ApplicantKind::Person => PersonalId::parse(&input.id_number).map_err(identity_error)?.as_str().to_owned(),
        ApplicantKind::Organization => TaxCode::parse(&input.id_number).map_err(identity_error)?.as_str().to_owned(),
    };
    let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(Phone::parse(p).map_err(identity_error)?.as_str().to_owned()),
        None => None,
    };
    let email = match input.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => {
            let valid = e.len() <= 254
                && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
                && !e.chars().any(char::is_whitespace);
            if !valid {
                return Err(AppError::unprocessable("invalid_email", "Địa chỉ thư điện tử không hợp lệ"));
            }
            Some(e.to_owned())
        }
        None => None,
    };
    Ok(Applicant {
        kind,
        name: bounded(&input.name, "họ tên người nộp hồ sơ", 200, true)?,
        id_number,
        phone,
        email,
        address: bounded(&input.address, "địa chỉ", 500, true)?,
        commune_code: input.commune_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
    })
}

/// The checklist of the procedure's papers with those handed in ticked; refuses unknown items and
/// answers the complete list of missing mandatory papers at once (the Form 02 list): the papers
/// common to every case and those of the applicant's case (`catalog::check_documents`).
fn checklist(procedure: &Procedure, provided: &[u32], case: Option<&str>) -> AppResult<Vec<ChecklistItem>> {
    if let Some(bad) = provided.iter().find(|n| !procedure.documents.iter().any(|d| d.no == **n)) {
        return Err(AppError::unprocessable(
            "invalid_documents",
            format!("Thủ tục {} không có giấy tờ số {bad}", procedure.code),
        ));
    }
    let cases = catalog::cases(procedure);
    let check = catalog::check_documents(procedure, provided, case).map_err(|e| {
        let list = cases.iter().map(|c| format!("«{c}»")).collect::<Vec<_>>().join("; ");
        let known = if cases.is_empty() {
            "thủ tục không chia trường hợp".to_owned()
        } else {
            format!("các trường hợp: {list}")
        };
        AppError::unprocessable("unknown_case", format!("{e} ({known})"))
            .with_details(serde_json::json!({ "cases": cases }))
    })?;
    if !check.missing.is_empty() {
        let list = check.missing.iter().map(|d| format!("{}. {}", d.no, d.name)).collect::<Vec<_>>().join("; ");
        let mut message = format!("Hồ sơ chưa đủ thành phần, cần bổ sung: {list}");
        let closest = check.missing.iter().find_map(|d| d.group.as_deref());
        match (check.case, closest) {
            (Some(case), _) => message.push_str(&format!(" (trường hợp «{case}»)")),
            (None, Some(closest)) => message.push_str(&format!(
                ". Chưa đủ giấy tờ của trường hợp nào; trường hợp gần đủ nhất: «{closest}» — ghi rõ trường hợp của người nộp nếu khác"
            )),
            // No case, or only common papers missing.
            (None, None) => {}
        }
        return Err(AppError::unprocessable("missing_documents", message).with_details(serde_json::json!({
            "missing": check.missing.iter().map(|d| serde_json::json!({"no": d.no, "name": d.name, "group": d.group})).collect::<Vec<_>>(),
            "case": check.case,
            "cases": cases,
        })));
    }
    Ok(ChecklistItem::for_procedure(procedure, |d| provided.contains(&d.no)))
}

fn parse_channel(s: Option<&str>, what: &str) -> AppResult<Channel> {
    let s = s.unwrap_or("counter");
    Channel::parse(s).ok_or_else(|| {
        AppError::unprocessable("invalid_channel", format!("{what} không hợp lệ: {s} (counter, online hoặc post)"))
    })
}

/// A random secret for the receipt: 10 characters without look-alikes (0/O, 1/l/I).
pub fn new_secret() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    (0..10).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

pub fn event_actor(actor: &Actor) -> EventActor {
    EventActor {
        user_id: Some(actor.user_id),
        username: actor.username.clone(),
        full_name: actor.full_name.clone(),
        role: actor.role.as_str().to_owned(),
        unit: actor.unit().to_owned(),
    }
}

/// What the counter does with a dossier it has just checked (DOMAIN.md §Lifecycle): receive it
/// when it is complete, or — without receiving it — hand the applicant the one complete list of
/// what is missing (Form 02) or refuse it with reasons (Form 03). The dossier is registered either
/// way, its code and its control-sheet rows written in one transaction.
#[derive(Debug, Clone)]
pub enum CounterDecision {
    Receive,
    RequestSupplement { items: Vec<String>, reason: String },
    Refuse { reasons: String },
}

/// A dossier received (or registered) at a counter.
pub struct Received {
    pub record: hcc_store::DossierRecord,
    /// `false` when the idempotency key had been used: the dossier made the first time.
    pub created: bool,
    pub routing_reason: String,
}

/// Receives a dossier: validates the applicant and the papers, routes it to the competent agency,
/// numbers it, computes the appointment and writes it with its first control-sheet row.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", security(("bearer" = [])), request_body = ReceiveRequest,
    responses((status = 201, body = ReceiveResponse), (status = 200, body = ReceiveResponse, description = "replayed idempotent request"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn receive_dossier(
    State(state): State<AppState>,
    Staff(actor): Staff,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReceiveRequest>,
) -> AppResult<(StatusCode, Json<ReceiveResponse>)> {
    let header_key = headers.get("idempotency-key").and_then(|h| h.to_str().ok()).map(str::to_owned);
    let Received { record, created, routing_reason } =
        receive(&state, &actor, req, header_key, CounterDecision::Receive).await?;
    let calendar = state.calendar();
    let now = hcc_store::model::now();
    let base = &state.public_url;
    Ok((
        if created { StatusCode::CREATED } else { StatusCode::OK },
        Json(ReceiveResponse {
            code: record.code.clone(),
            status: record.state.status.as_str().to_owned(),
            status_label: record.state.status.label_vi().to_owned(),
            due_at: crate::time::local_opt(record.state.due_at),
            secret: record.secret.clone(),
            routing: RoutingView {
                agency_code: record.state.agency_code.clone(),
                rule: record.routing_rule.clone(),
                reason: routing_reason,
            },
            receipt_url: format!("{base}/ho-so/{}/giay-tiep-nhan", record.code),
            tracking_url: format!("{base}/tra-cuu/{}", record.code),
            dossier: DossierView::of(&record, &calendar, now),
        }),
    ))
}

/// Checks a dossier presented at `actor`'s counter and writes it as `decision` says. The API and
/// the counter page both call this: the same checks, the same single write.
pub async fn receive(
    state: &AppState,
    actor: &Actor,
    req: ReceiveRequest,
    header_key: Option<String>,
    decision: CounterDecision,
) -> AppResult<Received> {
    if !matches!(actor.role, Role::Reception | Role::Postal) {
        return Err(AppError::forbidden("Chỉ cán bộ tiếp nhận hoặc nhân viên bưu điện được tiếp nhận hồ sơ"));
    }
    let point_code = req.point_code.clone().or_else(|| actor.point.clone()).unwrap_or_default();
    let point = state
        .point(&point_code)
        .await?
        .ok_or_else(|| AppError::unprocessable("unknown_point", format!("Không có điểm tiếp nhận mã {point_code}")))?;
    if actor.point.as_deref() != Some(point.code.as_str()) {
        return Err(AppError::forbidden("Bạn chỉ tiếp nhận hồ sơ tại điểm tiếp nhận của mình"));
    }
    let procedure = state.procedure(req.procedure_code.trim(), None).await?.ok_or_else(|| {
        AppError::unprocessable("unknown_procedure", format!("Không có thủ tục mã {}", req.procedure_code.trim()))
    })?;
    let channel = parse_channel(req.channel.as_deref(), "Kênh nộp hồ sơ")?;
    if procedure.channel(channel).is_none() {
        return Err(AppError::unprocessable(
            "channel_not_offered",
            format!("Thủ tục {} không tiếp nhận qua kênh {}", procedure.code, channel.label_vi()),
        ));
    }
    let return_method = parse_channel(req.return_method.as_deref(), "Hình thức nhận kết quả")?;
    let applicant = applicant(&req.applicant)?;
    for commune in [req.subject_commune.as_deref(), applicant.commune_code.as_deref()].into_iter().flatten() {
        if !state.commune_exists(commune).await? {
            return Err(AppError::unprocessable("unknown_commune", format!("Không có xã/phường mã {commune}")));
        }
    }
    let case = req.case.as_deref().map(|c| bounded(c, "trường hợp", 1000, false)).transpose()?;
    let receiving = matches!(decision, CounterDecision::Receive);
    // Only a dossier being received must be complete; the supplement list and the refusal are
    // for those that are not.
    let documents = if receiving {
        checklist(&procedure, &req.documents, case.as_deref())?
    } else {
        if let Some(bad) = req.documents.iter().find(|n| !procedure.documents.iter().any(|d| d.no == **n)) {
            return Err(AppError::unprocessable(
                "invalid_documents",
                format!("Thủ tục {} không có giấy tờ số {bad}", procedure.code),
            ));
        }
        ChecklistItem::for_procedure(&procedure, |d| req.documents.contains(&d.no))
    };
    let request_summary = bounded(&req.request_summary, "nội dung yêu cầu", 2000, false)?;
    let idempotency_key = header_key
        .or(req.idempotency_key.clone())
        .map(|k| bounded(&k, "khóa chống gửi trùng", 100, true))
        .transpose()?;

    let rules = state.routing_rules().await?;
    let subject = req.subject_commune.as_deref().or(applicant.commune_code.as_deref());
    // Routing only ever needs the subject commune's own committee among the agencies.
    let agencies = match subject {
        Some(c) => state.commune_agencies(c).await?,
        None => Vec::new(),
    };
    let routing = org::route(&procedure, subject, &rules, &agencies)
        .map_err(|e| AppError::unprocessable("routing_failed", e.to_string()))?;

    let calendar = state.calendar();
    let now = hcc_store::model::now();
    let (mut dossier_state, mut event) =
        lifecycle::open(&procedure, channel, &point.code, &routing.agency_code, receiving, &calendar, now)
            .map_err(|e| AppError::unprocessable("channel_without_time_limit", e.to_string()))?;
    // Every paper handed in must be scanned before the dossier is handled (Decree 45/2020).
    dossier_state.unscanned_items = documents.iter().filter(|i| i.provided).map(|i| i.no).collect();
    event.details["routing"] = serde_json::json!({ "rule": routing.rule, "reason": routing.reason });
    let mut events = vec![(event, event_actor(actor), now)];
    let follow_up = match decision {
        CounterDecision::Receive => None,
        CounterDecision::RequestSupplement { items, reason } => Some(Action::RequestSupplement { items, reason }),
        CounterDecision::Refuse { reasons } => Some(Action::RefuseReceipt { reasons }),
    };
    if let Some(action) = follow_up {
        let ctx = Context { procedure: &procedure, calendar: &calendar, actor, involved_agencies: &[], now };
        let tr = lifecycle::decide(&dossier_state, &action, &ctx).map_err(super::actions::action_error)?;
        dossier_state = tr.state;
        events.push((tr.event, event_actor(actor), now));
    }
    let new = NewDossier {
        procedure_code: procedure.code.clone(),
        procedure_version: i64::from(procedure.version),
        procedure_name: procedure.name.clone(),
        field: procedure.field.clone(),
        applicant,
        subject_commune: req.subject_commune.clone(),
        request_summary,
        documents,
        return_method: return_method.as_str().to_owned(),
        routing_rule: routing.rule.to_owned(),
        idempotency_key,
        secret: new_secret(),
        state: dossier_state,
        files: Vec::new(),
        events,
        code_date: calendar.local(now).date(),
    };
    // Two submissions with one key at the same instant (a double click): on PostgreSQL the
    // second waits for the first and is then refused by the key's unique index. Asked again, the
    // store finds the key and answers the dossier the first one made.
    let retry = new.idempotency_key.is_some().then(|| new.clone());
    let (record, created) = match state.store.create_dossier(new, now).await {
        Ok(r) => r,
        Err(first) => match retry {
            Some(again) => state.store.create_dossier(again, now).await.map_err(|_| first)?,
            None => return Err(first.into()),
        },
    };
    Ok(Received { record, created, routing_reason: routing.reason })
}
