//! Thành phần hồ sơ: the table of required documents, flattened.
//!
//! The text is one or more groups. Each group is an optional heading ("--" when there is none,
//! or "a) Đối với trường hợp …"), the header "Tên giấy tờMẫu đơn, tờ khaiSố lượng", then rows
//! `<name><template file(s)><quantity>` where the quantity cell ("1 bản chính,1 bản sao",
//! "0 bản chính,1 bản sao", "1 bản chính") ends the row. Whatever follows the last row of a group
//! is the heading of the next group.
//!
//! Choices:
//! - Template cell: the portal lists form files ("Mẫu I.1.8.docx", "Phụ lục XXI.docx") glued to the
//!   name. The file name starts at the first place, within 100 characters before the extension, where
//!   a capital letter is glued to the name ("…đầu tưMẫu I.1.8.docx", "…sản;Phụ lục XIX (…).docx",
//!   "…NĐ-CPDanhmuc….docx"). Several files are joined with "; ". Without a file, a "Mẫu số …" /
//!   "mẫu I.2.7" mention in the name is the template.
//! - Counts: a count of more than one digit glued to the name is the name's number followed by a
//!   one-digit count ("theo Mẫu số 181 bản chính" = "Mẫu số 18" + "1 bản chính"; no real count in the
//!   data has two digits); each such split is reported.
//! - Cases: when the list has two or more headed groups, each heading is a case (thành phần hồ sơ
//!   theo trường hợp) and its papers carry it in [`RequiredDocument::group`]; papers before the
//!   first heading (or under an empty one) are common to every case. A lone heading is an
//!   introduction ("Hồ sơ gồm bản sao … các giấy tờ sau:", "(Trường hợp khai thác, sử dụng được
//!   thông tin …)" in the data), not a choice: its papers stay common. Which papers receipt then
//!   requires is [`crate::catalog::required`]'s rule.
//! - Not every heading is a case ([`HeadingKind`]). "* Giấy tờ phải nộp:" and "* Giấy tờ phải
//!   xuất trình:" (civil-status procedures) name parts of every dossier, both required: their
//!   papers are common. "* Lưu ý:" / "Ghi chú" introduce notes published as rows: kept in the
//!   list, never required, and reported.
//! - `mandatory` is false when the name says the paper is conditional ("nếu có", starting with
//!   "Trường hợp …"/"Đối với …", "đối với trường hợp", "trong trường hợp", a parenthesised
//!   "(trường hợp …)"/"(đối với …)"); a paper of a case is otherwise mandatory *for that case*.

use super::{ImportProblem, ProblemKind, is_absent, quote};
use crate::catalog::RequiredDocument;
use crate::text::{fold, normalize};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

const FIELD: &str = "thanh_phan_ho_so";
const HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";
/// How far before a file extension the file name may start.
const TEMPLATE_WINDOW: usize = 100;

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+)\s*bản chính(?:\s*,\s*(\d+)\s*bản sao)?|(\d+)\s*bản sao").expect("valid quantity regex")
});
static EXTENSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\.(?:docx|doc|pdf|xlsx|xls|odt|rar|zip)").expect("valid extension regex"));
static TEMPLATE_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Mẫu|mẫu|MẪU)\s+(?:(?:số|Số|SỐ)\s*)?(?:[0-9][0-9A-Za-zĐđ./\-]*|[IVX]+\.[0-9A-Za-zĐđ./\-]*)")
        .expect("valid template regex")
});
static ENUMERATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?(?:[a-zđ]|[0-9]{1,2}(?:\.[0-9]{1,2})?|[ivx]{1,4})[).]").expect("valid enumerator regex")
});

/// A heading under which the portal groups some required documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentGroup {
    pub heading: String,
    /// [`RequiredDocument::no`] of the documents under the heading.
    pub documents: Vec<u32>,
}

