//! `/tra-ket-qua`: results waiting at the user's reception point. The officer returns one at the
//! counter — the recipient's name and citizen ID, and the confirmation that they signed — or hands
//! it to the post office with the postal item number. The return runs the API's `perform`; what
//! was confirmed is written in the control-sheet row's note.

use super::inbox::server_timing;
use super::{WebUser, render, see_other};
use crate::AppState;
use crate::api::actions::{ActionRequest, perform};
use crate::api::documents::{check_version, decide_and_write, file_error};
use crate::api::dossiers::load_readable;
use crate::error::{AppError, AppResult};
use crate::time::display;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use hcc_domain::actor::Actor;
use hcc_domain::actor::Role;
use hcc_domain::identity::PersonalId;
use hcc_domain::lifecycle::ActionKind;
use hcc_domain::lifecycle::{Action, CopyKind, ReturnMethod};
use hcc_files::{MediaType, UploadLimits};
use hcc_store::DossierQuery;
use hcc_store::{DocumentChange, DocumentKind, DossierRecord, NewDocument};
use hcc_templates::counter::{CounterMsg, ReturnPage, ReturnRow};
use std::collections::HashMap;

/// Rows shown at once.
const LIMIT: u32 = 200;

/// `GET /tra-ket-qua`.
pub async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    let started = std::time::Instant::now();
    let mut r = match build(&state, &user, None).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(e) => user.error_page(e),
    };
    server_timing(&mut r, started);
    r
}

/// A return form that was refused.
struct Typed {
    code: String,
    values: HashMap<String, String>,
    error: String,
    field: &'static str,
}

async fn build(state: &AppState, user: &WebUser, typed: Option<Typed>) -> AppResult<ReturnPage> {
    if !matches!(user.actor.role, Role::Reception | Role::Postal) {
        return Err(AppError::forbidden("Chỉ cán bộ tiếp nhận hoặc nhân viên bưu điện trả kết quả"));
    }
    let m = CounterMsg::of(user.lang);
    let lang = user.lang;
    let query = DossierQuery {
        visible_to_point: user.actor.point.clone(),
        statuses: vec!["result_ready".to_owned(), "not_settled".to_owned()],
        limit: LIMIT,
        ..DossierQuery::default()
    };
    let page = state.store.list_dossiers(&query).await?;
    let rows = page
        .items
        .iter()
        .map(|d| {
            let mine = typed.as_ref().filter(|t| t.code == d.code);
            let v = |k: &str| mine.and_then(|t| t.values.get(k)).cloned().unwrap_or_default();
            let err = |f: &str| mine.filter(|t| t.field == f).map(|t| t.error.clone()).unwrap_or_default();
            let s = &d.state;
            ReturnRow {
                code: d.code.clone(),
                href: format!("/ho-so/{}", d.code),
                applicant: d.applicant.name.clone(),
                id_number: d.applicant.id_number.clone(),
                procedure: d.procedure_name.clone(),
                status: lang.label("status", s.status.as_str(), s.status.label_vi()).to_owned(),
                appointment: s.due_at.map(display).unwrap_or_default(),
                wants: match d.return_method.as_str() {
                    "post" => m.return_post,
                    "online" => user.t().method_online,
                    _ => m.return_counter,
                }
                .to_owned(),
                post_href: format!("/tra-ket-qua/{}", d.code),
                version: d.version,
                by_post: match mine {
                    Some(_) => v("method") == "post",
                    None => d.return_method == "post",
                },
                recipient: v("recipient"),
                recipient_id: v("recipient_id"),
                postal_no: v("postal_no"),
                confirmed: !v("confirmed").is_empty(),
                open: mine.is_some(),
                error: err(""),
                e_recipient: err("recipient"),
                e_recipient_id: err("recipient_id"),
                e_postal_no: err("postal_no"),
                e_confirmed: err("confirmed"),
            }
        })
        .collect();
    Ok(ReturnPage { l: user.layout(m.returns_title, "/tra-ket-qua"), m, rows })
}

