//! The catalog's editable text forms: a procedure's papers and steps as an administrator types
//! them, one per line, columns separated by `|`. The administration pages show a procedure this
//! way and read the edited text back; every line that cannot be read is reported with its number,
//! so the page can show all problems at once beside the field.
//!
//! Papers: `name | originals | copies | bắt buộc or không | template | case` (the last three may be
//! left out: mandatory, no template, common to every case).
//! Steps: `name | share in percent | role` (role: `tiếp nhận`, `chuyên viên`, `lãnh đạo`).

use super::{ProcedureStep, RequiredDocument, StepRole};

/// A line of the text that could not be read: its number (from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}: {}", self.line, self.message)
    }
}

const MANDATORY: &str = "bắt buộc";
const CONDITIONAL: &str = "không";

/// The papers as editable text, numbered in order.
pub fn documents_to_text(docs: &[RequiredDocument]) -> String {
    docs.iter()
        .map(|d| {
            let mut cols = vec![
                d.name.clone(),
                d.originals.to_string(),
                d.copies.to_string(),
                if d.mandatory { MANDATORY } else { CONDITIONAL }.to_owned(),
            ];
            if d.template.is_some() || d.group.is_some() {
                cols.push(d.template.clone().unwrap_or_default());
            }
            if let Some(g) = &d.group {
                cols.push(g.clone());
            }
            cols.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(col: Option<&str>, what: &str, line: usize) -> Result<u32, LineError> {
    match col.map(str::trim) {
        None | Some("") => Ok(if what == "bản chính" { 1 } else { 0 }),
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| LineError {
                line, message: format!("số {what} «{s}» phải là số nguyên từ 0 đến 100")
            }),
    }
}

/// Reads the papers back; they are numbered 1, 2, … in the order of the lines (blank lines skipped).
pub fn parse_documents(text: &str) -> Result<Vec<RequiredDocument>, Vec<LineError>> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = raw.split('|').map(str::trim).collect();
        if cols.len() > 6 {
            errors.push(LineError { line, message: "nhiều hơn 6 cột".into() });
            continue;
        }
        let name = crate::text::normalize(cols[0]);
        if name.is_empty() {
            errors.push(LineError { line, message: "thiếu tên giấy tờ".into() });
            continue;
        }
        let originals = count(cols.get(1).copied(), "bản chính", line);
        let copies = count(cols.get(2).copied(), "bản sao", line);
        let mandatory = match cols.get(3).map(|s| s.to_lowercase()) {
            None => Ok(true),
            Some(s) if s.is_empty() || s == MANDATORY || s == "bat buoc" || s == "có" => Ok(true),
            Some(s) if s == CONDITIONAL || s == "khong" || s == "nếu có" => Ok(false),
            Some(s) => Err(LineError {
                line, message: format!("cột bắt buộc «{s}» phải là «bắt buộc» hoặc «không»")
            }),
        };
        let (originals, copies, mandatory) = match (originals, copies, mandatory) {
            (Ok(o), Ok(c), Ok(m)) => (o, c, m),
            (o, c, m) => {
                errors.extend([o.err(), c.err(), m.err()].into_iter().flatten());
                continue;
            }
        };
        if originals == 0 && copies == 0 {
            errors.push(LineError {
                line, message: format!("giấy tờ «{name}» có 0 bản chính và 0 bản sao")
            });
            continue;
        }
        let opt = |k: usize| cols.get(k).map(|s| crate::text::normalize(s)).filter(|s| !s.is_empty());
        docs.push(RequiredDocument {
            no: docs.len() as u32 + 1,
            name,
            originals,
            copies,
            mandatory,
            template: opt(4),
            group: opt(5),
        });
    }
    if errors.is_empty() { Ok(docs) } else { Err(errors) }
}

fn role_text(r: StepRole) -> &'static str {
    match r {
        StepRole::Reception => "tiếp nhận",
        StepRole::Specialist => "chuyên viên",
        StepRole::Leader => "lãnh đạo",
    }
}

