//! `/ho-so/{code}`: one dossier — applicant, procedure, checklist, control sheet, how its due
//! time was computed — and a form for each action the user may take now. A form posts to
//! `/ho-so/{code}/thao-tac/{action}`, which runs the API's own `perform`; a refusal comes back
//! beside the field with what was typed, a success redirects (POST/redirect/GET).

use super::inbox::{due_state, server_timing};
use super::{WebUser, render, see_other};
use crate::AppState;
use crate::api::actions::{ActionRequest, available_actions, perform};
use crate::api::dossiers::load_readable;
use crate::error::{AppError, AppResult};
use crate::time::display;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::actor::Role;
use hcc_domain::lifecycle::{ActionKind, Context, PauseKind};
use hcc_store::{DossierRecord, EventRecord, User};
use hcc_templates::pages::{ActionForm, DocRow, DossierInfo, DossierPage, EventRow, FormField, Opt};
use hcc_templates::{Lang, Msg};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// The action that just succeeded (shown as a notice).
    done: Option<String>,
}

/// What a page shows besides the record: a notice, a refused form, a refused upload.
#[derive(Default)]
pub struct Extras {
    pub notice: String,
    refused: Option<Refused>,
    pub doc_error: String,
}

impl Extras {
    /// A page with a refused upload in its documents panel.
    pub fn upload_refused(message: String) -> Extras {
        Extras { doc_error: message, ..Extras::default() }
    }
}

/// A form that was refused: what was typed and where the error goes.
struct Refused {
    kind: ActionKind,
    values: HashMap<String, String>,
    /// The field the error belongs to; `None` for the form as a whole.
    field: Option<&'static str>,
    message: String,
}

/// `GET /ho-so/{code}`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
    q: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let started = std::time::Instant::now();
    let done = q.ok().and_then(|Query(q)| q.done).and_then(|a| ActionKind::parse(&a));
    let notice = done.map(|k| format!("{}: {}", user.t().done, action_label(user.lang, k))).unwrap_or_default();
    let extras = Extras { notice, ..Extras::default() };
    let mut r = match render_page(&state, &user, &code, extras, StatusCode::OK).await {
        Ok(r) => r,
        Err(e) => user.error_page(e),
    };
    server_timing(&mut r, started);
    r
}

/// `POST /ho-so/{code}/thao-tac/{action}`.
pub async fn act(
    State(state): State<AppState>,
    user: WebUser,
    Path((code, action)): Path<(String, String)>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(values)) = form else { return user.form_expired() };
    if !user.csrf_ok(values.get("csrf")) {
        return user.form_expired();
    }
    let Some(kind) = ActionKind::parse(&action) else {
        return user.error_page(AppError::not_found(format!("Không có thao tác {action}")));
    };
    match perform(&state, &user.actor, &code, kind, request_of(&values)).await {
        Ok(record) => see_other(&format!("/ho-so/{}?done={}", record.code, kind.as_str())),
        Err(e) if matches!(e.status, StatusCode::NOT_FOUND | StatusCode::INTERNAL_SERVER_ERROR) => user.error_page(e),
        Err(e) => {
            let field = field_of(kind, &e, &values);
            let status = e.status;
            let doc_error = match e.code {
                "not_digitized" => format!(
                    "{} — {}",
                    e.message,
                    "hồ sơ chỉ được chuyển xử lý khi mọi giấy tờ đã nộp đều đã được số hóa: tải bản quét lên ở mục «Tài liệu điện tử»."
                ),
                "result_not_digitized" => format!(
                    "{} — {}",
                    e.message, "đính kèm bản kết quả đã ký ở mục «Tài liệu điện tử» trước khi chuyển trả kết quả."
                ),
                _ => String::new(),
            };
            let refused = Refused { kind, values, field, message: e.message };
            let extras = Extras { notice: String::new(), refused: Some(refused), doc_error };
            match render_page(&state, &user, &code, extras, status).await {
                Ok(r) => r,
                Err(e) => user.error_page(e),
            }
        }
    }
}

