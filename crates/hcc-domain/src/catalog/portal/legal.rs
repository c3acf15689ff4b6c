//! Căn cứ pháp lý: the legal basis, flattened as "Tên văn bản pháp lýMã văn bản" and then
//! `<title><number>` pairs, e.g. "Luật Đất đai ngày 18/01/2024;31/2024/QH15Nghị định 101/2024/NĐ-CP…".
//!
//! A number is `N/YYYY/ISSUER` (151/2025/NĐ-CP, 31/2024/QH15, 05/2024/TT-BXD, 118/2025/NĐ-C as
//! published) or `N/QĐ-AGENCY` (2418/QĐ-BNNMT). The issuer is QH and the two-digit legislature, or
//! a type (NĐ, TT, QĐ, NQ…), a dash and the agency ("CP", "TTg", a known ministry abbreviation, or
//! capitals up to the capital that starts the next, glued title).
//!
//! Best effort, with these rules:
//! - Titles mention numbers too ("Nghị định số 102/2024/NĐ-CP ngày 30/7/2024 của Chính phủ …"), so a
//!   number ends a row only when it is followed by nothing, by a glued letter or digit, or by a
//!   capitalised word; when it directly follows the title's punctuation (";31/2024/QH15") or
//!   another number; or when it repeats a number already in the row's title.
//! - A year glued in front of a number ("ngày 29/6/202443/2024/QH15", "năm 2024230/2025/NĐ-CP") goes
//!   back to the title: a run of five or more digits starting 19xx/20xx is split after the year.
//! - The number cell may repeat the title's number or carry a type word ("Nghị định
//!   101/2024/NĐ-CPNghị định 101/2024/NĐ-CP", "Luật Nhà ở số 27/2023/QH1527/2023/QH15"): two
//!   neighbouring rows with the same number, one of them without a real title, are one row.
//! - A short number cell glued between titles ("…Luật Đầu tư côngLuật số 58Quy định…") ends a row;
//!   its number is completed from the title when the title names it ("58/2024/QH15").
//! - A title that still looks like rows glued together (a lowercase letter directly followed by a
//!   capitalised word) is kept and reported; so is text after the last number.

use super::{ImportProblem, ProblemKind, is_absent, quote};
use crate::catalog::LegalDocument;
use crate::text::{fold, normalize};
use regex::Regex;
use std::sync::LazyLock;

const FIELD: &str = "can_cu_phap_ly";
const HEADER: &str = "Tên văn bản pháp lýMã văn bản";

static NUMBER_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,5})/(?:(\d{4})/)?").expect("valid legal number regex"));
static SHORT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Ll}((?:Luật|Nghị định|Thông tư|Nghị quyết|Quyết định) số (\d{1,4}))(?:\p{Lu}|\s*$)")
        .expect("valid short number regex")
});
static GLUED_ROWS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}\p{Lu}\p{Ll}|\d\p{Lu}\p{Ll}").expect("valid glue regex"));
static TRAILING_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\p{L})(nghị định|thông tư|nghị quyết|quyết định|luật)(\s+số)?\s*$").expect("valid type regex")
});

/// Document-type words that may stand alone in front of a number cell.
const TYPE_WORDS: [&str; 8] =
    ["nghi dinh", "thong tu", "thong tu lien tich", "nghi quyet", "quyet dinh", "luat", "chi thi", "van ban"];

/// Issuing bodies, longest first, so that a glued capital after them is not taken for theirs.
const AGENCIES: [&str; 30] = [
    "BLĐTBXH", "BVHTTDL", "BNNPTNT", "VKSNDTC", "TANDTC", "UBTVQH", "BTNMT", "BNNMT", "BKHĐT", "BKHCN", "BGDĐT",
    "BTTTT", "BGTVT", "UBND", "HĐND", "NHNN", "VPCP", "BTC", "BXD", "BCA", "BQP", "BCT", "BTP", "BNV", "BYT", "BNG",
    "KTNN", "TTCP", "BDT", "BTNN",
];

