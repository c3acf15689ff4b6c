//! `/quan-tri/tai-khoan`: staff accounts — create one with its role and scope (agency or
//! reception point), change the role and scope, lock or unlock it, reset its password. A change
//! of role, a lock or a new password ends the account's open sessions.

use super::{AdminPost, apply, log_rows, msg, refuse_non_admin, saved_notice};
use crate::AppState;
use crate::auth::hash_password;
use crate::error::{AppError, AppResult};
use crate::ui::login::MIN_PASSWORD_CHARS;
use crate::ui::{WebUser, enc, render, see_other};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::actor::Role;
use hcc_store::{AdminChange, AdminOutcome, NewUser, User};
use hcc_templates::admin::{AccountPage, AccountRow, AccountsPage, AdminForm};
use hcc_templates::pages::Opt;
use serde::Deserialize;
use std::collections::HashMap;

const ACCOUNTS: &str = "/quan-tri/tai-khoan";

/// A username: 3–64 characters of ASCII letters, digits, `.`, `_`, `-` (as `hcc user add` takes).
pub fn valid_username(u: &str) -> bool {
    (3..=64).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The role and scope read from a form, checked against the agencies and points that exist.
struct Scope {
    full_name: String,
    role: Role,
    agency: Option<String>,
    point: Option<String>,
}

async fn check_scope(state: &AppState, v: &HashMap<String, String>, f: &mut AdminForm) -> AppResult<Option<Scope>> {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let full_name = hcc_domain::text::normalize(get("full_name"));
    if full_name.is_empty() {
        f.fail("full_name", "Cần nhập họ tên");
    } else if full_name.chars().count() > 200 {
        f.fail("full_name", "Họ tên quá dài (tối đa 200 ký tự)");
    }
    let role = Role::parse(get("role"));
    if role.is_none() {
        f.fail("role", "Chọn vai trò");
    }
    let agency = Some(get("agency_code").to_owned()).filter(|a| !a.is_empty());
    let point = Some(get("point_code").to_owned()).filter(|p| !p.is_empty());
    if let Some(a) = &agency
        && state.store.get_agency(a).await?.is_none()
    {
        f.fail("agency_code", format!("Không có cơ quan mã {a}"));
    }
    if let Some(p) = &point
        && state.store.get_point(p).await?.is_none()
    {
        f.fail("point_code", format!("Không có điểm tiếp nhận mã {p}"));
    }
    if let Some(r) = role {
        if r.needs_agency() && agency.is_none() {
            f.fail("agency_code", format!("Vai trò {} cần chọn cơ quan", r.label_vi().to_lowercase()));
        }
        if r.needs_point() && point.is_none() {
            f.fail("point_code", format!("Vai trò {} cần chọn điểm tiếp nhận", r.label_vi().to_lowercase()));
        }
        // A scope that does not fit the role would be ignored silently; refuse it instead.
        if !r.needs_point() && point.is_some() {
            f.fail("point_code", "Chỉ cán bộ tiếp nhận và nhân viên bưu điện gắn với điểm tiếp nhận");
        }
        if matches!(r, Role::Reception | Role::Postal | Role::Admin) && agency.is_some() {
            f.fail("agency_code", "Vai trò này không gắn với cơ quan giải quyết");
        }
    }
    Ok(role.filter(|_| !f.has_errors()).map(|role| Scope { full_name, role, agency, point }))
}

fn check_password(password: &str, f: &mut AdminForm) {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > 200 {
        f.fail("password", format!("Mật khẩu phải có từ {MIN_PASSWORD_CHARS} đến 200 ký tự"));
    }
}

/// The options of the role, agency and point pickers, with the form's choice selected.
async fn pickers(state: &AppState, user: &WebUser, f: &AdminForm) -> AppResult<(Vec<Opt>, Vec<Opt>, Vec<Opt>)> {
    let none = msg(user).none;
    let roles = Role::ALL
        .into_iter()
        .map(|r| Opt {
            value: r.as_str().to_owned(),
            label: user.lang.label("role", r.as_str(), r.label_vi()).to_owned(),
            selected: r.as_str() == f.v("role"),
        })
        .collect();
    let mut agencies =
        vec![Opt { value: String::new(), label: none.to_owned(), selected: f.v("agency_code").is_empty() }];
    agencies.extend(state.store.list_agencies().await?.into_iter().map(|a| Opt {
        selected: a.code == f.v("agency_code"),
        label: format!("{} ({})", a.name, a.code),
        value: a.code,
    }));
    let mut points = vec![Opt { value: String::new(), label: none.to_owned(), selected: f.v("point_code").is_empty() }];
    points.extend(state.store.list_points().await?.into_iter().map(|p| Opt {
        selected: p.code == f.v("point_code"),
        label: format!("{} ({})", p.name, p.code),
        value: p.code,
    }));
    Ok((roles, agencies, points))
}

async fn list_page(state: &AppState, user: &WebUser, f: AdminForm, error: String, status: StatusCode) -> Response {
    let m = msg(user);
    let built: AppResult<AccountsPage> = async {
        let users = state.store.list_users().await?;
        let (roles, agencies, points) = pickers(state, user, &f).await?;
        let rows = users
            .into_iter()
            .map(|u| AccountRow {
                href: format!("{ACCOUNTS}/{}", enc(&u.username)),
                role: Role::parse(&u.role)
                    .map_or(u.role.clone(), |r| user.lang.label("role", r.as_str(), r.label_vi()).to_owned()),
                unit: u.agency_code.or(u.point_code).unwrap_or_default(),
                disabled: u.disabled,
                username: u.username,
                full_name: u.full_name,
            })
            .collect();
        Ok(AccountsPage { l: user.layout(m.accounts_title, "/quan-tri"), m, rows, f, roles, agencies, points, error })
    }
    .await;
    match built {
        Ok(page) => render(status, &page),
        Err(e) => user.error_page(e),
    }
}

/// `GET /quan-tri/tai-khoan`.
pub async fn list(State(state): State<AppState>, user: WebUser) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    list_page(&state, &user, AdminForm::with([("role", "reception")]), String::new(), StatusCode::OK).await
}

