//! Downloads of the supervision lists and reports (xuất báo cáo): CSV and XLSX, streamed.
//!
//! A list can be a year of a city's dossiers, so nothing here holds it whole: rows come from the
//! store a page at a time (the list's own cursor) and each page is written out before the next
//! is read. CSV pages go straight into the response body. An XLSX file is a zip whose parts must
//! be complete before it is closed, so the workbook is written in `rust_xlsxwriter`'s constant
//! memory mode (each row goes to a temporary file as it is written) into a temporary file, which
//! is then streamed out and removed.

use crate::error::{AppError, AppResult};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;

/// Rows per page read from the store (its own cap).
pub const EXPORT_PAGE: u32 = 200;
/// Rows at most in one download: a bound on any request's work (two years of a large city's
/// busiest figure is well under it).
pub const MAX_ROWS: usize = 2_000_000;

/// The file format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// One cell: text, or a whole number (a number in the spreadsheet, so it can be summed).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

/// Pages of rows, read lazily.
pub type Pages = BoxStream<'static, AppResult<Vec<Vec<Value>>>>;

/// A table to download: its file name (without extension; ASCII), sheet title, header and rows.
pub struct Table {
    pub file_name: String,
    pub title: String,
    pub header: Vec<String>,
    pub pages: Pages,
}

/// The pages of rows that are already at hand (a report's tables are small).
pub fn ready(rows: Vec<Vec<Value>>) -> Pages {
    futures::stream::iter([Ok(rows)]).boxed()
}

/// Answers with `table` in `format`.
pub async fn respond(table: Table, format: Format) -> AppResult<Response> {
    match format {
        Format::Csv => Ok(csv_response(table)),
        Format::Xlsx => xlsx_response(table).await,
    }
}

fn attachment(content_type: &'static str, file_name: &str, ext: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::OK;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The name is ours and ASCII (built from dates and fixed words), so it needs no encoding.
    let name: String = file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

// --- CSV ---

/// The byte-order mark: without it Excel reads UTF-8 as the local code page and Vietnamese turns
/// into mojibake.
const BOM: &str = "\u{feff}";

/// One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (`=`, `+`,
/// `-`, `@`, tab, CR first — an applicant's name is typed by anyone) gets a leading apostrophe.
pub fn csv_field(v: &Value, out: &mut String) {
    match v {
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Text(s) => {
            let guarded = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let needs_quotes = guarded || s.contains([',', '"', '\n', '\r', ';']);
            if needs_quotes {
                out.push('"');
            }
            if guarded {
                out.push('\'');
            }
            for c in s.chars() {
                if c == '"' {
                    out.push('"');
                }
                out.push(c);
            }
            if needs_quotes {
                out.push('"');
            }
        }
    }
}

/// One CSV line, CRLF-terminated.
pub fn csv_line(row: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(v, &mut out);
    }
    out.push_str("\r\n");
    out
}

fn csv_response(table: Table) -> Response {
    let header: Vec<Value> = table.header.iter().map(|h| Value::Text(h.clone())).collect();
    let first = Bytes::from(format!("{BOM}{}", csv_line(&header)));
    let mut written = 0usize;
    let rows = table.pages.map(move |page| match page {
        Ok(rows) => {
            written += rows.len();
            if written > MAX_ROWS {
                return Err(std::io::Error::other("export row cap reached"));
            }
            let mut chunk = String::with_capacity(rows.len() * 120);
            for r in &rows {
                chunk.push_str(&csv_line(r));
            }
            Ok(Bytes::from(chunk))
        }
        // The status line is gone by now: ending the body early is the only signal left, and a
        // truncated download is recognisable (no final CRLF of a complete page is promised).
        Err(e) => {
            tracing::error!("export stopped: {}", e.message);
            Err(std::io::Error::other(e.message))
        }
    });
    let body = futures::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(rows);
    attachment("text/csv; charset=utf-8", &table.file_name, "csv", Body::from_stream(body))
}

// --- XLSX ---

async fn xlsx_response(table: Table) -> AppResult<Response> {
    let file = tempfile::NamedTempFile::new().map_err(AppError::internal)?;
    let path = file.path().to_owned();
    let Table { file_name, title, header, mut pages } = table;
    // The workbook is synchronous and writes temporary files: it runs on a blocking thread, fed
    // page by page through a small channel by this task, which reads the store. At most two pages
    // wait in between.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Vec<Value>>>(2);
    let writer = tokio::task::spawn_blocking(move || -> AppResult<()> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory().map_err(AppError::internal)?;
        sheet.set_name(sheet_name(&title)).map_err(AppError::internal)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c)?, h, &bold).map_err(AppError::internal)?;
        }
        let mut row: u32 = 1;
        while let Some(page) = rx.blocking_recv() {
            for r in page {
                if row as usize > MAX_ROWS {
                    return Err(AppError::unprocessable(
                        "export_too_large",
                        format!("Danh sách quá {MAX_ROWS} dòng: hãy chọn kỳ ngắn hơn"),
                    ));
                }
                for (c, v) in r.iter().enumerate() {
                    match v {
                        Value::Int(n) => sheet.write_number(row, col(c)?, *n as f64),
                        Value::Text(s) => sheet.write_string(row, col(c)?, s),
                    }
                    .map_err(AppError::internal)?;
                }
                row += 1;
            }
        }
        book.save(&path).map_err(AppError::internal)?;
        Ok(())
    });
    let mut failed = None;
    while let Some(page) = pages.next().await {
        match page {
            // A closed channel means the writer stopped: its own error is reported below.
            Ok(rows) => {
                if tx.send(rows).await.is_err() {
                    break;
                }
            }
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(tx);
    let written = writer.await.map_err(AppError::internal)?;
    if let Some(e) = failed {
        return Err(e);
    }
    written?;
    let reader = tokio::fs::File::open(file.path()).await.map_err(AppError::internal)?;
    // The temporary file goes with the stream: it is removed when the download ends or breaks.
    let body = futures::stream::unfold((reader, file), |(mut reader, file)| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match reader.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), (reader, file)))
            }
            Err(e) => Some((Err(e), (reader, file))),
        }
    });
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name,
        "xlsx",
        Body::from_stream(body),
    ))
}

