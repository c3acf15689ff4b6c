//! `/nop-ho-so`: online submission. A signed-in citizen picks a procedure offered online, fills
//! in the applicant form (checked by the same functions as the counter), uploads a file per
//! required paper or reuses one from their earlier dossiers, chooses how to get the result and
//! records the fee payment. Everything typed and uploaded is kept in a draft under the form's key
//! first, so an interrupted or refused submission resumes where it stopped; the key is also the
//! dossier's idempotency key, so a double submit answers the dossier made the first time.
//! The dossier starts `submitted` on the online channel (DOMAIN.md §Lifecycle): the online
//! point's officer checks it and receives it, which starts the clock.

use super::citizen_session::SignedIn;
use super::{message, online_point, render};
use crate::AppState;
use crate::api::documents::{file_error, limits_for};
use crate::api::receive::{ApplicantInput, applicant, bounded, new_secret};
use crate::error::{AppError, AppResult};
use crate::ui::see_other;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures::TryStreamExt;
use hcc_domain::catalog::{self, Channel, Procedure};
use hcc_domain::lifecycle::{self, Action, Context, CopyKind, DocumentFacts};
use hcc_domain::{citizen, org};
use hcc_store::citizens::DraftRow;
use hcc_store::model::{ChecklistItem, DocumentKind, NewDocument, NewDossier};
use hcc_store::public::ProcedureFilter;
use hcc_templates::citizen::{CitizenMsg, SubmitFormPage, SubmitItem, SubmitListPage, SubmitPaper};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the citizen typed, as kept in the draft (the form's fields, serialized).
pub use hcc_templates::citizen::SubmitFields as DraftForm;

/// A paper uploaded (or chosen for reuse) for one required item, as kept in the draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftFile {
    pub item_no: u32,
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub pages: Option<u32>,
    /// The document reused (id, its dossier's code), when it comes from an earlier dossier.
    pub reused_from: Option<(i64, String)>,
}

/// The online channel's offer of a procedure, if it can take dossiers.
fn online_offer(p: &Procedure) -> Option<&catalog::ChannelOffer> {
    p.channel(Channel::Online).filter(|c| c.time_limit.is_some())
}

fn limit_label(offer: &catalog::ChannelOffer) -> String {
    offer.time_limit.map(|l| format!("{} {}", l.value(), l.unit.label_vi())).unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    /// The draft to resume.
    #[serde(default)]
    nhap: String,
}

/// `GET /nop-ho-so`: the procedures that take dossiers online.
pub async fn list(
    State(state): State<AppState>,
    super::citizen_session::MaybeSignedIn(who, lang, here): super::citizen_session::MaybeSignedIn,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let text = q.q.trim().chars().take(200).collect::<String>();
    let filter = ProcedureFilter { text: (!text.is_empty()).then(|| text.clone()), limit: 100, ..Default::default() };
    let procedures = match state.store.search_procedures(&filter).await {
        Ok(p) => p,
        Err(e) => return message(lang, &here, e.into(), "/"),
    };
    let items = procedures
        .iter()
        .filter_map(|p| {
            let offer = online_offer(p)?;
            Some(SubmitItem {
                code: p.code.clone(),
                name: p.name.clone(),
                field: p.field.clone(),
                limit: limit_label(offer),
                fee: offer.fee.clone(),
            })
        })
        .collect();
    let m = CitizenMsg::of(lang);
    let mut l = super::citizen_session::layout(lang, m.submit_title, &here);
    if let Some(w) = &who {
        l.account = Some(w.name.clone());
        l.csrf = w.csrf.clone();
    }
    render(StatusCode::OK, &SubmitListPage { l, q: text, items }, true)
}

fn valid_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Papers of the citizen's own earlier dossiers that may be reused for this applicant: the
/// applicant's electronic data store (by CCCD or tax code), limited to dossiers this account
/// submitted, so typing someone else's number reaches nothing.
async fn reusable(state: &AppState, who: &SignedIn, id_number: &str) -> AppResult<Vec<hcc_store::DocumentRecord>> {
    if id_number.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mine: Vec<i64> = state.store.drafts_of(who.id, 500).await?.into_iter().filter_map(|d| d.dossier_id).collect();
    let docs = state.store.vault(id_number.trim(), hcc_store::model::now(), 100).await?;
    Ok(docs.into_iter().filter(|d| mine.contains(&d.dossier_id) && d.kind == DocumentKind::Input).collect())
}

