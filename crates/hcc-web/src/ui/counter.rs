//! `/tiep-nhan`: the reception counter. The officer finds the procedure (by name or code, without
//! diacritics), sees its papers, time limit and fee for the chosen channel, enters the applicant,
//! ticks the papers handed in and receives the dossier — or, when it is not receivable, hands the
//! one complete supplement list (Form 02) or refuses it with reasons (Form 03). Everything is
//! checked on the server; errors come back beside their field with what was typed. The dossier
//! is written by the API's own `receive`, once even on a double click (idempotency key).

use super::inbox::server_timing;
use super::{WebUser, enc, render, see_other};
use crate::AppState;
use crate::api::receive::{ApplicantInput, CounterDecision, ReceiveRequest, Received, receive};
use crate::error::{AppError, AppResult};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hcc_domain::actor::Role;
use hcc_domain::catalog::{Channel, Procedure};
use hcc_domain::identity::{PersonalId, Phone, TaxCode};
use hcc_domain::text::fold;
use hcc_store::Commune;
use hcc_templates::counter::{
    ApplicantForm, ChannelChoice, ChosenProcedure, CommuneOptions, CounterMsg, CounterPage, FieldErrors, Paper,
    PaperGroup, ProcedureHit,
};
use hcc_templates::pages::Opt;
use serde::Deserialize;
use std::collections::HashMap;

/// Procedures shown for a search.
const HITS: u32 = 30;

#[derive(Deserialize, Default)]
pub struct CounterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    channel: String,
}

fn counter_only(user: &WebUser) -> Option<Response> {
    (!matches!(user.actor.role, Role::Reception | Role::Postal)).then(|| {
        user.error_page(AppError::forbidden("Chỉ cán bộ tiếp nhận hoặc nhân viên bưu điện dùng quầy tiếp nhận"))
    })
}

/// `GET /tiep-nhan`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<CounterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let started = std::time::Instant::now();
    if let Some(r) = counter_only(&user) {
        return r;
    }
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let form = Typed { channel: q.channel.clone(), ..Typed::default() };
    let mut r = match build(&state, &user, &q.q, &q.procedure, &form, FieldErrors::default(), String::new()).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    };
    server_timing(&mut r, started);
    r
}

/// `GET /tiep-nhan/thu-tuc?q=`: the search results alone (htmx).
pub async fn search(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<CounterQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let started = std::time::Instant::now();
    if let Some(r) = counter_only(&user) {
        return r;
    }
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let m = CounterMsg::of(user.lang);
    let mut r = match hits(&state, &q.q).await {
        Ok(results) => {
            let page = CounterPage {
                l: user.layout(m.counter_title, "/tiep-nhan"),
                m,
                searched: !q.q.trim().is_empty(),
                q: q.q,
                results,
                p: None,
                f: ApplicantForm::default(),
                error: String::new(),
            };
            render(StatusCode::OK, &page.as_procedures())
        }
        Err(e) => user.error_page(e),
    };
    server_timing(&mut r, started);
    r
}

/// `GET /tiep-nhan/xa?commune_q=…` (or `subject_q`): a commune picker's options (htmx).
pub async fn communes(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let started = std::time::Instant::now();
    let text = q.iter().find(|(k, _)| k.ends_with("_q")).map(|(_, v)| v.as_str()).unwrap_or("");
    let mut r = match commune_options(&state, &user, text, "").await {
        Ok(options) => render(StatusCode::OK, &CommuneOptions { options }),
        Err(e) => user.error_page(e),
    };
    server_timing(&mut r, started);
    r
}

async fn hits(state: &AppState, q: &str) -> AppResult<Vec<ProcedureHit>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    if q.len() > 200 {
        return Err(AppError::bad_request("invalid_query", "Từ khóa tìm kiếm quá dài"));
    }
    let found = state.store.list_procedures(Some(q), None, None, HITS).await?;
    Ok(found
        .into_iter()
        .map(|p| ProcedureHit {
            href: format!("/tiep-nhan?procedure={}", enc(&p.code)),
            code: p.code,
            name: p.name,
            field: p.field,
            level: p.level,
        })
        .collect())
}

