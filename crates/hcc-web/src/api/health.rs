//! Liveness and readiness.

use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::StatusCode;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "ok")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database and the document store answer.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, description = "ready"), (status = 503, description = "not ready")))]
pub async fn readyz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.store.ping().await.map_err(|e| {
        tracing::warn!("not ready: {e}");
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", "Cơ sở dữ liệu chưa sẵn sàng")
    })?;
    state.files.health().await.map_err(|e| {
        tracing::warn!("not ready: document store: {e}");
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", "Kho lưu trữ tài liệu chưa sẵn sàng")
    })?;
    Ok("ready")
}
