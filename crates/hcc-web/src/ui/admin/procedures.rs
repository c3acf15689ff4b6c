//! The catalog in the administration: search (without diacritics, the catalog's own search),
//! view and edit a procedure and publish the edit as a new version, and the procedure's file
//! rules. A dossier keeps the version it was received under; new dossiers take the new one at once.

use super::{AdminPost, apply, log_rows, msg, refuse_non_admin};
use crate::AppState;
use crate::api::documents::MAX_UPLOAD_BYTES;
use crate::error::{AppError, AppResult};
use crate::ui::{WebUser, enc, render, see_other};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::catalog::edit::{documents_to_text, parse_documents, parse_steps, steps_to_text};
use hcc_domain::catalog::import::validate_procedure;
use hcc_domain::catalog::portal::parse_fee;
use hcc_domain::catalog::{Channel, ChannelOffer, ClockPolicy, Level, OnlineLevel, Procedure};
use hcc_domain::time_limit::parse_tenths;
use hcc_domain::{TimeLimit, TimeUnit};
use hcc_files::MediaType;
use hcc_store::{AdminChange, AdminOutcome, FileRules, PutOutcome};
use hcc_templates::Lang;
use hcc_templates::admin::{AdminForm, ChannelRow, ProcedurePage, ProcedureRow, ProceduresPage, VersionRow};
use hcc_templates::pages::Opt;
use serde::Deserialize;
use std::collections::HashMap;

const MB: u64 = 1024 * 1024;
const UNITS: [TimeUnit; 4] = [TimeUnit::WorkingDays, TimeUnit::Days, TimeUnit::WorkingHours, TimeUnit::Months];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

/// `GET /quan-tri/thu-tuc?q=`.
pub async fn list(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let m = msg(&user);
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let text = q.q.trim();
    let (status, error) = if text.chars().count() > 200 {
        (StatusCode::BAD_REQUEST, "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự)".to_owned())
    } else {
        (StatusCode::OK, String::new())
    };
    let found = if error.is_empty() {
        state.store.list_procedures(Some(text).filter(|t| !t.is_empty()), None, None, 200).await
    } else {
        Ok(Vec::new())
    };
    match found {
        Ok(found) => {
            let rows = found
                .into_iter()
                .map(|p| ProcedureRow {
                    href: format!("/quan-tri/thu-tuc/{}", enc(&p.code)),
                    code: p.code,
                    name: p.name,
                    field: p.field,
                    version: p.version,
                })
                .collect();
            let page = ProceduresPage { l: user.layout(m.nav_procedures, "/quan-tri"), m, q: q.q, rows, error };
            render(status, &page)
        }
        Err(e) => user.error_page(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default, rename = "phien-ban")]
    published: Option<u32>,
    #[serde(default, rename = "khong-doi")]
    unchanged: Option<u32>,
    #[serde(default, rename = "da-luu")]
    saved: Option<u8>,
}

fn limit_text(l: TimeLimit) -> String {
    if l.tenths.is_multiple_of(10) {
        (l.tenths / 10).to_string()
    } else {
        format!("{},{}", l.tenths / 10, l.tenths % 10)
    }
}

/// The form as the stored procedure fills it.
fn form_of(p: &Procedure) -> AdminForm {
    let mut f = AdminForm::with([
        ("name", p.name.clone()),
        ("field", p.field.clone()),
        ("level", p.level.clone()),
        ("competent_agency", p.competent_agency.clone()),
        ("executing_agency", p.executing_agency.clone()),
        ("documents", documents_to_text(&p.documents)),
        ("steps", steps_to_text(&p.steps)),
        (
            "clock_policy",
            match p.clock_policy {
                ClockPolicy::Pause => "pause".to_owned(),
                ClockPolicy::Restart => "restart".to_owned(),
            },
        ),
    ]);
    for c in &p.channels {
        let k = c.kind.as_str();
        f.set(&format!("offered_{k}"), "1");
        f.set(&format!("limit_{k}"), c.time_limit.map(limit_text).unwrap_or_default());
        f.set(&format!("unit_{k}"), c.time_limit.map_or(TimeUnit::WorkingDays, |l| l.unit).as_str());
        f.set(&format!("fee_{k}"), c.fee.clone());
    }
    f
}

async fn rules_form(state: &AppState, code: &str) -> AppResult<AdminForm> {
    Ok(match state.store.file_rules(code).await? {
        Some(r) => AdminForm::with([
            ("max_mb", r.max_bytes.div_ceil(MB).to_string()),
            ("media_types", r.media_types.join(", ")),
            ("archive_years", r.archive_years.map(|y| y.to_string()).unwrap_or_default()),
        ]),
        None => AdminForm::with([("max_mb", (MAX_UPLOAD_BYTES / MB).to_string())]),
    })
}