/// The communes of the point's province (cached), filtered by folded text.
async fn commune_options(state: &AppState, user: &WebUser, text: &str, selected: &str) -> AppResult<Vec<Opt>> {
    let list = province_communes(state, user).await?;
    let words: Vec<String> = fold(text).split_whitespace().map(str::to_owned).collect();
    let matching: Vec<&Commune> = list
        .iter()
        .filter(|c| c.code == selected || words.iter().all(|w| fold(&c.full_name).contains(w.as_str()) || c.code == *w))
        .collect();
    let t = user.t();
    let mut out = Vec::with_capacity(matching.len() + 1);
    let only_one = matching.len() == 1 && !words.is_empty();
    if !only_one {
        out.push(Opt { value: String::new(), label: t.choose.to_owned(), selected: selected.is_empty() });
    }
    out.extend(matching.into_iter().map(|c| Opt {
        selected: c.code == selected || only_one,
        value: c.code.clone(),
        label: format!("{} ({})", c.full_name, c.code),
    }));
    Ok(out)
}

async fn province_communes(state: &AppState, user: &WebUser) -> AppResult<Vec<Commune>> {
    let point = match &user.actor.point {
        Some(p) => state.point(p).await?,
        None => None,
    };
    let province = match point.and_then(|p| p.commune_code) {
        Some(c) => state.store.get_commune(&c).await?.map(|c| c.province_code),
        None => None,
    }
    .unwrap_or_else(|| "01".to_owned());
    if let Some(list) = state.caches.commune_list.get(&province) {
        return Ok(list);
    }
    let list = state.store.list_communes(&province).await?;
    state.caches.commune_list.put(province, list.clone());
    Ok(list)
}

/// What the officer typed, kept across a refused post.
#[derive(Default)]
struct Typed {
    channel: String,
    organization: bool,
    name: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    commune_q: String,
    commune: String,
    subject_q: String,
    subject: String,
    request: String,
    return_method: String,
    case: String,
    docs: Vec<u32>,
    items: String,
    reasons: String,
    idempotency_key: String,
}

fn default_channel(user: &WebUser, p: &Procedure) -> Channel {
    let preferred = if user.actor.role == Role::Postal { Channel::Post } else { Channel::Counter };
    [preferred, Channel::Counter, Channel::Post, Channel::Online]
        .into_iter()
        .find(|c| p.channel(*c).is_some())
        .unwrap_or(preferred)
}

