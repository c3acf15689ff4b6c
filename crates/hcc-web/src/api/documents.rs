//! Documents of a dossier (Decree 45/2020): scanned papers and digitized results, uploaded
//! streamed, stored by content hash, read back verified, reused from the applicant's electronic
//! data store. Every change goes through the lifecycle's `decide` and is written with its
//! control-sheet row; every staff read is logged.

use super::actions::action_error;
use super::dossiers::load_readable;
use super::receive::event_actor;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::Json;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures::TryStreamExt;
use hcc_domain::actor::Actor;
use hcc_domain::lifecycle::{self, Action, Context, CopyKind, DocumentFacts};
use hcc_files::{FileError, MediaType, StoredBlob, UploadLimits};
use hcc_store::model::{DocumentChange, DocumentKind, DocumentRecord, DossierRecord, NewDocument};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest upload accepted at all; a procedure may set a lower limit.
pub const MAX_UPLOAD_BYTES: u64 = 512 * 1024 * 1024;
/// Default per-file limit when a procedure sets none.
pub const DEFAULT_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Scanner pages are held in memory to be joined into one PDF: their total is capped.
const MAX_SCAN_BYTES: usize = 100 * 1024 * 1024;

mod upload_params;
pub use upload_params::UploadParams;

/// A document as staff see it.
#[derive(Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub dossier_code: String,
    /// `input` (a paper of the dossier) or `result`.
    pub kind: String,
    /// The checklist item it satisfies.
    pub item_no: Option<u32>,
    pub item_name: Option<String>,
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub pages: Option<u32>,
    pub copy_kind: String,
    pub copy_kind_label: String,
    /// Where a reused document came from (once-only).
    pub reused_from: Option<i64>,
    pub digitized_by: String,
    pub digitized_unit: String,
    pub digitized_at: String,
    pub valid_until: Option<String>,
    pub deleted_at: Option<String>,
    pub delete_reason: Option<String>,
    /// Where to download it.
    pub content_url: String,
}

impl DocumentView {
    pub fn of(d: &DocumentRecord, item_name: Option<&str>) -> DocumentView {
        DocumentView {
            id: d.id,
            dossier_code: d.dossier_code.clone(),
            kind: d.kind.as_str().to_owned(),
            item_no: d.item_no,
            item_name: item_name.map(str::to_owned),
            sha256: d.sha256.clone(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            size: d.size,
            pages: d.pages,
            copy_kind: d.copy_kind.as_str().to_owned(),
            copy_kind_label: d.copy_kind.label_vi().to_owned(),
            reused_from: d.reused_from,
            digitized_by: d.digitized_by_name.clone(),
            digitized_unit: d.digitized_unit.clone(),
            digitized_at: crate::time::local(d.digitized_at),
            valid_until: d.valid_until.map(crate::time::local),
            deleted_at: d.deleted_at.map(crate::time::local),
            delete_reason: d.delete_reason.clone(),
            content_url: format!("/api/v1/documents/{}/content", d.id),
        }
    }
}

pub(crate) fn file_error(e: FileError) -> AppError {
    let status = match &e {
        FileError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        FileError::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        FileError::NotFound => StatusCode::NOT_FOUND,
        FileError::Truncated => StatusCode::BAD_REQUEST,
        FileError::Altered => StatusCode::INTERNAL_SERVER_ERROR,
        FileError::InvalidRange => StatusCode::RANGE_NOT_SATISFIABLE,
        e if e.is_retryable() => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "stored document failed its hash check");
    }
    AppError::new(status, e.code(), e.to_string())
}

/// The upload rules of the dossier's procedure.
pub(crate) async fn limits_for(state: &AppState, procedure_code: &str) -> AppResult<UploadLimits> {
    let mut limits = UploadLimits { max_bytes: DEFAULT_FILE_BYTES, ..UploadLimits::default() };
    if let Some(rules) = state.store.file_rules(procedure_code).await? {
        limits.max_bytes = rules.max_bytes.min(MAX_UPLOAD_BYTES);
        let allowed: Vec<MediaType> = rules.media_types.iter().filter_map(|t| MediaType::parse(t)).collect();
        if !allowed.is_empty() {
            limits.allowed = allowed;
        }
    }
    Ok(limits)
}