/// `POST /quan-tri/tai-khoan`: a new account.
pub async fn create(State(state): State<AppState>, AdminPost { user, v }: AdminPost) -> Response {
    // The password is never sent back to the page.
    let mut f = AdminForm::with(v.iter().filter(|(k, _)| *k != "password").map(|(k, v)| (k.clone(), v.clone())));
    let username = v.get("username").cloned().unwrap_or_default();
    if !valid_username(&username) {
        f.fail("username", "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang");
    }
    let password = v.get("password").cloned().unwrap_or_default();
    check_password(&password, &mut f);
    let scope = match check_scope(&state, &v, &mut f).await {
        Ok(s) => s,
        Err(e) => return user.error_page(e),
    };
    let refused = |f: AdminForm| {
        let error = msg(&user).fix_errors.to_owned();
        list_page(&state, &user, f, error, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let Some(scope) = scope.filter(|_| !f.has_errors()) else { return refused(f).await };
    let password_hash = match hash_password(password).await {
        Ok(h) => h,
        Err(e) => return user.error_page(e),
    };
    let new = NewUser {
        username: username.clone(),
        full_name: scope.full_name,
        password_hash,
        role: scope.role.as_str().to_owned(),
        agency_code: scope.agency,
        point_code: scope.point,
    };
    let detail = format!("Tạo tài khoản {username} ({}) vai trò {}", new.full_name, scope.role.label_vi());
    match apply(&state, &user, AdminChange::CreateUser(new), "user.create", &username, detail).await {
        Ok(_) => see_other(&format!("{ACCOUNTS}/{}?da-luu=1", enc(&username))),
        Err(e) if e.code == "duplicate" || e.status == StatusCode::CONFLICT => {
            f.fail("username", "Tên đăng nhập này đã có");
            refused(f).await
        }
        Err(e) => user.error_page(e),
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default, rename = "da-luu")]
    saved: Option<String>,
}

async fn account(state: &AppState, username: &str) -> AppResult<User> {
    state
        .store
        .user_by_username(username)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Không có tài khoản {username}")))
}

fn scope_form(u: &User) -> AdminForm {
    AdminForm::with([
        ("full_name", u.full_name.clone()),
        ("role", u.role.clone()),
        ("agency_code", u.agency_code.clone().unwrap_or_default()),
        ("point_code", u.point_code.clone().unwrap_or_default()),
    ])
}

#[expect(clippy::too_many_arguments, reason = "the page's parts")]
async fn account_page(
    state: &AppState,
    user: &WebUser,
    u: &User,
    f: AdminForm,
    pw: AdminForm,
    error: String,
    notice: String,
    status: StatusCode,
) -> Response {
    let m = msg(user);
    let built: AppResult<AccountPage> = async {
        let (roles, agencies, points) = pickers(state, user, &f).await?;
        let log = log_rows(state, Some(&u.username), 20).await?;
        let mut l = user.layout(&format!("{} {}", m.username, u.username), "/quan-tri");
        l.notice = notice;
        Ok(AccountPage {
            l,
            m,
            username: u.username.clone(),
            disabled: u.disabled,
            f,
            roles,
            agencies,
            points,
            pw,
            log,
            error,
        })
    }
    .await;
    match built {
        Ok(page) => render(status, &page),
        Err(e) => user.error_page(e),
    }
}

/// `GET /quan-tri/tai-khoan/{username}`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(username): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    match account(&state, &username).await {
        Ok(u) => {
            let notice = saved_notice(user.lang, q.saved.is_some());
            account_page(&state, &user, &u, scope_form(&u), AdminForm::default(), String::new(), notice, StatusCode::OK)
                .await
        }
        Err(e) => user.error_page(e),
    }
}