/// Builds the form page.
async fn form_page(
    state: &AppState,
    who: &SignedIn,
    procedure: &Procedure,
    key: String,
    form: &DraftForm,
    files: &[DraftFile],
    resumed: bool,
) -> AppResult<SubmitFormPage> {
    let offer = online_offer(procedure).ok_or_else(not_online)?;
    let vault = reusable(state, who, &form.id_number).await?;
    let papers = procedure
        .documents
        .iter()
        .map(|d| SubmitPaper {
            no: d.no,
            name: d.name.clone(),
            mandatory: d.mandatory,
            group: d.group.clone().unwrap_or_default(),
            uploaded: files.iter().find(|f| f.item_no == d.no).map(|f| f.file_name.clone()).unwrap_or_default(),
            reusable: vault
                .iter()
                .filter(|v| v.item_no.is_none_or(|n| n == d.no))
                .map(|v| (v.id, format!("{} ({})", v.file_name, v.dossier_code)))
                .collect(),
        })
        .collect();
    Ok(SubmitFormPage {
        l: who.layout(format!("{} {}", CitizenMsg::of(who.lang).submit_title, procedure.code)),
        code: procedure.code.clone(),
        name: procedure.name.clone(),
        limit: limit_label(offer),
        fee: offer.fee.clone(),
        fee_due: citizen::fee_due(&offer.fee, offer.fee_vnd),
        key,
        f: form.clone(),
        papers,
        cases: catalog::cases(procedure).into_iter().map(str::to_owned).collect(),
        error: String::new(),
        error_code: String::new(),
        resumed,
    })
}

fn not_online() -> AppError {
    AppError::new(StatusCode::NOT_FOUND, "not_online", "Thủ tục này không tiếp nhận hồ sơ trực tuyến")
}

async fn procedure_online(state: &AppState, code: &str) -> AppResult<std::sync::Arc<Procedure>> {
    let p = state.procedure(code.trim(), None).await?.ok_or_else(not_online)?;
    online_offer(&p).ok_or_else(not_online)?;
    Ok(p)
}

/// `GET /nop-ho-so/{code}` (`?nhap=KEY` resumes a draft).
pub async fn form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let result = async {
        let procedure = procedure_online(&state, &code).await?;
        let draft = if valid_key(&q.nhap) { state.store.get_draft(&q.nhap).await? } else { None };
        match draft.filter(|d| d.citizen_id == who.id) {
            Some(d) => {
                if let Some(id) = d.dossier_id {
                    let dossier = state
                        .store
                        .get_dossier_by_id(id)
                        .await?
                        .ok_or_else(|| AppError::not_found("Không tìm thấy hồ sơ"))?;
                    return Ok(Err(format!("/cong-dan/ho-so/{}", dossier.code)));
                }
                let form: DraftForm = serde_json::from_str(&d.form).unwrap_or_default();
                let files: Vec<DraftFile> = serde_json::from_str(&d.files).unwrap_or_default();
                Ok(Ok(form_page(&state, &who, &procedure, d.key, &form, &files, true).await?))
            }
            None => {
                let citizen = state.store.citizen_by_id(who.id).await?;
                let contact = citizen.and_then(|c| c.contact).unwrap_or_default();
                let form = DraftForm {
                    name: who.name.clone(),
                    phone: if contact.contains('@') { String::new() } else { contact.clone() },
                    email: if contact.contains('@') { contact } else { String::new() },
                    return_method: "counter".into(),
                    ..DraftForm::default()
                };
                let key = crate::auth::new_token()[..32].to_owned();
                Ok(Ok(form_page(&state, &who, &procedure, key, &form, &[], false).await?))
            }
        }
    };
    match result.await {
        Ok(Ok(page)) => render(StatusCode::OK, &page, true),
        Ok(Err(to)) => see_other(&to),
        Err(e) => message(who.lang, &who.here, e, "/nop-ho-so"),
    }
}

/// Reads a text field of a multipart form, refusing one longer than `max` bytes.
async fn text_field(field: &mut axum::extract::multipart::Field<'_>, max: usize) -> AppResult<String> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if out.len() + chunk.len() > max {
            return Err(AppError::unprocessable("invalid_field", "Nội dung một trường quá dài"));
        }
        out.extend_from_slice(&chunk);
    }
    String::from_utf8(out).map_err(|_| AppError::unprocessable("invalid_field", "Nội dung không hợp lệ"))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    AppError::bad_request("upload_truncated", format!("Tải lên bị gián đoạn, vui lòng gửi lại: {e}"))
}

/// What a posted submission form held.
struct Posted {
    key: String,
    form: DraftForm,
    files: Vec<DraftFile>,
    reuse: BTreeMap<u32, i64>,
}

