//! Reading the holiday lists: CSV with the header `date,name_vi,name_en` (RFC 4180 quoting).

use super::CalendarError;
use jiff::civil::Date;

/// One list's entries, `(date, Vietnamese name)`, in file order. `list` names the list in errors.
/// Blank input (no header at all) is an empty list.
pub(crate) fn parse_days(text: &str, list: &'static str) -> Result<Vec<(Date, String)>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = records(text).map_err(|line| CalendarError::CsvQuote { list, line })?;
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else { return Ok(Vec::new()) };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if names != ["date", "name_vi", "name_en"] {
        return Err(CalendarError::CsvHeader { list, found: header.join(",") });
    }
    let mut days = Vec::new();
    for (line, fields) in records {
        let (Some(date), Some(name)) = (fields.first(), fields.get(1)) else {
            return Err(CalendarError::CsvFields { list, line });
        };
        let date: Date =
            date.trim().parse().map_err(|_| CalendarError::CsvDate { list, line, value: date.trim().to_owned() })?;
        days.push((date, name.trim().to_owned()));
    }
    Ok(days)
}

/// Splits CSV text into records with the line each starts on, skipping blank lines. A quoted field
/// may hold commas, doubled quotes and line breaks. Err(line) when a quote is never closed.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                in_quotes = true;
                quote_line = line;
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                push_record(&mut out, record_line, std::mem::take(&mut fields));
                line += 1;
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(quote_line);
    }
    fields.push(field);
    push_record(&mut out, record_line, fields);
    Ok(out)
}

fn push_record(out: &mut Vec<(usize, Vec<String>)>, line: usize, fields: Vec<String>) {
    let blank = fields.iter().all(|f| f.trim().is_empty());
    if !blank {
        out.push((line, fields));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn reads_quoted_fields_and_skips_blank_lines() {
        let text = "\u{feff}date,name_vi,name_en\r\n\
                    2026-01-01,Tết Dương lịch,New Year's Day\r\n\
                    \r\n\
                    \"2026-04-30\",\"Ngày Chiến thắng, 30/4\",\"Reunification \"\"Day\"\"\"\n\
                    2026-09-02,\"Quốc\nkhánh\",National Day";
        let days = parse_days(text, "ngày nghỉ lễ").unwrap();
        assert_eq!(
            days,
            vec![
                (date(2026, 1, 1), "Tết Dương lịch".to_owned()),
                (date(2026, 4, 30), "Ngày Chiến thắng, 30/4".to_owned()),
                (date(2026, 9, 2), "Quốc\nkhánh".to_owned()),
            ]
        );
    }

    #[test]
    fn empty_text_and_header_only_are_empty_lists() {
        assert!(parse_days("", "x").unwrap().is_empty());
        assert!(parse_days("  \n\n", "x").unwrap().is_empty());
        assert!(parse_days("date,name_vi,name_en\n", "x").unwrap().is_empty());
        assert!(parse_days("Date, Name_VI ,name_en", "x").unwrap().is_empty());
    }

    #[test]
    fn errors_name_the_list_and_the_line() {
        let e = parse_days("ngay,ten\n", "ngày nghỉ lễ").unwrap_err();
        assert_eq!(e, CalendarError::CsvHeader { list: "ngày nghỉ lễ", found: "ngay,ten".into() });
        let e = parse_days("date,name_vi,name_en\n2026-01-01,A,B\n2026-02-30,B,C\n", "ngày làm bù").unwrap_err();
        assert_eq!(e, CalendarError::CsvDate { list: "ngày làm bù", line: 3, value: "2026-02-30".into() });
        assert!(e.to_string().contains("dòng 3"), "{e}");
        let e = parse_days("date,name_vi,name_en\n2026-01-01\n", "x").unwrap_err();
        assert_eq!(e, CalendarError::CsvFields { list: "x", line: 2 });
        let e = parse_days("date,name_vi,name_en\n2026-01-01,\"A,B\n", "x").unwrap_err();
        assert_eq!(e, CalendarError::CsvQuote { list: "x", line: 2 });
    }
}
