//! `/ho-so/{code}/in/{form}`: the forms of Circular 03/2025/TT-VPCP printed from the record —
//! 02 supplement request, 03 refusal to receive, 04 apology with the new date, 05 stop notice
//! (A5), 06 the control sheet (A4, one row per hand-over with the step's outcome). Each exists
//! only when the record has the event it prints.

use super::AnyStaff;
use crate::AppState;
use crate::api::dossiers::load_readable;
use crate::error::{AppError, AppResult};
use crate::pages::esc;
use crate::time::{display, display_date};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use hcc_store::{DossierRecord, EventRecord};
use std::fmt::Write;

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

fn page(title: &str, a4: bool, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}</style></head>\
         <body>{body}<p class=\"noprint\"><button onclick=\"window.print()\">In</button></p></body></html>",
        esc(title),
        style(a4)
    ))
}

fn header(point: &str, form_no: &str, title: &str) -> String {
    format!(
        "<div class=\"head\"><div>{}<br>{}</div><div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></div>\
         <p class=\"muted\">Mẫu số {form_no}</p><h1>{}</h1>",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        esc(point),
        esc(title)
    )
}

fn last<'a>(events: &'a [EventRecord], action: &str) -> Option<&'a EventRecord> {
    events.iter().rev().find(|e| e.action == action)
}

fn applicant(d: &DossierRecord) -> String {
    format!(
        "<p>Kính gửi: <b>{}</b><br>Số giấy tờ: {}<br>Địa chỉ: {}</p><p>Hồ sơ: <b>{}</b> — {}</p>",
        esc(&d.applicant.name),
        esc(&d.applicant.id_number),
        esc(&d.applicant.address),
        esc(&d.code),
        esc(&d.procedure_name)
    )
}

fn sign(left: &str, right: &str, who: &str) -> String {
    format!(
        "<div class=\"sign\"><div><b>{}</b><br>(Ký, ghi rõ họ tên)</div><div><b>{}</b><br>(Ký, ghi rõ họ tên)<br><br><br>{}</div></div>",
        esc(left),
        esc(right),
        esc(who)
    )
}

/// `GET /ho-so/{code}/in/{form}`.
pub async fn form(
    State(state): State<AppState>,
    AnyStaff(actor): AnyStaff,
    Path((code, form)): Path<(String, String)>,
) -> Response {
    let started = std::time::Instant::now();
    let mut r = match render(&state, &actor, &code, &form).await {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    };
    super::inbox::server_timing(&mut r, started);
    r
}