/// Reads the multipart form: the session's token first, then fields; each file is streamed into
/// the document store as it arrives (stored by content hash; an unused one costs nothing twice).
async fn read_form(state: &AppState, who: &SignedIn, procedure: &Procedure, request: Request) -> AppResult<Posted> {
    let limits = limits_for(state, &procedure.code).await?;
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::bad_request("invalid_multipart", format!("Dữ liệu gửi lên không hợp lệ: {e}")))?;
    let mut posted =
        Posted { key: String::new(), form: DraftForm::default(), files: Vec::new(), reuse: BTreeMap::new() };
    let mut csrf_ok = false;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_owned();
        if let Some(no) = name.strip_prefix("file_") {
            if !csrf_ok {
                return Err(super::form_expired());
            }
            let no: u32 =
                no.parse().map_err(|_| AppError::unprocessable("invalid_field", "Thành phần hồ sơ không hợp lệ"))?;
            if !procedure.documents.iter().any(|d| d.no == no) {
                return Err(AppError::unprocessable("invalid_documents", format!("Thủ tục không có giấy tờ số {no}")));
            }
            let file_name = field.file_name().unwrap_or("").to_owned();
            if file_name.is_empty() {
                // No file chosen for this paper: the browser sends an empty part.
                while field.chunk().await.map_err(multipart_error)?.is_some() {}
                continue;
            }
            let file_name = hcc_files::clean_file_name(&file_name).map_err(file_error)?;
            let stream = field.map_err(std::io::Error::other);
            let blob = state.files.put_stream(Box::pin(stream), &limits).await.map_err(file_error)?;
            hcc_files::check_name_matches(&file_name, blob.media_type).map_err(file_error)?;
            posted.files.retain(|f| f.item_no != no);
            posted.files.push(DraftFile {
                item_no: no,
                sha256: blob.sha256,
                file_name,
                media_type: blob.media_type.mime().to_owned(),
                size: blob.size,
                pages: blob.pages,
                reused_from: None,
            });
            continue;
        }
        let value = text_field(&mut field, 4096).await?;
        match name.as_str() {
            "csrf" => {
                if !who.csrf_ok(Some(&value)) {
                    return Err(super::form_expired());
                }
                csrf_ok = true;
            }
            "key" => posted.key = value.trim().to_owned(),
            n if n.starts_with("reuse_") => {
                if let (Ok(no), Ok(id)) = (n["reuse_".len()..].parse::<u32>(), value.trim().parse::<i64>()) {
                    posted.reuse.insert(no, id);
                }
            }
            n => {
                if !posted.form.set(n, value) {
                    return Err(AppError::unprocessable("invalid_field", format!("Trường {n} không được hỗ trợ")));
                }
            }
        }
    }
    if !csrf_ok {
        return Err(super::form_expired());
    }
    if !valid_key(&posted.key) {
        return Err(AppError::bad_request("invalid_key", "Mã hồ sơ đang soạn không hợp lệ; vui lòng mở lại biểu mẫu"));
    }
    Ok(posted)
}

/// `POST /nop-ho-so/{code}`.
pub async fn submit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let procedure = match procedure_online(&state, &code).await {
        Ok(p) => p,
        Err(e) => return message(who.lang, &who.here, e, "/nop-ho-so"),
    };
    let posted = match read_form(&state, &who, &procedure, request).await {
        Ok(p) => p,
        Err(e) => return message(who.lang, &who.here, e, &format!("/nop-ho-so/{}", procedure.code)),
    };
    let key = posted.key.clone();
    // The draft first: whatever happens next, what was typed and uploaded is kept.
    let (form, files) = match keep_draft(&state, &who, &procedure, posted).await {
        Ok(Ok(kept)) => kept,
        Ok(Err(done)) => return see_other(&done),
        Err(e) => return message(who.lang, &who.here, e, &format!("/nop-ho-so/{}", procedure.code)),
    };
    match create(&state, &who, &procedure, &key, &form, &files).await {
        Ok(code) => see_other(&format!("/cong-dan/ho-so/{code}?moi=1")),
        Err(e) => match form_page(&state, &who, &procedure, key, &form, &files, false).await {
            Ok(mut page) => {
                page.error = e.message;
                page.error_code = e.code.to_owned();
                render(e.status, &page, true)
            }
            Err(e2) => message(who.lang, &who.here, e2, "/nop-ho-so"),
        },
    }
}

