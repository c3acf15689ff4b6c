//! `/ho-so/{code}/in/{form}`: the forms of Circular 03/2025/TT-VPCP printed from the record —
//! 02 supplement request, 03 refusal to receive, 04 apology with the new date, 05 stop notice
//! (A5), 06 the control sheet (A4, one row per hand-over with the step's outcome). Each exists
//! only when the record has the event it prints. With the English switch on, the chrome (headings,
//! labels, fixed sentences) is in English; what the record holds (names, reasons) stays as written.

use super::AnyStaff;
use crate::AppState;
use crate::api::dossiers::load_readable;
use crate::error::{AppError, AppResult};
use crate::pages::esc;
use crate::time::{display, display_date};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use hcc_store::{DossierRecord, EventRecord};
use hcc_templates::Lang;
use std::fmt::Write;

/// The fixed text of the forms in one language.
struct Chrome {
    lang: &'static str,
    print: &'static str,
    center: &'static str,
    nation: &'static str,
    form_no: &'static str,
    to: &'static str,
    id_no: &'static str,
    address: &'static str,
    dossier: &'static str,
    sign_hint: &'static str,
    applicant_sign: &'static str,
    guide_sign: &'static str,
    receiver_sign: &'static str,
    head_sign: &'static str,
    issued: &'static str,
    reason: &'static str,
    titles: [&'static str; 5],
    supplement_intro: &'static str,
    supplement_contact: &'static str,
    refusal_intro: &'static str,
    refusal_outro: &'static str,
    apology_old: &'static str,
    apology_reason: &'static str,
    apology_new: &'static str,
    stop_intro: &'static str,
    code: &'static str,
    applicant: &'static str,
    procedure: &'static str,
    received: &'static str,
    due: &'static str,
    first_due: &'static str,
    columns: [&'static str; 7],
    outcomes: [&'static str; 3],
    printed: &'static str,
}

static VI: Chrome = Chrome {
    lang: "vi",
    print: "In",
    center: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc",
    form_no: "Mẫu số",
    to: "Kính gửi",
    id_no: "Số giấy tờ",
    address: "Địa chỉ",
    dossier: "Hồ sơ",
    sign_hint: "(Ký, ghi rõ họ tên)",
    applicant_sign: "NGƯỜI NỘP HỒ SƠ",
    guide_sign: "NGƯỜI HƯỚNG DẪN",
    receiver_sign: "NGƯỜI TIẾP NHẬN HỒ SƠ",
    head_sign: "THỦ TRƯỞNG CƠ QUAN",
    issued: "Lập lúc",
    reason: "Lý do",
    titles: [
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
        "Thông báo dừng giải quyết hồ sơ",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    ],
    supplement_intro: "Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
    supplement_contact: "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {} để được hướng dẫn.",
    refusal_intro: "Qua xem xét, {} từ chối tiếp nhận hồ sơ của ông/bà với lý do sau:",
    refusal_outro: "Xin thông báo để ông/bà biết.",
    apology_old: "Ngày hẹn trả kết quả",
    apology_reason: "Lý do chậm trễ",
    apology_new: "Chúng tôi thành thật xin lỗi ông/bà và hẹn lại thời gian trả kết quả vào",
    stop_intro: "Hồ sơ tiếp nhận lúc {} được dừng giải quyết với lý do sau:",
    code: "Mã hồ sơ",
    applicant: "Người nộp",
    procedure: "Thủ tục",
    received: "Tiếp nhận",
    due: "Hẹn trả",
    first_due: "hẹn ban đầu",
    columns: ["Thời gian", "Bên giao", "Bên nhận", "Nội dung", "Bước, hạn bước", "Kết quả bước", "Ghi chú"],
    outcomes: ["Trước hạn", "Đúng hạn", "Quá hạn"],
    printed: "In ngày",
};

static EN: Chrome = Chrome {
    lang: "en",
    print: "Print",
    center: "PUBLIC ADMINISTRATIVE SERVICE CENTER",
    nation: "SOCIALIST REPUBLIC OF VIETNAM<br>Independence - Freedom - Happiness",
    form_no: "Form No.",
    to: "To",
    id_no: "ID number",
    address: "Address",
    dossier: "Dossier",
    sign_hint: "(Signature and full name)",
    applicant_sign: "APPLICANT",
    guide_sign: "GUIDING OFFICER",
    receiver_sign: "RECEIVING OFFICER",
    head_sign: "HEAD OF THE AGENCY",
    issued: "Issued at",
    reason: "Reason",
    titles: [
        "Request to supplement and complete the dossier",
        "Refusal to receive the dossier",
        "Apology and new appointment for the result",
        "Notice that handling of the dossier stops",
        "Control sheet of the handling of the dossier",
    ],
    supplement_intro: "Please supplement and complete the dossier with the following:",
    supplement_contact: "Should anything be unclear while completing the dossier, please contact {} for guidance.",
    refusal_intro: "Having examined it, {} refuses to receive your dossier for the following reason:",
    refusal_outro: "This notice is for your information.",
    apology_old: "Appointment for the result",
    apology_reason: "Reason for the delay",
    apology_new: "We sincerely apologise and set the new appointment for the result at",
    stop_intro: "Handling of the dossier received at {} stops for the following reason:",
    code: "Dossier code",
    applicant: "Applicant",
    procedure: "Procedure",
    received: "Received",
    due: "Appointment",
    first_due: "first appointment",
    columns: ["Time", "Handed over by", "Received by", "Action", "Step, step due", "Step outcome", "Note"],
    outcomes: ["Early", "On time", "Late"],
    printed: "Printed on",
};

impl Chrome {
    fn of(lang: Lang) -> &'static Chrome {
        match lang {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// A sentence with one `{}` filled with (escaped) `value`.
fn fill(sentence: &str, value: &str) -> String {
    sentence.replacen("{}", &esc(value), 1)
}

fn style(a4: bool) -> String {
    let (size, width) = if a4 { ("A4", "190mm") } else { ("A5", "128mm") };
    format!(
        "@page{{size:{size};margin:10mm}}body{{font-family:'Times New Roman',serif;max-width:{width};margin:1rem auto;color:#111;line-height:1.4;font-size:13pt}}\
         h1{{font-size:13pt;text-align:center;text-transform:uppercase;margin:.6rem 0}}\
         .head{{display:flex;justify-content:space-between;text-align:center;font-weight:bold;font-size:11pt}}\
         table{{border-collapse:collapse;width:100%;font-size:10.5pt}}td,th{{border:1px solid #444;padding:2px 4px;vertical-align:top;text-align:left}}\
         tr{{break-inside:avoid}}.sign{{display:flex;justify-content:space-around;margin-top:1.5rem;text-align:center}}.muted{{color:#444}}\
         @media print{{body{{margin:0}}.noprint{{display:none}}}}"
    )
}

fn page(c: &Chrome, title: &str, a4: bool, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}</style></head>\
         <body>{body}<p class=\"noprint\"><button onclick=\"window.print()\">{}</button></p></body></html>",
        c.lang,
        esc(title),
        style(a4),
        c.print
    ))
}

fn header(c: &Chrome, point: &str, form_no: &str, title: &str) -> String {
    format!(
        "<div class=\"head\"><div>{}<br>{}</div><div>{}</div></div>\
         <p class=\"muted\">{} {form_no}</p><h1>{}</h1>",
        c.center,
        esc(point),
        c.nation,
        c.form_no,
        esc(title)
    )
}

fn last<'a>(events: &'a [EventRecord], action: &str) -> Option<&'a EventRecord> {
    events.iter().rev().find(|e| e.action == action)
}

