//! Serving a stored document: streamed, checked against its hash (a range only after the whole
//! file was checked), with `ETag`, `If-None-Match`, ranges and a `Content-Disposition` that keeps
//! Vietnamese file names. Used by staff downloads and by the applicant's downloads alike.

use super::documents::file_error;
use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hcc_files::FileError;
use hcc_store::model::DocumentRecord;

/// Answers a download of `doc` honouring `If-None-Match` and `Range`.
pub async fn serve_blob(state: &AppState, doc: &DocumentRecord, headers: &HeaderMap) -> AppResult<Response> {
    let etag = format!("\"{}\"", doc.sha256);
    let matches_etag = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut common = HeaderMap::new();
    common.insert(header::ETAG, header_value(&etag));
    common.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    common.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if matches_etag {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let size = doc.size;
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        None => None,
        Some(raw) => match parse_range(raw, size) {
            Some(r) => Some(r),
            None => {
                let mut h = common.clone();
                h.insert(header::CONTENT_RANGE, header_value(&format!("bytes */{size}")));
                let err = AppError::new(
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    "range_not_satisfiable",
                    "Khoảng dữ liệu yêu cầu không hợp lệ",
                );
                return Ok((h, err).into_response());
            }
        },
    };
    if range.is_some() && state.caches.verified_blobs.get(&doc.sha256).is_none() {
        // A range cannot be checked on its own: check the whole file once, then serve ranges.
        match state.files.verify(&doc.sha256, doc.size).await.map_err(file_error)? {
            hcc_files::BlobCheck::Ok => state.caches.verified_blobs.put(doc.sha256.clone(), ()),
            hcc_files::BlobCheck::Missing => return Err(file_error(FileError::NotFound)),
            hcc_files::BlobCheck::Altered { .. } => return Err(file_error(FileError::Altered)),
        }
    }
    let stream = state.files.open_blob(&doc.sha256, range.clone()).await.map_err(file_error)?;
    common.insert(header::CONTENT_TYPE, header_value(&doc.media_type));
    common.insert(header::CONTENT_DISPOSITION, header_value(&content_disposition(&doc.file_name)));
    let (status, length) = match &range {
        Some(r) => {
            common.insert(header::CONTENT_RANGE, header_value(&format!("bytes {}-{}/{size}", r.start, r.end - 1)));
            (StatusCode::PARTIAL_CONTENT, r.end - r.start)
        }
        None => (StatusCode::OK, size),
    };
    common.insert(header::CONTENT_LENGTH, header_value(&length.to_string()));
    let body = if range.is_none() { Body::from_stream(hold_last_chunk(stream)) } else { Body::from_stream(stream) };
    Ok((status, common, body).into_response())
}

/// Passes a verified stream on one chunk behind, so that the last bytes go out only once the hash
/// check at the end has passed: a client never receives an altered file complete.
fn hold_last_chunk<S>(inner: S) -> impl futures::Stream<Item = Result<bytes::Bytes, FileError>>
where
    S: futures::Stream<Item = Result<bytes::Bytes, FileError>> + Unpin,
{
    futures::stream::unfold((inner, None::<bytes::Bytes>, false), |(mut inner, mut held, done)| async move {
        use futures::StreamExt;
        if done {
            return None;
        }
        loop {
            match inner.next().await {
                Some(Ok(chunk)) => {
                    if chunk.is_empty() {
                        continue;
                    }
                    if let Some(prev) = held.replace(chunk) {
                        return Some((Ok(prev), (inner, held, false)));
                    }
                }
                Some(Err(e)) => {
                    tracing::error!(error = %e, "a stored document failed its check while being sent");
                    return Some((Err(e), (inner, None, true)));
                }
                None => return held.take().map(|last| (Ok(last), (inner, None, true))),
            }
        }
    })
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `inline; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn content_disposition(name: &str) -> String {
    let ascii: String = hcc_domain::text::fold(name)
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// One `bytes=` range of an object of `size` bytes, as a half-open range; `None` when it is
/// malformed, multiple or outside the object.
pub fn parse_range(raw: &str, size: u64) -> Option<std::ops::Range<u64>> {
    let spec = raw.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || size == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        if n == 0 {
            return None;
        }
        size.saturating_sub(n)..size
    } else {
        let start: u64 = a.parse().ok()?;
        let end = if b.is_empty() { size - 1 } else { b.parse::<u64>().ok()?.min(size - 1) };
        if start > end {
            return None;
        }
        start..end + 1
    };
    (range.start < size).then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some(0..10));
        assert_eq!(parse_range("bytes=90-", 100), Some(90..100));
        assert_eq!(parse_range("bytes=-10", 100), Some(90..100));
        assert_eq!(parse_range("bytes=95-200", 100), Some(95..100));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-1", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
        assert_eq!(parse_range("bytes=-0", 100), None);
    }

    #[test]
    fn dispositions_keep_vietnamese_names_and_drop_quotes() {
        let d = content_disposition("Giấy \"CN\" đất.pdf");
        assert!(d.starts_with("inline; filename=\"giay _cn_ dat.pdf\""), "{d}");
        assert!(d.contains("filename*=UTF-8''Gi%E1%BA%A5y"), "{d}");
    }
}