/// `POST /quan-tri/tai-khoan/{username}`: name, role and scope.
pub async fn save_scope(
    State(state): State<AppState>,
    Path(username): Path<String>,
    AdminPost { user, v }: AdminPost,
) -> Response {
    let u = match account(&state, &username).await {
        Ok(u) => u,
        Err(e) => return user.error_page(e),
    };
    let mut f = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let scope = match check_scope(&state, &v, &mut f).await {
        Ok(s) => s,
        Err(e) => return user.error_page(e),
    };
    // An administrator who demotes themself could leave nobody able to undo it.
    if u.id == user.actor.user_id && scope.as_ref().is_some_and(|s| s.role != Role::Admin) {
        f.fail("role", "Không tự bỏ vai trò quản trị của chính mình; hãy nhờ quản trị viên khác");
    }
    let Some(scope) = scope.filter(|_| !f.has_errors()) else {
        let error = msg(&user).fix_errors.to_owned();
        return account_page(
            &state,
            &user,
            &u,
            f,
            AdminForm::default(),
            error,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let detail = format!(
        "Vai trò {} — cơ quan {} — điểm tiếp nhận {}",
        scope.role.label_vi(),
        scope.agency.as_deref().unwrap_or("(không)"),
        scope.point.as_deref().unwrap_or("(không)")
    );
    let change = AdminChange::SetUserScope {
        username: username.clone(),
        full_name: scope.full_name,
        role: scope.role.as_str().to_owned(),
        agency_code: scope.agency,
        point_code: scope.point,
    };
    done(&state, &user, change, "user.scope", &username, detail).await
}

async fn done(
    state: &AppState,
    user: &WebUser,
    change: AdminChange,
    action: &str,
    username: &str,
    detail: String,
) -> Response {
    match apply(state, user, change, action, username, detail).await {
        Ok(AdminOutcome::NotFound) => user.error_page(AppError::not_found(format!("Không có tài khoản {username}"))),
        Ok(_) => {
            // The account's rights change in this process now, in the others within the token TTL.
            state.caches.staff.clear();
            see_other(&format!("{ACCOUNTS}/{}?da-luu=1", enc(username)))
        }
        Err(e) => user.error_page(e),
    }
}

/// `POST /quan-tri/tai-khoan/{username}/khoa`: lock (`disabled=1`) or unlock (`disabled=0`).
pub async fn lock(
    State(state): State<AppState>,
    Path(username): Path<String>,
    AdminPost { user, v }: AdminPost,
) -> Response {
    let disabled = match v.get("disabled").map(String::as_str) {
        Some("1") => true,
        Some("0") => false,
        _ => return user.error_page(AppError::bad_request("invalid_field", "Thiếu lựa chọn khóa hoặc mở khóa")),
    };
    if disabled && username == user.actor.username {
        return user.error_page(AppError::unprocessable("invalid_field", "Không tự khóa tài khoản của chính mình"));
    }
    let detail = if disabled { "Khóa tài khoản" } else { "Mở khóa tài khoản" }.to_owned();
    let action = if disabled { "user.disable" } else { "user.enable" };
    done(
        &state,
        &user,
        AdminChange::SetUserDisabled { username: username.clone(), disabled },
        action,
        &username,
        detail,
    )
    .await
}

/// `POST /quan-tri/tai-khoan/{username}/mat-khau`: a new password set by the administrator.
pub async fn reset_password(
    State(state): State<AppState>,
    Path(username): Path<String>,
    AdminPost { user, v }: AdminPost,
) -> Response {
    let u = match account(&state, &username).await {
        Ok(u) => u,
        Err(e) => return user.error_page(e),
    };
    let password = v.get("password").cloned().unwrap_or_default();
    let mut pw = AdminForm::default();
    check_password(&password, &mut pw);
    if pw.has_errors() {
        let error = msg(&user).fix_errors.to_owned();
        return account_page(
            &state,
            &user,
            &u,
            scope_form(&u),
            pw,
            error,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let password_hash = match hash_password(password).await {
        Ok(h) => h,
        Err(e) => return user.error_page(e),
    };
    let change = AdminChange::SetUserPassword { username: username.clone(), password_hash };
    done(&state, &user, change, "user.password", &username, "Đặt lại mật khẩu".to_owned()).await
}