fn unit_label(lang: Lang, u: TimeUnit) -> &'static str {
    match (lang, u) {
        (Lang::Vi, _) => u.label_vi(),
        (Lang::En, TimeUnit::WorkingDays) => "working days",
        (Lang::En, TimeUnit::Days) => "days",
        (Lang::En, TimeUnit::WorkingHours) => "working hours",
        (Lang::En, TimeUnit::Months) => "months",
    }
}

/// Renders the procedure page with `f` (what was typed, with its errors) and `rules`.
#[expect(clippy::too_many_arguments, reason = "the page's parts, each from a different caller")]
async fn page_with(
    state: &AppState,
    user: &WebUser,
    p: &Procedure,
    f: AdminForm,
    rules: AdminForm,
    error: String,
    notice: String,
    status: StatusCode,
) -> Response {
    let m = msg(user);
    let lang = user.lang;
    let (versions, log) =
        match (state.store.procedure_versions(&p.code).await, log_rows(state, Some(&p.code), 20).await) {
            (Ok(v), Ok(l)) => (v, l),
            (Err(e), _) => return user.error_page(e.into()),
            (_, Err(e)) => return user.error_page(e),
        };
    let channels = Channel::ALL
        .into_iter()
        .map(|c| {
            let k = c.as_str();
            let unit = f.v(&format!("unit_{k}")).to_owned();
            ChannelRow {
                kind: k,
                label: lang.label("channel", k, c.label_vi()).to_owned(),
                offered: f.checked(&format!("offered_{k}")),
                limit: f.v(&format!("limit_{k}")).to_owned(),
                units: UNITS
                    .into_iter()
                    .map(|u| Opt {
                        value: u.as_str().to_owned(),
                        label: unit_label(lang, u).to_owned(),
                        selected: u.as_str() == unit,
                    })
                    .collect(),
                fee: f.v(&format!("fee_{k}")).to_owned(),
                error: f.e(&format!("limit_{k}")).to_owned(),
            }
        })
        .collect();
    let policy = f.v("clock_policy").to_owned();
    let policies = [
        ("pause", "Không tính thời gian chờ bổ sung (tạm dừng)", "The supplement interval is not counted (pause)"),
        (
            "restart",
            "Tính lại thời hạn từ khi nhận đủ hồ sơ bổ sung",
            "The time limit restarts from the complete supplement",
        ),
    ]
    .into_iter()
    .map(|(v, vi, en)| Opt {
        value: v.to_owned(),
        label: if lang == Lang::En { en } else { vi }.to_owned(),
        selected: v == policy,
    })
    .collect();
    let mut l = user.layout(&format!("{} {}", p.code, m.nav_procedures), "/quan-tri");
    l.notice = notice;
    let page = ProcedurePage {
        l,
        m,
        code: p.code.clone(),
        version: p.version,
        f,
        channels,
        policies,
        versions: versions
            .into_iter()
            .map(|(version, at, current)| VersionRow { version, at: crate::time::display(at), current })
            .collect(),
        rules,
        log,
        error,
    };
    render(status, &page)
}

async fn current(state: &AppState, code: &str) -> AppResult<Procedure> {
    state
        .store
        .get_procedure(code, None)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Không có thủ tục mã {code}")))
}

/// `GET /quan-tri/thu-tuc/{code}`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if let Some(r) = refuse_non_admin(&user) {
        return r;
    }
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let p = match current(&state, &code).await {
        Ok(p) => p,
        Err(e) => return user.error_page(e),
    };
    let rules = match rules_form(&state, &code).await {
        Ok(r) => r,
        Err(e) => return user.error_page(e),
    };
    let en = user.lang == Lang::En;
    let notice = match (q.published, q.unchanged, q.saved) {
        (Some(v), _, _) if en => format!("Version {v} published: dossiers received from now on use it."),
        (Some(v), _, _) => format!("Đã ban hành phiên bản {v}: hồ sơ tiếp nhận từ nay dùng phiên bản này."),
        (_, Some(v), _) if en => format!("Nothing changed: version {v} stays in force."),
        (_, Some(v), _) => format!("Không có thay đổi nào: phiên bản {v} vẫn đang áp dụng."),
        (_, _, Some(_)) => msg(&user).saved.to_owned(),
        _ => String::new(),
    };
    page_with(&state, &user, &p, form_of(&p), rules, String::new(), notice, StatusCode::OK).await
}