fn col(c: usize) -> AppResult<u16> {
    u16::try_from(c).map_err(AppError::internal)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(title: &str) -> String {
    let clean: String =
        title.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(31).collect();
    let clean = clean.trim().trim_matches('\'').to_owned();
    if clean.is_empty() { "Báo cáo".to_owned() } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards() {
        let row = vec![
            Value::from("Nguyễn Văn Đức"),
            Value::from("a,b"),
            Value::from("say \"hi\""),
            Value::from("=HYPERLINK(\"x\")"),
            Value::from("-5"),
            Value::Int(-5),
            Value::from("line\nbreak"),
        ];
        assert_eq!(
            csv_line(&row),
            "Nguyễn Văn Đức,\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",\"'-5\",-5,\"line\nbreak\"\r\n"
        );
    }

    /// Three pages of rows, as the store hands them out one after the other.
    fn paged(pages: usize, per_page: usize) -> Table {
        let stream = futures::stream::iter((0..pages).map(move |p| {
            Ok((0..per_page)
                .map(|r| vec![Value::from(format!("Hồ sơ {}", p * per_page + r)), Value::Int(r as i64)])
                .collect())
        }))
        .boxed();
        Table {
            file_name: "ho-so".into(),
            title: "Hồ sơ".into(),
            header: vec!["Mã".into(), "Số".into()],
            pages: stream,
        }
    }

    async fn body_of(r: Response) -> Vec<u8> {
        axum::body::to_bytes(r.into_body(), usize::MAX).await.map(|b| b.to_vec()).unwrap_or_default()
    }

    #[tokio::test]
    async fn csv_streams_every_page_after_the_bom_and_header() {
        let r = respond(paged(3, 250), Format::Csv).await.map_err(|e| e.message).unwrap_or_else(|m| panic!("{m}"));
        assert_eq!(r.headers()[header::CONTENT_DISPOSITION], "attachment; filename=\"ho-so.csv\"");
        let body = String::from_utf8(body_of(r).await).unwrap_or_default();
        let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 1 + 750);
        assert_eq!(lines[0], "\u{feff}Mã,Số");
        assert_eq!(lines[750], "Hồ sơ 749,249");
    }

    #[tokio::test]
    async fn csv_stops_on_a_failed_page() {
        let pages = futures::stream::iter(vec![
            Ok(vec![vec![Value::from("a")]]),
            Err(AppError::internal("the store went away")),
            Ok(vec![vec![Value::from("never")]]),
        ])
        .boxed();
        let t = Table { file_name: "x".into(), title: "x".into(), header: vec!["h".into()], pages };
        let r = respond(t, Format::Csv).await.map_err(|e| e.message).unwrap_or_else(|m| panic!("{m}"));
        // The body ends in an error: the client sees a broken download, never a silently short one.
        assert!(axum::body::to_bytes(r.into_body(), usize::MAX).await.is_err());
    }

    #[tokio::test]
    async fn xlsx_holds_every_page() {
        let r = respond(paged(3, 250), Format::Xlsx).await.map_err(|e| e.message).unwrap_or_else(|m| panic!("{m}"));
        let bytes = body_of(r).await;
        assert_eq!(&bytes[..2], b"PK", "a zip file");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap_or_else(|e| panic!("{e}")),
            &mut xml,
        )
        .unwrap_or_default();
        assert!(xml.contains("Hồ sơ 0") && xml.contains("Hồ sơ 749"));
        assert_eq!(xml.matches("<row ").count(), 751, "the header and every row");
    }

    #[tokio::test]
    async fn xlsx_refuses_a_failed_list() {
        let pages =
            futures::stream::iter(vec![Ok(vec![vec![Value::from("a")]]), Err(AppError::internal("gone"))]).boxed();
        let t = Table { file_name: "x".into(), title: "x".into(), header: vec!["h".into()], pages };
        // The file is built before anything is sent: a failed page is a clean error answer.
        assert_eq!(respond(t, Format::Xlsx).await.err().map(|e| e.code), Some("internal_error"));
    }

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("Hồ sơ: quá hạn [2026/11]"), "Hồ sơ quá hạn 202611");
        assert_eq!(sheet_name("***"), "Báo cáo");
        assert!(sheet_name(&"x".repeat(50)).chars().count() <= 31);
    }
}