fn applicant(c: &Chrome, d: &DossierRecord) -> String {
    format!(
        "<p>{}: <b>{}</b><br>{}: {}<br>{}: {}</p><p>{}: <b>{}</b> — {}</p>",
        c.to,
        esc(&d.applicant.name),
        c.id_no,
        esc(&d.applicant.id_number),
        c.address,
        esc(&d.applicant.address),
        c.dossier,
        esc(&d.code),
        esc(&d.procedure_name)
    )
}

fn sign(c: &Chrome, left: &str, right: &str, who: &str) -> String {
    let hint =
        |role: &str| if role.is_empty() { String::new() } else { format!("<b>{}</b><br>{}", esc(role), c.sign_hint) };
    format!("<div class=\"sign\"><div>{}</div><div>{}<br><br><br>{}</div></div>", hint(left), hint(right), esc(who))
}

/// `GET /ho-so/{code}/in/{form}`.
pub async fn form(
    State(state): State<AppState>,
    AnyStaff(actor): AnyStaff,
    headers: HeaderMap,
    Path((code, form)): Path<(String, String)>,
) -> Response {
    let started = std::time::Instant::now();
    let c = Chrome::of(super::lang_of(&headers));
    let mut r = match render(&state, &actor, c, &code, &form).await {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    };
    super::inbox::server_timing(&mut r, started);
    r
}

