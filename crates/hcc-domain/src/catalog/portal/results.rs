//! Kết quả thực hiện: result documents, flattened as `<name>Mã: <code>` repeated, followed by the
//! portal's page furniture from "Từ khóa" on ("Từ khóaKhông có thông tinMô tảKhông có thông
//! tinChọn cơ quan thực hiện…"). The furniture is dropped, except a real "Từ khóa"/"Mô tả" text,
//! which is reported since the catalog has no place for it.

use super::{ImportProblem, ProblemKind, is_absent, quote};
use crate::catalog::ResultDocument;
use regex::Regex;
use std::sync::LazyLock;

const FIELD: &str = "ket_qua_xu_ly";

static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Mã\s*:\s*([A-Za-z]{2,4}(?:[.\-][A-Za-z0-9]+)*\.\d+)").expect("valid result code regex")
});

/// Reads `ket_qua_xu_ly` into result documents with their national codes.
pub fn parse_results(text: &str) -> (Vec<ResultDocument>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let (head, furniture) = match text.find("Từ khóa") {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    report_furniture(furniture, &mut problems);

    let mut results = Vec::new();
    let mut pos = 0;
    for caps in CODE.captures_iter(head) {
        let (Some(whole), Some(code)) = (caps.get(0), caps.get(1)) else { continue };
        let name = clean_name(&head[pos..whole.start()]);
        if name.is_empty() {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::UnreadText,
                format!("mã kết quả {} không kèm tên kết quả", code.as_str()),
            ));
        }
        results.push(ResultDocument { name, code: Some(code.as_str().to_owned()) });
        pos = whole.end();
    }
    let rest = head[pos..].trim();
    if !is_absent(rest) {
        // A result published without a code.
        results.push(ResultDocument { name: clean_name(rest), code: None });
    }
    if results.is_empty() {
        problems.push(ImportProblem::new(FIELD, ProblemKind::NoResults, "không có kết quả thực hiện nào được công bố"));
    }
    (results, problems)
}

/// Collapses whitespace; drops a repeated leading title ("Giấy chứng nhận đăng ký đầu tưGiấy chứng
/// nhận đăng ký đầu tư theo mẫu I.2.6 …": a short name cell glued to a longer one that repeats it).
fn clean_name(s: &str) -> String {
    let s = crate::text::normalize(s);
    for (i, _) in s.char_indices().skip(8) {
        let (first, second) = s.split_at(i);
        if second.starts_with(first) && !first.ends_with(' ') {
            return second.to_owned();
        }
    }
    s
}

/// Reports the keyword and description boxes of the portal page when they hold text.
fn report_furniture(furniture: &str, problems: &mut Vec<ImportProblem>) {
    let Some(after_keywords) = furniture.strip_prefix("Từ khóa") else { return };
    let (keywords, after) = after_keywords.split_once("Mô tả").unwrap_or((after_keywords, ""));
    let description = after.split("Chọn cơ quan thực hiện").next().unwrap_or("");
    for (label, text) in [("Từ khóa", keywords), ("Mô tả", description)] {
        if !is_absent(text) {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::NotImported,
                format!("mục «{label}» của trang cổng không được nhập: {}", quote(text)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        let text = "Quyết định hình thức sử dụng đất.Mã: KQ.G10.000935Giấy chứng nhận quyền sử dụng đất.Mã: KQ.G10.001148Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phố";
        let (results, problems) = parse_results(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].name, "Quyết định hình thức sử dụng đất.");
        assert_eq!(results[0].code.as_deref(), Some("KQ.G10.000935"));
        assert_eq!(results[1].code.as_deref(), Some("KQ.G10.001148"));
    }

    #[test]
    fn other_code_shapes_and_repeated_titles() {
        let (results, _) = parse_results(
            "Giấy chứng nhận đăng ký đầu tưGiấy chứng nhận đăng ký đầu tư theo mẫu I.2.6.Mã: TP-G12.0001143Hợp đồng mua bánMã: KQ-G17.000004",
        );
        assert_eq!(results[0].name, "Giấy chứng nhận đăng ký đầu tư theo mẫu I.2.6.");
        assert_eq!(results[0].code.as_deref(), Some("TP-G12.0001143"));
        assert_eq!(results[1].code.as_deref(), Some("KQ-G17.000004"));
    }

    #[test]
    fn description_box_is_reported() {
        let (results, problems) = parse_results(
            "Văn bản chấp thuậnTừ khóaKhông có thông tinMô tả- Cơ quan có thẩm quyền quyết định: UBND cấp tỉnh",
        );
        assert_eq!(results, vec![ResultDocument { name: "Văn bản chấp thuận".into(), code: None }]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::NotImported);
        assert!(problems[0].message.contains("UBND cấp tỉnh"));
    }

    #[test]
    fn nothing_published() {
        let (results, problems) = parse_results("Không có thông tin");
        assert!(results.is_empty());
        assert_eq!(problems[0].kind, ProblemKind::NoResults);
    }
}
