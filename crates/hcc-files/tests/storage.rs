//! The document store's behaviour, on a local folder, in memory and on S3 (see `common`).
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod common;

use bytes::Bytes;
use common::{backends, body, read_all, samples, sha256_hex};
use hcc_files::object_store::{ObjectStoreExt, PutPayload};
use hcc_files::{BlobCheck, FileError, FileStore, MediaType, UploadLimits};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn put_then_dedup() {
    for b in backends().await {
        let pdf = Bytes::from(samples::pdf(2));
        let first = b.store.put_bytes(pdf.clone(), &UploadLimits::default()).await.unwrap();
        assert_eq!(first.sha256, sha256_hex(&pdf), "{}", b.name);
        assert_eq!(first.size, pdf.len() as u64);
        assert_eq!(first.media_type, MediaType::Pdf);
        assert_eq!(first.pages, Some(2));
        assert!(!first.deduplicated);
        // The same bytes again, streamed in odd pieces: one object, deduplicated.
        let pieces = pdf.chunks(7).map(Bytes::copy_from_slice).collect();
        let second = b.store.put_stream(body(pieces), &UploadLimits::default()).await.unwrap();
        assert_eq!(second.sha256, first.sha256);
        assert!(second.deduplicated, "{}", b.name);
        assert_eq!(second.pages, Some(2));
        assert_eq!(b.blobs().await, vec![(first.sha256.clone(), pdf.len() as u64)], "{}", b.name);
        let object = b.raw_path(&format!("sha256/{}/{}", &first.sha256[..2], first.sha256));
        assert_eq!(b.raw.get(&object).await.unwrap().bytes().await.unwrap(), pdf, "{}: content address", b.name);
        let back = read_all(b.store.open_blob(&first.sha256, None).await.unwrap()).await.unwrap();
        assert_eq!(back, pdf);
        assert_eq!(b.store.sweep_staging(Duration::ZERO).await.unwrap(), 0, "{}: staging left", b.name);
        b.store.health().await.unwrap();
    }
}

#[tokio::test]
async fn zero_bytes_are_rejected() {
    for b in backends().await {
        let e = b.store.put_bytes(Bytes::new(), &UploadLimits::default()).await.unwrap_err();
        assert!(matches!(e, FileError::Empty), "{}: {e:?}", b.name);
        assert_eq!(e.code(), "file_empty");
        let e = b.store.put_stream(body(vec![Bytes::new(), Bytes::new()]), &UploadLimits::default()).await;
        assert!(matches!(e, Err(FileError::Empty)), "{}", b.name);
        b.assert_empty().await;
    }
}

/// A PDF header followed by endless 1 MiB chunks; counts the chunks the store pulled.
fn endless_pdf(pulled: Arc<AtomicUsize>) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin {
    let chunk = Bytes::from(vec![b' '; MIB]);
    let header = Bytes::from_static(b"%PDF-1.7\n");
    futures::stream::iter(std::iter::once(header).chain(std::iter::repeat(chunk)).map(move |c| {
        pulled.fetch_add(1, Ordering::SeqCst);
        Ok(c)
    }))
}

#[tokio::test]
async fn oversize_is_stopped_mid_stream_and_cleaned_up() {
    for b in backends().await {
        let pulled = Arc::new(AtomicUsize::new(0));
        let limits = UploadLimits { max_bytes: 20 * MIB as u64, ..UploadLimits::default() };
        let e = b.store.put_stream(endless_pdf(pulled.clone()), &limits).await.unwrap_err();
        assert!(matches!(e, FileError::TooLarge { max } if max == 20 * MIB as u64), "{}: {e:?}", b.name);
        assert_eq!(e.to_string(), "Tệp vượt quá dung lượng cho phép (tối đa 20 MB)");
        // Stopped at the first chunk past the limit: the 9-byte header and 19 chunks fit, the
        // 20th chunk goes over, and nothing more is pulled.
        assert_eq!(pulled.load(Ordering::SeqCst), 21, "{}", b.name);
        b.assert_empty().await;
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_leaves_nothing() {
    for b in backends().await {
        // Past one part (8 MiB), so a multipart upload is under way when it breaks.
        for good_chunks in [1usize, 12] {
            let mut items: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"%PDF-1.4\n"))];
            items.extend((0..good_chunks).map(|_| Ok(Bytes::from(vec![b'x'; MIB]))));
            items.push(Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "client went away")));
            items.push(Ok(Bytes::from_static(b"never read")));
            let e = b.store.put_stream(futures::stream::iter(items), &UploadLimits::default()).await.unwrap_err();
            assert!(matches!(e, FileError::Truncated), "{}: {e:?}", b.name);
            assert_eq!(e.code(), "upload_truncated");
            assert!(e.is_retryable());
            b.assert_empty().await;
        }
    }
}

