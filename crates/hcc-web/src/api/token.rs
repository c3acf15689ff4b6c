//! `POST /api/v1/auth/token`: username and password → bearer token.

use crate::AppState;
use crate::auth::{self, TOKEN_LIFETIME_HOURS};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: &'static str,
    /// RFC 3339, Asia/Ho_Chi_Minh.
    pub expires_at: String,
    pub username: String,
    pub role: String,
    pub agency_code: Option<String>,
    pub point_code: Option<String>,
}

/// Exchanges a staff account's username and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> AppResult<Json<TokenResponse>> {
    if req.username.len() > 100 || req.password.len() > 1024 {
        return Err(bad_login());
    }
    let user = state.store.user_by_username(req.username.trim()).await?;
    let ok = auth::verify_password(req.password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => return Err(bad_login()),
    };
    let token = auth::new_token();
    let now = hcc_store::model::now();
    let expires = now + jiff::SignedDuration::from_hours(TOKEN_LIFETIME_HOURS);
    state.store.insert_token(&auth::token_hash(&token), user.id, now, expires).await?;
    Ok(Json(TokenResponse {
        token,
        token_type: "Bearer",
        expires_at: crate::time::local(expires),
        username: user.username,
        role: user.role,
        agency_code: user.agency_code,
        point_code: user.point_code,
    }))
}

fn bad_login() -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng")
}
