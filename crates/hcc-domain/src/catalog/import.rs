//! Catalog files: national-portal records or our own format, told apart by their content.
//!
//! Accepted shapes (JSON, UTF-8, an optional byte-order mark):
//! - a national-portal record — an object with `"ma_thu_tuc"` — or an array of them;
//! - our own format: one serialized [`Procedure`], `{"procedures": [Procedure, …]}`, or an array of
//!   procedures.
//!
//! Our own format is checked against the catalog's rules (code shape, at least one channel, one offer
//! per channel, step shares adding up to 100, unique document numbers, …). A broken rule does not
//! stop the import: it becomes an [`ImportProblem`] so the administrator sees every problem of the
//! file at once. Text that is not JSON, or an element that is not a procedure at all, fails the whole
//! file with an [`ImportError`] — a catalog is not imported half.

use super::portal::{ImportProblem, Parsed, PortalError, ProblemKind, parse_portal_value};
use super::{Channel, Level, Procedure, is_procedure_code};
use crate::TimeUnit;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Where a catalog file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Scraped from the national public-service portal (Vietnamese keys, flattened tables).
    Portal,
    /// Serialized [`Procedure`]s.
    Own,
}

/// Why a catalog file could not be imported at all. Each variant keeps the file name it was given;
/// the message itself does not repeat it (callers print it in front).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("tệp không phải văn bản UTF-8 (byte lỗi ở vị trí {position})")]
    NotUtf8 { file: String, position: usize },
    #[error("không đọc được JSON (dòng {line}, cột {column}): {message}")]
    Json { file: String, line: usize, column: usize, message: String },
    #[error("không nhận ra định dạng: {found}")]
    UnknownFormat { file: String, found: String },
    #[error("tệp không có thủ tục nào")]
    Empty { file: String },
    #[error("bản ghi {index} (cổng quốc gia): {error}")]
    Portal { file: String, index: usize, error: PortalError },
    #[error("thủ tục {index}{code}: {message}", code = code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Procedure { file: String, index: usize, code: Option<String>, message: String },
}

/// Tells a portal record from one of ours.
pub fn detect_format(value: &Value) -> Option<SourceFormat> {
    match value {
        Value::Object(o) if o.contains_key("ma_thu_tuc") => Some(SourceFormat::Portal),
        Value::Object(o) if o.contains_key("code") && o.contains_key("channels") => Some(SourceFormat::Own),
        Value::Object(o) if o.get("procedures").is_some_and(Value::is_array) => Some(SourceFormat::Own),
        Value::Array(items) => items.first().and_then(detect_format),
        _ => None,
    }
}

/// Reads one catalog file. `file_name` only labels errors; the format is read from the content.
pub fn parse_catalog_file(file_name: &str, bytes: &[u8]) -> Result<Vec<Parsed>, ImportError> {
    let file = file_name.to_owned();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ImportError::NotUtf8 { file: file.clone(), position: e.valid_up_to() })?;
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Json {
        file: file.clone(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;

    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) if !o.contains_key("ma_thu_tuc") && !o.contains_key("code") => match o.get("procedures") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => return Err(unknown(&file, &value)),
        },
        Value::Object(_) => vec![&value],
        _ => return Err(unknown(&file, &value)),
    };
    if items.is_empty() {
        return Err(ImportError::Empty { file });
    }

    let mut parsed = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let index = i + 1;
        match detect_format(item) {
            Some(SourceFormat::Portal) => {
                parsed.push(parse_portal_value(item).map_err(|error| ImportError::Portal {
                    file: file.clone(),
                    index,
                    error,
                })?)
            }
            Some(SourceFormat::Own) | None if item.is_object() => {
                let procedure: Procedure =
                    serde_json::from_value(item.clone()).map_err(|e| ImportError::Procedure {
                        file: file.clone(),
                        index,
                        code: item.get("code").and_then(Value::as_str).map(str::to_owned),
                        message: e.to_string(),
                    })?;
                let problems = validate_procedure(&procedure);
                parsed.push(Parsed { procedure, problems, document_groups: Vec::new() });
            }
            _ => return Err(unknown(&file, item)),
        }
    }

    // The same procedure version twice in one file: the later one is reported.
    let mut seen = HashMap::new();
    for (i, p) in parsed.iter_mut().enumerate() {
        let key = (p.procedure.code.clone(), p.procedure.version);
        if let Some(first) = seen.insert(key, i + 1) {
            p.problems.push(ImportProblem::new(
                "code",
                ProblemKind::Invalid,
                format!(
                    "thủ tục {} phiên bản {} đã có ở bản ghi {first} của cùng tệp",
                    p.procedure.code, p.procedure.version
                ),
            ));
        }
    }
    Ok(parsed)
}