/// The API's request from a form's fields.
fn request_of(v: &HashMap<String, String>) -> ActionRequest {
    let get = |k: &str| v.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let some = |k: &str| Some(get(k)).filter(|s| !s.is_empty());
    let extension = some("extension_value").map(|n| format!("{n} {}", get("extension_unit")));
    ActionRequest {
        note: get("note"),
        reasons: get("reasons"),
        reason: get("reason"),
        items: get("items").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        assignee: some("assignee"),
        agency_code: some("agency_code"),
        legal_basis: get("legal_basis"),
        pause_kind: some("pause_kind"),
        extension,
        new_due_at: some("new_due_at"),
        method: some("method"),
        expected_version: get("expected_version").parse().ok(),
    }
}

/// The fields each action's form has: (name, required).
fn field_names(kind: ActionKind) -> &'static [(&'static str, bool)] {
    match kind {
        ActionKind::Receive
        | ActionKind::ReceiveSupplement
        | ActionKind::CompleteStep
        | ActionKind::Approve
        | ActionKind::Resume
        | ActionKind::MarkResultReady => &[("note", false)],
        ActionKind::RefuseReceipt | ActionKind::Stop => &[("reasons", true)],
        ActionKind::RequestSupplement => &[("items", true), ("reason", false)],
        ActionKind::Assign => &[("assignee", true), ("note", false)],
        ActionKind::Forward => &[("agency_code", true), ("note", false)],
        ActionKind::RefuseToSettle => &[("reasons", true), ("legal_basis", true)],
        ActionKind::Pause => &[("pause_kind", false), ("reason", true)],
        ActionKind::Extend => &[("extension_value", true), ("extension_unit", false), ("reason", true)],
        ActionKind::Apologize => &[("new_due_at", true), ("reason", true)],
        ActionKind::ReturnResult => &[("method", false), ("note", false)],
        ActionKind::Withdraw | ActionKind::WaiveDigitization => &[("reason", true)],
        ActionKind::Digitize | ActionKind::AttachResult | ActionKind::DeleteDocument => &[],
    }
}

/// Which field a refusal belongs to: a refused argument goes beside the first required field left
/// empty (or the action's main field); a refusal of the action itself (state, permission, a
/// concurrent change) goes above the form.
fn field_of(kind: ActionKind, e: &AppError, values: &HashMap<String, String>) -> Option<&'static str> {
    match e.code {
        "unknown_user" => return Some("assignee"),
        "unknown_agency" => return Some("agency_code"),
        "invalid_action" => {}
        _ => return None,
    }
    let fields = field_names(kind);
    fields
        .iter()
        .find(|(name, required)| *required && values.get(*name).is_none_or(|v| v.trim().is_empty()))
        .or_else(|| fields.first())
        .map(|(name, _)| *name)
}

fn action_label(lang: Lang, kind: ActionKind) -> &'static str {
    lang.label("action", kind.as_str(), kind.label_vi())
}