/// Reads `can_cu_phap_ly` into legal documents.
pub fn parse_legal_basis(text: &str) -> (Vec<LegalDocument>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let trimmed = text.trim();
    if is_absent(trimmed) {
        return (Vec::new(), problems);
    }
    let body = trimmed.strip_prefix(HEADER).unwrap_or(trimmed);

    // Raw rows: (title text, number).
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row_start = 0;
    let mut pos = 0;
    while let Some(token) = next_token(body, pos, row_start) {
        let title = &body[row_start..token.start];
        let next = body[token.end..].chars().next();
        let prev = body[..token.start].chars().next_back();
        let ends_row = token.glued_short
            || match next {
                None => true,
                Some(c) if c.is_alphanumeric() => true,
                Some(c) if c.is_whitespace() => {
                    let rest = body[token.end..].trim_start();
                    let mut chars = rest.chars();
                    rest.is_empty()
                        || (chars.next().is_some_and(char::is_uppercase)
                            && chars.next().is_some_and(char::is_lowercase))
                }
                Some(_) => false,
            }
            || prev.is_some_and(|c| matches!(c, ';' | '.' | ')'))
            || title.trim().is_empty()
            || numbers_in(title).contains(&token.number);
        if ends_row {
            rows.push((title.to_owned(), token.number));
            row_start = token.end;
        }
        pos = token.end;
    }
    let tail = body[row_start..].trim();
    if !tail.is_empty() {
        problems.push(ImportProblem::new(
            FIELD,
            ProblemKind::LegalRowUnsplit,
            format!("không tìm thấy số hiệu văn bản ở cuối dòng {}", quote(tail)),
        ));
    }

    // Two neighbouring rows with the same number, one without a real title, are one row.
    let mut merged: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let (title, number) = &rows[i];
        if let Some((next_title, next_number)) = rows.get(i + 1)
            && next_number == number
        {
            let weak = |t: &str| t.trim().is_empty() || is_type_only(t);
            if weak(title) || weak(next_title) {
                let mut joined = format!("{}{number}", title.trim_start());
                if !weak(next_title) {
                    joined.push(' ');
                    joined.push_str(next_title.trim());
                }
                merged.push((joined, number.clone()));
                i += 2;
                continue;
            }
        }
        merged.push((title.clone(), number.clone()));
        i += 1;
    }

    let docs: Vec<LegalDocument> = merged
        .into_iter()
        .map(|(title, number)| {
            let title = if is_type_only(&title) && !title.trim().is_empty() {
                format!("{}{number}", title.trim_start())
            } else {
                strip_trailing_type(&title)
            };
            LegalDocument { title: clean_title(&title), number: number.trim().to_owned() }
        })
        .collect();
    for doc in &docs {
        if doc.title.is_empty() {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::LegalRowUnsplit,
                format!("văn bản số {} không có tên", doc.number),
            ));
        } else if GLUED_ROWS.is_match(&doc.title) {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::LegalRowUnsplit,
                format!(
                    "tên văn bản có vẻ gồm nhiều dòng dính nhau, giữ nguyên: {} — số hiệu {}",
                    quote(&doc.title),
                    doc.number
                ),
            ));
        }
    }
    (docs, problems)
}

/// A number cell found in the text.
struct Token {
    /// Byte range of the cell in the text.
    start: usize,
    end: usize,
    /// The number, as published or completed from the title.
    number: String,
    /// A short number ("Luật số 58") glued between two titles: always ends a row.
    glued_short: bool,
}

/// The next number cell at or after `pos`; `row_start` is where the current row's title starts.
fn next_token(body: &str, mut pos: usize, row_start: usize) -> Option<Token> {
    loop {
        let full = NUMBER_START.captures_at(body, pos);
        let short = SHORT_NUMBER.captures_at(body, pos);
        let full_start = full.as_ref().and_then(|c| c.get(0)).map(|m| m.start());
        let short_start = short.as_ref().and_then(|c| c.get(1)).map(|m| m.start());
        if let (Some(s), Some(caps)) = (short_start, &short)
            && full_start.is_none_or(|f| s < f)
        {
            let (Some(cell), Some(digits)) = (caps.get(1), caps.get(2)) else { return None };
            let title = &body[row_start..cell.start()];
            let number = numbers_in(title)
                .into_iter()
                .find(|n| n.split('/').next() == Some(digits.as_str()))
                .unwrap_or_else(|| cell.as_str().to_owned());
            return Some(Token { start: cell.start(), end: cell.end(), number, glued_short: true });
        }
        let caps = full?;
        let (Some(whole), Some(digits)) = (caps.get(0), caps.get(1)) else { return None };
        let year = caps.get(2);
        let Some(issuer_len) = issuer_len(&body[whole.end()..]) else {
            pos = whole.end();
            continue;
        };
        let issuer = &body[whole.end()..whole.end() + issuer_len];
        // Numbers without a year are decisions and the like: "2418/QĐ-BNNMT".
        if year.is_none() && !issuer.contains('-') {
            pos = whole.end();
            continue;
        }
        let end = whole.end() + issuer_len;
        let mut start = digits.start();
        // A year glued in front: "…12/6/20252418/QĐ-BNNMT", "năm 2024230/2025/NĐ-CP".
        let run_start = body[row_start..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit())
            .last()
            .map_or(start, |(i, _)| row_start + i);
        let run = &body[run_start..digits.end()];
        if run.len() >= 5 && (run.starts_with("19") || run.starts_with("20")) && !body[..run_start].ends_with("số ") {
            start = run_start + 4;
        }
        // Prefer a number the title already names when this one ends with it.
        let title = &body[row_start..start];
        let tail = &body[start..end];
        if let Some(known) = numbers_in(title)
            .into_iter()
            .filter(|n| tail.ends_with(n.as_str()) && n.len() < tail.len())
            .min_by_key(String::len)
        {
            start = end - known.len();
        }
        return Some(Token { start, end, number: body[start..end].to_owned(), glued_short: false });
    }
}

