//! Reader for procedures published on the national public-service portal (Cổng Dịch vụ công quốc gia).
//!
//! The portal's detail page holds several HTML tables; the scrape we import flattened them without
//! separators ("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến17 Ngày làm việcMiễn phí…"). Each table
//! has its own reader in a submodule; this module reads the plain fields and puts a [`Procedure`]
//! together.
//!
//! Nothing is dropped or guessed silently: whatever cannot be read with confidence becomes an
//! [`ImportProblem`] that names the portal field and quotes the text, and the value concerned is left
//! empty (`None`, no row) unless the problem says which reading was taken.
//!
//! Pure: the caller reads the file and passes its text in.

pub mod channels;
pub mod documents;
pub mod legal;
pub mod results;

pub use channels::{parse_channels, parse_fee};
pub use documents::{DocumentGroup, parse_documents};
pub use legal::parse_legal_basis;
pub use results::parse_results;

use super::{Channel, ChannelOffer, ClockPolicy, Level, OnlineLevel, Procedure, is_procedure_code};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

/// What kind of difficulty an [`ImportProblem`] reports, for counting and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A portal field is missing or empty although the catalog needs it.
    MissingField,
    /// The procedure code does not have the national shape (type digit 1–3, dot, six digits).
    InvalidCode,
    /// A level in `cap_thuc_hien` that [`Level`] does not know ("Cơ quan khác").
    UnknownLevel,
    /// No channel row could be found.
    NoChannels,
    /// A channel appears in several rows; the first row is kept, the others are quoted.
    DuplicateChannelRow,
    /// The time cell says "Không có thông tin": the channel has no limit.
    TimeLimitMissing,
    /// The time cell is a number without unit; the unit was taken from the row's description or
    /// the steps text, where the same number is stated with a unit.
    TimeLimitUnitInferred,
    /// The time cell is a number without unit and nothing states the unit: working days assumed.
    TimeLimitUnitAssumed,
    /// A time cell without unit disagrees with the row's description, or is shorter than one step
    /// of the steps text; no limit taken.
    TimeLimitConflict,
    /// The time cell could not be read (or is zero); no limit taken.
    TimeLimitUnreadable,
    /// The fee cell says "Không có thông tin".
    FeeUnknown,
    /// The fee cell could not be read, or names several amounts.
    FeeUnreadable,
    /// The fee amount is implausibly small (under 1,000 đồng) — kept as published, to be checked.
    FeeSuspicious,
    /// No table of required documents.
    NoDocuments,
    /// A case of the document list has only conditional papers: receipt cannot check that case's
    /// papers (an applicant who names it, or hands in nothing of any case, needs only the common
    /// ones). Usually sub-cases the table flattened ("Trường hợp thay đổi tên …", "Trường hợp …").
    CaseWithoutMandatoryPapers,
    /// A document row asks for 0 originals and 0 copies (usually a note published as a row).
    ZeroQuantity,
    /// A headed section of notes ("* Lưu ý:", "Ghi chú"): its rows stay in the list, none required.
    NotesSection,
    /// A number glued to the text before a quantity cell had to be split ("Mẫu số 181 bản chính").
    DocumentCountSplit,
    /// A template file name could not be told apart from the document name.
    TemplateUnsplit,
    /// A legal-basis row could not be split into title and number with confidence.
    LegalRowUnsplit,
    /// No result documents.
    NoResults,
    /// Text that fits no row of its table (quoted so nothing is lost).
    UnreadText,
    /// Published content the catalog has no place for (e.g. the portal's "Mô tả").
    NotImported,
    /// Our own format: a value breaks a catalog rule.
    Invalid,
}

/// Something the importer could not read with confidence. Messages are in Vietnamese, for the
/// administrators who review an import, and quote the text concerned (clipped to ~120 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The source field (a portal key such as `cach_thuc_thuc_hien`, or a catalog path such as
    /// `channels[1].time_limit` for our own format).
    pub field: String,
    pub kind: ProblemKind,
    pub message: String,
}

impl ImportProblem {
    pub fn new(field: impl Into<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        ImportProblem { field: field.into(), kind, message: message.into() }
    }
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// One imported procedure and what could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    pub procedure: Procedure,
    pub problems: Vec<ImportProblem>,
    /// Headings under which the portal groups required documents ("a) Đối với trường hợp …"), with
    /// the numbers of the documents under each. Empty when the list has no headings. When there are
    /// two or more, they are the procedure's cases and each paper also carries its own in
    /// [`super::RequiredDocument::group`]; a lone heading (an introduction) is only listed here.
    #[serde(default)]
    pub document_groups: Vec<DocumentGroup>,
}

