//! HCC's HTTP edge. Handlers are thin: authenticate, parse into domain types, call one domain
//! decision and one store operation, render. Routes and the OpenAPI document come from one list.

pub mod api;
pub mod auth;
pub mod cache;
pub mod error;
pub mod extract;
pub mod pages;
pub mod portal;
pub mod time;
pub mod ui;

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

/// How long reference data read on every request is reused before it is read again.
pub const REFERENCE_TTL: Duration = Duration::from_secs(30);
/// How long a token's staff member is reused: disabling an account or a new password takes
/// effect within this time in every process.
pub const TOKEN_TTL: Duration = Duration::from_secs(10);

/// How long a document's full hash check vouches for range reads of it.
pub const VERIFIED_TTL: Duration = Duration::from_secs(600);

/// How long a public tracking answer is reused while its dossier's version is unchanged: the
/// bound on how late a clock-dependent label ("due soon") shows. Never past the appointment.
pub const TRACKED_TTL: Duration = Duration::from_secs(60);

/// The per-process caches of rarely changing reference data.
pub struct Caches {
    pub staff: cache::TtlCache<String, Option<hcc_store::User>>,
    pub points: cache::TtlCache<String, Option<hcc_domain::org::ReceptionPoint>>,
    pub communes: cache::TtlCache<String, bool>,
    pub committees: cache::TtlCache<String, Vec<hcc_domain::org::Agency>>,
    pub rules: cache::TtlCache<(), Vec<hcc_domain::org::RoutingRule>>,
    pub current_version: cache::TtlCache<String, Option<u32>>,
    pub agency_list: cache::TtlCache<(), Vec<hcc_domain::org::Agency>>,
    pub point_list: cache::TtlCache<(), Vec<hcc_domain::org::ReceptionPoint>>,
    pub fields: cache::TtlCache<(), Vec<String>>,
    /// Stored documents whose whole content this process checked against their hash lately: a
    /// viewer's many range reads of one file cost one full check, not one each.
    pub verified_blobs: cache::TtlCache<String, ()>,
    /// The communes of a province (the counter's commune picker).
    pub commune_list: cache::TtlCache<String, Vec<hcc_store::Commune>>,
    /// Public tracking answers by dossier code, served again only while the dossier's version is
    /// the one they were built from (`api::track::public_answer`).
    pub tracked: cache::TtlCache<String, api::track::CachedAnswer>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            staff: cache::TtlCache::new(TOKEN_TTL, 100_000),
            points: cache::TtlCache::new(REFERENCE_TTL, 10_000),
            communes: cache::TtlCache::new(REFERENCE_TTL, 10_000),
            committees: cache::TtlCache::new(REFERENCE_TTL, 10_000),
            rules: cache::TtlCache::new(REFERENCE_TTL, 1),
            current_version: cache::TtlCache::new(REFERENCE_TTL, 10_000),
            agency_list: cache::TtlCache::new(REFERENCE_TTL, 1),
            point_list: cache::TtlCache::new(REFERENCE_TTL, 1),
            fields: cache::TtlCache::new(REFERENCE_TTL, 1),
            verified_blobs: cache::TtlCache::new(VERIFIED_TTL, 10_000),
            commune_list: cache::TtlCache::new(REFERENCE_TTL, 64),
            tracked: cache::TtlCache::new(TRACKED_TTL, 100_000),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    // One shared count: handlers, extractors and layers clone the state on every request.
    shared: Arc<Shared>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.shared
    }
}

/// What [`AppState`] shares between requests.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    /// The document store: scanned papers and results, by content hash.
    pub files: hcc_files::FileStore,
    calendar: Arc<RwLock<Arc<WorkingCalendar>>>,
    /// Parsed procedure versions. A version never changes once stored, so entries never go
    /// stale; only "which version is current" is asked of the database each time.
    procedures: ProcedureCache,
    pub caches: Arc<Caches>,
    /// Public base URL printed in QR codes (e.g. `https://hcc.hanoi.gov.vn`); empty = relative.
    pub public_url: Arc<str>,
    /// The citizen portal's settings, lookup throttle and figures cache.
    pub portal: Arc<portal::PortalState>,
}

impl AppState {
    pub fn new(store: Store, files: hcc_files::FileStore, calendar: WorkingCalendar, public_url: &str) -> AppState {
        let shared = Shared {
            store,
            files,
            calendar: Arc::new(RwLock::new(Arc::new(calendar))),
            procedures: Arc::new(RwLock::new(HashMap::new())),
            caches: Arc::new(Caches::default()),
            public_url: Arc::from(public_url.trim_end_matches('/')),
            portal: Arc::new(portal::PortalState::new(portal::PortalSettings::default())),
        };
        AppState { shared: Arc::new(shared) }
    }