/// Reads the edited procedure from the form; every problem goes beside its field in `f`.
fn edited(base: &Procedure, v: &HashMap<String, String>, f: &mut AdminForm) -> Procedure {
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let mut p = base.clone();
    let text = |s: String| hcc_domain::text::normalize(&s);
    p.name = text(get("name"));
    p.field = text(get("field"));
    p.level = text(get("level"));
    p.competent_agency = text(get("competent_agency"));
    p.executing_agency = text(get("executing_agency"));
    for (k, max) in
        [("name", 1000), ("field", 300), ("level", 200), ("competent_agency", 500), ("executing_agency", 500)]
    {
        if get(k).chars().count() > max {
            f.fail(k, format!("Quá dài (tối đa {max} ký tự)"));
        }
    }
    if p.name.is_empty() {
        f.fail("name", "Cần nhập tên thủ tục");
    }
    if p.field.is_empty() {
        f.fail("field", "Cần nhập lĩnh vực");
    }
    p.levels = p.level.split([',', ';']).filter_map(Level::from_label).collect();
    if !p.level.is_empty() && p.levels.is_empty() {
        f.fail("level", "Cấp thực hiện phải là Cấp tỉnh, Cấp xã hoặc Cấp bộ (cách nhau bởi dấu phẩy)");
    }

    let mut channels = Vec::new();
    for c in Channel::ALL {
        let k = c.as_str();
        if get(&format!("offered_{k}")).is_empty() {
            continue;
        }
        let field = format!("limit_{k}");
        let unit = get(&format!("unit_{k}")).parse::<TimeUnit>().ok();
        let tenths = parse_tenths(&get(&field)).filter(|t| *t > 0 && *t <= 100_000);
        let time_limit = match (tenths, unit) {
            (Some(t), Some(u)) if t % 10 != 0 && u != TimeUnit::WorkingDays => {
                f.fail(&field, "Thời hạn lẻ (như 0,5) chỉ dùng với ngày làm việc");
                None
            }
            (Some(tenths), Some(unit)) => Some(TimeLimit { tenths, unit }),
            (_, None) => {
                f.fail(&field, "Chọn đơn vị thời hạn");
                None
            }
            (None, _) => {
                f.fail(&field, "Thời hạn phải là số lớn hơn 0, ví dụ 15 hoặc 0,5");
                None
            }
        };
        let fee = text(get(&format!("fee_{k}")));
        if fee.chars().count() > 1000 {
            f.fail(&field, "Phí, lệ phí quá dài (tối đa 1000 ký tự)");
        }
        let old = base.channel(c);
        let fee_vnd = match old {
            Some(o) if o.fee == fee => o.fee_vnd,
            _ => parse_fee(&fee),
        };
        channels.push(ChannelOffer {
            kind: c,
            time_limit,
            fee,
            fee_vnd,
            description: old.map(|o| o.description.clone()).unwrap_or_default(),
        });
    }
    if channels.is_empty() {
        f.fail("channels", "Thủ tục phải nhận hồ sơ qua ít nhất một kênh");
    }
    // The online level follows the channels: no online channel, no online service.
    let online = channels.iter().any(|c| c.kind == Channel::Online);
    p.online_level = match (online, base.online_level) {
        (false, _) => OnlineLevel::None,
        (true, OnlineLevel::None) => OnlineLevel::Partial,
        (true, level) => level,
    };
    p.channels = channels;

    match parse_documents(&get("documents")) {
        Ok(d) => p.documents = d,
        Err(errors) => f.fail("documents", join(&errors)),
    }
    match parse_steps(&get("steps")) {
        Ok(s) => p.steps = s,
        Err(errors) => f.fail("steps", join(&errors)),
    }
    p.clock_policy = match get("clock_policy").as_str() {
        "restart" => ClockPolicy::Restart,
        "pause" => ClockPolicy::Pause,
        _ => {
            f.fail("clock_policy", "Chọn cách tính thời hạn khi bổ sung hồ sơ");
            base.clock_policy
        }
    };
    // The catalog's own rules (the import checks the same ones) catch what the fields above do not.
    if !f.has_errors() {
        for problem in validate_procedure(&p) {
            let at = problem.field.as_str();
            let name = if at.starts_with("documents") {
                "documents"
            } else if at.starts_with("steps") {
                "steps"
            } else if at.starts_with("channels") || at == "online_level" {
                "channels"
            } else if at == "levels" {
                "level"
            } else if matches!(at, "name" | "field") {
                at
            } else {
                "general"
            };
            f.fail(name, problem.message);
        }
    }
    p
}

