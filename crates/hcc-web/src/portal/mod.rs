//! The citizen portal: public pages, no login. Tracking a dossier by its code (`/tra-cuu`), the
//! procedure guide (`/thu-tuc`) and the transparency page (`/cong-khai`). Server-rendered with
//! the portal layout of `hcc-templates`, no script, small enough for a cheap phone on 3G.
//! Online submission and citizen accounts will join these routes.

pub mod guide;
pub mod rate_limit;
pub mod track;
pub mod transparency;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hcc_templates::Template;
use std::time::Duration;

/// How the portal behaves in this installation.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// Read the client's address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Tracking lookups a client may make at once…
    pub tracking_burst: u32,
    /// …and then per minute.
    pub tracking_per_minute: u32,
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings { trust_forwarded_for: false, tracking_burst: 20, tracking_per_minute: 30 }
    }
}

/// How long the transparency figures are reused before they are computed again.
pub const STATS_TTL: Duration = Duration::from_secs(60);

/// The portal's per-process state: its settings, the lookup throttle and the figures' cache.
pub struct PortalState {
    pub settings: PortalSettings,
    pub tracking_limiter: rate_limit::RateLimiter,
    pub stats: crate::cache::TtlCache<hcc_store::public::StatsPeriod, std::sync::Arc<hcc_store::public::PublicStats>>,
}

impl PortalState {
    pub fn new(settings: PortalSettings) -> PortalState {
        PortalState {
            tracking_limiter: rate_limit::RateLimiter::new(settings.tracking_burst, settings.tracking_per_minute),
            settings,
            stats: crate::cache::TtlCache::new(STATS_TTL, 64),
        }
    }
}

impl std::fmt::Debug for PortalState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalState").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// The portal's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tra-cuu", get(track::form).post(track::submit))
        .route("/tra-cuu/{code}", get(track::page))
        .route("/tra-cuu/{code}/tai-lieu/{id}", get(track::download))
        .route("/thu-tuc", get(guide::list))
        .route("/thu-tuc/{code}", get(guide::detail))
        .route("/cong-khai", get(transparency::page))
}

/// Renders a portal page. `private` pages (tracking) are never stored by caches.
pub fn render(status: StatusCode, page: &impl Template, private: bool) -> Response {
    match page.render() {
        Ok(html) => {
            let mut r = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
            let cache = if private { "no-store" } else { "public, max-age=60" };
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            r
        }
        Err(e) => crate::error::AppError::internal(e).into_response(),
    }
}
