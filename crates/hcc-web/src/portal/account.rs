//! Citizen accounts: sign up with a phone or e-mail proved by a one-time code (sent through the
//! outbox; only its hash is kept, with an expiry and a limit of tries), sign in with the password
//! (argon2id, as for staff), sign out. One message for every failed sign-in, and the same argon2
//! work whether or not the account exists, so accounts cannot be enumerated.

use super::citizen_session::{self, MaybeSignedIn, SignedIn, layout};
use super::rate_limit::ClientIp;
use super::{message, render};
use crate::AppState;
use crate::auth::{hash_password, token_hash, verify_password};
use crate::error::AppError;
use crate::ui::{safe_next, see_other};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use hcc_domain::citizen::{self, CodeState, CodeVerdict, Contact};
use hcc_store::StoreError;
use hcc_store::citizens::{NewCitizen, NewCode};
use hcc_templates::Lang;
use hcc_templates::citizen::{AccountMode, AccountPage, CitizenMsg};
use serde::Deserialize;

/// The shortest password accepted (as for staff).
pub const MIN_PASSWORD_CHARS: usize = crate::ui::login::MIN_PASSWORD_CHARS;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize, Default)]
pub struct AccountForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

fn page(lang: Lang, mode: AccountMode, here: &str) -> AccountPage {
    let m = CitizenMsg::of(lang);
    let title = match mode {
        AccountMode::SignUp => m.sign_up,
        AccountMode::Verify => m.code,
        AccountMode::SignIn => m.sign_in,
    };
    AccountPage {
        l: layout(lang, title, here),
        mode,
        name: String::new(),
        contact: String::new(),
        next: "/cong-dan".to_owned(),
        error: String::new(),
        error_code: String::new(),
        notice: String::new(),
        oidc: false,
    }
}

/// The answer when a client posts account forms too fast.
fn throttled(state: &AppState, ip: Option<std::net::IpAddr>, lang: Lang, here: &str) -> Option<Response> {
    let wait = state.portal.account_limiter.check(ip).err()?;
    let secs = super::rate_limit::retry_seconds(wait);
    let e = AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("Bạn thao tác quá nhiều lần trong thời gian ngắn; vui lòng thử lại sau {secs} giây"),
    );
    let mut r = message(lang, here, e, "/cong-dan/dang-nhap");
    r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
    Some(r)
}