/// `POST /tra-ket-qua/{code}`.
pub async fn post(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(values)) = form else { return user.form_expired() };
    if !user.csrf_ok(values.get("csrf")) {
        return user.form_expired();
    }
    let get = |k: &str| values.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let by_post = get("method") == "post";
    // The pad's drawing, when the recipient signed on screen (a PNG data URL).
    let signature = values.get("signature").map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
    let checked: Result<String, (&'static str, String)> = if by_post {
        let no = get("postal_no");
        if no.is_empty() || no.len() > 40 {
            Err(("postal_no", "Cần nhập số hiệu bưu gửi do bưu điện cấp".to_owned()))
        } else {
            Ok(format!("Chuyển trả qua bưu điện, số hiệu bưu gửi {no}"))
        }
    } else {
        let (name, id) = (get("recipient"), get("recipient_id"));
        if name.is_empty() {
            Err(("recipient", "Cần nhập họ tên người nhận kết quả".to_owned()))
        } else if let Err(e) = PersonalId::parse(&id) {
            Err(("recipient_id", e.to_string()))
        } else if signature.is_some() {
            Ok(format!("Trả tại quầy cho {name}, số giấy tờ {id}; người nhận ký trên màn hình"))
        } else if get("confirmed").is_empty() {
            Err(("confirmed", "Cần chữ ký của người nhận: ký vào khung, hoặc xác nhận đã ký trên giấy".to_owned()))
        } else {
            Ok(format!("Trả tại quầy cho {name}, số giấy tờ {id}; người nhận đã ký nhận trên giấy"))
        }
    };
    let expected_version = get("expected_version").parse().ok();
    let outcome = match checked {
        Ok(note) if !by_post && signature.is_some() => {
            let data = signature.as_deref().unwrap_or_default();
            match return_signed(&state, &user.actor, &code, note, expected_version, data).await {
                Ok(d) => return see_other(&format!("/ho-so/{}?done=return_result", d.code)),
                Err(e) if e.status.is_server_error() => return user.error_page(e),
                Err(e) => (if e.code == "invalid_signature" { "confirmed" } else { "" }, e.message),
            }
        }
        Ok(note) => {
            let req = ActionRequest {
                note,
                method: Some(if by_post { "post" } else { "counter" }.to_owned()),
                expected_version,
                ..ActionRequest::default()
            };
            match perform(&state, &user.actor, &code, ActionKind::ReturnResult, req).await {
                Ok(d) => return see_other(&format!("/ho-so/{}?done=return_result", d.code)),
                Err(e) if e.status == StatusCode::INTERNAL_SERVER_ERROR => return user.error_page(e),
                Err(e) => ("", e.message),
            }
        }
        Err(fe) => fe,
    };
    let typed = Typed { code, values, error: outcome.1, field: outcome.0 };
    match build(&state, &user, Some(typed)).await {
        Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
        Err(e) => user.error_page(e),
    }
}

/// The largest signature image accepted (a 480×160 drawing is a few KB).
const MAX_SIGNATURE_BYTES: usize = 256 * 1024;

/// Returns the result at the counter with the recipient's handwritten signature: the drawing is
/// stored under its hash, then the return and the signature document are written in one
/// transaction — a return is never recorded without the signature it claims, nor the reverse.
async fn return_signed(
    state: &AppState,
    actor: &Actor,
    code: &str,
    note: String,
    expected_version: Option<i64>,
    data_url: &str,
) -> AppResult<DossierRecord> {
    let bad = || AppError::unprocessable("invalid_signature", "Chữ ký không đọc được; mời người nhận ký lại");
    let encoded = data_url.strip_prefix("data:image/png;base64,").ok_or_else(bad)?;
    if encoded.len() > MAX_SIGNATURE_BYTES * 4 / 3 + 4 {
        return Err(bad());
    }
    let png = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| bad())?;
    let (dossier, involved) = load_readable(state, actor, code).await?;
    check_version(&dossier, expected_version)?;
    let limits = UploadLimits { max_bytes: MAX_SIGNATURE_BYTES as u64, allowed: vec![MediaType::Png] };
    let blob = state
        .files
        .put_bytes(bytes::Bytes::from(png), &limits)
        .await
        .map_err(|e| if e.is_retryable() { file_error(e) } else { bad() })?;
    let document = NewDocument {
        kind: DocumentKind::Signature,
        item_no: None,
        sha256: blob.sha256.clone(),
        file_name: "chu-ky-nguoi-nhan.png".to_owned(),
        media_type: blob.media_type.mime().to_owned(),
        size: blob.size,
        pages: None,
        copy_kind: CopyKind::Electronic,
        owner_id: dossier.applicant.id_number.clone(),
        valid_until: None,
        reused_from: None,
    };
    let action = Action::ReturnResult { method: ReturnMethod::Counter, note, signature_sha256: Some(blob.sha256) };
    let record =
        decide_and_write(state, actor, &dossier, &involved, &action, Some(DocumentChange::Add(document))).await?;
    crate::portal::rating::after_return(state, &record).await;
    Ok(record)
}