#[tokio::test]
async fn kinds_not_allowed_are_rejected() {
    for b in backends().await {
        let only_pdf = UploadLimits { allowed: vec![MediaType::Pdf], ..UploadLimits::default() };
        let e = b.store.put_bytes(Bytes::from(samples::png(4, 4)), &only_pdf).await.unwrap_err();
        assert!(matches!(e, FileError::UnsupportedType), "{}: {e:?}", b.name);
        assert_eq!(e.code(), "file_type_not_allowed");
        // Not a document at all, small and large (decided early, after the first 64 KiB).
        let e = b.store.put_bytes(Bytes::from_static(b"MZ\x90\x00"), &UploadLimits::default()).await;
        assert!(matches!(e, Err(FileError::UnsupportedType)), "{}", b.name);
        let pulled = Arc::new(AtomicUsize::new(0));
        let p = pulled.clone();
        let exe = futures::stream::iter(std::iter::repeat_with(move || {
            p.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(Bytes::from(vec![0u8; 16 * 1024]))
        }));
        let e = b.store.put_stream(exe, &UploadLimits::default()).await;
        assert!(matches!(e, Err(FileError::UnsupportedType)), "{}", b.name);
        assert_eq!(pulled.load(Ordering::SeqCst), 4, "{}: rejected as soon as 64 KiB were in", b.name);
        let e = b.store.put_bytes(Bytes::from(samples::plain_zip()), &UploadLimits::default()).await;
        assert!(matches!(e, Err(FileError::UnsupportedType)), "{}", b.name);
        let e = b.store.put_bytes(Bytes::from(samples::ooxml("docm", 100_000)), &UploadLimits::default()).await;
        assert!(matches!(e, Err(FileError::UnsupportedType)), "{}: a macro-enabled file", b.name);
        b.assert_empty().await;
    }
}

#[tokio::test]
async fn containers_are_told_apart_past_the_first_bytes() {
    for b in backends().await {
        let limits = UploadLimits::default();
        // Kind not visible in the first 64 KiB: the store looks at the ZIP's central directory.
        let docx = b.store.put_bytes(Bytes::from(samples::ooxml("docx", 150_000)), &limits).await.unwrap();
        assert_eq!(docx.media_type, MediaType::Docx, "{}", b.name);
        let pptx = b.store.put_bytes(Bytes::from(samples::ooxml("pptx", 70_000)), &limits).await.unwrap();
        assert_eq!(pptx.media_type, MediaType::Pptx, "{}", b.name);
        // An OLE directory far from the start: a range read of that sector.
        let doc = b.store.put_bytes(Bytes::from(samples::ole("WordDocument", 300)), &limits).await.unwrap();
        assert_eq!(doc.media_type, MediaType::Doc, "{}", b.name);
        let only_docx = UploadLimits { allowed: vec![MediaType::Docx], ..UploadLimits::default() };
        let e = b.store.put_bytes(Bytes::from(samples::ooxml("xlsx", 150_000)), &only_docx).await;
        assert!(matches!(e, Err(FileError::UnsupportedType)), "{}", b.name);
        // TIFF pages are counted with range reads after storing.
        let tiff = b.store.put_bytes(Bytes::from(samples::tiff(3, true)), &limits).await.unwrap();
        assert_eq!((tiff.media_type, tiff.pages), (MediaType::Tiff, Some(3)), "{}", b.name);
        let odt =
            b.store.put_bytes(Bytes::from(samples::odf("application/vnd.oasis.opendocument.text")), &limits).await;
        assert_eq!(odt.unwrap().media_type, MediaType::Odt);
        let jpeg = b.store.put_bytes(Bytes::from(samples::jpeg(10, 10)), &limits).await.unwrap();
        assert_eq!((jpeg.media_type, jpeg.pages), (MediaType::Jpeg, None));
        assert_eq!(b.blobs().await.len(), 6, "{}", b.name);
        assert_eq!(b.store.sweep_staging(Duration::ZERO).await.unwrap(), 0, "{}", b.name);
    }
}

