//! The procedure catalog: `GET /api/v1/procedures`, `GET /api/v1/procedures/{code}`.

use crate::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureListQuery {
    /// Words of the name or code, with or without diacritics.
    pub q: Option<String>,
    /// Exact field (lĩnh vực), e.g. `Đất đai`.
    pub field: Option<String>,
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ProcedurePage {
    /// Procedures (current versions) with channels, time limits, fees, documents and steps.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<hcc_domain::catalog::Procedure>,
    pub next_cursor: Option<String>,
}

/// Lists the current procedures, ordered by code.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "catalog", params(ProcedureListQuery),
    responses((status = 200, body = ProcedurePage), (status = 400, body = ErrorBody)))]
pub async fn list_procedures(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProcedureListQuery>,
) -> AppResult<Json<ProcedurePage>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    if q.q.as_ref().is_some_and(|s| s.len() > 200) {
        return Err(AppError::bad_request("invalid_query", "Từ khóa tìm kiếm quá dài"));
    }
    let after = q.cursor.as_deref().map(decode_code_cursor).transpose()?;
    let items = state.store.list_procedures(q.q.as_deref(), q.field.as_deref(), after.as_deref(), limit + 1).await?;
    let mut items = items;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|p| encode_code_cursor(&p.code))
    } else {
        None
    };
    Ok(Json(ProcedurePage { items, next_cursor }))
}

fn encode_code_cursor(code: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(code)
}

fn decode_code_cursor(c: &str) -> Result<String, AppError> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|s| s.len() <= 40)
        .ok_or_else(|| AppError::bad_request("invalid_cursor", "Con trỏ phân trang không hợp lệ"))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A past version; the current one by default.
    pub version: Option<u32>,
}

/// One procedure, the current version or the one asked for.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalog",
    params(("code" = String, Path, description = "National code, e.g. 1.012753"), VersionQuery),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
pub async fn get_procedure(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> AppResult<Json<hcc_domain::catalog::Procedure>> {
    let p = state
        .store
        .get_procedure(&code, v.version)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Không có thủ tục mã {code}")))?;
    Ok(Json(p))
}
