//! The staff web app: server-rendered pages (the `hcc-templates` crate) with htmx for partial
//! refreshes. Login and sessions (`login`, `session`), the inbox (`inbox`), the dossier page and
//! its action forms (`dossier`). Pages call the same functions as the JSON API: visibility,
//! permission and lifecycle decisions live in one place.

pub mod admin;
pub mod counter;
pub mod documents;
pub mod documents_panel;
pub mod dossier;
pub mod inbox;
pub mod login;
pub mod print;
pub mod returns;
pub mod session;
pub mod supervision;
pub mod warnings;

use crate::AppState;
use crate::auth::{Staff, actor_of};
use crate::error::AppError;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hcc_domain::actor::{Actor, Role};
use hcc_templates::Template;
use hcc_templates::assets::{APP_CSS, HTMX_JS, HTMX_PATH};
use hcc_templates::pages::{ErrorPage, Layout, MenuItem, UserBar};
use hcc_templates::{Lang, Msg};
use tower_sessions::Session;

/// The cookie that remembers the interface language.
pub const LANG_COOKIE: &str = "hcc_lang";

/// The staff app's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/dang-nhap", get(login::login_form).post(login::login))
        .route("/dang-xuat", post(login::logout))
        .route("/doi-mat-khau", get(login::password_form).post(login::change_password))
        .route("/ngon-ngu/{lang}", get(login::set_language))
        .route("/ho-so", get(inbox::inbox))
        .route("/ho-so/{code}", get(dossier::page))
        .route("/ho-so/{code}/thao-tac/{action}", post(dossier::act))
        .route("/ho-so/{code}/tai-lieu/dung-lai", post(documents::reuse))
        .route("/ho-so/{code}/tai-lieu/{id}", get(documents::content))
        .route("/ho-so/{code}/in/{form}", get(print::form))
        .route("/tiep-nhan", get(counter::page).post(counter::post))
        .route("/tiep-nhan/thu-tuc", get(counter::search))
        .route("/tiep-nhan/xa", get(counter::communes))
        .route("/tiep-nhan/kiem-tra", get(counter::check))
        .route("/tra-ket-qua", get(returns::page))
        .route("/canh-bao", get(warnings::page))
        .route("/tra-ket-qua/{code}", post(returns::post))
        .merge(supervision::routes())
        .merge(admin::routes())
        .route(HTMX_PATH, get(htmx))
        .route("/static/app.css", get(css))
}

/// The staff app's upload forms: mounted beside the API's uploads, outside the small body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/ho-so/{code}/tai-lieu", post(documents::upload)).merge(admin::upload_routes())
}

async fn htmx() -> Response {
    static_file("text/javascript; charset=utf-8", HTMX_JS, "public, max-age=31536000, immutable")
}

async fn css() -> Response {
    static_file("text/css; charset=utf-8", APP_CSS, "public, max-age=86400")
}

fn static_file(content_type: &'static str, body: &'static str, cache: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, cache)], body).into_response()
}

/// The language chosen with the switch (Vietnamese unless the cookie says otherwise).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v))
        .unwrap_or_default()
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to after logging in or switching language; anything else (another
/// site, `//host`, backslashes) becomes the home page, so the app is no open redirect.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2000;
    if ok { next.to_owned() } else { "/".to_owned() }
}

/// `303 See Other`: the answer to a form that worked (POST/redirect/GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Renders a template with a status; a template that fails to render is an internal error.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(e) => AppError::internal(format!("template: {e}")).into_response(),
    }
}

/// The path and query of the request, percent-encoded (for `?next=`).
fn here_of(parts: &Parts) -> String {
    enc(parts.uri.path_and_query().map_or("/", |p| p.as_str()))
}

/// A logged-in staff member using the web app.
pub struct WebUser {
    pub actor: Actor,
    /// The session's form token.
    pub csrf: String,
    pub session: Session,
    pub lang: Lang,
    /// The request's path and query, percent-encoded.
    pub here: String,
    /// The staff member's unit, by name.
    pub unit_name: String,
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        let here = here_of(parts);
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::internal("session layer missing").into_response())?;
        match current_actor(state, &session).await {
            Ok(Some((actor, csrf))) => {
                let unit_name = unit_name(state, &actor).await;
                Ok(WebUser { actor, csrf, session, lang, here, unit_name })
            }
            Ok(None) => {
                let to = format!("/dang-nhap?next={here}");
                if parts.headers.contains_key("hx-request") {
                    // htmx follows a full-page redirect only when told to.
                    let mut r = StatusCode::NO_CONTENT.into_response();
                    if let Ok(v) = HeaderValue::from_str(&to) {
                        r.headers_mut().insert("hx-redirect", v);
                    }
                    return Err(r);
                }
                Err(see_other(&to))
            }
            Err(e) => Err(anonymous_error(lang, &here, e)),
        }
    }
}

/// The staff member logged in on `session`, with the session's form token; `None` when nobody
/// is (or the account was disabled since). Pushes back the idle expiry now and then.
async fn current_actor(state: &AppState, session: &Session) -> Result<Option<(Actor, String)>, AppError> {
    let Some(uid) = session.get::<i64>(session::KEY_USER).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    let key = format!("uid:{uid}");
    let user = match state.caches.staff.get(&key) {
        Some(u) => u,
        None => {
            let u = state.store.user_by_id(uid).await?;
            state.caches.staff.put(key, u.clone());
            u
        }
    };
    let Some(actor) = user.filter(|u| !u.disabled).as_ref().and_then(actor_of) else {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    };
    let csrf = match session.get::<String>(session::KEY_CSRF).await.map_err(AppError::internal)? {
        Some(t) => t,
        None => {
            let t = crate::auth::new_token();
            session.insert(session::KEY_CSRF, &t).await.map_err(AppError::internal)?;
            t
        }
    };
    let now = jiff::Timestamp::now().as_second();
    let seen = session.get::<i64>(session::KEY_SEEN).await.map_err(AppError::internal)?.unwrap_or(0);
    if now - seen >= session::REFRESH_SECONDS {
        session.insert(session::KEY_SEEN, now).await.map_err(AppError::internal)?;
    }
    Ok(Some((actor, csrf)))
}

