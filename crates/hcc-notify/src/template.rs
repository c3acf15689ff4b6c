//! The messages HCC sends, in Vietnamese: one template per kind of notice. Times are shown in
//! Asia/Ho_Chi_Minh (`09:30 ngày 24/02/2026`).

use hcc_domain::status::Status;
use jiff::Timestamp;
use serde_json::Value;

/// What a template needs to know of a notice.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub kind: &'a str,
    pub payload: &'a Value,
    pub dossier_code: &'a str,
    pub procedure_name: &'a str,
    pub applicant_name: &'a str,
    pub due_at: Option<Timestamp>,
    /// The public base URL (tracking links are built on it).
    pub public_url: &'a str,
}

/// A rendered message: the subject (email) and the text (email body, SMS, Zalo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

/// Why a notice cannot be rendered (it is then given up, not retried).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("no template for notices of kind {0:?}")]
    UnknownKind(String),
    #[error("notice of kind {kind:?} lacks {field}")]
    Missing { kind: String, field: &'static str },
}

/// `HH:MM ngày dd/mm/yyyy` in Vietnam's time (UTC+7 all year).
pub fn local_time(t: Timestamp) -> String {
    jiff::tz::Offset::constant(7).to_datetime(t).strftime("%H:%M ngày %d/%m/%Y").to_string()
}

fn ts(payload: &Value, field: &str) -> Option<Timestamp> {
    payload.get(field)?.as_str()?.parse().ok()
}

fn text<'a>(payload: &'a Value, field: &str) -> Option<&'a str> {
    payload.get(field)?.as_str().filter(|s| !s.trim().is_empty())
}

/// Renders a notice. Kinds: a dossier status (the status it moved to), `apology`, `rating`,
/// `feedback_answer`, `one_time_code`, and the staff warnings `warning_due_soon`, `warning_overdue`,
/// `warning_escalated`.
pub fn render(n: &Notice<'_>) -> Result<Rendered, TemplateError> {
    let code = n.dossier_code;
    let track = format!("{}/tra-cuu/{code}", n.public_url.trim_end_matches('/'));
    let missing = |field| TemplateError::Missing { kind: n.kind.to_owned(), field };
    let due = n.due_at.map(local_time).unwrap_or_else(|| "theo giấy hẹn".to_owned());
    let (subject, body) = match n.kind {
        "submitted" => (
            format!("Đã nhận hồ sơ trực tuyến {code}"),
            format!(
                "Kính gửi {}, Trung tâm Phục vụ hành chính công đã nhận hồ sơ {code} ({}); hồ sơ sẽ được kiểm tra \
                 trong giờ hành chính. Tra cứu: {track}",
                n.applicant_name, n.procedure_name
            ),
        ),
        "received" => (
            format!("Hồ sơ {code} đã được tiếp nhận"),
            format!(
                "Kính gửi {}, hồ sơ {code} ({}) đã được tiếp nhận. Hẹn trả kết quả: {due}. Tra cứu: {track}",
                n.applicant_name, n.procedure_name
            ),
        ),
        "supplement_requested" => {
            let items: Vec<&str> = n
                .payload
                .get("items")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let list = if items.is_empty() {
                String::new()
            } else {
                format!(" Giấy tờ cần bổ sung: {}.", items.join("; "))
            };
            (
                format!("Hồ sơ {code} cần bổ sung"),
                format!(
                    "Kính gửi {}, hồ sơ {code} cần bổ sung, hoàn thiện theo phiếu yêu cầu bổ sung.{list} Thời gian \
                     chờ bổ sung không tính vào thời hạn giải quyết. Xem chi tiết: {track}",
                    n.applicant_name
                ),
            )
        }
        "result_ready" => (
            format!("Hồ sơ {code} đã có kết quả"),
            format!(
                "Kính gửi {}, hồ sơ {code} ({}) đã có kết quả. Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký, \
                 mang theo giấy tiếp nhận hồ sơ. Tra cứu: {track}",
                n.applicant_name, n.procedure_name
            ),
        ),
        "apology" => {
            let new_due = ts(n.payload, "new_due_at").map(local_time).ok_or_else(|| missing("new_due_at"))?;
            let reason = text(n.payload, "reason").map(|r| format!(" Lý do: {r}.")).unwrap_or_default();
            (
                format!("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}"),
                format!(
                    "Kính gửi {}, cơ quan giải quyết xin lỗi Ông/Bà vì hồ sơ {code} chưa có kết quả đúng hẹn.{reason} \
                     Ngày hẹn trả kết quả mới: {new_due}. Tra cứu: {track}",
                    n.applicant_name
                ),
            )
        }
        "rating" => {
            let url = text(n.payload, "url").ok_or_else(|| missing("url"))?;
            (
                format!("Mời đánh giá việc giải quyết hồ sơ {code}"),
                format!(
                    "Kính gửi {}, mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ {code}: {url}",
                    n.applicant_name
                ),
            )
        }
        "feedback_answer" => {
            let answer = text(n.payload, "answer").ok_or_else(|| missing("answer"))?;
            (
                format!("Trả lời phản ánh, kiến nghị về hồ sơ {code}"),
                format!(
                    "Kính gửi {}, cơ quan giải quyết trả lời phản ánh, kiến nghị của Ông/Bà về hồ sơ {code}: {answer} \
                     Tra cứu: {track}",
                    n.applicant_name
                ),
            )
        }
        "one_time_code" => {
            let otp = text(n.payload, "code").ok_or_else(|| missing("code"))?;
            let minutes = n.payload.get("minutes").and_then(Value::as_u64).unwrap_or(5);
            (
                "Mã xác thực HCC".to_owned(),
                format!(
                    "Mã xác thực của Ông/Bà là {otp}{}, có hiệu lực trong {minutes} phút. Không cung cấp mã này cho \
                     bất kỳ ai.",
                    if code.is_empty() { String::new() } else { format!(" (hồ sơ {code})") }
                ),
            )
        }
        "warning_due_soon" | "warning_overdue" | "warning_escalated" => warning(n)?,
        other => {
            let status = Status::parse(other).ok_or_else(|| TemplateError::UnknownKind(other.to_owned()))?;
            // A refusal, a stop or a decision not to settle says why (Forms 03, 05).
            let why = text(n.payload, "reasons").map(|r| format!(" Lý do: {r}.")).unwrap_or_default();
            (
                format!("Hồ sơ {code}: {}", status.label_vi()),
                format!(
                    "Kính gửi {}, hồ sơ {code} ({}) đã chuyển sang trạng thái: {}.{why} Tra cứu: {track}",
                    n.applicant_name,
                    n.procedure_name,
                    status.label_vi()
                ),
            )
        }
    };
    Ok(Rendered { subject, text: body })
}