/// The posted form, unless the client posts too fast or the form is malformed: then the page that
/// says so.
fn accepted(
    state: &AppState,
    ip: Option<std::net::IpAddr>,
    lang: Lang,
    here: &str,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Result<AccountForm, Box<Response>> {
    if let Some(r) = throttled(state, ip, lang, here) {
        return Err(Box::new(r));
    }
    form.map(|Form(f)| f).map_err(|_| {
        let e = AppError::bad_request("invalid_form", "Biểu mẫu không hợp lệ");
        Box::new(message(lang, here, e, "/cong-dan/dang-ky"))
    })
}

/// The form again, with what was wrong beside it.
fn refused(mut p: AccountPage, status: StatusCode, code: &str, msg: impl Into<String>) -> Response {
    p.error_code = code.to_owned();
    p.error = msg.into();
    render(status, &p, true)
}

fn next_of(raw: &str) -> String {
    if raw.is_empty() { "/cong-dan".to_owned() } else { safe_next(raw) }
}

/// A new 6-digit code and its outbox message for `contact`.
fn new_code(contact: &Contact, now: jiff::Timestamp) -> (String, NewCode) {
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let text = format!("Mã xác thực tài khoản Cổng dịch vụ công của bạn là {code}, có hiệu lực trong 10 phút.");
    let payload = serde_json::json!({
        "template": "one_time_code",
        "channel": contact.channel(),
        "to": contact.as_str(),
        "code": code,
        "minutes": citizen::CODE_TTL.as_mins(),
        "text": text,
    });
    let hashed =
        NewCode { code_hash: token_hash(&code), expires_at: now + citizen::CODE_TTL, payload: payload.to_string() };
    (code, hashed)
}

/// `GET /cong-dan/dang-ky`.
pub async fn sign_up_form(
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let mut p = page(lang, AccountMode::SignUp, &here);
    p.next = next_of(&q.map(|Query(q)| q.next).unwrap_or_default());
    render(StatusCode::OK, &p, true)
}

/// `POST /cong-dan/dang-ky`: validates, stores the account unverified and queues the code.
pub async fn sign_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    let f = match accepted(&state, ip, lang, &here, form) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let mut p = page(lang, AccountMode::SignUp, &here);
    p.next = next_of(&f.next);
    p.name = f.name.trim().to_owned();
    p.contact = f.contact.trim().to_owned();
    let refuse = |p, code: &str, msg: String| refused(p, StatusCode::UNPROCESSABLE_ENTITY, code, msg);
    let name = hcc_domain::text::normalize(&f.name);
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return refuse(p, "invalid_name", "Cần nhập họ và tên (tối đa 200 ký tự)".to_owned());
    }
    let contact = match Contact::parse(&f.contact) {
        Ok(c) => c,
        Err(e) => return refuse(p, "invalid_contact", e.to_string()),
    };
    if f.password.chars().count() < MIN_PASSWORD_CHARS || f.password.len() > 200 {
        return refuse(p, "weak_password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự"));
    }
    if f.password != f.confirm {
        return refuse(p, "password_mismatch", "Hai lần nhập mật khẩu không khớp".to_owned());
    }
    let result = async {
        let password_hash = hash_password(f.password.clone()).await?;
        let now = hcc_store::model::now();
        let (_, code) = new_code(&contact, now);
        let new = NewCitizen { contact: contact.as_str().to_owned(), full_name: name.clone(), password_hash, code };
        state.store.create_citizen(&new, now).await.map_err(AppError::from)
    };
    match result.await {
        Ok(_) => {
            let mut v = page(lang, AccountMode::Verify, &here);
            v.contact = contact.as_str().to_owned();
            v.next = p.next;
            v.notice = format!("{} {}", CitizenMsg::of(lang).code_sent, contact.as_str());
            render(StatusCode::OK, &v, true)
        }
        Err(e) if e.code == "duplicate" => refuse(
            p,
            "contact_taken",
            "Số điện thoại hoặc thư điện tử này đã có tài khoản; vui lòng đăng nhập".to_owned(),
        ),
        Err(e) => message(lang, &here, e, "/cong-dan/dang-ky"),
    }
}

/// `POST /cong-dan/xac-thuc`: checks the code; a right one verifies the account and signs in.
pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    headers: HeaderMap,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    let f = match accepted(&state, ip, lang, &here, form) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let mut p = page(lang, AccountMode::Verify, &here);
    p.next = next_of(&f.next);
    p.contact = f.contact.trim().to_owned();
    let outcome = async {
        let contact =
            Contact::parse(&f.contact).map_err(|e| AppError::unprocessable("invalid_contact", e.to_string()))?;
        let citizen = state.store.citizen_by_contact(contact.as_str()).await?;
        let code = match &citizen {
            Some(c) => state.store.latest_citizen_code(c.id).await?,
            None => None,
        };
        let (Some(citizen), Some(code)) = (citizen, code) else {
            return Ok(Err(CodeVerdict::Expired));
        };
        let typed = f.code.trim();
        let matches =
            typed.len() == 6 && typed.bytes().all(|b| b.is_ascii_digit()) && token_hash(typed) == code.code_hash;
        let now = hcc_store::model::now();
        let state_of = CodeState { expires_at: code.expires_at, attempts: code.attempts, used: code.used };
        let verdict = citizen::judge_code(state_of, matches, now);
        let counts = matches!(verdict, CodeVerdict::Accepted | CodeVerdict::Wrong { .. } | CodeVerdict::Exhausted);
        if counts && !state.store.record_code_try(code.id, code.attempts, verdict == CodeVerdict::Accepted, now).await?
        {
            // Another try of the same code was recorded in between: this one does not count.
            return Ok(Err(CodeVerdict::Used));
        }
        Ok::<_, AppError>(if verdict == CodeVerdict::Accepted { Ok(citizen.id) } else { Err(verdict) })
    };
    match outcome.await {
        Ok(Ok(id)) => match citizen_session::start(&state, &headers, id, &p.next).await {
            Ok(r) => r,
            Err(e) => message(lang, &here, e, "/cong-dan/dang-nhap"),
        },
        Ok(Err(v)) => {
            let status = if matches!(v, CodeVerdict::Wrong { .. }) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::GONE
            };
            refused(p, status, v.code(), v.message_vi())
        }
        Err(e) => refused(p, e.status, e.code, e.message),
    }
}

