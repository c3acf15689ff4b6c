//! A procedure's document rules, set by an administrator: upload size and kinds, and the archive
//! period of its documents.

use super::documents::MAX_UPLOAD_BYTES;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use hcc_files::MediaType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Document rules an administrator sets for a procedure.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct FileRules {
    /// Largest file in bytes.
    pub max_bytes: u64,
    /// Allowed media types (`application/pdf`, `image/jpeg` …); empty = every supported type.
    pub media_types: Vec<String>,
    /// Archive period (thời hạn bảo quản) in years after the dossier ends; absent = for good.
    #[serde(default)]
    pub archive_years: Option<u32>,
}

/// Sets the upload rules of a procedure (administrators).
#[utoipa::path(put, path = "/api/v1/procedures/{code}/file-rules", tag = "procedures", security(("bearer" = [])),
    params(("code" = String, Path, description = "Procedure code")), request_body = FileRules,
    responses((status = 200, body = FileRules), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_file_rules(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiPath(code): ApiPath<String>,
    ApiJson(rules): ApiJson<FileRules>,
) -> AppResult<Json<FileRules>> {
    if actor.role != hcc_domain::actor::Role::Admin {
        return Err(AppError::forbidden("Chỉ quản trị viên được đặt quy định tệp tải lên"));
    }
    if state.procedure(&code, None).await?.is_none() {
        return Err(AppError::not_found(format!("Không có thủ tục {code}")));
    }
    if rules.max_bytes == 0 || rules.max_bytes > MAX_UPLOAD_BYTES {
        return Err(AppError::unprocessable(
            "invalid_field",
            format!("Dung lượng tối đa phải từ 1 byte đến {} MB", MAX_UPLOAD_BYTES / 1024 / 1024),
        ));
    }
    let mut types = Vec::new();
    for t in &rules.media_types {
        let m = MediaType::parse(t)
            .ok_or_else(|| AppError::unprocessable("invalid_field", format!("Loại tệp không được hỗ trợ: {t}")))?;
        types.push(m.as_str().to_owned());
    }
    if rules.archive_years.is_some_and(|y| y > 100) {
        return Err(AppError::unprocessable("invalid_field", "Thời hạn bảo quản tối đa 100 năm (bỏ trống: vĩnh viễn)"));
    }
    let stored = hcc_store::model::FileRules {
        max_bytes: rules.max_bytes,
        media_types: types.clone(),
        archive_years: rules.archive_years,
    };
    state.store.set_file_rules(&code, &stored).await?;
    Ok(Json(FileRules { max_bytes: rules.max_bytes, media_types: types, archive_years: rules.archive_years }))
}