/// Why a portal file could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    #[error("không đọc được JSON: {0}")]
    Json(String),
    #[error("tệp cổng quốc gia phải là một đối tượng JSON")]
    NotAnObject,
    #[error("thiếu trường bắt buộc {0:?}")]
    MissingField(&'static str),
    #[error("trường {0:?} không phải là văn bản")]
    NotText(&'static str),
}

/// Reads one national-portal file (its text).
pub fn parse_portal_json(json: &str) -> Result<Parsed, PortalError> {
    let value: Value = serde_json::from_str(json).map_err(|e| PortalError::Json(e.to_string()))?;
    parse_portal_value(&value)
}

/// Reads one national-portal record already parsed as JSON.
pub fn parse_portal_value(value: &Value) -> Result<Parsed, PortalError> {
    let obj = value.as_object().ok_or(PortalError::NotAnObject)?;
    let mut problems = Vec::new();
    let mut reader = Reader { obj, problems: &mut problems };

    let code = reader.required("ma_thu_tuc")?;
    if !is_procedure_code(&code) {
        // The portal's 5.xxxxxx / 6.xxxxxx codes come without a procedure type (loai_thu_tuc):
        // internal procedures between agencies, outside the 1–3 types of the national code.
        let untyped = reader.get("loai_thu_tuc")?.is_none_or(|t| t.trim().is_empty());
        reader.problems.push(ImportProblem::new(
            "ma_thu_tuc",
            ProblemKind::InvalidCode,
            format!(
                "mã thủ tục {} không theo dạng mã quốc gia (chữ số loại 1–3, dấu chấm, sáu chữ số){}",
                quote(&code),
                if untyped {
                    "; loại thủ tục để trống — có thể là thủ tục nội bộ"
                } else {
                    ""
                }
            ),
        ));
    }
    let name = reader.required("ten_thu_tuc")?;
    let field = reader.text("linh_vuc", true)?;
    let level = reader.text("cap_thuc_hien", true)?;
    let applicants = reader.text("doi_tuong_thuc_hien", false)?;
    let competent_agency = reader.text("co_quan_co_tham_quyen", false)?;
    let executing_agency = reader.text("co_quan_thuc_hien", false)?;
    let decision = reader.text("so_quyet_dinh", false)?;
    let source_url = reader.text("detail_url", false)?;
    let steps_text = reader.multiline("trinh_tu_thuc_hien")?;
    let conditions = reader.multiline("yeu_cau_dieu_kien")?;
    let channels_text = reader.raw("cach_thuc_thuc_hien")?;
    let documents_text = reader.raw("thanh_phan_ho_so")?;
    let results_text = reader.raw("ket_qua_xu_ly")?;
    let legal_text = reader.raw("can_cu_phap_ly")?;

    let levels = parse_levels(&level, &mut problems);

    let (channels, p) = parse_channels(&channels_text, &steps_text);
    problems.extend(p);
    let (documents, document_groups, p) = parse_documents(&documents_text);
    problems.extend(p);
    let (results, p) = parse_results(&results_text);
    problems.extend(p);
    let (legal_basis, p) = parse_legal_basis(&legal_text);
    problems.extend(p);

    let online_level = online_level(&channels, &[&steps_text, &conditions]);

    let procedure = Procedure {
        code,
        version: 1,
        name,
        field,
        level,
        levels,
        applicants,
        competent_agency,
        executing_agency,
        channels,
        documents,
        steps: Vec::new(),
        results,
        conditions,
        legal_basis,
        online_level,
        clock_policy: ClockPolicy::default(),
        max_new_appointments: 1,
        extension_cap: None,
        steps_text,
        decision,
        valid_from: None,
        valid_until: None,
        source_url: (!source_url.is_empty()).then_some(source_url),
    };
    Ok(Parsed { procedure, problems, document_groups })
}

/// How far a procedure can be done online, from what the portal publishes.
///
/// The portal's table only says whether the online channel exists; it does not publish the
/// Decree 42/2022 level. So: no online channel → [`OnlineLevel::None`]; an online channel whose
/// description, or the steps or conditions, say "toàn trình" (end to end) → [`OnlineLevel::Full`];
/// otherwise [`OnlineLevel::Partial`] — the safe reading, since it keeps a counter step possible.
pub fn online_level(channels: &[ChannelOffer], texts: &[&str]) -> OnlineLevel {
    let Some(online) = channels.iter().find(|c| c.kind == Channel::Online) else {
        return OnlineLevel::None;
    };
    let says_full = std::iter::once(online.description.as_str())
        .chain(texts.iter().copied())
        .any(|t| crate::text::fold(t).contains("toan trinh"));
    if says_full { OnlineLevel::Full } else { OnlineLevel::Partial }
}

/// Splits `cap_thuc_hien` ("Cấp tỉnh, Cấp xã") into levels; unknown labels become problems.
fn parse_levels(level: &str, problems: &mut Vec<ImportProblem>) -> Vec<Level> {
    let mut levels = Vec::new();
    for label in level.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        match Level::from_label(label) {
            Some(l) if !levels.contains(&l) => levels.push(l),
            Some(_) => {}
            None => problems.push(ImportProblem::new(
                "cap_thuc_hien",
                ProblemKind::UnknownLevel,
                format!(
                    "cấp thực hiện {} không thuộc Cấp bộ / Cấp tỉnh / Cấp xã; không ghi vào danh sách cấp",
                    quote(label)
                ),
            )),
        }
    }
    levels
}

