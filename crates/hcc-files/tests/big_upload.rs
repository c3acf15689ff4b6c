//! A 500 MB upload streams through the local store without growing the process's memory. It is
//! alone in this test binary so that the peak resident size (VmHWM) measures only this upload.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use bytes::Bytes;
use hcc_files::{BlobCheck, FileStore, MediaType, UploadLimits};
use sha2::Digest;
use std::sync::{Arc, Mutex};
use std::time::Instant;

const TOTAL: u64 = 500 * 1000 * 1000;
const CHUNK: usize = 256 * 1024;
/// The growth of the peak resident size allowed for the whole upload and its verification.
const MAX_GROWTH_KB: u64 = 64 * 1024;

/// The process's peak resident set size so far, in KiB.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_mb_upload_streams_in_constant_memory() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::local(dir.path()).unwrap();
    let before = peak_rss_kb();

    // Generated chunk by chunk (a PDF header, then filler that varies per chunk), hashed on the
    // side for the expected address; never the whole in memory.
    let expected = Arc::new(Mutex::new(sha2::Sha256::new()));
    let hasher = expected.clone();
    let body = futures::stream::iter((0..TOTAL.div_ceil(CHUNK as u64)).map(move |i| {
        let start = i * CHUNK as u64;
        let len = CHUNK.min((TOTAL - start) as usize);
        let mut chunk = vec![(i % 251) as u8 | 0x80; len];
        if i == 0 {
            chunk[..9].copy_from_slice(b"%PDF-1.7\n");
        }
        hasher.lock().unwrap().update(&chunk);
        Ok::<_, std::io::Error>(Bytes::from(chunk))
    }));
    let started = Instant::now();
    let limits = UploadLimits { max_bytes: 600 * 1000 * 1000, ..UploadLimits::default() };
    let blob = store.put_stream(body, &limits).await.unwrap();
    let upload_secs = started.elapsed().as_secs_f64();
    let expected = hex::encode(std::mem::take(&mut *expected.lock().unwrap()).finalize());
    assert_eq!(blob.sha256, expected);
    assert_eq!(blob.size, TOTAL);
    assert_eq!(blob.media_type, MediaType::Pdf);
    assert!(!blob.deduplicated);

    let started = Instant::now();
    assert_eq!(store.verify(&blob.sha256, TOTAL).await.unwrap(), BlobCheck::Ok);
    let verify_secs = started.elapsed().as_secs_f64();

    let growth = peak_rss_kb().saturating_sub(before);
    eprintln!(
        "500 MB upload: {upload_secs:.1} s, verify: {verify_secs:.1} s, peak RSS {before} KiB, grew {growth} KiB"
    );
    assert!(growth < MAX_GROWTH_KB, "peak RSS grew by {growth} KiB (limit {MAX_GROWTH_KB} KiB)");
}
