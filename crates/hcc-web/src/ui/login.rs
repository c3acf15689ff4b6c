//! Logging in and out, changing one's password, the home page and the language switch.

use super::session::{KEY_CSRF, KEY_SEEN, KEY_USER};
use super::{WebUser, anonymous_layout, enc, lang_of, render, safe_next, see_other};
use crate::AppState;
use crate::auth::{actor_of, hash_password, verify_password};
use crate::error::AppError;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hcc_domain::actor::Role;
use hcc_templates::Lang;
use hcc_templates::pages::{HomePage, LoginPage, PasswordPage};
use serde::Deserialize;
use std::collections::HashMap;
use tower_sessions::Session;

/// The shortest new password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    /// Set after logging out.
    bye: Option<String>,
}

/// `GET /dang-nhap`.
pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    if let Ok(Some(_)) = super::current_actor(&state, &session).await {
        return see_other(&next);
    }
    let lang = lang_of(&headers);
    let mut l = anonymous_layout(lang, lang.msg().login_title, &format!("/dang-nhap?next={}", enc(&next)));
    if q.bye.is_some() {
        l.notice = lang.msg().logged_out.to_owned();
    } else if next != "/" {
        l.notice = lang.msg().login_required.to_owned();
    }
    render(StatusCode::OK, &LoginPage { l, username: String::new(), next, error: String::new() })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /dang-nhap`: one generic message for every failure (unknown account, disabled account,
/// wrong password), and the same argon2 work in each case, so accounts cannot be enumerated.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let lang = lang_of(&headers);
    let Ok(Form(form)) = form else {
        return super::anonymous_error(
            lang,
            "/dang-nhap",
            AppError::bad_request("invalid_form", lang.msg().form_expired),
        );
    };
    let username = form.username.trim().to_owned();
    let next = safe_next(&form.next);
    let user = if username.is_empty() || username.len() > 100 || form.password.len() > 200 {
        None
    } else {
        match state.store.user_by_username(&username).await {
            Ok(u) => u.filter(|u| !u.disabled && actor_of(u).is_some()),
            Err(e) => return super::anonymous_error(lang, "/dang-nhap", e.into()),
        }
    };
    let ok = verify_password(form.password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let user = match user {
        Some(u) if ok => u,
        _ => {
            let l = anonymous_layout(lang, lang.msg().login_title, &format!("/dang-nhap?next={}", enc(&next)));
            let error = lang.msg().login_failed.to_owned();
            return render(StatusCode::UNAUTHORIZED, &LoginPage { l, username, next, error });
        }
    };
    // A new session id at login: an id planted before login (session fixation) is worthless.
    let started = async {
        session.cycle_id().await?;
        session.clear().await;
        session.insert(KEY_USER, user.id).await?;
        session.insert(KEY_CSRF, crate::auth::new_token()).await?;
        session.insert(KEY_SEEN, jiff::Timestamp::now().as_second()).await
    };
    if let Err(e) = started.await {
        return super::anonymous_error(lang, "/dang-nhap", AppError::internal(e));
    }
    tracing::info!(user = %user.username, "staff logged in to the web app");
    see_other(&next)
}

/// `POST /dang-xuat`.
pub async fn logout(user: WebUser, form: Result<Form<HashMap<String, String>>, FormRejection>) -> Response {
    let Ok(Form(values)) = form else { return user.form_expired() };
    if !user.csrf_ok(values.get("csrf")) {
        return user.form_expired();
    }
    if let Err(e) = user.session.flush().await {
        return user.error_page(AppError::internal(e));
    }
    see_other("/dang-nhap?bye=1")
}

/// `GET /`: staff who handle dossiers start in their inbox; the others get the home page.
pub async fn home(user: WebUser) -> Response {
    match user.actor.role {
        Role::Admin => {}
        Role::Reception | Role::Postal => return see_other("/tiep-nhan"),
        _ => return see_other("/ho-so"),
    }
    let l = user.layout(user.t().home_title, "/");
    render(
        StatusCode::OK,
        &HomePage { l, name: user.actor.full_name.clone(), is_admin: user.actor.role == Role::Admin },
    )
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /doi-mat-khau`.
pub async fn password_form(
    user: WebUser,
    q: Result<Query<DoneQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let mut l = user.layout(user.t().password_title, "/doi-mat-khau");
    if q.is_ok_and(|Query(q)| q.done.is_some()) {
        l.notice = user.t().password_changed.to_owned();
    }
    render(
        StatusCode::OK,
        &PasswordPage { l, current_error: String::new(), new_error: String::new(), confirm_error: String::new() },
    )
}

/// `POST /doi-mat-khau`: checks the current password, sets the new one (which ends the account's
/// tokens and other sessions) and gives this session a new id.
pub async fn change_password(
    State(state): State<AppState>,
    user: WebUser,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(values)) = form else { return user.form_expired() };
    if !user.csrf_ok(values.get("csrf")) {
        return user.form_expired();
    }
    let t = user.t();
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let (current, new, confirm) = (get("current"), get("new"), get("confirm"));
    let mut page = PasswordPage {
        l: user.layout(t.password_title, "/doi-mat-khau"),
        current_error: String::new(),
        new_error: String::new(),
        confirm_error: String::new(),
    };
    let account = match state.store.user_by_id(user.actor.user_id).await {
        Ok(Some(u)) => u,
        Ok(None) => return user.error_page(AppError::unauthorized()),
        Err(e) => return user.error_page(e.into()),
    };
    if current.len() > 200 || !verify_password(current.clone(), Some(account.password_hash.clone())).await {
        page.current_error = t.password_wrong.to_owned();
    }
    if new.chars().count() < MIN_PASSWORD_CHARS || new.len() > 200 {
        page.new_error = t.password_too_short.to_owned();
    } else if new == current {
        page.new_error = t.password_same.to_owned();
    }
    if confirm != new {
        page.confirm_error = t.password_mismatch.to_owned();
    }
    if !(page.current_error.is_empty() && page.new_error.is_empty() && page.confirm_error.is_empty()) {
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let result = async {
        let hash = hash_password(new).await?;
        state.store.set_password(&account.username, &hash).await?;
        state.caches.staff.clear();
        user.session.cycle_id().await.map_err(AppError::internal)?;
        Ok::<(), AppError>(())
    };
    match result.await {
        Ok(()) => see_other("/doi-mat-khau?done=1"),
        Err(e) => user.error_page(e),
    }
}

/// `GET /ngon-ngu/{lang}?next=…`: remembers the language for a year and goes back.
pub async fn set_language(
    Path(lang): Path<String>,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let next = safe_next(q.ok().and_then(|Query(q)| q.next).as_deref().unwrap_or("/"));
    let lang = Lang::parse(&lang).unwrap_or_default();
    let mut r = see_other(&next);
    let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", super::LANG_COOKIE, lang.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r.into_response()
}