async fn unit_name(state: &AppState, actor: &Actor) -> String {
    if let Some(code) = &actor.agency {
        let agencies = state.agency_list().await.unwrap_or_default();
        return agencies.iter().find(|a| &a.code == code).map_or_else(|| code.clone(), |a| a.name.clone());
    }
    if let Some(code) = &actor.point {
        return state.point(code).await.ok().flatten().map_or_else(|| code.clone(), |p| p.name);
    }
    String::new()
}

/// A page cursor of rows listed by due time, `DUE_MICROS.ID` (the warnings and feedback pages).
pub fn due_cursor(s: &str) -> Option<(jiff::Timestamp, i64)> {
    let (due, id) = s.split_once('.')?;
    Some((jiff::Timestamp::from_microsecond(due.parse().ok()?).ok()?, id.parse().ok()?))
}

/// The menu: only what the role may use.
fn menu(t: &'static Msg, lang: Lang, role: Role, current: &str) -> Vec<MenuItem> {
    // Staff who handle dossiers start in their inbox (`/` sends them there).
    let mut items = if role == Role::Admin { vec![("/", t.menu_home)] } else { vec![("/ho-so", t.menu_inbox)] };
    if matches!(role, Role::Reception | Role::Postal) {
        let m = hcc_templates::counter::CounterMsg::of(lang);
        items.insert(0, ("/tiep-nhan", m.menu_counter));
        items.push(("/tra-ket-qua", m.menu_returns));
    }
    if role != Role::Admin {
        items.push(("/canh-bao", if std::ptr::eq(t, Lang::En.msg()) { "Warnings" } else { "Cảnh báo" }));
    }
    if matches!(role, Role::Supervisor | Role::Leader) {
        // The supervision pages are in Vietnamese only for now; the entry follows the language.
        let english = std::ptr::eq(t, Lang::En.msg());
        items.push(("/giam-sat", if english { "Supervision" } else { "Giám sát" }));
    }
    if role == Role::Admin {
        items.push(("/quan-tri", hcc_templates::admin::AdminMsg::of(lang).menu_admin));
    }
    items.push(("/doi-mat-khau", t.menu_password));
    items.into_iter().map(|(href, label)| MenuItem { href, label, current: href == current }).collect()
}

impl WebUser {
    pub fn t(&self) -> &'static Msg {
        self.lang.msg()
    }

    /// The layout of a page of this user; `current` is the menu entry to mark.
    pub fn layout(&self, title: &str, current: &str) -> Layout {
        let t = self.t();
        Layout {
            t,
            lang: self.lang,
            title: title.to_owned(),
            user: Some(UserBar {
                name: self.actor.full_name.clone(),
                role: self.lang.label("role", self.actor.role.as_str(), self.actor.role.label_vi()).to_owned(),
                unit: self.unit_name.clone(),
            }),
            menu: menu(t, self.lang, self.actor.role, current),
            csrf: self.csrf.clone(),
            here: self.here.clone(),
            notice: String::new(),
        }
    }

    /// Whether a posted form carries this session's token (constant time).
    pub fn csrf_ok(&self, token: Option<&String>) -> bool {
        let Some(token) = token else { return false };
        let (a, b) = (token.as_bytes(), self.csrf.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// An error as a page in the layout.
    pub fn error_page(&self, e: AppError) -> Response {
        let l = self.layout(self.t().error_title, "");
        error_response(l, e)
    }

    /// The answer to a form posted without this session's token.
    pub fn form_expired(&self) -> Response {
        self.error_page(AppError::forbidden(self.t().form_expired))
    }
}

/// A layout for someone not logged in.
pub fn anonymous_layout(lang: Lang, title: &str, here: &str) -> Layout {
    Layout {
        t: lang.msg(),
        lang,
        title: title.to_owned(),
        user: None,
        menu: Vec::new(),
        csrf: String::new(),
        here: here.to_owned(),
        notice: String::new(),
    }
}

fn anonymous_error(lang: Lang, here: &str, e: AppError) -> Response {
    error_response(anonymous_layout(lang, lang.msg().error_title, here), e)
}

fn error_response(mut l: Layout, e: AppError) -> Response {
    let t = l.t;
    let heading = match e.status {
        StatusCode::NOT_FOUND => t.not_found_title,
        StatusCode::FORBIDDEN => t.forbidden_title,
        _ => t.error_title,
    };
    l.title = heading.to_owned();
    render(e.status, &ErrorPage { l, heading: heading.to_owned(), message: e.message })
}

/// A staff member reading a printable page: a bearer token (programs) or the web session.
pub struct AnyStaff(pub Actor);

impl FromRequestParts<AppState> for AnyStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Staff::from_request_parts(parts, state)
                .await
                .map(|Staff(a)| AnyStaff(a))
                .map_err(IntoResponse::into_response);
        }
        WebUser::from_request_parts(parts, state).await.map(|u| AnyStaff(u.actor))
    }
}
