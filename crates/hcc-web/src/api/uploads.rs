//! Resumable uploads: a large scan sent in pieces over an unreliable line. The client announces
//! the file, sends pieces with the offset they start at, and after a break asks where the upload
//! got to and goes on from there. The last piece turns the pieces into a document exactly as a
//! single upload would (hash, type from the content, limits, the control-sheet row).

use super::documents::{
    DocumentView, UploadParams, action_for, check_version, decide_and_write, file_error, limits_for, probe_facts,
    record_blob,
};
use super::dossiers::load_readable;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hcc_files::FileError;
use hcc_store::model::UploadRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest piece accepted in one request (held in memory while it is stored).
pub const MAX_PIECE_BYTES: usize = 16 * 1024 * 1024;

/// The start of a resumable upload.
#[derive(Deserialize, ToSchema)]
pub struct StartUpload {
    pub file_name: String,
    /// The whole file's size in bytes.
    pub size: u64,
    #[serde(flatten)]
    pub params: UploadParams,
}

/// Where an upload stands.
#[derive(Serialize, ToSchema)]
pub struct UploadState {
    pub upload_id: String,
    /// Bytes received so far: the next piece starts here.
    pub offset: u64,
    pub size: u64,
    /// Largest piece one request may carry.
    pub max_piece: u64,
    /// The document it became, once complete.
    pub document_id: Option<i64>,
}

impl UploadState {
    fn of(u: &UploadRecord) -> UploadState {
        UploadState {
            upload_id: u.id.clone(),
            offset: u.received,
            size: u.size,
            max_piece: MAX_PIECE_BYTES as u64,
            document_id: u.document_id,
        }
    }
}

/// Announces a file to upload in pieces; nothing is recorded on the dossier until it is whole.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/uploads", tag = "documents", security(("bearer" = [])),
    params(("code" = String, Path, description = "Dossier code")), request_body = StartUpload,
    responses((status = 201, body = UploadState), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<StartUpload>,
) -> AppResult<(StatusCode, Json<UploadState>)> {
    let (dossier, involved) = load_readable(&state, &actor, &code).await?;
    check_version(&dossier, req.params.expected_version)?;
    let kind = req.params.kind()?;
    decide_and_write(&state, &actor, &dossier, &involved, &action_for(kind, probe_facts(kind, &req.params))?, None)
        .await?;
    let name = hcc_files::clean_file_name(&req.file_name).map_err(file_error)?;
    let limits = limits_for(&state, &dossier.procedure_code).await?;
    if req.size == 0 {
        return Err(file_error(FileError::Empty));
    }
    if req.size > limits.max_bytes {
        return Err(file_error(FileError::TooLarge { max: limits.max_bytes }));
    }
    let mut params = serde_json::to_value(&req.params).map_err(AppError::internal)?;
    params["file_name"] = serde_json::json!(name);
    let upload = UploadRecord {
        id: format!("{:032x}", rand::random::<u128>()),
        dossier_id: dossier.id,
        user_id: actor.user_id,
        params,
        size: req.size,
        received: 0,
        parts: 0,
        created_at: hcc_store::model::now(),
        document_id: None,
    };
    state.store.create_upload(&upload).await?;
    Ok((StatusCode::CREATED, Json(UploadState::of(&upload))))
}

/// An upload of the caller's (another user's upload id answers as an unknown one).
async fn own_upload(state: &AppState, user_id: i64, id: &str) -> AppResult<UploadRecord> {
    let not_found = || AppError::not_found("Không tìm thấy phiên tải lên");
    if id.len() > 64 {
        return Err(not_found());
    }
    state.store.get_upload(id).await?.filter(|u| u.user_id == user_id).ok_or_else(not_found)
}

/// Where an upload got to: the client resumes from `offset`.
#[utoipa::path(get, path = "/api/v1/uploads/{id}", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, body = UploadState), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<UploadState>> {
    Ok(Json(UploadState::of(&own_upload(&state, actor.user_id, &id).await?)))
}

