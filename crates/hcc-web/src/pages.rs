//! Printable HTML pages: the receipt, Form 01 of Circular 03/2025/TT-VPCP (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), which
//! staff open with a bearer token or their web session.

use crate::AppState;
use crate::api::dossiers::load_readable;
use crate::error::AppResult;
use crate::extract::ApiPath;
use crate::time::{display, display_date};
use crate::ui::AnyStaff;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use hcc_store::DossierRecord;
use std::fmt::Write;

pub fn routes() -> Router<AppState> {
    Router::new().route("/ho-so/{code}/giay-tiep-nhan", get(receipt_page))
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'Times New Roman',serif;max-width:760px;margin:1.5rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.2rem;text-align:center;text-transform:uppercase;margin:.8rem 0}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:.3rem .4rem;vertical-align:top;text-align:left}
.head{display:flex;justify-content:space-between;text-align:center;font-weight:bold}.muted{color:#555}
.late{color:#b00020;font-weight:bold}.qr{float:right;margin-left:1rem}.sign{display:flex;justify-content:space-around;margin-top:2rem;text-align:center}
@page{size:A4;margin:15mm 15mm 12mm 20mm}\
@media print{body{margin:0;max-width:none;font-size:12.5pt;line-height:1.35}.noprint{display:none}table,tr,.sign{break-inside:avoid}.qr svg{width:32mm;height:32mm}}";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    ))
}

fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(120, 120).build(),
        Err(_) => String::new(),
    }
}

async fn receipt_page(
    State(state): State<AppState>,
    AnyStaff(actor): AnyStaff,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Html<String>> {
    let (d, _) = load_readable(&state, &actor, &code).await?;
    state.store.log_staff_read(actor.user_id, d.id, "receipt", hcc_store::model::now()).await?;
    let point = state.store.get_point(&d.state.point_code).await?;
    let procedure = state.procedure(&d.procedure_code, Some(d.procedure_version as u32)).await?;
    Ok(receipt_html(&state, &d, point.as_ref().map_or("", |p| p.name.as_str()), procedure.as_deref()))
}

pub(crate) fn receipt_html(
    state: &AppState,
    d: &DossierRecord,
    point_name: &str,
    procedure: Option<&hcc_domain::catalog::Procedure>,
) -> Html<String> {
    let tracking = format!("{}/tra-cuu/{}", state.public_url, d.code);
    let limit = procedure
        .and_then(|p| p.channel(d.state.channel))
        .and_then(|c| c.time_limit)
        .map(|l| format!("{} {}", l.value(), l.unit.label_vi()))
        .unwrap_or_default();
    let a = &d.applicant;
    let mut docs = String::new();
    for (i, item) in d.documents.iter().filter(|i| i.provided).enumerate() {
        let _ = write!(
            docs,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            esc(&item.name),
            item.originals,
            item.copies
        );
    }
    let seq = d.code.rsplit('-').next().unwrap_or("");
    let received = d.state.received_at.unwrap_or(d.submitted_at);
    let return_place = match d.return_method.as_str() {
        "post" => "Qua dịch vụ bưu chính".to_owned(),
        "online" => "Trực tuyến (Cổng dịch vụ công)".to_owned(),
        _ => esc(point_name),
    };
    let body = format!(
        "<div class=\"head\"><div>TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG<br>{point}</div>\
         <div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></div>\
         <p class=\"muted\">Mẫu số 01</p><h1>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</h1>\
         <div class=\"qr\">{qr}</div>\
         <p><b>Mã hồ sơ:</b> {code}<br><b>Mã tra cứu:</b> {secret}</p>\
         <p>{point} tiếp nhận hồ sơ của: <b>{name}</b><br>Số giấy tờ: {id}<br>Địa chỉ: {address}<br>\
         Số điện thoại: {phone} &nbsp; Thư điện tử: {email}</p>\
         <p>Nội dung yêu cầu giải quyết: {procedure}{summary}</p>\
         <p>1. Thành phần hồ sơ nộp gồm:</p><table><tr><th>TT</th><th>Tên giấy tờ</th><th>Bản chính</th><th>Bản sao</th></tr>{docs}</table>\
         <p>2. Số lượng hồ sơ: 01 bộ<br>3. Thời gian giải quyết hồ sơ theo quy định: {limit}<br>\
         4. Thời gian nhận hồ sơ: {received_at}<br>5. Thời gian trả kết quả giải quyết hồ sơ: <b>{due}</b><br>\
         6. Đăng ký nhận kết quả tại: {return_place}<br>Vào Sổ theo dõi hồ sơ, Quyển số: {day}, Số thứ tự: {seq}</p>\
         <p class=\"muted\">Tra cứu tiến độ: {tracking}</p>\
         <div class=\"sign\"><div><b>NGƯỜI NỘP HỒ SƠ</b><br>(Ký và ghi rõ họ tên)</div>\
         <div><b>NGƯỜI TIẾP NHẬN HỒ SƠ</b><br>(Ký và ghi rõ họ tên)</div></div>\
         <p class=\"noprint\"><button onclick=\"window.print()\">In giấy tiếp nhận</button></p>",
        point = esc(point_name),
        qr = qr_svg(&tracking),
        code = esc(&d.code),
        secret = esc(&d.secret),
        name = esc(&a.name),
        id = esc(&a.id_number),
        address = esc(&a.address),
        phone = esc(a.phone.as_deref().unwrap_or("")),
        email = esc(a.email.as_deref().unwrap_or("")),
        procedure = esc(&d.procedure_name),
        summary =
            if d.request_summary.is_empty() { String::new() } else { format!(" — {}", esc(&d.request_summary)) },
        limit = esc(&limit),
        received_at = display(received),
        due = d.state.due_at.map(display).unwrap_or_default(),
        day = display_date(received),
        tracking = esc(&tracking),
    );
    page(&format!("Giấy tiếp nhận {}", d.code), &body)
}