/// Reads `thanh_phan_ho_so`: documents numbered from 1 in published order, the headed groups, and
/// the problems.
pub fn parse_documents(text: &str) -> (Vec<RequiredDocument>, Vec<DocumentGroup>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let parts: Vec<&str> = text.split(HEADER).collect();
    if parts.len() < 2 {
        let message = if is_absent(text) {
            "không có bảng thành phần hồ sơ".to_owned()
        } else {
            format!(
                "không thấy bảng thành phần hồ sơ (Tên giấy tờ / Mẫu đơn, tờ khai / Số lượng) trong {}",
                quote(text)
            )
        };
        problems.push(ImportProblem::new(FIELD, ProblemKind::NoDocuments, message));
        return (Vec::new(), Vec::new(), problems);
    }

    // Rows of each group, and the heading of each group.
    let mut headings: Vec<String> = vec![clean_heading(parts[0])];
    let mut groups_rows: Vec<Vec<RawRow>> = Vec::new();
    for (i, body) in parts[1..].iter().enumerate() {
        let last = i + 2 == parts.len();
        let mut rows = Vec::new();
        let mut pos = 0;
        for caps in QUANTITY.captures_iter(body) {
            let Some(whole) = caps.get(0) else { continue };
            // The first number of the cell: originals, or copies when the cell names copies only.
            let (count_text, copies_only, copies) = match (caps.get(1), caps.get(2), caps.get(3)) {
                (Some(o), c, _) => (o, false, c.and_then(|c| c.as_str().parse().ok()).unwrap_or(0)),
                (None, _, Some(c)) => (c, true, 0),
                _ => continue,
            };
            let mut name = &body[pos..count_text.start()];
            let mut digits = count_text.as_str();
            // A glued number before a one-digit count: "Mẫu số 181 bản chính".
            if digits.len() > 1 {
                let (head, tail) = digits.split_at(digits.len() - 1);
                let leading_zeros =
                    head.bytes().all(|b| b == b'0') && !name.chars().next_back().is_some_and(char::is_alphanumeric);
                if !leading_zeros {
                    let name_end: String = {
                        let rev: Vec<char> = name.chars().rev().take(30).collect();
                        rev.into_iter().rev().collect()
                    };
                    problems.push(ImportProblem::new(
                        FIELD,
                        ProblemKind::DocumentCountSplit,
                        format!(
                            "số lượng «{}» dính vào cuối tên giấy tờ «…{name_end}»; hiểu là tên kết thúc bằng «{head}» và số lượng «{}»",
                            &body[count_text.start()..whole.end()],
                            &body[count_text.end() - 1..whole.end()],
                        ),
                    ));
                    name = &body[pos..count_text.start() + head.len()];
                }
                digits = tail;
            }
            let count: u32 = digits.parse().unwrap_or(0);
            let (originals, copies) = if copies_only { (0, count) } else { (count, copies) };
            rows.push(RawRow { text: name.to_owned(), originals, copies });
            pos = whole.end();
        }
        let tail = &body[pos..];
        if rows.is_empty() && !is_absent(body) {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::UnreadText,
                format!("không tách được dòng nào (thiếu cột số lượng) trong {}", quote(body)),
            ));
        }
        if last {
            if !is_absent(tail) {
                problems.push(ImportProblem::new(
                    FIELD,
                    ProblemKind::UnreadText,
                    format!("văn bản sau dòng giấy tờ cuối cùng không thuộc dòng nào: {}", quote(tail)),
                ));
            }
        } else {
            headings.push(clean_heading(tail));
        }
        groups_rows.push(rows);
    }

    let cases = headings.iter().filter(|h| HeadingKind::of(h) == HeadingKind::Case).count();
    let mut documents = Vec::new();
    let mut groups = Vec::new();
    for (heading, rows) in headings.into_iter().zip(groups_rows) {
        let kind = HeadingKind::of(&heading);
        let group = (cases >= 2 && kind == HeadingKind::Case).then(|| heading.clone());
        let mut numbers = Vec::new();
        for row in rows {
            let no = documents.len() as u32 + 1;
            let (name, files, leftover) = split_template_files(&row.text);
            if let Some(leftover) = leftover {
                problems.push(ImportProblem::new(
                    FIELD,
                    ProblemKind::TemplateUnsplit,
                    format!("giấy tờ số {no}: {leftover}"),
                ));
            }
            let name = clean_name(&name);
            if name.is_empty() {
                problems.push(ImportProblem::new(
                    FIELD,
                    ProblemKind::UnreadText,
                    format!("giấy tờ số {no} không có tên (dòng {})", quote(&row.text)),
                ));
            }
            let template = files.or_else(|| {
                TEMPLATE_MENTION
                    .find(&name)
                    .map(|m| m.as_str().trim_end_matches(['.', ',', ';', ':', '/', '-']).to_owned())
            });
            if row.originals == 0 && row.copies == 0 {
                problems.push(ImportProblem::new(
                    FIELD,
                    ProblemKind::ZeroQuantity,
                    format!("giấy tờ số {no} ghi 0 bản chính và 0 bản sao (có thể là ghi chú): {}", quote(&name)),
                ));
            }
            let mandatory = kind != HeadingKind::Notes
                && (!is_conditional(&name) || group.as_deref().is_some_and(|g| restates_case(&name, g)));
            documents.push(RequiredDocument {
                no,
                name,
                originals: row.originals,
                copies: row.copies,
                mandatory,
                template,
                group: group.clone(),
            });
            numbers.push(no);
        }
        if let Some(case) = &group {
            let papers = documents.iter().filter(|d| d.group.as_ref() == Some(case));
            if !numbers.is_empty() && !papers.clone().any(|d| d.mandatory) {
                problems.push(ImportProblem::new(
                    FIELD,
                    ProblemKind::CaseWithoutMandatoryPapers,
                    format!(
                        "trường hợp {} chỉ có giấy tờ có điều kiện (số {}): khi tiếp nhận không kiểm tra được giấy tờ của trường hợp này",
                        quote(case),
                        numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        if kind == HeadingKind::Notes && !numbers.is_empty() {
            problems.push(ImportProblem::new(
                FIELD,
                ProblemKind::NotesSection,
                format!(
                    "mục {} là ghi chú: các dòng số {} giữ trong danh mục nhưng không bắt buộc khi tiếp nhận",
                    quote(&heading),
                    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if !heading.is_empty() {
            groups.push(DocumentGroup { heading, documents: numbers });
        }
    }
    (documents, groups, problems)
}

/// What a heading of the document list introduces.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum HeadingKind {
    /// No heading ("--"): papers common to every case.
    None,
    /// A situation of the applicant ("a) Đối với trường hợp mất:"): with another one, a case to
    /// choose between.
    Case,
    /// A part of every dossier ("* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:"): its papers
    /// are required together with the other parts', as common ones.
    Part,
    /// Notes published as rows ("* Lưu ý:", "Ghi chú:"): kept in the list, none required.
    Notes,
}

impl HeadingKind {
    fn of(heading: &str) -> HeadingKind {
        if heading.is_empty() {
            return HeadingKind::None;
        }
        let f = fold(heading);
        let f = f.trim_start_matches(|c: char| !c.is_alphanumeric());
        let f = ENUMERATOR.find(f).map_or(f, |m| f[m.end()..].trim_start());
        if ["luu y", "ghi chu", "chu y"].iter().any(|n| f.starts_with(n)) {
            HeadingKind::Notes
        } else if f.starts_with("giay to") && !f.contains("truong hop") && !f.contains("doi voi") {
            HeadingKind::Part
        } else {
            HeadingKind::Case
        }
    }
}

struct RawRow {
    text: String,
    originals: u32,
    copies: u32,
}

/// A heading without content ("--", "Thành phần hồ sơ:") becomes empty.
fn clean_heading(s: &str) -> String {
    let s = normalize(s);
    let folded = fold(&s);
    let folded = folded.trim_start_matches(['-', ' ']).trim_end_matches([':', ' ']);
    if is_absent(&s) || folded == "thanh phan ho so" { String::new() } else { s }
}

/// Collapses whitespace and strips list bullets and trailing separators.
fn clean_name(s: &str) -> String {
    let s = normalize(s);
    s.trim_start_matches(|c: char| matches!(c, '-' | '+' | '•' | '*' | '.' | '–' | ';' | ',') || c.is_whitespace())
        .trim_end_matches(|c: char| matches!(c, ';' | ',') || c.is_whitespace())
        .to_owned()
}

/// Does the name make the paper conditional?
fn is_conditional(name: &str) -> bool {
    let f = fold(name);
    let f = f.trim_start_matches(|c: char| !c.is_alphabetic());
    let f = ENUMERATOR.find(f).map_or(f, |m| f[m.end()..].trim_start());
    f.contains("neu co")
        || f.contains("(truong hop")
        || f.contains("(doi voi")
        || f.starts_with("doi voi")
        || f.starts_with("truong hop")
        || f.contains("doi voi truong hop")
        || f.contains("trong truong hop")
        || f.contains("truong hop co")
}

/// Does the paper's "(trường hợp …)" only repeat its own case heading, as in "Giấy tờ chứng minh …
/// (trường hợp có nhà ở nhưng diện tích … thấp hơn 15m2 sàn/người)" under "Trường hợp 2: … (trường
/// hợp có nhà ở nhưng diện tích …)"? Then it names the case, not a condition within it.
fn restates_case(name: &str, heading: &str) -> bool {
    let f = fold(name);
    if f.contains("neu co") {
        return false;
    }
    let Some(start) = f.find("(truong hop") else { return false };
    let inner = &f[start + 1..];
    let inner = inner.split(')').next().unwrap_or(inner).trim();
    inner.len() >= 20 && fold(heading).contains(inner)
}

/// Splits the template file names glued to the end of a row's name. Returns the name, the files
/// ("a.docx; b.docx") and a message when the files could not be told apart from the name.
fn split_template_files(row: &str) -> (String, Option<String>, Option<String>) {
    let exts: Vec<_> = EXTENSION.find_iter(row).collect();
    let (Some(first), Some(last)) = (exts.first(), exts.last()) else {
        return (row.to_owned(), None, None);
    };
    let chars: Vec<(usize, char)> = row.char_indices().collect();
    let ext_char = chars.iter().position(|&(b, _)| b == first.start()).unwrap_or(0);
    let lo = ext_char.saturating_sub(TEMPLATE_WINDOW);
    let is_sep = |c: char| matches!(c, '.' | ';' | ':' | ')');
    let boundary = (lo.max(1)..ext_char).find(|&i| {
        let (p, c) = (chars[i - 1].1, chars[i].1);
        let n1 = chars.get(i + 1).map(|x| x.1);
        let n2 = chars.get(i + 2).map(|x| x.1);
        (c.is_uppercase() && p.is_lowercase())
            || (c.is_alphabetic() && is_sep(p))
            || (c.is_uppercase()
                && p.is_uppercase()
                && n1.is_some_and(char::is_lowercase)
                && n2.is_some_and(char::is_lowercase))
    });
    let start = match boundary {
        Some(i) => chars[i].0,
        None if lo == 0 => 0,
        None => {
            return (
                row.to_owned(),
                None,
                Some(format!("không tách được tên tệp mẫu khỏi tên giấy tờ {}", quote(&row[..last.end()]))),
            );
        }
    };
    // One file per extension.
    let mut files = Vec::new();
    let mut from = start;
    for ext in &exts {
        let file = row[from..ext.end()].trim();
        if !file.is_empty() {
            files.push(file.to_owned());
        }
        from = ext.end();
    }
    let mut name = row[..start].to_owned();
    let after = row[last.end()..].trim();
    let mut message = None;
    if !after.is_empty() {
        message = Some(format!("văn bản sau tên tệp mẫu được giữ trong tên giấy tờ: {}", quote(after)));
        name.push(' ');
        name.push_str(after);
    }
    (name, Some(files.join("; ")), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_counts() {
        let text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đăng ký đất đai1 bản chính,1 bản sao- Sơ đồ thửa đất (nếu có).0 bản chính,1 bản saoBáo cáo theo Mẫu số 15d ban hành kèm theo Nghị định số 151/2025/NĐ-CP.1 bản chính";
        let (docs, groups, problems) = parse_documents(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(groups.is_empty());
        assert_eq!(docs.len(), 3);
        assert_eq!(
            (docs[0].no, docs[0].name.as_str(), docs[0].originals, docs[0].copies),
            (1, "Đơn đăng ký đất đai", 1, 1)
        );
        assert!(docs[0].mandatory);
        assert_eq!((docs[1].name.as_str(), docs[1].originals, docs[1].copies), ("Sơ đồ thửa đất (nếu có).", 0, 1));
        assert!(!docs[1].mandatory);
        assert_eq!(docs[2].template.as_deref(), Some("Mẫu số 15d"));
        assert_eq!((docs[2].originals, docs[2].copies), (1, 0));
    }

    #[test]
    fn headings_make_cases() {
        let text = "a) Đối với trường hợp mất:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị1 bản chínhb) Đối với trường hợp hỏng:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị1 bản chínhGiấy chứng nhận1 bản chínhBiên bản (nếu có)1 bản sao";
        let (docs, groups, problems) = parse_documents(text);
        assert!(problems.is_empty(), "{problems:?}");
        let read: Vec<(u32, bool, Option<&str>)> =
            docs.iter().map(|d| (d.no, d.mandatory, d.group.as_deref())).collect();
        let (a, b) = (Some("a) Đối với trường hợp mất:"), Some("b) Đối với trường hợp hỏng:"));
        assert_eq!(read, vec![(1, true, a), (2, true, b), (3, true, b), (4, false, b)]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].heading, "a) Đối với trường hợp mất:");
        assert_eq!(groups[0].documents, vec![1]);
        assert_eq!(groups[1].documents, vec![2, 3, 4]);
    }

    #[test]
    fn a_paper_repeating_its_case_is_not_conditional() {
        let text = "Trường hợp 1: Xác nhận (trường hợp chưa có nhà ở thuộc sở hữu của mình).Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy tờ chứng minh (trường hợp chưa có nhà ở thuộc sở hữu của mình).1 bản chínhGiấy xác nhận (trường hợp có vợ hoặc chồng)1 bản chínhTrường hợp 2: Khác:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính";
        let (docs, _, problems) = parse_documents(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.iter().map(|d| d.mandatory).collect::<Vec<_>>(), vec![true, false, true]);
    }

    #[test]
    fn papers_before_the_first_case_are_common() {
        let text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai chung1 bản chínha) Trường hợp 1:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn A1 bản chínhb) Trường hợp 2:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn B1 bản chính";
        let (docs, groups, problems) = parse_documents(text);
        assert!(problems.is_empty(), "{problems:?}");
        let read: Vec<(u32, bool, Option<&str>)> =
            docs.iter().map(|d| (d.no, d.mandatory, d.group.as_deref())).collect();
        assert_eq!(
            read,
            vec![(1, true, None), (2, true, Some("a) Trường hợp 1:")), (3, true, Some("b) Trường hợp 2:"))]
        );
        assert_eq!(groups.len(), 2);
    }

    #[test]
    fn parts_of_every_dossier_are_not_cases_and_notes_are_not_required() {
        let text = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký kết hôn1 bản chính- Bản sao giấy tờ chứng minh nơi thường trú.0 bản chính,1 bản sao* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu hoặc thẻ căn cước còn giá trị sử dụng.1 bản chínhTrường hợp thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư thì không phải xuất trình0 bản chính* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượngNgười tiếp nhận có trách nhiệm tiếp nhận đúng, đủ hồ sơ.0 bản chínhGiấy tờ của nước ngoài phải được hợp pháp hóa lãnh sự.1 bản chính,1 bản sao";
        let (docs, groups, problems) = parse_documents(text);
        let read: Vec<(u32, bool, Option<&str>)> =
            docs.iter().map(|d| (d.no, d.mandatory, d.group.as_deref())).collect();
        assert_eq!(
            read,
            vec![
                (1, true, None),
                (2, true, None),
                (3, true, None),
                (4, false, None),
                (5, false, None),
                (6, false, None)
            ],
            "both parts required together; the conditional row and the notes are not"
        );
        assert_eq!(groups.len(), 3, "each heading still reported for review");
        let notes: Vec<&ImportProblem> = problems.iter().filter(|p| p.kind == ProblemKind::NotesSection).collect();
        assert_eq!(notes.len(), 1, "{problems:?}");
        assert!(notes[0].message.contains("5, 6"), "{}", notes[0].message);
        assert_eq!(HeadingKind::of("b) Giấy tờ phải nộp đối với trường hợp ủy quyền:"), HeadingKind::Case);
        assert_eq!(HeadingKind::of("Ghi chú:"), HeadingKind::Notes);
        assert_eq!(HeadingKind::of(""), HeadingKind::None);
    }

    #[test]
    fn a_lone_heading_is_an_introduction() {
        let text = "Hồ sơ gồm bản sao các giấy tờ sau:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị1 bản chínhBản vẽ (nếu có)1 bản sao";
        let (docs, groups, problems) = parse_documents(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(docs.iter().all(|d| d.group.is_none()));
        assert_eq!(docs.iter().map(|d| d.mandatory).collect::<Vec<_>>(), vec![true, false]);
        assert_eq!(groups.len(), 1, "still reported alongside for review");
    }

    #[test]
    fn glued_numbers_are_split_and_reported() {
        let (docs, _, problems) = parse_documents(
            "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn theo Mẫu số 181 bản chính,1 bản saoGiấy tờ khác.01 bản chínhBản sao giấy phép2 bản sao",
        );
        assert_eq!(docs[0].name, "Đơn theo Mẫu số 18");
        assert_eq!(docs[0].template.as_deref(), Some("Mẫu số 18"));
        assert_eq!((docs[0].originals, docs[0].copies), (1, 1));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::DocumentCountSplit);
        // Leading zeros after punctuation are just a zero-padded count.
        assert_eq!((docs[1].name.as_str(), docs[1].originals), ("Giấy tờ khác.", 1));
        assert_eq!((docs[2].originals, docs[2].copies), (0, 2));
    }

    #[test]
    fn template_files() {
        let cases = [
            (
                "Văn bản đề nghị điều chỉnh dự án đầu tưMẫu I.1.8.a.docx",
                "Văn bản đề nghị điều chỉnh dự án đầu tư",
                "Mẫu I.1.8.a.docx",
            ),
            (
                "Văn bản đề nghị cấp lại hoặc hiệu đínhMẫu I.1.17.docxMẫu I.1.18.docx",
                "Văn bản đề nghị cấp lại hoặc hiệu đính",
                "Mẫu I.1.17.docx; Mẫu I.1.18.docx",
            ),
            (
                "Đơn (Luật Kinh doanh bất động sản);Phụ lục XIX (mẫu đơn cấp lại).docx",
                "Đơn (Luật Kinh doanh bất động sản);",
                "Phụ lục XIX (mẫu đơn cấp lại).docx",
            ),
            (
                "Danh mục theo Phụ lục VIb Nghị định số 06/2021/NĐ-CPDanhmuchosohoanthanhcongtrinh.docx",
                "Danh mục theo Phụ lục VIb Nghị định số 06/2021/NĐ-CP",
                "Danhmuchosohoanthanhcongtrinh.docx",
            ),
            (
                "Giấy tờ chứng minh, sửa chữa nhà ở.phuluc TT05 BXD Mauso06 GIAYTO.docx",
                "Giấy tờ chứng minh, sửa chữa nhà ở.",
                "phuluc TT05 BXD Mauso06 GIAYTO.docx",
            ),
            (
                "Đơn theo quy định của Luật Kiến trúc;MẪU ĐƠN CAP GIA HAN CCHNKT.docx",
                "Đơn theo quy định của Luật Kiến trúc;",
                "MẪU ĐƠN CAP GIA HAN CCHNKT.docx",
            ),
        ];
        for (row, name, files) in cases {
            let (n, f, m) = split_template_files(row);
            assert_eq!((n.as_str(), f.as_deref(), m), (name, Some(files), None), "{row}");
        }
    }

    #[test]
    fn no_table() {
        let (docs, _, problems) = parse_documents("--");
        assert!(docs.is_empty());
        assert_eq!(problems[0].kind, ProblemKind::NoDocuments);
    }
}