pub(crate) fn action_for(kind: DocumentKind, facts: DocumentFacts) -> AppResult<Action> {
    match kind {
        DocumentKind::Input => Ok(Action::Digitize { document: facts }),
        DocumentKind::Result => Ok(Action::AttachResult { document: facts }),
        // A signature is never uploaded on its own: it comes with the return of the result.
        DocumentKind::Signature => {
            Err(AppError::unprocessable("invalid_field", "Chữ ký người nhận chỉ được ghi khi trả kết quả"))
        }
    }
}

/// A placeholder for asking `decide` before the upload whether it would be accepted, so that a
/// refused upload is refused before the client sends 200 MB.
pub(crate) fn probe_facts(kind: DocumentKind, params: &UploadParams) -> DocumentFacts {
    DocumentFacts {
        id: None,
        item_no: if kind == DocumentKind::Input { params.item_no } else { None },
        sha256: "0".repeat(64),
        file_name: "probe".into(),
        media_type: "application/pdf".into(),
        size: 1,
        pages: None,
        copy_kind: CopyKind::Copy,
        reused_from: None,
    }
}

/// Decides `action` on `dossier` and writes it with the document change.
pub(crate) async fn decide_and_write(
    state: &AppState,
    actor: &Actor,
    dossier: &DossierRecord,
    involved: &[String],
    action: &Action,
    change: Option<DocumentChange>,
) -> AppResult<DossierRecord> {
    let procedure = state
        .procedure(&dossier.procedure_code, Some(dossier.procedure_version as u32))
        .await?
        .ok_or_else(|| AppError::internal(format!("procedure {} missing", dossier.procedure_code)))?;
    let calendar = state.calendar();
    let now = hcc_store::model::now();
    let ctx = Context { procedure: &procedure, calendar: &calendar, actor, involved_agencies: involved, now };
    let tr = lifecycle::decide(&dossier.state, action, &ctx).map_err(action_error)?;
    let Some(change) = change else { return Ok(dossier.clone()) };
    Ok(state.store.apply_document_transition(dossier, &tr.state, &tr.event, &event_actor(actor), change, now).await?)
}

fn item_name(dossier: &DossierRecord, item_no: Option<u32>) -> Option<String> {
    item_no.and_then(|no| dossier.documents.iter().find(|i| i.no == no).map(|i| i.name.clone()))
}

/// Records a stored blob as a document of the dossier; answers what was recorded.
#[expect(clippy::too_many_arguments, reason = "one call site per upload form; a struct would only rename them")]
pub(crate) async fn record_blob(
    state: &AppState,
    actor: &Actor,
    dossier: &DossierRecord,
    involved: &[String],
    kind: DocumentKind,
    params: &UploadParams,
    file_name: String,
    blob: StoredBlob,
    reused_from: Option<(i64, String)>,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    let copy_kind = params.copy_kind(kind)?;
    let item_no = if kind == DocumentKind::Input { params.item_no } else { None };
    let facts = DocumentFacts {
        id: None,
        item_no,
        sha256: blob.sha256.clone(),
        file_name: file_name.clone(),
        media_type: blob.media_type.mime().to_owned(),
        size: blob.size,
        pages: blob.pages,
        copy_kind,
        reused_from: reused_from.as_ref().map(|(id, code)| format!("{code}#{id}")),
    };
    let new = NewDocument {
        kind,
        item_no,
        sha256: blob.sha256,
        file_name,
        media_type: blob.media_type.mime().to_owned(),
        size: blob.size,
        pages: blob.pages,
        copy_kind,
        owner_id: dossier.applicant.id_number.clone(),
        valid_until: params.valid_until()?,
        reused_from: reused_from.map(|(id, _)| id),
    };
    let action = action_for(kind, facts)?;
    let mut current = dossier.clone();
    let mut attempts = 0;
    let written = loop {
        match decide_and_write(state, actor, &current, involved, &action, Some(DocumentChange::Add(new.clone()))).await
        {
            // Papers of one dossier scanned at the same time (a multi-file upload) each change the
            // dossier: unless the client pinned a version, decide again on the fresh dossier — the
            // lifecycle re-checks everything, and the file is already stored under its hash.
            Err(e) if e.status == StatusCode::CONFLICT && params.expected_version.is_none() && attempts < 5 => {
                attempts += 1;
                current = state
                    .store
                    .get_dossier(&dossier.code)
                    .await?
                    .ok_or_else(|| AppError::not_found(format!("Không tìm thấy hồ sơ {}", dossier.code)))?;
            }
            other => break other?,
        }
    };
    let docs = state.store.documents_of(written.id).await?;
    let doc = docs.last().ok_or_else(|| AppError::internal("document missing after write"))?;
    Ok((StatusCode::CREATED, Json(DocumentView::of(doc, item_name(dossier, doc.item_no).as_deref()))))
}

