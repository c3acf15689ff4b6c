//! Citizen sessions, apart from the staff app's: their own cookie (`hcc_citizen`, HttpOnly,
//! SameSite=Lax, Secure over https), their own table (only the SHA-256 of the cookie is stored),
//! a new id at every sign-in (a planted cookie is worthless) and a form token per session checked
//! on every form that changes something (on top of the cross-site check every route has).

use crate::AppState;
use crate::auth::{new_token, token_hash};
use crate::error::AppError;
use crate::ui::{enc, lang_of, see_other};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hcc_domain::actor::{Actor, Role};
use hcc_store::EventActor;
use hcc_templates::Lang;
use hcc_templates::portal::{PortalLayout, Section};

/// The citizen session cookie's name.
pub const COOKIE: &str = "hcc_citizen";
/// How long a citizen session lasts.
pub const SESSION_HOURS: i64 = 8;

/// The value of cookie `name`, if the request has it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The signed-in citizen.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub id: i64,
    pub name: String,
    pub csrf: String,
    pub lang: Lang,
    /// The request's path and query, percent-encoded.
    pub here: String,
}

/// The citizen when one is signed in (pages that anyone may open).
pub struct MaybeSignedIn(pub Option<SignedIn>, pub Lang, pub String);

async fn signed_in(parts: &Parts, state: &AppState) -> Result<Option<SignedIn>, AppError> {
    let Some(token) = cookie(&parts.headers, COOKIE) else { return Ok(None) };
    let now = hcc_store::model::now();
    let Some((id, csrf)) = state.store.load_citizen_session(&token_hash(token), now).await? else { return Ok(None) };
    let Some(citizen) = state.store.citizen_by_id(id).await?.filter(|c| c.verified) else { return Ok(None) };
    Ok(Some(SignedIn { id, name: citizen.full_name, csrf, lang: lang_of(&parts.headers), here: here_of(parts) }))
}

fn here_of(parts: &Parts) -> String {
    enc(parts.uri.path_and_query().map_or("/", |p| p.as_str()))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match signed_in(parts, state).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(see_other(&format!("/cong-dan/dang-nhap?next={}", here_of(parts)))),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        match signed_in(parts, state).await {
            Ok(s) => Ok(MaybeSignedIn(s, lang, here_of(parts))),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl SignedIn {
    /// The portal layout of this citizen's page.
    pub fn layout(&self, title: impl Into<String>) -> PortalLayout {
        let mut l = layout(self.lang, title, &self.here);
        l.account = Some(self.name.clone());
        l.csrf = self.csrf.clone();
        l
    }

    /// Whether a posted form carries this session's token (constant time).
    pub fn csrf_ok(&self, token: Option<&str>) -> bool {
        let Some(token) = token else { return false };
        let (a, b) = (token.as_bytes(), self.csrf.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Who the lifecycle sees acting: the online channel's reception, for this citizen. The
    /// permission rules know staff roles only; the online point receives what citizens send.
    pub fn acting(&self, online_point: &str) -> Actor {
        Actor {
            user_id: 0,
            username: format!("cong-dan:{}", self.id),
            full_name: self.name.clone(),
            role: Role::Reception,
            agency: None,
            point: Some(online_point.to_owned()),
        }
    }

    /// Who the control sheet names: the citizen, at the online point.
    pub fn event_actor(&self, online_point: &str) -> EventActor {
        EventActor {
            user_id: None,
            username: format!("cong-dan:{}", self.id),
            full_name: self.name.clone(),
            role: "citizen".to_owned(),
            unit: online_point.to_owned(),
        }
    }
}

/// A portal layout in `lang` for the citizen's section.
pub fn layout(lang: Lang, title: impl Into<String>, here: &str) -> PortalLayout {
    let mut l = PortalLayout::new(title, Section::Citizen);
    l.en = lang == Lang::En;
    l.here = here.to_owned();
    l
}

fn set_cookie(r: &mut Response, value: &str, max_age: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let c = format!("{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Signs `citizen_id` in: ends the session the request came with, if any, and answers `to` with a
/// new session's cookie.
pub async fn start(state: &AppState, headers: &HeaderMap, citizen_id: i64, to: &str) -> Result<Response, AppError> {
    if let Some(old) = cookie(headers, COOKIE) {
        state.store.delete_citizen_session(&token_hash(old)).await?;
    }
    let token = new_token();
    let now = hcc_store::model::now();
    let expires = now + jiff::SignedDuration::from_hours(SESSION_HOURS);
    state.store.insert_citizen_session(&token_hash(&token), citizen_id, &new_token(), expires, now).await?;
    let mut r = see_other(to);
    set_cookie(&mut r, &token, SESSION_HOURS * 3600, state.public_url.starts_with("https://"));
    Ok(r)
}

/// Signs out: the session is deleted and the cookie cleared.
pub async fn end(state: &AppState, headers: &HeaderMap, to: &str) -> Result<Response, AppError> {
    if let Some(old) = cookie(headers, COOKIE) {
        state.store.delete_citizen_session(&token_hash(old)).await?;
    }
    let mut r = see_other(to);
    set_cookie(&mut r, "", 0, state.public_url.starts_with("https://"));
    Ok(r)
}