/// The staff warnings: the step's due time, and for a leader whose dossier will miss its
/// appointment, the apology HCC drafted for them to sign.
fn warning(n: &Notice<'_>) -> Result<(String, String), TemplateError> {
    let code = n.dossier_code;
    let page = format!("{}/ho-so/{code}", n.public_url.trim_end_matches('/'));
    let step_due = ts(n.payload, "step_due_at")
        .map(local_time)
        .ok_or(TemplateError::Missing { kind: n.kind.to_owned(), field: "step_due_at" })?;
    let step = text(n.payload, "step_name").map(|s| format!(" «{s}»")).unwrap_or_default();
    let (subject, lead) = match n.kind {
        "warning_due_soon" => (
            format!("[Cảnh báo] Hồ sơ {code} sắp đến hạn"),
            format!("Bước xử lý{step} của hồ sơ {code} ({}) sắp đến hạn: {step_due}.", n.procedure_name),
        ),
        "warning_overdue" => (
            format!("[Cảnh báo] Hồ sơ {code} đã quá hạn"),
            format!("Bước xử lý{step} của hồ sơ {code} ({}) đã quá hạn từ {step_due}.", n.procedure_name),
        ),
        _ => (
            format!("[Báo cáo giám sát] Hồ sơ {code} quá hạn kéo dài"),
            format!(
                "Bước xử lý{step} của hồ sơ {code} ({}) quá hạn từ {step_due} mà chưa được xử lý; đề nghị \
                 Trung tâm đôn đốc.",
                n.procedure_name
            ),
        ),
    };
    let draft = ts(n.payload, "proposed_new_due_at")
        .map(|t| {
            format!(
                " Hồ sơ có nguy cơ trễ hẹn trả kết quả; đã có dự thảo văn bản xin lỗi (Mẫu 04) đề xuất hẹn lại \
                 {}, chờ lãnh đạo ký.",
                local_time(t)
            )
        })
        .unwrap_or_default();
    Ok((subject, format!("{lead}{draft} Chi tiết: {page}")))
}

#[cfg(test)]
mod tests;