/// Sends the piece that starts at `Upload-Offset` (the raw bytes as the body). A piece at the
/// wrong offset answers 409 with the offset to resume from; the last piece answers 201 with the
/// document.
#[utoipa::path(patch, path = "/api/v1/uploads/{id}", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Upload id"),
           ("Upload-Offset" = u64, Header, description = "Where this piece starts")),
    request_body(content = String, description = "the piece's bytes", content_type = "application/offset+octet-stream"),
    responses((status = 200, body = UploadState), (status = 201, body = DocumentView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn piece(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(id): ApiPath<String>,
    request: Request,
) -> AppResult<Response> {
    let upload = own_upload(&state, actor.user_id, &id).await?;
    let offset: u64 = request
        .headers()
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| AppError::bad_request("invalid_offset", "Thiếu hoặc sai tiêu đề Upload-Offset"))?;
    let offset_conflict = |at: u64| {
        AppError::new(
            StatusCode::CONFLICT,
            "upload_offset_mismatch",
            format!("Phần tiếp theo phải bắt đầu từ byte {at}"),
        )
        .with_details(serde_json::json!({ "offset": at }))
    };
    if let Some(doc) = upload.document_id {
        // A repeated last piece: the upload is already a document.
        return finished(&state, doc).await;
    }
    if offset != upload.received {
        return Err(offset_conflict(upload.received));
    }
    let piece = axum::body::to_bytes(request.into_body(), MAX_PIECE_BYTES).await.map_err(|_| {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "piece_too_large",
            format!("Mỗi phần tải lên tối đa {} MB, hoặc đường truyền bị gián đoạn", MAX_PIECE_BYTES / 1024 / 1024),
        )
    })?;
    if piece.is_empty() || offset + piece.len() as u64 > upload.size {
        return Err(AppError::unprocessable("invalid_piece", "Phần tải lên rỗng hoặc vượt quá kích thước đã khai báo"));
    }
    let to = offset + piece.len() as u64;
    if !state.files.put_part(&upload.id, upload.parts, piece).await.map_err(file_error)? {
        // Another request stored this piece first: the client asks where things stand.
        let now_at = own_upload(&state, actor.user_id, &id).await?.received;
        return Err(offset_conflict(now_at));
    }
    if !state.store.advance_upload(&upload.id, offset, to, hcc_store::model::now()).await? {
        let now_at = own_upload(&state, actor.user_id, &id).await?.received;
        return Err(offset_conflict(now_at));
    }
    let upload = own_upload(&state, actor.user_id, &id).await?;
    if upload.received < upload.size {
        return Ok(Json(UploadState::of(&upload)).into_response());
    }
    complete(&state, &actor, upload).await
}

/// Turns the pieces into a document: streamed through the normal upload, then recorded.
async fn complete(state: &AppState, actor: &hcc_domain::actor::Actor, upload: UploadRecord) -> AppResult<Response> {
    let params: UploadParams = serde_json::from_value(upload.params.clone()).map_err(AppError::internal)?;
    let file_name = upload.params["file_name"].as_str().unwrap_or("tai-lieu").to_owned();
    let dossier = state
        .store
        .get_dossier_by_id(upload.dossier_id)
        .await?
        .ok_or_else(|| AppError::not_found("Không tìm thấy hồ sơ của phiên tải lên"))?;
    let (dossier, involved) = load_readable(state, actor, &dossier.code).await?;
    let limits = limits_for(state, &dossier.procedure_code).await?;
    let body = state.files.parts_stream(&upload.id, upload.parts);
    let blob = state.files.put_stream(body, &limits).await.map_err(file_error)?;
    hcc_files::check_name_matches(&file_name, blob.media_type).map_err(file_error)?;
    let kind = params.kind()?;
    let (status, Json(doc)) =
        record_blob(state, actor, &dossier, &involved, kind, &params, file_name, blob, None).await?;
    state.store.finish_upload(&upload.id, doc.id, hcc_store::model::now()).await?;
    state.files.delete_parts(&upload.id, upload.parts).await;
    Ok((status, Json(doc)).into_response())
}

async fn finished(state: &AppState, document_id: i64) -> AppResult<Response> {
    let doc = state
        .store
        .get_document(document_id)
        .await?
        .ok_or_else(|| AppError::not_found("Không tìm thấy tài liệu của phiên tải lên"))?;
    Ok((StatusCode::CREATED, Json(DocumentView::of(&doc, None))).into_response())
}