struct Reader<'a> {
    obj: &'a Map<String, Value>,
    problems: &'a mut Vec<ImportProblem>,
}

impl Reader<'_> {
    /// The field's text in NFC, `None` when absent or null.
    fn get(&self, key: &'static str) -> Result<Option<String>, PortalError> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.nfc().collect())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(PortalError::NotText(key)),
        }
    }

    fn required(&mut self, key: &'static str) -> Result<String, PortalError> {
        let s = self.get(key)?.map(|s| crate::text::normalize(&s)).unwrap_or_default();
        if s.is_empty() { Err(PortalError::MissingField(key)) } else { Ok(s) }
    }

    /// A one-line field: whitespace collapsed; "Không có thông tin" becomes empty. A missing key is
    /// reported; an empty value only when `needed`.
    fn text(&mut self, key: &'static str, needed: bool) -> Result<String, PortalError> {
        let Some(s) = self.get(key)? else {
            self.missing(key, "không có trong tệp");
            return Ok(String::new());
        };
        let s = crate::text::normalize(&s);
        let s = if is_absent(&s) { String::new() } else { s };
        if s.is_empty() && needed {
            self.missing(key, "để trống");
        }
        Ok(s)
    }

    /// A multi-line field: trimmed, line breaks kept; "Không có thông tin" becomes empty.
    fn multiline(&mut self, key: &'static str) -> Result<String, PortalError> {
        let Some(s) = self.get(key)? else {
            self.missing(key, "không có trong tệp");
            return Ok(String::new());
        };
        let s = s.trim();
        Ok(if is_absent(s) { String::new() } else { s.to_owned() })
    }

    /// A table field, as published (NFC); a missing key is reported and read as empty.
    fn raw(&mut self, key: &'static str) -> Result<String, PortalError> {
        let Some(s) = self.get(key)? else {
            self.missing(key, "không có trong tệp");
            return Ok(String::new());
        };
        Ok(s)
    }

    fn missing(&mut self, key: &'static str, what: &str) {
        self.problems.push(ImportProblem::new(key, ProblemKind::MissingField, format!("trường {key} {what}")));
    }
}

/// Does the portal's text mean "nothing published" ("Không có thông tin", "--", empty)?
pub(crate) fn is_absent(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.').trim();
    t.is_empty() || t.chars().all(|c| c == '-') || crate::text::fold(t) == "khong co thong tin"
}

/// `«text»` with whitespace collapsed, clipped to about 120 characters.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 120;
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        format!("«{flat}»")
    } else {
        let clipped: String = flat.chars().take(MAX).collect();
        format!("«{clipped}…»")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_clipped() {
        assert_eq!(quote("  a \n b "), "«a b»");
        let long = "x".repeat(300);
        let q = quote(&long);
        assert!(q.ends_with("…»"));
        assert_eq!(q.chars().count(), 120 + 3);
    }

    #[test]
    fn absent_values() {
        assert!(is_absent("Không có thông tin"));
        assert!(is_absent(" -- "));
        assert!(is_absent(""));
        assert!(!is_absent("Miễn phí"));
    }

    #[test]
    fn levels_split_and_report_unknown() {
        let mut problems = Vec::new();
        let levels = parse_levels("Cấp tỉnh, Cấp xã, Cơ quan khác", &mut problems);
        assert_eq!(levels, vec![Level::Province, Level::Commune]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::UnknownLevel);
        assert!(problems[0].message.contains("Cơ quan khác"));
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_eq!(parse_portal_json("[]"), Err(PortalError::NotAnObject));
        assert_eq!(parse_portal_json("{}"), Err(PortalError::MissingField("ma_thu_tuc")));
        assert!(matches!(parse_portal_json("{"), Err(PortalError::Json(_))));
        assert_eq!(
            parse_portal_json(r#"{"ma_thu_tuc": "1.000001", "ten_thu_tuc": {"x": 1}}"#),
            Err(PortalError::NotText("ten_thu_tuc"))
        );
    }

    #[test]
    fn minimal_record_reports_what_is_missing() {
        let parsed = parse_portal_json(r#"{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Thử"}"#).expect("parses");
        assert_eq!(parsed.procedure.code, "1.000001");
        assert!(parsed.procedure.channels.is_empty());
        assert!(parsed.problems.iter().any(|p| p.field == "cach_thuc_thuc_hien"));
        assert!(parsed.problems.iter().any(|p| p.field == "linh_vuc" && p.kind == ProblemKind::MissingField));
        assert_eq!(parsed.procedure.online_level, OnlineLevel::None);
    }
}