#[expect(clippy::too_many_lines, reason = "one page: the search, the procedure, the form")]
async fn build(
    state: &AppState,
    user: &WebUser,
    q: &str,
    procedure: &str,
    typed: &Typed,
    e: FieldErrors,
    error: String,
) -> AppResult<CounterPage> {
    let m = CounterMsg::of(user.lang);
    let (t, lang) = (user.t(), user.lang);
    let results = hits(state, q).await?;
    let chosen = match procedure.trim() {
        "" => None,
        code => Some(
            state
                .procedure(code, None)
                .await?
                .ok_or_else(|| AppError::not_found(format!("Không có thủ tục mã {code}")))?,
        ),
    };
    let p = chosen.as_ref().map(|p| {
        let channel = Channel::parse(&typed.channel)
            .filter(|c| p.channel(*c).is_some())
            .unwrap_or_else(|| default_channel(user, p));
        let offer = p.channel(channel);
        let channels = p
            .channels
            .iter()
            .map(|c| ChannelChoice {
                label: lang.label("channel", c.kind.as_str(), c.kind.label_vi()).to_owned(),
                href: format!("/tiep-nhan?procedure={}&channel={}", enc(&p.code), c.kind.as_str()),
                current: c.kind == channel,
            })
            .collect();
        let mut groups: Vec<PaperGroup> = Vec::new();
        for d in &p.documents {
            let heading = d.group.clone().unwrap_or_else(|| m.common_papers.to_owned());
            let paper = Paper {
                no: d.no,
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
                mandatory: d.mandatory,
                template: d.template.clone().unwrap_or_default(),
                checked: typed.docs.contains(&d.no),
            };
            match groups.iter_mut().find(|g| g.heading == heading) {
                Some(g) => g.papers.push(paper),
                None => groups.push(PaperGroup { heading, papers: vec![paper] }),
            }
        }
        let case_list = hcc_domain::catalog::cases(p);
        let cases = if case_list.is_empty() {
            Vec::new()
        } else {
            let mut v =
                vec![Opt { value: String::new(), label: m.case_auto.to_owned(), selected: typed.case.is_empty() }];
            v.extend(case_list.iter().map(|c| Opt {
                value: (*c).to_owned(),
                label: (*c).trim_end_matches(':').to_owned(),
                selected: typed.case == *c,
            }));
            v
        };
        ChosenProcedure {
            code: p.code.clone(),
            name: p.name.clone(),
            field: p.field.clone(),
            level: p.level.clone(),
            agency: if p.competent_agency.is_empty() { p.executing_agency.clone() } else { p.competent_agency.clone() },
            channels,
            channel: channel.as_str().to_owned(),
            time_limit: offer
                .and_then(|o| o.time_limit)
                .map(|l| format!("{} {}", l.value(), l.unit.label_vi()))
                .unwrap_or_else(|| "—".to_owned()),
            fee: offer.map(|o| o.fee.clone()).filter(|f| !f.is_empty()).unwrap_or_else(|| "—".to_owned()),
            groups,
            cases,
        }
    });
    let return_default = if typed.return_method.is_empty() {
        if user.actor.role == Role::Postal { "post" } else { "counter" }
    } else {
        typed.return_method.as_str()
    };
    let return_methods = [("counter", t.method_counter), ("post", t.method_post), ("online", t.method_online)]
        .into_iter()
        .map(|(v, l)| Opt { value: v.to_owned(), label: l.to_owned(), selected: v == return_default })
        .collect();
    let f = ApplicantForm {
        organization: typed.organization,
        name: typed.name.clone(),
        id_number: typed.id_number.clone(),
        phone: typed.phone.clone(),
        email: typed.email.clone(),
        address: typed.address.clone(),
        commune_q: typed.commune_q.clone(),
        communes: if p.is_some() {
            commune_options(state, user, &typed.commune_q, &typed.commune).await?
        } else {
            Vec::new()
        },
        subject_q: typed.subject_q.clone(),
        subject_communes: if p.is_some() {
            commune_options(state, user, &typed.subject_q, &typed.subject).await?
        } else {
            Vec::new()
        },
        request: typed.request.clone(),
        return_methods,
        items: typed.items.clone(),
        reasons: typed.reasons.clone(),
        idempotency_key: if typed.idempotency_key.is_empty() {
            crate::auth::new_token()
        } else {
            typed.idempotency_key.clone()
        },
        e,
    };
    Ok(CounterPage {
        l: user.layout(m.counter_title, "/tiep-nhan"),
        m,
        searched: !q.trim().is_empty(),
        q: q.to_owned(),
        results,
        p,
        f,
        error,
    })
}