/// Renders the page, with a refused form open when there is one.
pub async fn render_page(
    state: &AppState,
    user: &WebUser,
    code: &str,
    extras: Extras,
    status: StatusCode,
) -> AppResult<Response> {
    let Extras { notice, refused, doc_error } = extras;
    let (t, lang) = (user.t(), user.lang);
    let (d, involved) = load_readable(state, &user.actor, code).await?;
    let now = hcc_store::model::now();
    state.store.log_staff_read(user.actor.user_id, d.id, "dossier", now).await?;
    let events = state.store.events(d.id).await?;
    let procedure = state.procedure(&d.procedure_code, Some(d.procedure_version as u32)).await?;
    let calendar = state.calendar();
    let agencies = state.agency_list().await?;
    let points = state.point_list().await?;
    let agency_names: HashMap<&str, &str> = agencies.iter().map(|a| (a.code.as_str(), a.name.as_str())).collect();
    let point_names: HashMap<&str, &str> = points.iter().map(|p| (p.code.as_str(), p.name.as_str())).collect();
    let unit_name = |code: &str| -> String {
        agency_names.get(code).or_else(|| point_names.get(code)).map_or_else(|| code.to_owned(), |n| (*n).to_owned())
    };

    let kinds = match &procedure {
        Some(p) => available_actions(
            &d.state,
            &Context { procedure: p, calendar: &calendar, actor: &user.actor, involved_agencies: &involved, now },
        ),
        None => Vec::new(),
    };
    let users = if kinds.contains(&ActionKind::Assign) || d.state.assignee.is_some() {
        state.store.list_users().await?
    } else {
        Vec::new()
    };

    let s = &d.state;
    let progress = hcc_domain::lifecycle::progress(s, now, &calendar, hcc_domain::lifecycle::DUE_SOON_MINUTES);
    let (due_class, due_label) = due_state(t, s.status, s.step_due_at, now, &calendar);
    let steps = procedure.as_ref().map(|p| p.effective_steps()).unwrap_or_default();
    let a = &d.applicant;
    let info = DossierInfo {
        code: d.code.clone(),
        status: lang.label("status", s.status.as_str(), s.status.label_vi()).to_owned(),
        procedure_code: d.procedure_code.clone(),
        procedure_name: d.procedure_name.clone(),
        field: d.field.clone(),
        channel: lang.label("channel", s.channel.as_str(), s.channel.label_vi()).to_owned(),
        point: unit_name(&s.point_code),
        agency: unit_name(&s.agency_code),
        assignee: s
            .assignee
            .and_then(|id| users.iter().find(|u| u.id == id))
            .map_or_else(|| t.nobody.to_owned(), |u| format!("{} ({})", u.full_name, u.username)),
        applicant_name: a.name.clone(),
        id_number: a.id_number.clone(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        address: a.address.clone(),
        request: d.request_summary.clone(),
        received_at: s.received_at.map(display).unwrap_or_default(),
        appointment: s.due_at.map(display).unwrap_or_default(),
        original_appointment: match (s.original_due_at, s.due_at) {
            (Some(o), Some(n)) if o != n => display(o),
            _ => String::new(),
        },
        step: steps.get(s.step_index as usize).map(|st| st.name.clone()).unwrap_or_default(),
        step_due: s.step_due_at.map(display).unwrap_or_default(),
        due_class,
        due_label: due_label.to_owned(),
        progress: progress.map(|p| lang.label("progress", p.as_str(), p.label_vi()).to_owned()).unwrap_or_default(),
        receipt_href: if s.received_at.is_some() { format!("/ho-so/{}/giay-tiep-nhan", d.code) } else { String::new() },
    };
    let docs = d
        .documents
        .iter()
        .map(|i| DocRow {
            no: i.no,
            name: i.name.clone(),
            originals: i.originals,
            copies: i.copies,
            mandatory: i.mandatory,
            provided: i.provided,
        })
        .collect();
    let files =
        super::documents_panel::panel(state, user, &d, &involved, procedure.as_deref(), &events, doc_error).await?;
    let events = events.iter().map(|e| event_row(lang, e, &unit_name)).collect();

    // How the due time was computed at receipt, and what moved it since.
    let limit = procedure.as_ref().and_then(|p| p.channel(s.channel)).and_then(|c| c.time_limit);
    let (deadline_limit, deadline, mut adjusted) = match (limit, s.received_at) {
        (Some(limit), Some(received)) => {
            let e = calendar.explain_due(received, limit);
            let adjusted = match s.due_at {
                Some(due) if due != e.due_at => vec![format!("{}: {}", t.appointment, display(due))],
                _ => Vec::new(),
            };
            (format!("{} {}", limit.value(), limit.unit.label_vi()), e.explanation, adjusted)
        }
        _ => (String::new(), Vec::new(), Vec::new()),
    };
    if !adjusted.is_empty() {
        if s.supplement_requests > 0 {
            adjusted.push(format!("{}: {}", action_label(lang, ActionKind::RequestSupplement), s.supplement_requests));
        }
        if s.extension_minutes > 0 {
            adjusted.push(format!("{}: {} phút làm việc", action_label(lang, ActionKind::Extend), s.extension_minutes));
        }
        if s.new_appointments > 0 {
            adjusted.push(format!("{}: {}", action_label(lang, ActionKind::Apologize), s.new_appointments));
        }
    }

    let drafted = if kinds.contains(&ActionKind::Apologize) { drafted_new_date(state, &d).await? } else { None };
    let forms = kinds
        .iter()
        .map(|&k| action_form(t, lang, k, &d, &users, &user.actor, &agencies, refused.as_ref(), drafted))
        .collect();
    let mut l = user.layout(&format!("{} {}", t.dossier, d.code), "/ho-so");
    l.notice = notice;
    let m = hcc_templates::counter::CounterMsg::of(lang);
    let page = DossierPage { l, d: info, docs, events, deadline_limit, deadline, adjusted, forms, m, files };
    Ok(render(status, &page))
}

fn event_row(lang: Lang, e: &EventRecord, unit_name: &dyn Fn(&str) -> String) -> EventRow {
    let action = ActionKind::parse(&e.action).map_or_else(|| e.action.clone(), |k| action_label(lang, k).to_owned());
    let outcome = match e.step_outcome.as_str() {
        "" => String::new(),
        o => lang.label("progress", o, hcc_templates_outcome_vi(o)).to_owned(),
    };
    EventRow {
        at: display(e.at),
        actor: if e.actor_name.is_empty() { e.actor.clone() } else { e.actor_name.clone() },
        unit: unit_name(&e.unit),
        action,
        handed_to: if e.handed_to.is_empty() { String::new() } else { unit_name(&e.handed_to) },
        step: e.step_name.clone(),
        step_due: e.step_due_at.map(display).unwrap_or_default(),
        outcome_class: e.step_outcome.clone(),
        outcome,
        note: e.note.clone(),
    }
}

/// The control sheet's step outcomes in Vietnamese.
fn hcc_templates_outcome_vi(o: &str) -> &str {
    match o {
        "early" => "Trước hạn",
        "on_time" => "Đúng hạn",
        "late" => "Quá hạn",
        other => other,
    }
}

/// The new appointment the early-warning job drafted for the apology (Form 04) the leader signs:
/// the latest warning's proposal, while it is still later than the appointment in force.
async fn drafted_new_date(state: &AppState, d: &DossierRecord) -> AppResult<Option<jiff::Timestamp>> {
    let notices = state.store.notices_of(d.id).await?;
    let drafted = notices
        .iter()
        .rev()
        .filter(|(kind, _)| kind.starts_with("warning_"))
        .find_map(|(_, p)| p.get("proposed_new_due_at")?.as_str()?.parse::<jiff::Timestamp>().ok());
    Ok(drafted.filter(|t| d.state.due_at.is_none_or(|due| *t > due)))
}

#[expect(clippy::too_many_arguments, reason = "one form needs the dossier, the people and the agencies it may name")]
fn action_form(
    t: &Msg,
    lang: Lang,
    kind: ActionKind,
    d: &DossierRecord,
    users: &[User],
    actor: &hcc_domain::actor::Actor,
    agencies: &[hcc_domain::org::Agency],
    refused: Option<&Refused>,
    drafted: Option<jiff::Timestamp>,
) -> ActionForm {
    // `datetime-local` wants `YYYY-MM-DDTHH:MM`, in Vietnam's time: the head of the API's form.
    let drafted = drafted.and_then(|t| crate::time::local(t).get(..16).map(str::to_owned)).unwrap_or_default();
    let mine = refused.filter(|r| r.kind == kind);
    let value = |name: &str, default: &str| -> String {
        mine.and_then(|r| r.values.get(name)).cloned().unwrap_or_else(|| default.to_owned())
    };
    let options = |name: &str, default: &str, list: Vec<(String, String)>, with_blank: bool| -> Vec<Opt> {
        let current = value(name, default);
        let mut opts = Vec::new();
        if with_blank {
            opts.push(Opt { value: String::new(), label: t.choose.to_owned(), selected: current.is_empty() });
        }
        opts.extend(list.into_iter().map(|(v, l)| Opt { selected: v == current, value: v, label: l }));
        opts
    };
    let fields = field_names(kind)
        .iter()
        .map(|&(name, required)| {
            let (label, kind_of, opts, hint, default): (&str, &'static str, Vec<Opt>, &str, &str) = match name {
                "note" => (t.f_note, "textarea", Vec::new(), "", ""),
                "reasons" => (t.f_reasons, "textarea", Vec::new(), "", ""),
                "reason" => (t.f_reason, "textarea", Vec::new(), "", ""),
                "items" => (t.f_items, "textarea", Vec::new(), t.f_items_hint, ""),
                "legal_basis" => (t.f_legal_basis, "text", Vec::new(), "", ""),
                "assignee" => {
                    let staff = users
                        .iter()
                        .filter(|u| !u.disabled && u.agency_code.is_some() && u.agency_code == actor.agency)
                        .filter(|u| matches!(Role::parse(&u.role), Some(Role::Specialist | Role::Leader)))
                        .map(|u| (u.username.clone(), format!("{} ({})", u.full_name, u.username)))
                        .collect();
                    (t.f_assignee, "select", options(name, "", staff, true), "", "")
                }
                "agency_code" => {
                    let list = agencies
                        .iter()
                        .filter(|a| a.code != d.state.agency_code)
                        .map(|a| (a.code.clone(), a.name.clone()))
                        .collect();
                    (t.f_agency, "select", options(name, "", list, true), "", "")
                }
                "pause_kind" => {
                    let kinds = [
                        PauseKind::FinancialObligation,
                        PauseKind::PublicPosting,
                        PauseKind::SiteSurvey,
                        PauseKind::OtherAuthority,
                        PauseKind::Other,
                    ];
                    let list = kinds
                        .iter()
                        .map(|k| {
                            let code = serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned));
                            let code = code.unwrap_or_default();
                            let label = lang.label("pause", &code, pause_vi(&code)).to_owned();
                            (code, label)
                        })
                        .collect();
                    (t.f_pause_kind, "select", options(name, "other", list, false), "", "")
                }
                "extension_value" => (t.f_extension, "number", Vec::new(), "", ""),
                "extension_unit" => {
                    let list = vec![
                        ("working-days".to_owned(), t.unit_working_days.to_owned()),
                        ("working-hours".to_owned(), t.unit_working_hours.to_owned()),
                        ("days".to_owned(), t.unit_days.to_owned()),
                    ];
                    (t.f_extension_unit, "select", options(name, "working-days", list, false), "", "")
                }
                "new_due_at" => (t.f_new_due, "datetime-local", Vec::new(), "", drafted.as_str()),
                "method" => {
                    let list = vec![
                        ("counter".to_owned(), t.method_counter.to_owned()),
                        ("post".to_owned(), t.method_post.to_owned()),
                        ("online".to_owned(), t.method_online.to_owned()),
                    ];
                    let default = if d.return_method.is_empty() { "counter" } else { d.return_method.as_str() };
                    (t.f_method, "select", options(name, default, list, false), "", "")
                }
                _ => ("", "text", Vec::new(), "", ""),
            };
            FormField {
                name,
                label: label.to_owned(),
                kind: kind_of,
                value: value(name, default),
                options: opts,
                required,
                hint: hint.to_owned(),
                error: mine.filter(|r| r.field == Some(name)).map(|r| r.message.clone()).unwrap_or_default(),
            }
        })
        .collect();
    ActionForm {
        action: kind.as_str(),
        label: action_label(lang, kind).to_owned(),
        post_href: format!("/ho-so/{}/thao-tac/{}", d.code, kind.as_str()),
        fields,
        error: mine.filter(|r| r.field.is_none()).map(|r| r.message.clone()).unwrap_or_default(),
        version: d.version,
        open: mine.is_some(),
    }
}

fn pause_vi(code: &str) -> &str {
    match code {
        "financial_obligation" => "Thực hiện nghĩa vụ tài chính",
        "public_posting" => "Niêm yết công khai",
        "site_survey" => "Kiểm tra, khảo sát thực địa",
        "other_authority" => "Chờ ý kiến cơ quan khác",
        _ => "Khác",
    }
}