#[tokio::test]
async fn a_multipart_pdf_is_counted_and_read_back() {
    for b in backends().await {
        // 20 MiB in 1 MiB chunks: several multipart parts; pages found across chunk edges.
        let mut pdf = samples::pdf(5);
        let trailer = pdf.split_off(9);
        pdf.extend(std::iter::repeat_n(b'%', 20 * MIB));
        pdf.extend(trailer);
        let chunks = pdf.chunks(MIB - 3).map(Bytes::copy_from_slice).collect();
        let blob = b.store.put_stream(body(chunks), &UploadLimits::default()).await.unwrap();
        assert_eq!((blob.size, blob.pages), (pdf.len() as u64, Some(5)), "{}", b.name);
        assert_eq!(blob.sha256, sha256_hex(&pdf));
        let s = b.store.open_blob(&blob.sha256, None).await.unwrap();
        assert_eq!(s.size, pdf.len() as u64);
        assert!(read_all(s).await.unwrap() == pdf, "{}", b.name);
        assert_eq!(b.store.verify(&blob.sha256, blob.size).await.unwrap(), BlobCheck::Ok);
    }
}

#[tokio::test]
async fn range_reads() {
    for b in backends().await {
        let data = Bytes::from(samples::pdf(3));
        let n = data.len() as u64;
        let blob = b.store.put_bytes(data.clone(), &UploadLimits::default()).await.unwrap();
        let s = b.store.open_blob(&blob.sha256, Some(10..20)).await.unwrap();
        assert_eq!((s.size, s.range.clone(), s.content_length()), (n, 10..20, 10), "{}", b.name);
        assert_eq!(read_all(s).await.unwrap(), &data[10..20]);
        let s = b.store.open_blob(&blob.sha256, Some(n - 5..n + 100)).await.unwrap();
        assert_eq!(s.range, n - 5..n, "{}: end clamped", b.name);
        assert_eq!(read_all(s).await.unwrap(), &data[data.len() - 5..]);
        let s = b.store.open_blob(&blob.sha256, Some(n..n)).await.unwrap();
        assert!(read_all(s).await.unwrap().is_empty());
        for bad in [n..n + 1, n + 10..n + 20] {
            let e = b.store.open_blob(&blob.sha256, Some(bad)).await.unwrap_err();
            assert!(matches!(e, FileError::InvalidRange), "{}: {e:?}", b.name);
        }
        let missing = sha256_hex(b"never stored");
        assert!(matches!(b.store.open_blob(&missing, Some(0..1)).await, Err(FileError::NotFound)));
        assert!(matches!(b.store.open_blob("../../etc/passwd", None).await, Err(FileError::NotFound)));
    }
}

#[tokio::test]
async fn tampering_is_caught_on_read_and_verify() {
    for b in backends().await {
        let data = Bytes::from(samples::pdf(1));
        let blob = b.store.put_bytes(data.clone(), &UploadLimits::default()).await.unwrap();
        assert_eq!(b.store.verify(&blob.sha256, blob.size).await.unwrap(), BlobCheck::Ok, "{}", b.name);
        // The recorded size disagrees: altered.
        let check = b.store.verify(&blob.sha256, blob.size + 1).await.unwrap();
        assert!(matches!(check, BlobCheck::Altered { actual_size, .. } if actual_size == blob.size), "{}", b.name);
        // Same length, one byte changed, behind the store's back.
        let mut evil = data.to_vec();
        evil[20] ^= 0x20;
        let object = b.raw_path(&format!("sha256/{}/{}", &blob.sha256[..2], blob.sha256));
        b.raw.put(&object, PutPayload::from(evil.clone())).await.unwrap();
        let e = read_all(b.store.open_blob(&blob.sha256, None).await.unwrap()).await.unwrap_err();
        assert!(matches!(e, FileError::Altered), "{}: {e:?}", b.name);
        assert_eq!(e.code(), "file_altered");
        let check = b.store.verify(&blob.sha256, blob.size).await.unwrap();
        let expected = BlobCheck::Altered { actual_sha256: Some(sha256_hex(&evil)), actual_size: blob.size };
        assert_eq!(check, expected, "{}", b.name);
        // Gone: missing, not found.
        b.raw.delete(&object).await.unwrap();
        assert_eq!(b.store.verify(&blob.sha256, blob.size).await.unwrap(), BlobCheck::Missing, "{}", b.name);
        assert!(matches!(b.store.open_blob(&blob.sha256, None).await, Err(FileError::NotFound)), "{}", b.name);
    }
}