/// `POST /tiep-nhan`.
pub async fn post(
    State(state): State<AppState>,
    user: WebUser,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    if let Some(r) = counter_only(&user) {
        return r;
    }
    let Ok(Form(pairs)) = form else { return user.form_expired() };
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    if !user.csrf_ok(Some(&get("csrf"))) {
        return user.form_expired();
    }
    let typed = Typed {
        channel: get("channel"),
        organization: get("kind") == "organization",
        name: get("name"),
        id_number: get("id_number"),
        phone: get("phone"),
        email: get("email"),
        address: get("address"),
        commune_q: get("commune_q"),
        commune: get("commune_code"),
        subject_q: get("subject_q"),
        subject: get("subject_commune"),
        request: get("request_summary"),
        return_method: get("return_method"),
        case: get("case"),
        docs: pairs.iter().filter(|(n, _)| n == "doc").filter_map(|(_, v)| v.trim().parse().ok()).collect(),
        items: get("items"),
        reasons: get("reasons"),
        idempotency_key: get("idempotency_key"),
    };
    let procedure = get("procedure_code");
    let m = CounterMsg::of(user.lang);
    let decision = match get("decision").as_str() {
        "supplement" => CounterDecision::RequestSupplement {
            items: typed.items.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            reason: String::new(),
        },
        "refuse" => CounterDecision::Refuse { reasons: typed.reasons.clone() },
        _ => CounterDecision::Receive,
    };
    let mut e = check_fields(&typed, &decision);
    let has_errors =
        [&e.name, &e.id_number, &e.phone, &e.email, &e.address, &e.items, &e.reasons].iter().any(|s| !s.is_empty());
    if !has_errors {
        let req = ReceiveRequest {
            procedure_code: procedure.clone(),
            channel: Some(typed.channel.clone()).filter(|c| !c.is_empty()),
            point_code: None,
            applicant: ApplicantInput {
                kind: Some(if typed.organization { "organization" } else { "person" }.to_owned()),
                name: typed.name.clone(),
                id_number: typed.id_number.clone(),
                phone: Some(typed.phone.clone()),
                email: Some(typed.email.clone()),
                address: typed.address.clone(),
                commune_code: Some(typed.commune.clone()).filter(|c| !c.is_empty()),
            },
            subject_commune: Some(typed.subject.clone()).filter(|c| !c.is_empty()),
            request_summary: typed.request.clone(),
            documents: typed.docs.clone(),
            case: Some(typed.case.clone()).filter(|c| !c.is_empty()),
            return_method: Some(typed.return_method.clone()).filter(|c| !c.is_empty()),
            idempotency_key: Some(typed.idempotency_key.clone()).filter(|c| !c.is_empty()),
        };
        match receive(&state, &user.actor, req, None, decision.clone()).await {
            Ok(Received { record, .. }) => {
                let done = match decision {
                    CounterDecision::Receive => "receive",
                    CounterDecision::RequestSupplement { .. } => "request_supplement",
                    CounterDecision::Refuse { .. } => "refuse_receipt",
                };
                return see_other(&format!("/ho-so/{}?done={done}", record.code));
            }
            Err(err) if err.status == StatusCode::INTERNAL_SERVER_ERROR => return user.error_page(err),
            Err(err) => place_error(&mut e, err, &typed, &decision),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let mut typed = typed;
    // A supplement list starts from what the check found missing.
    if typed.items.is_empty() && !e.documents.is_empty() {
        typed.items = missing_list(&state, &procedure, &typed).await;
    }
    let general = if e.general.is_empty() { m.fix_errors.to_owned() } else { e.general.clone() };
    match build(&state, &user, "", &procedure, &typed, e.fields, general).await {
        Ok(page) => render(status, &page),
        Err(err) => user.error_page(err),
    }
}

/// Field errors and the form's general error.
struct Errors {
    fields: FieldErrors,
    general: String,
}

impl std::ops::Deref for Errors {
    type Target = FieldErrors;
    fn deref(&self) -> &FieldErrors {
        &self.fields
    }
}

/// The error of one applicant field as typed, `None` when it is fine: the rules the post applies
/// (and the API applies again), also used by the as-you-type check ([`check`]).
pub fn field_error(field: &str, value: &str, organization: bool) -> Option<String> {
    let value = value.trim();
    match field {
        "name" if value.is_empty() => Some("Cần nhập họ tên người nộp hồ sơ".into()),
        "name" if value.chars().count() > 200 => Some("Họ tên quá dài (tối đa 200 ký tự)".into()),
        "id_number" if value.is_empty() => {
            Some(if organization { "Cần nhập mã số thuế" } else { "Cần nhập số CCCD" }.into())
        }
        "id_number" if organization => TaxCode::parse(value).err().map(|e| e.to_string()),
        "id_number" => PersonalId::parse(value).err().map(|e| e.to_string()),
        "phone" if !value.is_empty() => Phone::parse(value).err().map(|e| e.to_string()),
        "email" if !value.is_empty() => {
            let ok =
                value.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
                    && !value.chars().any(char::is_whitespace)
                    && value.len() <= 254;
            (!ok).then(|| "Địa chỉ thư điện tử không hợp lệ".into())
        }
        "address" if value.is_empty() => Some("Cần nhập địa chỉ".into()),
        _ => None,
    }
}

/// The checks that can be made field by field before anything is written (the same rules as the
/// API's; the API checks them again).
fn check_fields(t: &Typed, decision: &CounterDecision) -> Errors {
    let mut e = FieldErrors::default();
    let one = |field: &str, value: &str| field_error(field, value, t.organization).unwrap_or_default();
    e.name = one("name", &t.name);
    e.id_number = one("id_number", &t.id_number);
    e.phone = one("phone", &t.phone);
    e.email = one("email", &t.email);
    e.address = one("address", &t.address);
    match decision {
        CounterDecision::RequestSupplement { items, .. } if items.is_empty() => {
            e.items = "Cần nêu đầy đủ các giấy tờ cần bổ sung, mỗi dòng một giấy tờ".into();
        }
        CounterDecision::Refuse { reasons } if reasons.trim().is_empty() => {
            e.reasons = "Cần nêu lý do từ chối tiếp nhận".into();
        }
        _ => {}
    }
    Errors { fields: e, general: String::new() }
}

#[derive(Deserialize, Default)]
pub struct CheckQuery {
    /// Which field: `name`, `id_number`, `phone`, `email`, `address`.
    #[serde(default)]
    field: String,
    /// `person` or `organization` (what the ID number is: a CCCD or a tax code).
    #[serde(default)]
    kind: String,
    #[serde(flatten)]
    values: HashMap<String, String>,
}

/// `GET /tiep-nhan/kiem-tra?field=…&{field}=…&kind=…`: the error of one field as it is typed
/// (htmx, into the field's error line), or nothing when it is fine.
pub async fn check(user: WebUser, q: Result<Query<CheckQuery>, axum::extract::rejection::QueryRejection>) -> Response {
    if let Some(r) = counter_only(&user) {
        return r;
    }
    let q = q.map(|Query(q)| q).unwrap_or_default();
    if !matches!(q.field.as_str(), "name" | "id_number" | "phone" | "email" | "address") {
        return user.error_page(AppError::bad_request("invalid_field", "Không kiểm tra được trường này"));
    }
    let value = q.values.get(&q.field).map_or("", String::as_str);
    let message = field_error(&q.field, value, q.kind == "organization").unwrap_or_default();
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        escape_html(&message),
    )
        .into_response()
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Puts a refusal of `receive` beside the field it is about.
fn place_error(e: &mut Errors, err: AppError, t: &Typed, decision: &CounterDecision) {
    let f = &mut e.fields;
    match err.code {
        "missing_documents" | "invalid_documents" => f.documents = err.message,
        "unknown_case" => f.case = err.message,
        "invalid_citizen_id" | "invalid_tax_code" => f.id_number = err.message,
        "invalid_phone" => f.phone = err.message,
        "invalid_email" => f.email = err.message,
        "unknown_commune" if err.message.contains(&t.subject) && !t.subject.is_empty() => f.subject = err.message,
        "unknown_commune" => f.commune = err.message,
        "routing_failed" => f.subject = err.message,
        "invalid_action" => match decision {
            CounterDecision::Refuse { .. } => f.reasons = err.message,
            CounterDecision::RequestSupplement { .. } => f.items = err.message,
            CounterDecision::Receive => e.general = err.message,
        },
        _ => e.general = err.message,
    }
}

/// The mandatory papers not ticked, one a line (a starting point for the supplement list).
async fn missing_list(state: &AppState, procedure: &str, t: &Typed) -> String {
    let Ok(Some(p)) = state.procedure(procedure, None).await else { return String::new() };
    let case = Some(t.case.as_str()).filter(|c| !c.is_empty());
    match hcc_domain::catalog::missing_documents(&p, &t.docs, case) {
        Ok(missing) => missing.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join("\n"),
        Err(_) => String::new(),
    }
}