/// Uploads a document: `multipart/form-data` (text fields first, then one `file` part — or
/// several `page` parts, the images of one scan, joined into one PDF), or the raw file as the
/// body with the fields in the query string. Streamed: a large scan is never held in memory.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/documents", tag = "documents", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code"), UploadParams),
    request_body(content = String, description = "multipart/form-data with `file` (or several `page`), or the raw file",
        content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
    ApiQuery(params): ApiQuery<UploadParams>,
    request: Request,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    upload_as(&state, &actor, &code, params, request).await
}

/// Uploads a document for `actor` (the API's handler and the staff app's upload form).
pub async fn upload_as(
    state: &AppState,
    actor: &Actor,
    code: &str,
    mut params: UploadParams,
    request: Request,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    let (state, actor) = (state.clone(), actor.clone());
    let (dossier, involved) = load_readable(&state, &actor, code).await?;
    let limits = limits_for(&state, &dossier.procedure_code).await?;
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let kind = params.kind()?;
        check_version(&dossier, params.expected_version)?;
        decide_and_write(&state, &actor, &dossier, &involved, &action_for(kind, probe_facts(kind, &params))?, None)
            .await?;
        let name = hcc_files::clean_file_name(params.file_name.as_deref().unwrap_or("")).map_err(file_error)?;
        let body = request.into_body().into_data_stream();
        let blob = state.files.put_stream(body, &limits).await.map_err(file_error)?;
        hcc_files::check_name_matches(&name, blob.media_type).map_err(file_error)?;
        return record_blob(&state, &actor, &dossier, &involved, kind, &params, name, blob, None).await;
    }
    let mut form = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::bad_request("invalid_multipart", format!("Dữ liệu tải lên không hợp lệ: {e}")))?;
    let mut pages: Vec<bytes::Bytes> = Vec::new();
    let mut pages_size = 0usize;
    let mut probed = false;
    let multipart_error = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_request("upload_truncated", format!("Tải lên bị gián đoạn, vui lòng gửi lại: {e}"))
    };
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "file" && name != "page" {
            let value = field.text().await.map_err(multipart_error)?;
            params.set(&name, value)?;
            continue;
        }
        let kind = params.kind()?;
        if !probed {
            check_version(&dossier, params.expected_version)?;
            decide_and_write(&state, &actor, &dossier, &involved, &action_for(kind, probe_facts(kind, &params))?, None)
                .await?;
            probed = true;
        }
        if name == "page" {
            let data = field.bytes().await.map_err(multipart_error)?;
            pages_size += data.len();
            if pages_size > MAX_SCAN_BYTES {
                return Err(file_error(FileError::TooLarge { max: MAX_SCAN_BYTES as u64 }));
            }
            pages.push(data);
            continue;
        }
        if !pages.is_empty() {
            return Err(AppError::unprocessable(
                "invalid_field",
                "Gửi một tệp (file) hoặc các trang quét (page), không cả hai",
            ));
        }
        let file_name = hcc_files::clean_file_name(field.file_name().unwrap_or("")).map_err(file_error)?;
        let stream = field.map_err(std::io::Error::other);
        let blob = state.files.put_stream(Box::pin(stream), &limits).await.map_err(file_error)?;
        hcc_files::check_name_matches(&file_name, blob.media_type).map_err(file_error)?;
        // Fields after the file are not read: the document is recorded as the form stood.
        return record_blob(&state, &actor, &dossier, &involved, kind, &params, file_name, blob, None).await;
    }
    if pages.is_empty() {
        return Err(AppError::unprocessable("file_missing", "Chưa có tệp nào được gửi lên (trường file hoặc page)"));
    }
    let kind = params.kind()?;
    let pdf = hcc_files::images_to_pdf(&pages).map_err(file_error)?;
    let blob = state.files.put_bytes(bytes::Bytes::from(pdf), &limits).await.map_err(file_error)?;
    let file_name = params.file_name.clone().map_or_else(
        || Ok(format!("ban-quet-{}.pdf", jiff::Timestamp::now().as_second())),
        |n| hcc_files::clean_file_name(&n).map_err(file_error),
    )?;
    let file_name = if file_name.to_lowercase().ends_with(".pdf") { file_name } else { format!("{file_name}.pdf") };
    record_blob(&state, &actor, &dossier, &involved, kind, &params, file_name, blob, None).await
}

