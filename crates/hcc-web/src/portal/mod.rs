//! The citizen portal: public pages, no login. Tracking a dossier by its code (`/tra-cuu`), the
//! procedure guide (`/thu-tuc`) and the transparency page (`/cong-khai`). Server-rendered with
//! the portal layout of `hcc-templates`, no script, small enough for a cheap phone on 3G.
//! Citizens also have accounts (`account`, `citizen_session`), submit online (`submit`), follow
//! and supplement their dossiers (`my_dossiers`) and rate them (`rating`).

pub mod account;
pub mod citizen_session;
pub mod guide;
pub mod my_dossiers;
pub mod oidc;
pub mod payment;
pub mod rate_limit;
pub mod rating;
pub mod submit;
pub mod track;
pub mod transparency;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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
    /// Citizen sign-in with an OpenID Connect provider, when configured.
    pub oidc: Option<OidcSettings>,
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings { trust_forwarded_for: false, tracking_burst: 20, tracking_per_minute: 30, oidc: None }
    }
}

/// Account form posts (sign-up, codes, sign-in) a client may make at once, then per minute.
pub const ACCOUNT_BURST: u32 = 30;
pub const ACCOUNT_PER_MINUTE: u32 = 20;

/// How long the transparency figures are reused before they are computed again.
pub const STATS_TTL: Duration = Duration::from_secs(60);

/// How long the OpenID Connect provider's metadata is reused to start sign-ins.
pub const OIDC_METADATA_TTL: Duration = Duration::from_secs(600);

/// The portal's per-process state: its settings, the lookup throttle and the figures' cache.
pub struct PortalState {
    pub settings: PortalSettings,
    pub tracking_limiter: rate_limit::RateLimiter,
    pub stats: crate::cache::TtlCache<hcc_store::public::StatsPeriod, std::sync::Arc<hcc_store::public::PublicStats>>,
    /// Throttles account forms per client: each sign-up or new code sends a message, and each
    /// sign-in or code try is a guess.
    pub account_limiter: rate_limit::RateLimiter,
    /// How fee payments of online submissions are taken or recorded.
    pub payments: std::sync::Arc<dyn payment::PaymentGateway>,
    /// Sign-in with an OpenID Connect provider, when configured.
    pub oidc: Option<OidcSettings>,
    /// The provider's metadata, reused to start sign-ins.
    pub oidc_metadata: crate::cache::TtlCache<(), std::sync::Arc<openidconnect::core::CoreProviderMetadata>>,
}

/// An OpenID Connect provider for citizen sign-in (e.g. VNeID when it is opened to the center).
#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the citizen back: `{public URL}/cong-dan/oidc/callback`.
    pub redirect_url: String,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

impl PortalState {
    pub fn new(settings: PortalSettings) -> PortalState {
        PortalState {
            tracking_limiter: rate_limit::RateLimiter::new(settings.tracking_burst, settings.tracking_per_minute),
            oidc: settings.oidc.clone(),
            account_limiter: rate_limit::RateLimiter::new(ACCOUNT_BURST, ACCOUNT_PER_MINUTE),
            settings,
            stats: crate::cache::TtlCache::new(STATS_TTL, 64),
            payments: std::sync::Arc::new(payment::RecordedPayments),
            oidc_metadata: crate::cache::TtlCache::new(OIDC_METADATA_TTL, 1),
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
        .route("/cong-dan", get(my_dossiers::list))
        .route("/cong-dan/dang-ky", get(account::sign_up_form).post(account::sign_up))
        .route("/cong-dan/xac-thuc", post(account::verify))
        .route("/cong-dan/gui-lai-ma", post(account::resend))
        .route("/cong-dan/dang-nhap", get(account::sign_in_form).post(account::sign_in))
        .route("/cong-dan/dang-xuat", post(account::sign_out))
        .route("/cong-dan/ho-so/{code}", get(my_dossiers::page))
        .route("/cong-dan/ho-so/{code}/giay-tiep-nhan", get(my_dossiers::receipt))
        .route("/nop-ho-so", get(submit::list))
        .route("/nop-ho-so/{code}", get(submit::form))
        .route("/danh-gia/{code}", get(rating::form).post(rating::submit))
        .route("/cong-dan/oidc", get(oidc::start))
        .route("/cong-dan/oidc/callback", get(oidc::callback))
}

/// The portal's upload forms (online submission, supplements): mounted with the other uploads,
/// outside the small body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/nop-ho-so/{code}", post(submit::submit))
        .route("/cong-dan/ho-so/{code}/bo-sung", post(my_dossiers::supplement))
}

/// The reception point of the online channel: online submissions are received there.
pub async fn online_point(state: &AppState) -> Result<String, crate::error::AppError> {
    let points = state.point_list().await?;
    points
        .iter()
        .find(|p| p.kind == hcc_domain::org::PointKind::Online)
        .map(|p| p.code.clone())
        .ok_or_else(|| crate::error::AppError::internal("no online reception point is configured"))
}

/// The answer to a form posted without the session's token.
pub fn form_expired() -> crate::error::AppError {
    crate::error::AppError::forbidden("Biểu mẫu đã hết hạn; vui lòng tải lại trang và thử lại")
        .with_code("form_expired")
}

/// An error (or a notice) as a portal page, with its stable code in `data-code`.
pub fn message(lang: hcc_templates::Lang, here: &str, e: crate::error::AppError, back: &str) -> Response {
    let m = hcc_templates::citizen::CitizenMsg::of(lang);
    let page = hcc_templates::citizen::MessagePage {
        l: citizen_session::layout(lang, m.error_title, here),
        heading: m.error_title.to_owned(),
        message: e.message,
        code: e.code.to_owned(),
        back_href: back.to_owned(),
        back_label: m.back.to_owned(),
    };
    render(e.status, &page, true)
}

/// The layout of a public page in the visitor's language, naming the citizen when one is signed
/// in.
pub fn public_layout(
    who: &citizen_session::MaybeSignedIn,
    title: impl Into<String>,
    section: hcc_templates::portal::Section,
) -> hcc_templates::portal::PortalLayout {
    let citizen_session::MaybeSignedIn(signed_in, lang, here) = who;
    let mut l = match signed_in {
        Some(s) => s.layout(title),
        None => citizen_session::layout(*lang, title, here),
    };
    l.section = section;
    l
}

/// Renders a portal page. `private` pages (tracking, anything naming a signed-in citizen) are
/// never stored by caches; the others may be, keyed by the language cookie too.
pub fn render(status: StatusCode, page: &impl Template, private: bool) -> Response {
    match page.render() {
        Ok(html) => {
            let mut r = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
            let cache = if private { "no-store" } else { "public, max-age=60" };
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            if !private {
                r.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie"));
            }
            r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            r
        }
        Err(e) => crate::error::AppError::internal(e).into_response(),
    }
}