    /// The same state with the portal configured as given (fresh throttle and cache).
    pub fn with_portal(self, settings: portal::PortalSettings) -> AppState {
        let portal = Arc::new(portal::PortalState::new(settings));
        AppState { shared: Arc::new(Shared { portal, ..(*self.shared).clone() }) }
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
            None => {
                let current = match self.caches.current_version.get(&code.to_owned()) {
                    Some(v) => v,
                    None => {
                        let v = self.store.current_procedure_version(code).await?;
                        self.caches.current_version.put(code.to_owned(), v);
                        v
                    }
                };
                match current {
                    Some(v) => v,
                    None => return Ok(None),
                }
            }
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

    /// A reception point (cached).
    pub async fn point(&self, code: &str) -> Result<Option<hcc_domain::org::ReceptionPoint>, StoreError> {
        if let Some(p) = self.caches.points.get(&code.to_owned()) {
            return Ok(p);
        }
        let p = self.store.get_point(code).await?;
        self.caches.points.put(code.to_owned(), p.clone());
        Ok(p)
    }

    /// Whether a commune code exists (cached).
    pub async fn commune_exists(&self, code: &str) -> Result<bool, StoreError> {
        if let Some(e) = self.caches.communes.get(&code.to_owned()) {
            return Ok(e);
        }
        let e = self.store.get_commune(code).await?.is_some();
        self.caches.communes.put(code.to_owned(), e);
        Ok(e)
    }

    /// The agencies tied to a commune (cached).
    pub async fn commune_agencies(&self, code: &str) -> Result<Vec<hcc_domain::org::Agency>, StoreError> {
        if let Some(a) = self.caches.committees.get(&code.to_owned()) {
            return Ok(a);
        }
        let a = self.store.agencies_for_commune(code).await?;
        self.caches.committees.put(code.to_owned(), a.clone());
        Ok(a)
    }

    /// The routing rules (cached).
    pub async fn routing_rules(&self) -> Result<Vec<hcc_domain::org::RoutingRule>, StoreError> {
        if let Some(r) = self.caches.rules.get(&()) {
            return Ok(r);
        }
        let r = self.store.routing_rules().await?;
        self.caches.rules.put((), r.clone());
        Ok(r)
    }

    /// Every agency (cached).
    pub async fn agency_list(&self) -> Result<Vec<hcc_domain::org::Agency>, StoreError> {
        if let Some(a) = self.caches.agency_list.get(&()) {
            return Ok(a);
        }
        let a = self.store.list_agencies().await?;
        self.caches.agency_list.put((), a.clone());
        Ok(a)
    }

    /// Every reception point (cached).
    pub async fn point_list(&self) -> Result<Vec<hcc_domain::org::ReceptionPoint>, StoreError> {
        if let Some(p) = self.caches.point_list.get(&()) {
            return Ok(p);
        }
        let p = self.store.list_points().await?;
        self.caches.point_list.put((), p.clone());
        Ok(p)
    }

    /// The fields (lĩnh vực) of the current catalog, sorted (cached).
    pub async fn fields(&self) -> Result<Vec<String>, StoreError> {
        if let Some(f) = self.caches.fields.get(&()) {
            return Ok(f);
        }
        let mut fields = std::collections::BTreeSet::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.store.list_procedures(None, None, after.as_deref(), 200).await?;
            fields.extend(page.iter().map(|p| p.field.clone()));
            match page.last() {
                Some(p) if page.len() == 200 => after = Some(p.code.clone()),
                _ => break,
            }
        }
        let fields: Vec<String> = fields.into_iter().filter(|f| !f.is_empty()).collect();
        self.caches.fields.put((), fields.clone());
        Ok(fields)
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

/// The upload routes: outside the JSON body limit and the short request timeout, with their own.
pub fn upload_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::new().merge(api::upload_routes()).split_for_parts();
    let router = router
        .merge(ui::upload_routes())
        .merge(portal::upload_routes())
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(api::documents::MAX_UPLOAD_BYTES as usize + 1024 * 1024))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, UPLOAD_TIMEOUT));
    (router, openapi)
}

/// How long an upload may take (200 MB over a slow office line).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(3600);

/// The whole application.
/// Pages, styles, scripts and JSON go out gzip- or brotli-compressed to clients that ask (a page
/// is a fifth of its size on a phone's slow link). Stored files never are: they are already
/// compressed (PDF, images) and are served with byte ranges, which compression would break.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{Predicate as _, SizeAbove};
    const TEXT: [&str; 6] =
        ["text/html", "text/css", "text/csv", "text/javascript", "application/json", "image/svg+xml"];
    let textual = |status: axum::http::StatusCode,
                   _: axum::http::Version,
                   headers: &axum::http::HeaderMap,
                   _: &axum::http::Extensions| {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        status != axum::http::StatusCode::PARTIAL_CONTENT
            && !headers.contains_key(header::CONTENT_RANGE)
            && TEXT.iter().any(|t| content_type.starts_with(t))
    };
    tower_http::compression::CompressionLayer::new().compress_when(SizeAbove::new(1024).and(textual))
}

pub fn app(state: AppState) -> Router {
    let (api, mut openapi) = api_router();
    let (uploads, upload_openapi) = upload_router();
    openapi.merge(upload_openapi);
    let sessions = ui::session::layer(state.store.clone(), state.public_url.starts_with("https://"));
    // Cross-site form posts are refused on every route (Sec-Fetch-Site, then Origin against the
    // host); programs that send neither header (API clients) pass, as they carry no cookie.
    let mut csrf = tower_http::csrf::CsrfLayer::new();
    if !state.public_url.is_empty() {
        csrf = match csrf.clone().add_trusted_origin(&*state.public_url) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("public URL {} is not an origin: {e}", state.public_url);
                csrf
            }
        };
    }
    let openapi_json: Arc<str> = Arc::from(openapi.to_pretty_json().unwrap_or_else(|_| "{}".to_owned()));
    Router::new()
        .merge(api)
        .merge(pages::routes())
        .merge(portal::routes())
        .merge(ui::routes())
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
        .layer(compression())
        .merge(uploads)
        .layer(sessions)
        .layer(csrf)
        .layer(CatchPanicLayer::custom(api::panic_response))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}