fn unknown(file: &str, value: &Value) -> ImportError {
    let found = match value {
        Value::Object(o) => {
            let keys: Vec<&str> = o.keys().take(8).map(String::as_str).collect();
            format!("đối tượng JSON với các khóa {keys:?} (cần \"ma_thu_tuc\", một thủ tục hoặc \"procedures\")")
        }
        Value::Array(_) => "mảng JSON chứa phần tử không phải đối tượng".to_owned(),
        other => format!("giá trị JSON {}", super::portal::quote(&other.to_string())),
    };
    ImportError::UnknownFormat { file: file.to_owned(), found }
}

/// Checks a procedure in our own format against the catalog's rules.
pub fn validate_procedure(p: &Procedure) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let mut bad =
        |field: String, message: String| problems.push(ImportProblem::new(field, ProblemKind::Invalid, message));

    if !is_procedure_code(&p.code) {
        bad(
            "code".into(),
            format!("mã thủ tục «{}» không đúng dạng (chữ số loại 1–3, dấu chấm, sáu chữ số, hậu tố tùy chọn)", p.code),
        );
    }
    if p.version == 0 {
        bad("version".into(), "phiên bản phải từ 1".into());
    }
    if p.name.trim().is_empty() {
        bad("name".into(), "tên thủ tục để trống".into());
    }
    if p.field.trim().is_empty() {
        bad("field".into(), "lĩnh vực để trống".into());
    }
    for label in p.level.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(level) = Level::from_label(label)
            && !p.levels.contains(&level)
        {
            bad("levels".into(), format!("cấp «{label}» có trong level nhưng thiếu trong levels"));
        }
    }

    if p.channels.is_empty() {
        bad("channels".into(), "thủ tục phải có ít nhất một kênh nộp hồ sơ".into());
    }
    let mut kinds = HashSet::new();
    for (i, c) in p.channels.iter().enumerate() {
        if !kinds.insert(c.kind) {
            bad(format!("channels[{i}].kind"), format!("kênh {} khai báo hai lần", c.kind.label_vi()));
        }
        match c.time_limit {
            None => bad(
                format!("channels[{i}].time_limit"),
                format!("kênh {} chưa có thời hạn giải quyết; kênh chưa nhận được hồ sơ", c.kind.label_vi()),
            ),
            Some(t) if t.tenths == 0 => {
                bad(format!("channels[{i}].time_limit"), format!("thời hạn kênh {} bằng 0", c.kind.label_vi()));
            }
            Some(t) if t.tenths % 10 != 0 && t.unit != TimeUnit::WorkingDays => {
                bad(format!("channels[{i}].time_limit"), format!("thời hạn lẻ {t} chỉ dùng được với ngày làm việc"))
            }
            Some(_) => {}
        }
    }
    if p.online_level != super::OnlineLevel::None && !kinds.contains(&Channel::Online) {
        bad("online_level".into(), "mức trực tuyến khác «none» nhưng thủ tục không có kênh trực tuyến".into());
    }

    let mut numbers = HashSet::new();
    for (i, d) in p.documents.iter().enumerate() {
        if d.no == 0 {
            bad(format!("documents[{i}].no"), "số thứ tự giấy tờ phải từ 1".into());
        } else if !numbers.insert(d.no) {
            bad(format!("documents[{i}].no"), format!("số thứ tự giấy tờ {} bị trùng", d.no));
        }
        if d.name.trim().is_empty() {
            bad(format!("documents[{i}].name"), "tên giấy tờ để trống".into());
        }
        if d.originals == 0 && d.copies == 0 {
            bad(format!("documents[{i}]"), format!("giấy tờ «{}» có 0 bản chính và 0 bản sao", d.name));
        }
        if d.group.as_deref().is_some_and(|g| g.trim().is_empty()) {
            bad(
                format!("documents[{i}].group"),
                "trường hợp của giấy tờ để trống (bỏ trường nếu là giấy tờ chung)".into(),
            );
        }
    }

    if !p.steps.is_empty() {
        let total: u32 = p.steps.iter().map(|s| s.share_percent).sum();
        if total != 100 {
            bad("steps".into(), format!("tổng tỷ lệ thời gian các bước là {total}%, phải là 100%"));
        }
        for (i, s) in p.steps.iter().enumerate() {
            if s.name.trim().is_empty() {
                bad(format!("steps[{i}].name"), "tên bước để trống".into());
            }
        }
    }
    for (i, r) in p.results.iter().enumerate() {
        if r.name.trim().is_empty() {
            bad(format!("results[{i}].name"), "tên kết quả để trống".into());
        }
    }
    for (i, l) in p.legal_basis.iter().enumerate() {
        if l.title.trim().is_empty() || l.number.trim().is_empty() {
            bad(format!("legal_basis[{i}]"), "văn bản pháp lý thiếu tên hoặc số hiệu".into());
        }
    }
    if let (Some(from), Some(until)) = (p.valid_from, p.valid_until)
        && from > until
    {
        bad("valid_until".into(), format!("ngày hết hiệu lực {until} trước ngày có hiệu lực {from}"));
    }
    if p.extension_cap.is_some_and(|c| c.tenths == 0) {
        bad("extension_cap".into(), "mức gia hạn tối đa bằng 0; bỏ trống nếu không cho gia hạn".into());
    }
    problems
}
