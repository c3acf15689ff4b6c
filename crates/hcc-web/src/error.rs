//! The one error type of the HTTP edge. Every failure becomes
//! `{"error": {"code": "…", "message": "…"}}` with a stable snake_case `code` for programs and a
//! Vietnamese `message` for people. Internal errors are logged with a reference and never echoed.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hcc_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Structured facts for programs (e.g. the missing document items).
    pub details: Option<serde_json::Value>,
}

/// The JSON body of every error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `invalid_citizen_id`.
    pub code: String,
    /// What went wrong, in Vietnamese.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), details: None }
    }

    /// The same error under another stable code.
    pub fn with_code(mut self, code: &'static str) -> AppError {
        self.code = code;
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> AppError {
        self.details = Some(details);
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, "unauthorized", "Cần đăng nhập để thực hiện thao tác này")
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn internal(err: impl std::fmt::Display) -> AppError {
        let reference: u32 = rand::random();
        tracing::error!(reference = format!("{reference:08x}"), "internal error: {err}");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            format!("Hệ thống gặp lỗi, vui lòng thử lại sau (mã tham chiếu {reference:08x})"),
        )
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::not_found("Không tìm thấy"),
            StoreError::Conflict => {
                AppError::conflict("Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thực hiện lại thao tác")
            }
            StoreError::Duplicate(what) => {
                AppError::new(StatusCode::CONFLICT, "duplicate", format!("Đã tồn tại ({what})"))
            }
            other => AppError::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail { code: self.code.to_owned(), message: self.message, details: self.details },
        };
        (self.status, Json(body)).into_response()
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;