async fn render(state: &AppState, actor: &hcc_domain::actor::Actor, code: &str, form: &str) -> AppResult<Html<String>> {
    let (d, _) = load_readable(state, actor, code).await?;
    let events = state.store.events(d.id).await?;
    state.store.log_staff_read(actor.user_id, d.id, &format!("form:{form}"), hcc_store::model::now()).await?;
    let point = state.point(&d.state.point_code).await?.map(|p| p.name).unwrap_or_default();
    let missing = || AppError::not_found(format!("Hồ sơ {code} không có sự kiện để in mẫu {form}"));
    let mut body = String::new();
    let html = match form {
        "02" => {
            let e = last(&events, "request_supplement").ok_or_else(missing)?;
            body.push_str(&header(&point, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"));
            body.push_str(&applicant(&d));
            body.push_str("<p>Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:</p><ol>");
            for item in e.details.get("items").and_then(|v| v.as_array()).into_iter().flatten() {
                let _ = write!(body, "<li>{}</li>", esc(item.as_str().unwrap_or("")));
            }
            body.push_str("</ol>");
            if !e.note.is_empty() {
                let _ = write!(body, "<p>Lý do: {}</p>", esc(&e.note));
            }
            let _ = write!(
                body,
                "<p>Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {} để được hướng dẫn.</p><p class=\"muted\">Lập lúc {}</p>",
                esc(&point),
                display(e.at)
            );
            body.push_str(&sign("NGƯỜI NỘP HỒ SƠ", "NGƯỜI HƯỚNG DẪN", &e.actor_name));
            page(&format!("Phiếu yêu cầu bổ sung {code}"), false, &body)
        }
        "03" => {
            let e = last(&events, "refuse_receipt").ok_or_else(missing)?;
            body.push_str(&header(&point, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"));
            body.push_str(&applicant(&d));
            let _ = write!(
                body,
                "<p>Qua xem xét, {} từ chối tiếp nhận hồ sơ của ông/bà với lý do sau:</p><p><b>{}</b></p><p>Xin thông báo để ông/bà biết.</p><p class=\"muted\">Lập lúc {}</p>",
                esc(&point),
                esc(&e.note),
                display(e.at)
            );
            body.push_str(&sign("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", &e.actor_name));
            page(&format!("Phiếu từ chối tiếp nhận {code}"), false, &body)
        }
        "04" => {
            let e = last(&events, "apologize").ok_or_else(missing)?;
            let date = |k: &str| {
                e.details.get(k).and_then(|v| v.as_str()).and_then(crate::time::parse).map(display).unwrap_or_default()
            };
            body.push_str(&header(&point, "04", "Văn bản xin lỗi và hẹn lại ngày trả kết quả"));
            body.push_str(&applicant(&d));
            let _ = write!(
                body,
                "<p>Ngày hẹn trả kết quả: {}.</p><p>Lý do chậm trễ: {}</p><p>Chúng tôi thành thật xin lỗi ông/bà và hẹn lại thời gian trả kết quả vào: <b>{}</b>.</p><p class=\"muted\">Lập lúc {}</p>",
                date("old_due_at"),
                esc(&e.note),
                date("new_due_at"),
                display(e.at)
            );
            body.push_str(&sign("", "THỦ TRƯỞNG CƠ QUAN", &e.actor_name));
            page(&format!("Văn bản xin lỗi {code}"), false, &body)
        }
        "05" => {
            let e = last(&events, "stop").ok_or_else(missing)?;
            body.push_str(&header(&point, "05", "Thông báo dừng giải quyết hồ sơ"));
            body.push_str(&applicant(&d));
            let _ = write!(
                body,
                "<p>Hồ sơ tiếp nhận lúc {} được dừng giải quyết với lý do sau:</p><p><b>{}</b></p><p class=\"muted\">Lập lúc {}</p>",
                d.state.received_at.map(display).unwrap_or_default(),
                esc(&e.note),
                display(e.at)
            );
            body.push_str(&sign("", "THỦ TRƯỞNG CƠ QUAN", &e.actor_name));
            page(&format!("Thông báo dừng giải quyết {code}"), false, &body)
        }
        "06" => {
            if d.state.received_at.is_none() {
                return Err(missing());
            }
            body.push_str(&header(&point, "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"));
            let _ = write!(
                body,
                "<p>Mã hồ sơ: <b>{}</b><br>Người nộp: {}<br>Thủ tục: {}<br>Tiếp nhận: {} — Hẹn trả: <b>{}</b>{}</p>",
                esc(&d.code),
                esc(&d.applicant.name),
                esc(&d.procedure_name),
                d.state.received_at.map(display).unwrap_or_default(),
                d.state.due_at.map(display).unwrap_or_default(),
                match (d.state.original_due_at, d.state.due_at) {
                    (Some(o), Some(n)) if o != n => format!(" (hẹn ban đầu {})", display(o)),
                    _ => String::new(),
                }
            );
            body.push_str(
                "<table><tr><th>Thời gian</th><th>Bên giao</th><th>Bên nhận</th><th>Nội dung</th><th>Bước, hạn bước</th><th>Kết quả bước</th><th>Ghi chú</th></tr>",
            );
            for e in &events {
                let outcome = match e.step_outcome.as_str() {
                    "early" => "Trước hạn",
                    "on_time" => "Đúng hạn",
                    "late" => "<b>Quá hạn</b>",
                    _ => "",
                };
                let action =
                    hcc_domain::lifecycle::ActionKind::parse(&e.action).map_or(e.action.as_str(), |k| k.label_vi());
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
            let _ = write!(body, "</table><p class=\"muted\">In ngày {}</p>", display_date(hcc_store::model::now()));
            page(&format!("Phiếu kiểm soát {code}"), true, &body)
        }
        _ => return Err(AppError::not_found(format!("Không có mẫu {form}"))),
    };
    Ok(html)
}