/// Capitals (and Đ) at the start of `s`, in bytes, giving back a last capital that starts a
/// lowercase word ("BTCLuật" → "BTC").
fn capitals(s: &str) -> usize {
    let chars: Vec<char> = s.chars().take_while(|c| c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ð')).collect();
    let mut n = chars.len();
    if n > 1 && s.chars().nth(n).is_some_and(char::is_lowercase) {
        n -= 1;
    }
    chars[..n].iter().map(|c| c.len_utf8()).sum()
}

/// The byte length of the issuer part at the start of `s` ("NĐ-CP", "QH15", "TT-BXD", "QĐ-TTg").
fn issuer_len(s: &str) -> Option<usize> {
    for prefix in ["UBTVQH", "QH"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            // The legislature's number has two digits (QH13, QH14, QH15); more digits belong to
            // the next, glued number ("QH1527/2023/QH15").
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                return Some(prefix.len() + digits.min(2));
            }
        }
    }
    let mut len = capitals(s);
    if len == 0 {
        return None;
    }
    while s[len..].starts_with('-') {
        let agency = &s[len + 1..];
        let agency_len = if agency.starts_with("CP") {
            2
        } else if agency.starts_with("TTg") {
            3
        } else if let Some(known) = AGENCIES.iter().find(|a| agency.starts_with(**a)) {
            known.len()
        } else {
            capitals(agency)
        };
        if agency_len == 0 {
            break;
        }
        len += 1 + agency_len;
    }
    Some(len)
}

/// Every number (`N/YYYY/ISSUER` or `N/QĐ-AGENCY`) in `s`.
fn numbers_in(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(caps) = NUMBER_START.captures_at(s, pos) {
        let Some(whole) = caps.get(0) else { break };
        match issuer_len(&s[whole.end()..]) {
            Some(n) if caps.get(2).is_some() || s[whole.end()..whole.end() + n].contains('-') => {
                out.push(s[whole.start()..whole.end() + n].to_owned());
                pos = whole.end() + n;
            }
            _ => pos = whole.end(),
        }
    }
    out
}

/// Is the title only a document-type word ("Nghị định ", "Luật số")? Empty titles are too.
fn is_type_only(title: &str) -> bool {
    let f = fold(title);
    let f = f.trim();
    let f = f.strip_suffix(" so").unwrap_or(f).trim();
    f.is_empty() || TYPE_WORDS.contains(&f)
}

/// "…kiến trúcthông tư " → "…kiến trúc": a type word glued to the title belongs to the number cell.
fn strip_trailing_type(title: &str) -> String {
    match TRAILING_TYPE.captures(title).and_then(|c| c.get(1)) {
        Some(letter) => title[..letter.end()].to_owned(),
        None => title.to_owned(),
    }
}