/// The steps as editable text.
pub fn steps_to_text(steps: &[ProcedureStep]) -> String {
    steps
        .iter()
        .map(|s| format!("{} | {} | {}", s.name, s.share_percent, role_text(s.role)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the steps back. No lines means the default workflow; otherwise the shares must add up to 100.
pub fn parse_steps(text: &str) -> Result<Vec<ProcedureStep>, Vec<LineError>> {
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = raw.split('|').map(str::trim).collect();
        if cols.len() != 3 {
            errors.push(LineError { line, message: "cần 3 cột: tên bước | tỷ lệ % | vai trò".into() });
            continue;
        }
        let name = crate::text::normalize(cols[0]);
        let share = cols[1].trim_end_matches('%').trim().parse::<u32>().ok().filter(|s| (1..=100).contains(s));
        let role = match crate::text::fold(cols[2]).as_str() {
            "tiep nhan" | "reception" => Some(StepRole::Reception),
            "chuyen vien" | "specialist" => Some(StepRole::Specialist),
            "lanh dao" | "leader" => Some(StepRole::Leader),
            _ => None,
        };
        match (name.is_empty(), share, role) {
            (true, _, _) => errors.push(LineError { line, message: "thiếu tên bước".into() }),
            (_, None, _) => errors
                .push(LineError {
                    line, message: format!("tỷ lệ «{}» phải là số nguyên từ 1 đến 100", cols[1])
                }),
            (_, _, None) => errors.push(LineError {
                line,
                message: format!("vai trò «{}» phải là tiếp nhận, chuyên viên hoặc lãnh đạo", cols[2]),
            }),
            (false, Some(share_percent), Some(role)) => steps.push(ProcedureStep { name, share_percent, role }),
        }
    }
    let total: u32 = steps.iter().map(|s| s.share_percent).sum();
    if errors.is_empty() && !steps.is_empty() && total != 100 {
        errors.push(LineError {
            line: 0, message: format!("tổng tỷ lệ các bước là {total}%, phải là 100%")
        });
    }
    if errors.is_empty() { Ok(steps) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip_through_the_text() {
        let docs = vec![
            RequiredDocument {
                no: 1,
                name: "Đơn đăng ký".into(),
                originals: 1,
                copies: 0,
                mandatory: true,
                template: Some("Mẫu số 04/ĐK".into()),
                group: None,
            },
            RequiredDocument {
                no: 2,
                name: "Giấy ủy quyền".into(),
                originals: 0,
                copies: 1,
                mandatory: false,
                template: None,
                group: Some("a) Trường hợp ủy quyền:".into()),
            },
            RequiredDocument {
                no: 3,
                name: "Sơ đồ".into(),
                originals: 2,
                copies: 1,
                mandatory: true,
                template: None,
                group: None,
            },
        ];
        let text = documents_to_text(&docs);
        assert_eq!(parse_documents(&text), Ok(docs));
    }

    #[test]
    fn short_lines_take_the_defaults_and_are_renumbered() {
        let docs = parse_documents("\nĐơn\n\nBản sao CCCD | 0 | 1 | không\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].no, docs[0].originals, docs[0].copies, docs[0].mandatory), (1, 1, 0, true));
        assert_eq!((docs[1].no, docs[1].originals, docs[1].copies, docs[1].mandatory), (2, 0, 1, false));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let errors =
            parse_documents("Đơn | x\n | 1\nSổ | 0 | 0\nBản vẽ | 1 | 1 | có lẽ\nA|1|1|không|b|c|d").unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5]);
        assert!(errors[0].message.contains("bản chính"), "{}", errors[0]);
        assert_eq!(errors[2].to_string(), "dòng 3: giấy tờ «Sổ» có 0 bản chính và 0 bản sao");
    }

    #[test]
    fn steps_round_trip_and_must_add_up_to_100() {
        let steps = crate::catalog::default_steps();
        assert_eq!(parse_steps(&steps_to_text(&steps)), Ok(steps));
        assert_eq!(parse_steps("  \n"), Ok(vec![]));
        let e = parse_steps("Tiếp nhận | 50 | tiep nhan\nThẩm định | 40% | Chuyên viên").unwrap_err();
        assert_eq!(e, vec![LineError { line: 0, message: "tổng tỷ lệ các bước là 90%, phải là 100%".into() }]);
        let e = parse_steps("Tiếp nhận | 0 | tiếp nhận\nKý | 100 | giám đốc\nChỉ hai | 5").unwrap_err();
        assert_eq!(e.iter().map(|e| e.line).collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
