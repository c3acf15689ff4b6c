use super::*;
use serde_json::json;

fn notice<'a>(kind: &'a str, payload: &'a Value) -> Notice<'a> {
    Notice {
        kind,
        payload,
        dossier_code: "000.00.16.H26-260302-0001",
        procedure_name: "Đăng ký đất đai lần đầu",
        applicant_name: "Nguyễn Văn Đức",
        due_at: Some("2026-03-10T03:00:00Z".parse().expect("instant")),
        public_url: "https://hcc.hanoi.gov.vn/",
    }
}

#[test]
fn every_applicant_notice_names_the_dossier_and_links_to_tracking() {
    let empty = json!({});
    for kind in ["submitted", "received", "supplement_requested", "result_ready", "returned", "stopped", "not_settled"]
    {
        let r = render(&notice(kind, &empty)).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(r.subject.contains("000.00.16.H26-260302-0001"), "{kind}: {}", r.subject);
        assert!(r.text.contains("https://hcc.hanoi.gov.vn/tra-cuu/000.00.16.H26-260302-0001"), "{kind}: {}", r.text);
        assert!(r.text.starts_with("Kính gửi Nguyễn Văn Đức"), "{kind}: {}", r.text);
    }
}

#[test]
fn receipt_shows_the_appointment_in_vietnam_time() {
    let r = render(&notice("received", &json!({}))).expect("renders");
    assert_eq!(r.subject, "Hồ sơ 000.00.16.H26-260302-0001 đã được tiếp nhận");
    assert!(r.text.contains("Hẹn trả kết quả: 10:00 ngày 10/03/2026."), "{}", r.text);
}

#[test]
fn status_notices_use_the_vietnamese_status_name() {
    let r = render(&notice("stopped", &json!({}))).expect("renders");
    assert!(r.text.contains(&format!("trạng thái: {}", Status::Stopped.label_vi())), "{}", r.text);
}

#[test]
fn a_supplement_request_lists_the_papers_and_a_refusal_says_why() {
    let p = json!({"form": "02", "items": ["Bản sao CCCD", "Sơ đồ thửa đất"], "request_number": 1});
    let r = render(&notice("supplement_requested", &p)).expect("renders");
    assert!(r.text.contains("Giấy tờ cần bổ sung: Bản sao CCCD; Sơ đồ thửa đất."), "{}", r.text);
    let r = render(&notice("supplement_requested", &json!({}))).expect("renders without a list");
    assert!(!r.text.contains("Giấy tờ cần bổ sung"), "{}", r.text);
    let r = render(&notice("refused", &json!({"form": "03", "reasons": "Không thuộc thẩm quyền"}))).expect("renders");
    assert!(r.text.contains("Lý do: Không thuộc thẩm quyền."), "{}", r.text);
    let r = render(&notice("returned", &json!({"method": "counter"}))).expect("renders");
    assert!(!r.text.contains("Lý do"), "{}", r.text);
}

#[test]
fn the_apology_carries_the_new_date_and_reason() {
    let p = json!({"new_due_at": "2026-03-17T08:30:00Z", "reason": "Chờ kết quả đo đạc"});
    let r = render(&notice("apology", &p)).expect("renders");
    assert!(r.subject.starts_with("Thư xin lỗi"), "{}", r.subject);
    assert!(r.text.contains("Ngày hẹn trả kết quả mới: 15:30 ngày 17/03/2026."), "{}", r.text);
    assert!(r.text.contains("Lý do: Chờ kết quả đo đạc."), "{}", r.text);
    assert_eq!(
        render(&notice("apology", &json!({}))),
        Err(TemplateError::Missing { kind: "apology".into(), field: "new_due_at" })
    );
}

#[test]
fn rating_link_and_one_time_code() {
    let r = render(&notice("rating", &json!({"url": "https://hcc.hanoi.gov.vn/danh-gia/abc"}))).expect("renders");
    assert!(r.text.ends_with("https://hcc.hanoi.gov.vn/danh-gia/abc"), "{}", r.text);
    let r = render(&notice("one_time_code", &json!({"code": "482913", "minutes": 10}))).expect("renders");
    assert!(r.text.starts_with("Mã xác thực của Ông/Bà là 482913"), "{}", r.text);
    assert!(r.text.contains("10 phút"), "{}", r.text);
    assert!(!r.text.contains("tra-cuu"), "a code message carries no link: {}", r.text);
    assert!(render(&notice("one_time_code", &json!({}))).is_err());
    assert!(render(&notice("rating", &json!({"url": " "}))).is_err());
}

#[test]
fn a_feedback_answer_quotes_the_agency_and_links_the_tracking_page() {
    let r =
        render(&notice("feedback_answer", &json!({"answer": "Đã chấn chỉnh bộ phận tiếp nhận."}))).expect("renders");
    assert!(r.subject.starts_with("Trả lời phản ánh, kiến nghị"), "{}", r.subject);
    assert!(r.text.contains("Đã chấn chỉnh bộ phận tiếp nhận.") && r.text.contains("/tra-cuu/"), "{}", r.text);
    assert_eq!(
        render(&notice("feedback_answer", &json!({"answer": " "}))),
        Err(TemplateError::Missing { kind: "feedback_answer".into(), field: "answer" })
    );
}

#[test]
fn staff_warnings_link_to_the_dossier_page_and_carry_the_apology_draft() {
    let p = json!({"step_due_at": "2026-03-05T09:00:00Z", "step_name": "Thẩm định hồ sơ"});
    let r = render(&notice("warning_due_soon", &p)).expect("renders");
    assert_eq!(r.subject, "[Cảnh báo] Hồ sơ 000.00.16.H26-260302-0001 sắp đến hạn");
    assert!(r.text.contains("«Thẩm định hồ sơ»") && r.text.contains("16:00 ngày 05/03/2026"), "{}", r.text);
    assert!(r.text.ends_with("https://hcc.hanoi.gov.vn/ho-so/000.00.16.H26-260302-0001"), "{}", r.text);
    assert!(!r.text.contains("Mẫu 04"));
    let p = json!({"step_due_at": "2026-03-05T09:00:00Z", "proposed_new_due_at": "2026-03-12T09:00:00Z"});
    let r = render(&notice("warning_overdue", &p)).expect("renders");
    assert!(r.text.contains("đã quá hạn từ 16:00 ngày 05/03/2026"), "{}", r.text);
    assert!(r.text.contains("(Mẫu 04) đề xuất hẹn lại 16:00 ngày 12/03/2026, chờ lãnh đạo ký"), "{}", r.text);
    let r = render(&notice("warning_escalated", &p)).expect("renders");
    assert!(r.subject.starts_with("[Báo cáo giám sát]"), "{}", r.subject);
    assert!(render(&notice("warning_overdue", &json!({}))).is_err());
}

#[test]
fn unknown_kinds_are_refused() {
    assert_eq!(render(&notice("fax", &json!({}))), Err(TemplateError::UnknownKind("fax".into())));
}