/// `POST /cong-dan/gui-lai-ma`: a new code for an account not yet verified. Answers the same page
/// whether or not such an account exists.
pub async fn resend(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    if let Some(r) = throttled(&state, ip, lang, &here) {
        return r;
    }
    let f = form.map(|Form(f)| f).unwrap_or_default();
    let mut p = page(lang, AccountMode::Verify, &here);
    p.next = next_of(&f.next);
    p.contact = f.contact.trim().to_owned();
    if let Ok(contact) = Contact::parse(&f.contact) {
        let sent = async {
            if let Some(c) = state.store.citizen_by_contact(contact.as_str()).await?.filter(|c| !c.verified) {
                let now = hcc_store::model::now();
                let (_, code) = new_code(&contact, now);
                state.store.issue_citizen_code(c.id, &code, now).await?;
            }
            Ok::<(), StoreError>(())
        };
        if let Err(e) = sent.await {
            return message(lang, &here, e.into(), "/cong-dan/dang-ky");
        }
    }
    p.notice = format!("{} {}", CitizenMsg::of(lang).code_resent, p.contact);
    render(StatusCode::OK, &p, true)
}

/// `GET /cong-dan/dang-nhap`.
pub async fn sign_in_form(
    State(state): State<AppState>,
    MaybeSignedIn(who, lang, here): MaybeSignedIn,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let next = next_of(&q.map(|Query(q)| q.next).unwrap_or_default());
    if who.is_some() {
        return see_other(&next);
    }
    let mut p = page(lang, AccountMode::SignIn, &here);
    p.next = next;
    p.oidc = state.portal.oidc.is_some();
    render(StatusCode::OK, &p, true)
}

/// `POST /cong-dan/dang-nhap`.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeSignedIn(_, lang, here): MaybeSignedIn,
    headers: HeaderMap,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    if let Some(r) = throttled(&state, ip, lang, &here) {
        return r;
    }
    let f = form.map(|Form(f)| f).unwrap_or_default();
    let mut p = page(lang, AccountMode::SignIn, &here);
    p.next = next_of(&f.next);
    p.contact = f.contact.trim().to_owned();
    p.oidc = state.portal.oidc.is_some();
    let citizen = match Contact::parse(&f.contact) {
        Ok(c) if f.password.len() <= 200 => match state.store.citizen_by_contact(c.as_str()).await {
            Ok(found) => found.filter(|c| c.verified && !c.password_hash.is_empty()),
            Err(e) => return message(lang, &here, e.into(), "/cong-dan/dang-nhap"),
        },
        _ => None,
    };
    let ok = verify_password(f.password, citizen.as_ref().map(|c| c.password_hash.clone())).await;
    match citizen {
        Some(c) if ok => match citizen_session::start(&state, &headers, c.id, &p.next).await {
            Ok(r) => r,
            Err(e) => message(lang, &here, e, "/cong-dan/dang-nhap"),
        },
        _ => {
            p.error_code = "sign_in_failed".to_owned();
            p.error = "Thông tin đăng nhập không đúng".to_owned();
            render(StatusCode::UNAUTHORIZED, &p, true)
        }
    }
}

/// `POST /cong-dan/dang-xuat`.
pub async fn sign_out(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    form: Result<Form<AccountForm>, FormRejection>,
) -> Response {
    let f = form.map(|Form(f)| f).unwrap_or_default();
    if !who.csrf_ok(Some(&f.csrf)) {
        return message(who.lang, &who.here, super::form_expired(), "/cong-dan");
    }
    match citizen_session::end(&state, &headers, "/cong-dan/dang-nhap").await {
        Ok(r) => r,
        Err(e) => message(who.lang, &who.here, e, "/cong-dan"),
    }
}