pub(crate) fn check_version(dossier: &DossierRecord, expected: Option<i64>) -> AppResult<()> {
    if expected.is_some_and(|v| v != dossier.version) {
        return Err(AppError::conflict(
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thực hiện lại thao tác",
        ));
    }
    Ok(())
}

/// The documents of a dossier, deleted ones included (marked). The read is logged.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/documents", tag = "documents", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Vec<DocumentView>>> {
    let (dossier, _) = load_readable(&state, &actor, &code).await?;
    state.store.log_staff_read(actor.user_id, dossier.id, "documents", hcc_store::model::now()).await?;
    let docs = state.store.documents_of(dossier.id).await?;
    Ok(Json(docs.iter().map(|d| DocumentView::of(d, item_name(&dossier, d.item_no).as_deref())).collect()))
}

/// The applicant's still-valid documents from their other dossiers, which can be reused here
/// instead of scanning the paper again (once-only).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/vault", tag = "documents", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = ErrorBody)))]
pub async fn vault(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<Vec<DocumentView>>> {
    let (dossier, _) = load_readable(&state, &actor, &code).await?;
    let now = hcc_store::model::now();
    state.store.log_staff_read(actor.user_id, dossier.id, "vault", now).await?;
    let docs = state.store.vault(&dossier.applicant.id_number, now, 200).await?;
    Ok(Json(docs.iter().filter(|d| d.dossier_id != dossier.id).map(|d| DocumentView::of(d, None)).collect()))
}

/// Reuse of a document from the applicant's store.
#[derive(Deserialize, ToSchema)]
pub struct ReuseRequest {
    /// The document to reuse (from `GET …/vault`).
    pub document_id: i64,
    /// The checklist item it satisfies in this dossier.
    pub item_no: Option<u32>,
    pub copy_kind: Option<String>,
    pub expected_version: Option<i64>,
}

/// Reuses a still-valid document of the same applicant: no new scan; the control sheet records
/// where it came from.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/documents/reuse", tag = "documents", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")), request_body = ReuseRequest,
    responses((status = 201, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reuse(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<ReuseRequest>,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    reuse_as(&state, &actor, &code, req).await
}

/// Reuses a document from the applicant's store for `actor` (the API and the staff app).
pub async fn reuse_as(
    state: &AppState,
    actor: &Actor,
    code: &str,
    req: ReuseRequest,
) -> AppResult<(StatusCode, Json<DocumentView>)> {
    let (state, actor) = (state.clone(), actor.clone());
    let (dossier, involved) = load_readable(&state, &actor, code).await?;
    check_version(&dossier, req.expected_version)?;
    let now = hcc_store::model::now();
    let not_reusable = || {
        AppError::unprocessable(
            "document_not_reusable",
            "Tài liệu không thuộc kho dữ liệu của người nộp hồ sơ này hoặc đã hết hiệu lực",
        )
    };
    let source = state.store.get_document(req.document_id).await?.ok_or_else(not_reusable)?;
    let valid = source.valid_until.is_none_or(|v| v > now);
    if source.owner_id != dossier.applicant.id_number || source.deleted_at.is_some() || !valid {
        return Err(not_reusable());
    }
    let blob = state.store.get_blob(&source.sha256).await?.ok_or_else(not_reusable)?;
    let media_type = MediaType::parse(&blob.media_type).ok_or_else(not_reusable)?;
    let params = UploadParams {
        item_no: req.item_no,
        copy_kind: Some(req.copy_kind.unwrap_or_else(|| source.copy_kind.as_str().to_owned())),
        valid_until: source.valid_until.map(|t| crate::time::local_date(t).to_string()),
        ..UploadParams::default()
    };
    let stored = StoredBlob { sha256: blob.sha256, size: blob.size, media_type, pages: blob.pages, deduplicated: true };
    let origin = Some((source.id, source.dossier_code.clone()));
    record_blob(&state, &actor, &dossier, &involved, DocumentKind::Input, &params, source.file_name, stored, origin)
        .await
}

/// An administrator's deletion.
#[derive(Deserialize, ToSchema)]
pub struct DeleteRequest {
    pub reason: String,
}

/// Deletes a document (administrators only, with a reason on the control sheet). Documents of
/// finished dossiers are archived and cannot be deleted. The stored file goes when no other
/// document uses it.
#[utoipa::path(delete, path = "/api/v1/documents/{id}", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Document id")), request_body = DeleteRequest,
    responses((status = 200, body = DocumentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DeleteRequest>,
) -> AppResult<Json<DocumentView>> {
    let not_found = || AppError::not_found(format!("Không tìm thấy tài liệu {id}"));
    let doc = state.store.get_document(id).await?.filter(|d| d.deleted_at.is_none()).ok_or_else(not_found)?;
    let dossier = state.store.get_dossier(&doc.dossier_code).await?.ok_or_else(not_found)?;
    let involved = state.store.involved_agencies(dossier.id).await?;
    let siblings = state.store.documents_of(dossier.id).await?;
    let item_keeps_a_file = doc.item_no.is_some()
        && siblings.iter().any(|d| d.id != doc.id && d.deleted_at.is_none() && d.item_no == doc.item_no);
    let facts = DocumentFacts {
        id: Some(doc.id),
        item_no: doc.item_no,
        sha256: doc.sha256.clone(),
        file_name: doc.file_name.clone(),
        media_type: doc.media_type.clone(),
        size: doc.size,
        pages: doc.pages,
        copy_kind: doc.copy_kind,
        reused_from: None,
    };
    // A finished dossier's documents are kept for the procedure's archive period (for good when
    // none is set); after it, an administrator may delete them, on record.
    let rules = state.store.file_rules(&dossier.procedure_code).await?;
    let now = hcc_store::model::now();
    let retention_over = match (dossier.state.finished_at, rules.and_then(|r| r.archive_years)) {
        (Some(finished), Some(years)) => {
            let vietnam = jiff::tz::Offset::constant(7);
            let ends = vietnam
                .to_datetime(finished)
                .checked_add(jiff::Span::new().years(i64::from(years)))
                .ok()
                .and_then(|dt| vietnam.to_timestamp(dt).ok());
            ends.is_some_and(|end| end <= now)
        }
        _ => false,
    };
    let action =
        Action::DeleteDocument { document: facts, reason: req.reason.clone(), item_keeps_a_file, retention_over };
    let change = DocumentChange::Delete { id: doc.id, reason: req.reason.trim().to_owned() };
    decide_and_write(&state, &actor, &dossier, &involved, &action, Some(change)).await?;
    if state.store.get_blob(&doc.sha256).await?.is_none() {
        // No live document uses the object any more: remove it (best effort; `hcc verify`
        // only checks objects still in use).
        if let Err(e) = state.files.delete(&doc.sha256).await {
            tracing::warn!(error = %e, sha256 = %doc.sha256, "could not remove a deleted document's file");
        }
    }
    let doc = state.store.get_document(id).await?.ok_or_else(not_found)?;
    Ok(Json(DocumentView::of(&doc, None)))
}

/// Downloads a document: streamed, its hash verified as it is read, with `ETag`, range requests
/// and the media type found from its content. Every read is logged.
#[utoipa::path(get, path = "/api/v1/documents/{id}/content", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, description = "The file"), (status = 206, description = "A range of the file"),
        (status = 304, description = "Not modified"), (status = 404, body = ErrorBody),
        (status = 416, body = ErrorBody)))]
pub async fn content(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    content_as(&state, &actor, id, &headers).await
}

/// Downloads a document for `actor` (the API and the staff app's viewer).
pub async fn content_as(state: &AppState, actor: &Actor, id: i64, headers: &HeaderMap) -> AppResult<Response> {
    let not_found = || AppError::not_found(format!("Không tìm thấy tài liệu {id}"));
    let doc = state.store.get_document(id).await?.filter(|d| d.deleted_at.is_none()).ok_or_else(not_found)?;
    let (dossier, _) = load_readable(state, actor, &doc.dossier_code).await.map_err(|_| not_found())?;
    state.store.log_staff_read(actor.user_id, dossier.id, &format!("document:{id}"), hcc_store::model::now()).await?;
    super::downloads::serve_blob(state, &doc, headers).await
}