async fn render(
    state: &AppState,
    actor: &hcc_domain::actor::Actor,
    c: &Chrome,
    code: &str,
    form: &str,
) -> AppResult<Html<String>> {
    let lang = if c.lang == "en" { Lang::En } else { Lang::Vi };
    let (d, _) = load_readable(state, actor, code).await?;
    let events = state.store.events(d.id).await?;
    state.store.log_staff_read(actor.user_id, d.id, &format!("form:{form}"), hcc_store::model::now()).await?;
    let point = state.point(&d.state.point_code).await?.map(|p| p.name).unwrap_or_default();
    let missing = || AppError::not_found(format!("Hồ sơ {code} không có sự kiện để in mẫu {form}"));
    let mut body = String::new();
    let html = match form {
        "02" => {
            let e = last(&events, "request_supplement").ok_or_else(missing)?;
            body.push_str(&header(c, &point, "02", c.titles[0]));
            body.push_str(&applicant(c, &d));
            let _ = write!(body, "<p>{}</p><ol>", c.supplement_intro);
            for item in e.details.get("items").and_then(|v| v.as_array()).into_iter().flatten() {
                let _ = write!(body, "<li>{}</li>", esc(item.as_str().unwrap_or("")));
            }
            body.push_str("</ol>");
            if !e.note.is_empty() {
                let _ = write!(body, "<p>{}: {}</p>", c.reason, esc(&e.note));
            }
            let _ = write!(
                body,
                "<p>{}</p><p class=\"muted\">{} {}</p>",
                fill(c.supplement_contact, &point),
                c.issued,
                display(e.at)
            );
            body.push_str(&sign(c, c.applicant_sign, c.guide_sign, &e.actor_name));
            page(c, &format!("{} {code}", c.titles[0]), false, &body)
        }
        "03" => {
            let e = last(&events, "refuse_receipt").ok_or_else(missing)?;
            body.push_str(&header(c, &point, "03", c.titles[1]));
            body.push_str(&applicant(c, &d));
            let _ = write!(
                body,
                "<p>{}</p><p><b>{}</b></p><p>{}</p><p class=\"muted\">{} {}</p>",
                fill(c.refusal_intro, &point),
                esc(&e.note),
                c.refusal_outro,
                c.issued,
                display(e.at)
            );
            body.push_str(&sign(c, c.applicant_sign, c.receiver_sign, &e.actor_name));
            page(c, &format!("{} {code}", c.titles[1]), false, &body)
        }
        "04" => {
            let e = last(&events, "apologize").ok_or_else(missing)?;
            let date = |k: &str| {
                e.details.get(k).and_then(|v| v.as_str()).and_then(crate::time::parse).map(display).unwrap_or_default()
            };
            body.push_str(&header(c, &point, "04", c.titles[2]));
            body.push_str(&applicant(c, &d));
            let _ = write!(
                body,
                "<p>{}: {}.</p><p>{}: {}</p><p>{}: <b>{}</b>.</p><p class=\"muted\">{} {}</p>",
                c.apology_old,
                date("old_due_at"),
                c.apology_reason,
                esc(&e.note),
                c.apology_new,
                date("new_due_at"),
                c.issued,
                display(e.at)
            );
            body.push_str(&sign(c, "", c.head_sign, &e.actor_name));
            page(c, &format!("{} {code}", c.titles[2]), false, &body)
        }
        "05" => {
            let e = last(&events, "stop").ok_or_else(missing)?;
            body.push_str(&header(c, &point, "05", c.titles[3]));
            body.push_str(&applicant(c, &d));
            let _ = write!(
                body,
                "<p>{}</p><p><b>{}</b></p><p class=\"muted\">{} {}</p>",
                fill(c.stop_intro, &d.state.received_at.map(display).unwrap_or_default()),
                esc(&e.note),
                c.issued,
                display(e.at)
            );
            body.push_str(&sign(c, "", c.head_sign, &e.actor_name));
            page(c, &format!("{} {code}", c.titles[3]), false, &body)
        }
        "06" => {
            if d.state.received_at.is_none() {
                return Err(missing());
            }
            body.push_str(&header(c, &point, "06", c.titles[4]));
            let _ = write!(
                body,
                "<p>{}: <b>{}</b><br>{}: {}<br>{}: {}<br>{}: {} — {}: <b>{}</b>{}</p>",
                c.code,
                esc(&d.code),
                c.applicant,
                esc(&d.applicant.name),
                c.procedure,
                esc(&d.procedure_name),
                c.received,
                d.state.received_at.map(display).unwrap_or_default(),
                c.due,
                d.state.due_at.map(display).unwrap_or_default(),
                match (d.state.original_due_at, d.state.due_at) {
                    (Some(o), Some(n)) if o != n => format!(" ({} {})", c.first_due, display(o)),
                    _ => String::new(),
                }
            );
            body.push_str("<table><tr>");
            for column in c.columns {
                let _ = write!(body, "<th>{column}</th>");
            }
            body.push_str("</tr>");
            for e in &events {
                let outcome = match e.step_outcome.as_str() {
                    "early" => c.outcomes[0].to_owned(),
                    "on_time" => c.outcomes[1].to_owned(),
                    "late" => format!("<b>{}</b>", c.outcomes[2]),
                    _ => String::new(),
                };
                let action = hcc_domain::lifecycle::ActionKind::parse(&e.action)
                    .map_or(e.action.as_str(), |k| lang.label("action", &e.action, k.label_vi()));
                let _ = write!(
                    body,
                    "<tr><td>{}</td><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}{}</td><td>{outcome}</td><td>{}</td></tr>",
                    display(e.at),
                    esc(&e.actor_name),
                    esc(&e.unit),
                    esc(&e.handed_to),
                    esc(action),
                    esc(&e.step_name),
                    e.step_due_at
                        .map(|t| format!("<br><span class=\"muted\">{}</span>", display(t)))
                        .unwrap_or_default(),
                    esc(&e.note)
                );
            }
            let _ =
                write!(body, "</table><p class=\"muted\">{} {}</p>", c.printed, display_date(hcc_store::model::now()));
            page(c, &format!("{} {code}", c.titles[4]), true, &body)
        }
        _ => return Err(AppError::not_found(format!("Không có mẫu {form}"))),
    };
    Ok(html)
}