/// Merges the posted form into its draft and saves it. `Err(path)` when the draft already became
/// a dossier (a double submit): the caller goes to that dossier.
async fn keep_draft(
    state: &AppState,
    who: &SignedIn,
    procedure: &Procedure,
    posted: Posted,
) -> AppResult<Result<(DraftForm, Vec<DraftFile>), String>> {
    let existing = state.store.get_draft(&posted.key).await?;
    let mut files: Vec<DraftFile> = Vec::new();
    if let Some(d) = &existing {
        if d.citizen_id != who.id {
            return Err(AppError::conflict("Mã hồ sơ đang soạn đã được dùng; vui lòng mở lại biểu mẫu"));
        }
        if let Some(id) = d.dossier_id {
            let dossier =
                state.store.get_dossier_by_id(id).await?.ok_or_else(|| AppError::not_found("Không tìm thấy hồ sơ"))?;
            return Ok(Err(format!("/cong-dan/ho-so/{}", dossier.code)));
        }
        files = serde_json::from_str(&d.files).unwrap_or_default();
    }
    for f in posted.files {
        files.retain(|x| x.item_no != f.item_no);
        files.push(f);
    }
    if !posted.reuse.is_empty() {
        let vault = reusable(state, who, &posted.form.id_number).await?;
        for (no, id) in posted.reuse {
            let Some(doc) = vault.iter().find(|d| d.id == id) else {
                return Err(AppError::unprocessable(
                    "document_not_reusable",
                    "Tài liệu không thuộc kho dữ liệu của người nộp hồ sơ này hoặc đã hết hiệu lực",
                ));
            };
            files.retain(|x| x.item_no != no);
            files.push(DraftFile {
                item_no: no,
                sha256: doc.sha256.clone(),
                file_name: doc.file_name.clone(),
                media_type: doc.media_type.clone(),
                size: doc.size,
                pages: doc.pages,
                reused_from: Some((doc.id, doc.dossier_code.clone())),
            });
        }
    }
    files.sort_by_key(|f| f.item_no);
    let row = DraftRow {
        key: posted.key.clone(),
        citizen_id: who.id,
        procedure_code: procedure.code.clone(),
        form: serde_json::to_string(&posted.form).map_err(AppError::internal)?,
        files: serde_json::to_string(&files).map_err(AppError::internal)?,
        dossier_id: None,
        updated_at: hcc_store::model::now(),
    };
    match state.store.save_draft(&row).await {
        Ok(()) => Ok(Ok((posted.form, files))),
        // Finished in between by a concurrent submit of the same form.
        Err(hcc_store::StoreError::Conflict) => {
            match state.store.get_draft(&posted.key).await?.and_then(|d| d.dossier_id) {
                Some(id) => {
                    let dossier = state
                        .store
                        .get_dossier_by_id(id)
                        .await?
                        .ok_or_else(|| AppError::not_found("Không tìm thấy hồ sơ"))?;
                    Ok(Err(format!("/cong-dan/ho-so/{}", dossier.code)))
                }
                None => Err(AppError::conflict("Mã hồ sơ đang soạn đã được dùng; vui lòng mở lại biểu mẫu")),
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Checks the submission as the counter would and writes the dossier, `submitted` on the online
/// channel, with its papers digitized, in one transaction. Answers its code.
async fn create(
    state: &AppState,
    who: &SignedIn,
    procedure: &Procedure,
    key: &str,
    form: &DraftForm,
    files: &[DraftFile],
) -> AppResult<String> {
    let offer = online_offer(procedure).ok_or_else(not_online)?;
    let id = form.id_number.trim();
    // A 10- or 13-digit number is a tax code: the applicant is an organisation.
    let kind = if matches!(id.len(), 10 | 13) { "organization" } else { "person" };
    let input = ApplicantInput {
        kind: Some(kind.to_owned()),
        name: form.name.clone(),
        id_number: form.id_number.clone(),
        phone: opt(&form.phone),
        email: opt(&form.email),
        address: form.address.clone(),
        commune_code: opt(&form.commune_code),
    };
    let applicant = applicant(&input)?;
    let subject_commune = opt(&form.subject_commune);
    for commune in [subject_commune.as_deref(), applicant.commune_code.as_deref()].into_iter().flatten() {
        if !state.commune_exists(commune).await? {
            return Err(AppError::unprocessable("unknown_commune", format!("Không có xã/phường mã {commune}")));
        }
    }
    let return_method = match form.return_method.trim() {
        "" | "counter" => Channel::Counter,
        "post" => Channel::Post,
        "online" => Channel::Online,
        other => {
            return Err(AppError::unprocessable(
                "invalid_channel",
                format!("Hình thức nhận kết quả không hợp lệ: {other}"),
            ));
        }
    };
    let case = opt(&form.case).map(|c| bounded(&c, "trường hợp", 1000, false)).transpose()?;
    let provided: Vec<u32> = files.iter().map(|f| f.item_no).collect();
    let check = catalog::check_documents(procedure, &provided, case.as_deref())
        .map_err(|e| AppError::unprocessable("unknown_case", e.to_string()))?;
    if !check.missing.is_empty() {
        let list = check.missing.iter().map(|d| format!("{}. {}", d.no, d.name)).collect::<Vec<_>>().join("; ");
        return Err(AppError::unprocessable(
            "missing_documents",
            format!("Hồ sơ chưa đủ thành phần, cần bổ sung: {list}"),
        ));
    }
    let payment = if citizen::fee_due(&offer.fee, offer.fee_vnd) {
        let record = state
            .portal
            .payments
            .record(&offer.fee, offer.fee_vnd, opt(&form.payment_method).as_deref(), &form.payment_reference)
            .map_err(|e| AppError::unprocessable("invalid_payment", e.to_string()))?;
        Some(record)
    } else {
        None
    };
    let request_summary = bounded(&form.request_summary, "nội dung yêu cầu", 2000, false)?;

    let rules = state.routing_rules().await?;
    let subject = subject_commune.as_deref().or(applicant.commune_code.as_deref());
    let agencies = match subject {
        Some(c) => state.commune_agencies(c).await?,
        None => Vec::new(),
    };
    let routing = org::route(procedure, subject, &rules, &agencies)
        .map_err(|e| AppError::unprocessable("routing_failed", e.to_string()))?;
    let point = online_point(state).await?;
    let calendar = state.calendar();
    let now = hcc_store::model::now();
    let (mut dossier_state, mut event) =
        lifecycle::open(procedure, Channel::Online, &point, &routing.agency_code, false, &calendar, now)
            .map_err(|e| AppError::unprocessable("channel_without_time_limit", e.to_string()))?;
    dossier_state.unscanned_items = provided.clone();
    event.details["routing"] = serde_json::json!({ "rule": routing.rule, "reason": routing.reason });
    if let Some(p) = &payment {
        event.details["payment"] = serde_json::to_value(p).map_err(AppError::internal)?;
    }
    let acting = who.acting(&point);
    let recorded_by = who.event_actor(&point);
    let mut events = vec![(event, recorded_by.clone(), now)];
    let mut documents = Vec::new();
    // Each paper is an electronic original, digitized as it arrives: one control-sheet row each.
    for f in files {
        let facts = DocumentFacts {
            id: None,
            item_no: Some(f.item_no),
            sha256: f.sha256.clone(),
            file_name: f.file_name.clone(),
            media_type: f.media_type.clone(),
            size: f.size,
            pages: f.pages,
            copy_kind: CopyKind::Electronic,
            reused_from: f.reused_from.as_ref().map(|(id, code)| format!("{code}#{id}")),
        };
        let ctx = Context { procedure, calendar: &calendar, actor: &acting, involved_agencies: &[], now };
        let tr = lifecycle::decide(&dossier_state, &Action::Digitize { document: facts }, &ctx)
            .map_err(crate::api::actions::action_error)?;
        dossier_state = tr.state;
        events.push((tr.event, recorded_by.clone(), now));
        documents.push((
            events.len() - 1,
            NewDocument {
                kind: DocumentKind::Input,
                item_no: Some(f.item_no),
                sha256: f.sha256.clone(),
                file_name: f.file_name.clone(),
                media_type: f.media_type.clone(),
                size: f.size,
                pages: f.pages,
                copy_kind: CopyKind::Electronic,
                owner_id: applicant.id_number.clone(),
                valid_until: None,
                reused_from: f.reused_from.as_ref().map(|(id, _)| *id),
            },
        ));
    }
    let new = NewDossier {
        procedure_code: procedure.code.clone(),
        procedure_version: i64::from(procedure.version),
        procedure_name: procedure.name.clone(),
        field: procedure.field.clone(),
        applicant,
        subject_commune,
        request_summary,
        documents: ChecklistItem::for_procedure(procedure, |d| provided.contains(&d.no)),
        return_method: return_method.as_str().to_owned(),
        routing_rule: routing.rule.to_owned(),
        idempotency_key: Some(format!("cong-dan:{key}")),
        secret: new_secret(),
        state: dossier_state,
        files: documents,
        events,
        code_date: calendar.local(now).date(),
    };
    // The same key at the same instant (a double click): the second is refused by the key's
    // unique index, and asked again the store answers the dossier the first one made.
    let retry = new.clone();
    let (record, _created) = match state.store.create_dossier(new, now).await {
        Ok(r) => r,
        Err(first) => state.store.create_dossier(retry, now).await.map_err(|_| first)?,
    };
    state.store.finish_draft(key, record.id, now).await?;
    Ok(record.code)
}