fn join(errors: &[hcc_domain::catalog::edit::LineError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// `POST /quan-tri/thu-tuc/{code}`: publish the edited procedure as a new version.
pub async fn publish(
    State(state): State<AppState>,
    Path(code): Path<String>,
    AdminPost { user, v }: AdminPost,
) -> Response {
    let base = match current(&state, &code).await {
        Ok(p) => p,
        Err(e) => return user.error_page(e),
    };
    let mut f = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let p = edited(&base, &v, &mut f);
    if f.has_errors() {
        let rules = rules_form(&state, &code).await.unwrap_or_default();
        let error = match f.e("general") {
            "" => msg(&user).fix_errors.to_owned(),
            g => g.to_owned(),
        };
        return page_with(&state, &user, &base, f, rules, error, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let detail = format!("Sửa thủ tục {} «{}»", p.code, p.name);
    match apply(&state, &user, AdminChange::PutProcedure(Box::new(p)), "procedure.publish", &code, detail).await {
        Ok(AdminOutcome::Procedure(PutOutcome::NewVersion { version } | PutOutcome::Created { version })) => {
            // New dossiers must take the new version now, not when this process's cache expires.
            state.caches.current_version.clear();
            state.caches.fields.clear();
            see_other(&format!("/quan-tri/thu-tuc/{}?phien-ban={version}", enc(&code)))
        }
        Ok(AdminOutcome::Procedure(PutOutcome::Unchanged { version })) => {
            see_other(&format!("/quan-tri/thu-tuc/{}?khong-doi={version}", enc(&code)))
        }
        Ok(other) => user.error_page(AppError::internal(format!("unexpected outcome {other:?}"))),
        Err(e) => user.error_page(e),
    }
}

/// Reads the file-rules form; errors go beside their fields.
fn parse_rules(v: &HashMap<String, String>, f: &mut AdminForm) -> Option<FileRules> {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let max_mb = get("max_mb").parse::<u64>().ok().filter(|m| (1..=MAX_UPLOAD_BYTES / MB).contains(m));
    if max_mb.is_none() {
        f.fail("max_mb", format!("Dung lượng tối đa phải là số nguyên từ 1 đến {} MB", MAX_UPLOAD_BYTES / MB));
    }
    let mut types = Vec::new();
    for t in get("media_types").split([',', ';', ' ']).map(str::trim).filter(|t| !t.is_empty()) {
        match MediaType::parse(t) {
            Some(m) if !types.contains(&m.as_str().to_owned()) => types.push(m.as_str().to_owned()),
            Some(_) => {}
            None => f.fail("media_types", format!("Loại tệp không được hỗ trợ: {t}")),
        }
    }
    let years = match get("archive_years") {
        "" => None,
        y => match y.parse::<u32>().ok().filter(|y| (1..=100).contains(y)) {
            Some(y) => Some(y),
            None => {
                f.fail("archive_years", "Thời hạn bảo quản phải là số năm từ 1 đến 100 (bỏ trống: vĩnh viễn)");
                None
            }
        },
    };
    let max_mb = max_mb?;
    (!f.has_errors()).then(|| FileRules { max_bytes: max_mb * MB, media_types: types, archive_years: years })
}

/// `POST /quan-tri/thu-tuc/{code}/quy-dinh-tep`: the procedure's file rules.
pub async fn file_rules(
    State(state): State<AppState>,
    Path(code): Path<String>,
    AdminPost { user, v }: AdminPost,
) -> Response {
    let p = match current(&state, &code).await {
        Ok(p) => p,
        Err(e) => return user.error_page(e),
    };
    let mut rf = AdminForm::with(v.iter().map(|(k, v)| (k.clone(), v.clone())));
    let Some(rules) = parse_rules(&v, &mut rf) else {
        let error = msg(&user).fix_errors.to_owned();
        return page_with(&state, &user, &p, form_of(&p), rf, error, String::new(), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let detail = format!(
        "Quy định tệp của thủ tục {code}: tối đa {} MB, loại {}, bảo quản {}",
        rules.max_bytes / MB,
        if rules.media_types.is_empty() { "mọi loại".to_owned() } else { rules.media_types.join(", ") },
        rules.archive_years.map_or("vĩnh viễn".to_owned(), |y| format!("{y} năm"))
    );
    let change = AdminChange::SetFileRules { procedure_code: code.clone(), rules };
    match apply(&state, &user, change, "procedure.file_rules", &code, detail).await {
        Ok(_) => see_other(&format!("/quan-tri/thu-tuc/{}?da-luu=1", enc(&code))),
        Err(e) => user.error_page(e),
    }
}
