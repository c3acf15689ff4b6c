//! Citizen sign-in with an OpenID Connect provider (generic, to leave room for VNeID): the
//! authorization code flow with PKCE, a nonce and a state, the ID token verified against the
//! provider's published keys (JWKS), its issuer, audience and expiry. The provider's identity
//! (issuer, subject) is the account's key; the first sign-in makes the account.
//!
//! Between the redirect and the callback the state, nonce, PKCE verifier and the page to go back
//! to travel in a short-lived HttpOnly cookie scoped to the callback: a callback whose `state`
//! differs from the cookie's is refused, so a login cannot be planted from another site.

use super::citizen_session::{self, MaybeSignedIn, cookie};
use super::{OidcSettings, message};
use crate::AppState;
use crate::error::AppError;
use crate::ui::{safe_next, see_other};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;

/// The cookie that carries the flow's state to the callback.
const FLOW_COOKIE: &str = "hcc_oidc";
const CALLBACK: &str = "/cong-dan/oidc/callback";
/// How long a sign-in at the provider may take.
const FLOW_SECONDS: i64 = 600;

fn failed(detail: impl std::fmt::Display) -> AppError {
    tracing::warn!("OpenID Connect sign-in failed: {detail}");
    AppError::new(
        StatusCode::BAD_GATEWAY,
        "oidc_failed",
        "Đăng nhập bằng tài khoản định danh điện tử không thành công; vui lòng thử lại",
    )
}

fn http_client() -> Result<openidconnect::reqwest::Client, AppError> {
    // No redirects: the token endpoint must answer itself (SSRF hardening, as the crate advises).
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(failed)
}

async fn metadata(
    settings: &OidcSettings,
    http: &openidconnect::reqwest::Client,
) -> Result<CoreProviderMetadata, AppError> {
    let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(failed)?;
    CoreProviderMetadata::discover_async(issuer, http).await.map_err(failed)
}

/// The provider's metadata for sending a citizen there: reused for [`super::OIDC_METADATA_TTL`]
/// (each sign-in would otherwise fetch the discovery document and the keys first). The callback
/// always fetches them afresh, so that a rotated signing key is never missed.
async fn cached_metadata(
    state: &AppState,
    settings: &OidcSettings,
    http: &openidconnect::reqwest::Client,
) -> Result<CoreProviderMetadata, AppError> {
    if let Some(m) = state.portal.oidc_metadata.get(&()) {
        return Ok((*m).clone());
    }
    let m = metadata(settings, http).await?;
    state.portal.oidc_metadata.put((), std::sync::Arc::new(m.clone()));
    Ok(m)
}

fn settings_of(state: &AppState) -> Result<&OidcSettings, AppError> {
    state
        .portal
        .oidc
        .as_ref()
        .ok_or_else(|| AppError::not_found("Đăng nhập bằng tài khoản định danh điện tử chưa được cấu hình"))
}

#[derive(Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
}

/// `GET /cong-dan/oidc`: sends the citizen to the provider.
pub async fn start(
    State(state): State<AppState>,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    q: Result<Query<StartQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let next = q.map(|Query(q)| q.next).unwrap_or_default();
    let next = if next.is_empty() { "/cong-dan".to_owned() } else { safe_next(&next) };
    let result = async {
        let settings = settings_of(&state)?;
        let http = http_client()?;
        let client = CoreClient::from_provider_metadata(
            cached_metadata(&state, settings, &http).await?,
            ClientId::new(settings.client_id.clone()),
            Some(ClientSecret::new(settings.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new(settings.redirect_url.clone()).map_err(failed)?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let flow =
            format!("{}.{}.{}.{}", csrf.secret(), nonce.secret(), verifier.secret(), b64.encode(next.as_bytes()));
        let mut r = see_other(url.as_str());
        let secure = if state.public_url.starts_with("https://") { "; Secure" } else { "" };
        let c =
            format!("{FLOW_COOKIE}={flow}; Path={CALLBACK}; Max-Age={FLOW_SECONDS}; HttpOnly; SameSite=Lax{secure}");
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).map_err(failed)?);
        Ok::<Response, AppError>(r)
    };
    match result.await {
        Ok(r) => r,
        Err(e) => message(lang, &here, e, "/cong-dan/dang-nhap"),
    }
}

#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// `GET /cong-dan/oidc/callback`: checks the state, exchanges the code (with the PKCE verifier),
/// verifies the ID token and its nonce, and signs the citizen in.
pub async fn callback(
    State(state): State<AppState>,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    headers: HeaderMap,
    q: Result<Query<CallbackQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let result = async {
        let settings = settings_of(&state)?;
        if !q.error.is_empty() {
            return Err(failed(format!("provider answered {}", q.error)));
        }
        let flow = cookie(&headers, FLOW_COOKIE).ok_or_else(|| failed("no flow cookie"))?;
        let parts: Vec<&str> = flow.split('.').collect();
        let [csrf, nonce, verifier, next] = parts.as_slice() else { return Err(failed("malformed flow cookie")) };
        let same = csrf.len() == q.state.len()
            && csrf.bytes().zip(q.state.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if q.state.is_empty() || !same {
            return Err(AppError::new(
                StatusCode::BAD_REQUEST,
                "oidc_state_mismatch",
                "Phiên đăng nhập không khớp; vui lòng đăng nhập lại",
            ));
        }
        let next = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(next)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map_or_else(|| "/cong-dan".to_owned(), |n| safe_next(&n));
        let http = http_client()?;
        let client = CoreClient::from_provider_metadata(
            metadata(settings, &http).await?,
            ClientId::new(settings.client_id.clone()),
            Some(ClientSecret::new(settings.client_secret.clone())),
        )
        .set_redirect_uri(RedirectUrl::new(settings.redirect_url.clone()).map_err(failed)?);
        let token = client
            .exchange_code(AuthorizationCode::new(q.code.clone()))
            .map_err(failed)?
            .set_pkce_verifier(PkceCodeVerifier::new((*verifier).to_owned()))
            .request_async(&http)
            .await
            .map_err(failed)?;
        let id_token = token.id_token().ok_or_else(|| failed("no ID token"))?;
        let claims = id_token.claims(&client.id_token_verifier(), &Nonce::new((*nonce).to_owned())).map_err(failed)?;
        let subject = claims.subject().as_str().to_owned();
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Công dân".to_owned());
        let name = hcc_domain::text::normalize(&name).chars().take(200).collect::<String>();
        let citizen = state.store.citizen_for_oidc(&settings.issuer, &subject, &name, hcc_store::model::now()).await?;
        let mut r = citizen_session::start(&state, &headers, citizen.id, &next).await?;
        let clear = format!("{FLOW_COOKIE}=; Path={CALLBACK}; Max-Age=0; HttpOnly; SameSite=Lax");
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&clear).map_err(failed)?);
        Ok::<Response, AppError>(r)
    };
    match result.await {
        Ok(r) => r,
        Err(e) => message(lang, &here, e, "/cong-dan/dang-nhap"),
    }
}