fn clean_title(s: &str) -> String {
    normalize(s)
        .trim_start_matches(|c: char| matches!(c, '-' | '+' | '•') || c.is_whitespace())
        .trim_end_matches(|c: char| matches!(c, ';' | ',' | ':') || c.is_whitespace())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> (Vec<(String, String)>, Vec<ImportProblem>) {
        let (docs, problems) = parse_legal_basis(text);
        (docs.into_iter().map(|d| (d.title, d.number)).collect(), problems)
    }

    fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn issuers() {
        assert_eq!(issuer_len("NĐ-CPThực hiện"), Some("NĐ-CP".len()));
        assert_eq!(issuer_len("NĐ-CQuy định"), Some("NĐ-C".len()));
        assert_eq!(issuer_len("QH1527/2023"), Some(4));
        assert_eq!(issuer_len("TT-BTCLuật"), Some("TT-BTC".len()));
        assert_eq!(issuer_len("QĐ-TTg ngày"), Some("QĐ-TTg".len()));
        assert_eq!(issuer_len("TTLT-BTC-BXD;"), Some("TTLT-BTC-BXD".len()));
        assert_eq!(issuer_len("NĐ-CPNGHỊ ĐỊNH"), Some("NĐ-CP".len()));
        assert_eq!(issuer_len("ngày"), None);
    }

    #[test]
    fn splits_rows() {
        let text = "Tên văn bản pháp lýMã văn bảnNghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CPThực hiện thủ tục hành chính theo cơ chế một cửa118/2025/NĐ-CQuy định về phân định thẩm quyền151/2025/NĐ-CPLuật số 43/2024/QH15 ngày 29/6/202443/2024/QH15Luật Đất đai ngày 18/01/2024;31/2024/QH15";
        let (rows, problems) = pairs(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            owned(&[
                ("Nghị định 101/2024/NĐ-CP", "101/2024/NĐ-CP"),
                ("Thực hiện thủ tục hành chính theo cơ chế một cửa", "118/2025/NĐ-C"),
                ("Quy định về phân định thẩm quyền", "151/2025/NĐ-CP"),
                ("Luật số 43/2024/QH15 ngày 29/6/2024", "43/2024/QH15"),
                ("Luật Đất đai ngày 18/01/2024", "31/2024/QH15"),
            ])
        );
    }

    #[test]
    fn numbers_inside_titles_stay_there() {
        let text = "Tên văn bản pháp lýMã văn bảnNghị định số 95/2024/NĐ-CP ngày 24 tháng 7 năm 2024 của Chính phủ;95/2024/NĐ-CPLuật Nhà ở số 27/2023/QH1527/2023/QH15 sửa đổi, bổ sung một số điều.54/2026/NĐ-CP";
        let (rows, problems) = pairs(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            owned(&[
                ("Nghị định số 95/2024/NĐ-CP ngày 24 tháng 7 năm 2024 của Chính phủ", "95/2024/NĐ-CP"),
                ("Luật Nhà ở số 27/2023/QH15", "27/2023/QH15"),
                ("sửa đổi, bổ sung một số điều.", "54/2026/NĐ-CP"),
            ])
        );
    }

    #[test]
    fn glued_type_word_and_unsplittable_rows() {
        let (rows, problems) = pairs("Thông tư quy định về mẫu chứng chỉ hành nghề kiến trúcthông tư 03/2020/TT-BXD");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rows, owned(&[("Thông tư quy định về mẫu chứng chỉ hành nghề kiến trúc", "03/2020/TT-BXD")]));

        let (rows, problems) =
            pairs("Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư côngLuật số 58Quy định về phân cấp151/2025/NĐ-CP");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            owned(&[
                ("Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư công", "58/2024/QH15"),
                ("Quy định về phân cấp", "151/2025/NĐ-CP"),
            ])
        );

        let (rows, problems) = pairs("Luật Đầu tư côngQuy định về phân cấp151/2025/NĐ-CP");
        assert_eq!(rows.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::LegalRowUnsplit);

        let (rows, problems) = pairs("Luật Đất đai 2024");
        assert!(rows.is_empty());
        assert_eq!(problems[0].kind, ProblemKind::LegalRowUnsplit);
        assert!(pairs("Không có thông tin").0.is_empty());
    }

    #[test]
    fn glued_years_repeated_numbers_and_decisions() {
        let text = "Luật Đất đai ngày 18/01/2024;31/2024/QH15118/2020/NĐ-CP118/2020/NĐ-CPĐính chính Nghị định số 151/2025/NĐ-CP ngày 12/6/20252418/QĐ-BNNMTLuật Nhà ở 201465/2014/QH13Nghị định số 230/2025/NĐ-CP Quy định các trường hợp khác theo Luật Đất đai năm 2024230/2025/NĐ-CP";
        let (rows, problems) = pairs(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            owned(&[
                ("Luật Đất đai ngày 18/01/2024", "31/2024/QH15"),
                ("118/2020/NĐ-CP", "118/2020/NĐ-CP"),
                ("Đính chính Nghị định số 151/2025/NĐ-CP ngày 12/6/2025", "2418/QĐ-BNNMT"),
                ("Luật Nhà ở 2014", "65/2014/QH13"),
                (
                    "Nghị định số 230/2025/NĐ-CP Quy định các trường hợp khác theo Luật Đất đai năm 2024",
                    "230/2025/NĐ-CP"
                ),
            ])
        );
    }

    #[test]
    fn capitals_after_numbers() {
        let text = "Ban hành định mức17/2025/TT-BXDhông tư sửa đổi Thông tư số 16/2025/TT-BXD ngày 30/6/2025, NGHỊ QUYẾT SỐ 254/2025/QH15 NGÀY 11 THÁNG 12 NĂM 202550/2026/NĐ-CPQUY ĐỊNH VỀ PHÂN ĐỊNH145/2025/NĐ-CP";
        let (rows, problems) = pairs(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            owned(&[
                ("Ban hành định mức", "17/2025/TT-BXD"),
                (
                    "hông tư sửa đổi Thông tư số 16/2025/TT-BXD ngày 30/6/2025, NGHỊ QUYẾT SỐ 254/2025/QH15 NGÀY 11 THÁNG 12 NĂM 2025",
                    "50/2026/NĐ-CP"
                ),
                ("QUY ĐỊNH VỀ PHÂN ĐỊNH", "145/2025/NĐ-CP"),
            ])
        );
    }
}