#[tokio::test]
async fn local_files_corrupted_or_removed_on_disk() {
    let b = common::local();
    let dir = b.dir.as_ref().unwrap().path().to_path_buf();
    let blob = b.store.put_bytes(Bytes::from(samples::jpeg(32, 32)), &UploadLimits::default()).await.unwrap();
    let file = dir.join("sha256").join(&blob.sha256[..2]).join(&blob.sha256);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 3;
    bytes[last] = bytes[last].wrapping_add(1);
    std::fs::write(&file, &bytes).unwrap();
    let e = read_all(b.store.open_blob(&blob.sha256, None).await.unwrap()).await.unwrap_err();
    assert!(matches!(e, FileError::Altered), "{e:?}");
    // Truncated on disk: caught too.
    std::fs::write(&file, &bytes[..100]).unwrap();
    assert!(matches!(
        b.store.verify(&blob.sha256, blob.size).await.unwrap(),
        BlobCheck::Altered { actual_size: 100, .. }
    ));
    std::fs::remove_file(&file).unwrap();
    assert_eq!(b.store.verify(&blob.sha256, blob.size).await.unwrap(), BlobCheck::Missing);
    assert!(matches!(b.store.open_blob(&blob.sha256, None).await, Err(FileError::NotFound)));
}

#[tokio::test]
async fn delete_and_sweep() {
    for b in backends().await {
        let blob = b.store.put_bytes(Bytes::from(samples::png(3, 3)), &UploadLimits::default()).await.unwrap();
        b.store.delete(&blob.sha256).await.unwrap();
        b.store.delete(&blob.sha256).await.unwrap(); // already gone: fine
        assert_eq!(b.store.verify(&blob.sha256, blob.size).await.unwrap(), BlobCheck::Missing);
        // A leftover of an interrupted upload: swept only once old enough.
        b.raw.put(&b.raw_path("staging/1-dead"), PutPayload::from_static(b"partial")).await.unwrap();
        assert_eq!(b.store.sweep_staging(Duration::from_secs(3600)).await.unwrap(), 0, "{}", b.name);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(b.store.sweep_staging(Duration::from_millis(500)).await.unwrap(), 1, "{}", b.name);
        b.assert_empty().await;
    }
}

#[tokio::test]
async fn storage_settings() {
    let data = tempfile::tempdir().unwrap();
    let s = FileStore::open("", data.path()).unwrap();
    assert!(data.path().join("files").is_dir());
    assert!(s.describe().contains("files"), "{}", s.describe());
    s.health().await.unwrap();
    let elsewhere = data.path().join("kho tài liệu");
    FileStore::open(elsewhere.to_str().unwrap(), data.path()).unwrap();
    assert!(elsewhere.is_dir());
    let url = format!("file://{}", data.path().join("by-url").display());
    FileStore::open(&url, data.path()).unwrap();
    assert!(data.path().join("by-url").is_dir());
    for bad in ["ftp://host/x", "s3://", "s3:///prefix", "file://relative/path"] {
        let e = FileStore::open(bad, data.path()).unwrap_err();
        assert_eq!(e.code(), "storage_config_invalid", "{bad}");
    }
    let env = [
        ("AWS_ENDPOINT_URL", "http://user:pw@127.0.0.1:1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "supersecret"),
        ("HOME", "/root"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let s3 = FileStore::open_with_env("s3://hcc-docs/hanoi/", data.path(), env).unwrap();
    let d = s3.describe();
    assert_eq!(d, "S3 s3://hcc-docs/hanoi at http://127.0.0.1:1");
    assert!(!format!("{s3:?}").contains("supersecret"));
    // Nothing answers there: not ready, and retryable.
    let e = s3.health().await.unwrap_err();
    assert_eq!(e.code(), "storage_unavailable");
    assert!(e.is_retryable());
    let mem = FileStore::in_memory();
    mem.health().await.unwrap();
}
