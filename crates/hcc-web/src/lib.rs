//! HCC's HTTP edge. Handlers are thin: authenticate, parse into domain types, call one domain
//! decision and one store operation, render. Routes and the OpenAPI document come from one list.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod pages;
pub mod time;

use api::BearerAuth;
use axum::Router;
use axum::http::{HeaderValue, header};
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::catalog::Procedure;
use hcc_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BODY: usize = 256 * 1024;

/// Parsed procedure versions by (code, version).
type ProcedureCache = Arc<RwLock<HashMap<(String, u32), Arc<Procedure>>>>;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    calendar: Arc<RwLock<Arc<WorkingCalendar>>>,
    /// Parsed procedure versions. A version never changes once stored, so entries never go
    /// stale; only "which version is current" is asked of the database each time.
    procedures: ProcedureCache,
    /// Public base URL printed in QR codes (e.g. `https://hcc.hanoi.gov.vn`); empty = relative.
    pub public_url: Arc<str>,
}

impl AppState {
    pub fn new(store: Store, calendar: WorkingCalendar, public_url: &str) -> AppState {
        AppState {
            store,
            calendar: Arc::new(RwLock::new(Arc::new(calendar))),
            procedures: Arc::new(RwLock::new(HashMap::new())),
            public_url: Arc::from(public_url.trim_end_matches('/')),
        }
    }

    /// The working calendar in force.
    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        match self.calendar.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A procedure version (the current one when `version` is `None`), parsed once per process.
    pub async fn procedure(&self, code: &str, version: Option<u32>) -> Result<Option<Arc<Procedure>>, StoreError> {
        let version = match version {
            Some(v) => v,
            None => match self.store.current_procedure_version(code).await? {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        let key = (code.to_owned(), version);
        if let Some(p) = self.procedures.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(Some(p));
        }
        let Some(p) = self.store.get_procedure(code, Some(version)).await? else { return Ok(None) };
        let p = Arc::new(p);
        if let Ok(mut m) = self.procedures.write() {
            m.insert(key, p.clone());
        }
        Ok(Some(p))
    }

    /// Replaces the calendar after an administrator edited it.
    pub fn set_calendar(&self, calendar: WorkingCalendar) {
        let mut guard = match self.calendar.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(calendar);
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HCC — Trung tâm Phục vụ Hành chính công",
        description = "API tiếp nhận, giải quyết và giám sát hồ sơ thủ tục hành chính. Errors are `{\"error\": {\"code\", \"message\"}}`; lists use cursor pagination.",
        version = "1"
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The API routes and their OpenAPI description, from the same list.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(api::routes()).split_for_parts();
    (router, openapi)
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api_router();
    let openapi_json: Arc<str> = Arc::from(openapi.to_pretty_json().unwrap_or_else(|_| "{}".to_owned()));
    Router::new()
        .merge(api)
        .merge(pages::routes())
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let body = openapi_json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body.to_string()) }
            }),
        )
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(RequestBodyLimitLayer::new(MAX_JSON_BODY))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::custom(api::panic_response))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}
