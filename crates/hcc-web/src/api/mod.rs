//! The JSON API, `/api/v1`. One file per resource.

pub mod actions;
pub mod calendar;
pub mod documents;
pub mod dossiers;
pub mod downloads;
pub mod file_rules;
pub mod health;
pub mod notifications;
pub mod procedures;
pub mod receive;
pub mod token;
pub mod track;
pub mod uploads;

use crate::AppState;
use crate::error::AppError;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use utoipa::Modify;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every API route, each with its OpenAPI operation.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(token::create_token))
        .routes(routes!(procedures::list_procedures))
        .routes(routes!(procedures::get_procedure))
        .routes(routes!(receive::receive_dossier, dossiers::list_dossiers))
        .routes(routes!(dossiers::get_dossier))
        .routes(routes!(dossiers::get_events))
        .routes(routes!(notifications::list))
        .routes(routes!(actions::act))
        .routes(routes!(track::track))
        .routes(routes!(track::document))
        .routes(routes!(calendar::list_days))
        .routes(routes!(calendar::put_day, calendar::delete_day))
        .routes(routes!(documents::list))
        .routes(routes!(documents::vault))
        .routes(routes!(documents::reuse))
        .routes(routes!(documents::delete))
        .routes(routes!(documents::content))
        .routes(routes!(file_rules::put_file_rules))
        .routes(routes!(uploads::start))
        .routes(routes!(uploads::status))
}

/// The routes that take large bodies (document uploads), kept apart for their own limits.
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(documents::upload)).routes(routes!(uploads::piece))
}

/// Declares the bearer-token scheme the protected routes use.
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Unknown routes.
pub async fn not_found() -> AppError {
    AppError::not_found("Không tìm thấy địa chỉ này")
}

/// A known route asked with the wrong method.
pub async fn method_not_allowed() -> AppError {
    AppError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Phương thức không được hỗ trợ cho địa chỉ này",
    )
}

/// A panic in a handler becomes a 500 with the envelope; the panic itself is logged.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    AppError::internal(format!("panic: {what}")).into_response()
}

/// Opaque cursor of a page: the last id seen, base64url.
pub fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.to_string())
}

/// Reads a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| AppError::bad_request("invalid_cursor", "Con trỏ phân trang không hợp lệ"))
}
