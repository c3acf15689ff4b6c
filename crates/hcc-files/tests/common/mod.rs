//! Test harness: every storage test runs on a local folder, in memory and, when an S3 endpoint
//! is given (`HCC_TEST_S3_ENDPOINT`, e.g. moto from `scripts/ensure-s3`), on S3 in a fresh bucket.
//! Outside CI a missing S3 server skips the S3 part loudly; in CI (`CI` set) it is a failure.
#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]
#![allow(clippy::expect_used, reason = "a test fails loudly on any unexpected error")]
#![allow(dead_code)]

pub mod samples;

use bytes::Bytes;
use futures::TryStreamExt;
use hcc_files::FileStore;
use hcc_files::object_store::ObjectStore;
use hcc_files::object_store::aws::AmazonS3Builder;
use hcc_files::object_store::local::LocalFileSystem;
use hcc_files::object_store::memory::InMemory;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A store under test, with a raw handle on the same backend for tampering behind its back.
pub struct Backend {
    pub name: &'static str,
    pub store: FileStore,
    /// The same objects, seen without the store (for corrupting or planting objects).
    pub raw: Arc<dyn ObjectStore>,
    /// The store's prefix inside `raw`.
    pub prefix: &'static str,
    pub dir: Option<tempfile::TempDir>,
}

impl Backend {
    pub fn raw_path(&self, rel: &str) -> hcc_files::object_store::path::Path {
        hcc_files::object_store::path::Path::parse(format!("{}{rel}", self.prefix)).unwrap()
    }

    /// Every blob address in the store.
    pub async fn blobs(&self) -> Vec<(String, u64)> {
        self.store.list_blobs().try_collect().await.unwrap()
    }

    /// Asserts that nothing at all is stored: no blob, no staging object, no partial file.
    pub async fn assert_empty(&self) {
        assert!(self.blobs().await.is_empty(), "{}: blobs left behind", self.name);
        let left = self.store.sweep_staging(std::time::Duration::ZERO).await.unwrap();
        assert_eq!(left, 0, "{}: staging left behind", self.name);
        if let Some(dir) = &self.dir {
            let files = files_under(dir.path());
            assert!(files.is_empty(), "{}: files left behind: {files:?}", self.name);
        }
    }
}

pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() { todo.push(e.path()) } else { out.push(e.path()) }
        }
    }
    out
}

pub fn local() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::local(dir.path()).unwrap();
    let raw = Arc::new(LocalFileSystem::new_with_prefix(dir.path()).unwrap());
    Backend { name: "local", store, raw, prefix: "", dir: Some(dir) }
}

pub fn memory() -> Backend {
    let raw: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let store = FileStore::with_object_store(raw.clone(), "docs").unwrap();
    Backend { name: "memory", store, raw, prefix: "docs/", dir: None }
}

/// S3 in a new bucket, through `FileStore::open_with_env` exactly as `HCC_STORAGE=s3://…` would.
pub async fn s3() -> Option<Backend> {
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    let endpoint = std::env::var("HCC_TEST_S3_ENDPOINT").ok().filter(|e| !e.is_empty());
    let Some(endpoint) = endpoint else {
        assert!(!in_ci, "CI must set HCC_TEST_S3_ENDPOINT: the S3 document store tests may not be skipped in CI");
        skip_loudly(
            "S3 part of the document store tests (run scripts/ensure-s3 and set HCC_TEST_S3_ENDPOINT=http://127.0.0.1:9090)",
        );
        return None;
    };
    let bucket = format!("hcc-test-{:016x}", rand::random::<u64>());
    if let Err(e) = create_bucket(&endpoint, &bucket).await {
        assert!(!in_ci, "S3 at HCC_TEST_S3_ENDPOINT={endpoint} is not usable in CI: {e}");
        skip_loudly(&format!("S3 part of the document store tests, server at {endpoint} not usable: {e}"));
        return None;
    }
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "hcc-test"),
        ("AWS_SECRET_ACCESS_KEY", "hcc-test-secret"),
        ("AWS_REGION", "us-east-1"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let store = FileStore::open_with_env(&format!("s3://{bucket}/docs"), std::path::Path::new("/nonexistent"), env)
        .expect("open S3 store");
    let raw = AmazonS3Builder::new()
        .with_endpoint(&endpoint)
        .with_allow_http(true)
        .with_bucket_name(&bucket)
        .with_region("us-east-1")
        .with_access_key_id("hcc-test")
        .with_secret_access_key("hcc-test-secret")
        .build()
        .unwrap();
    Some(Backend { name: "s3", store, raw: Arc::new(raw), prefix: "docs/", dir: None })
}

/// Says once per test binary, past the test harness's output capture (which would hide it in a
/// passing test), that the S3 part was skipped.
fn skip_loudly(what: &str) {
    use std::io::Write;
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let line = format!("\nSKIPPED: {what}\n");
        // The harness captures `eprintln!` and `io::stderr()`; the process's own fd 2 it does not.
        match std::fs::OpenOptions::new().append(true).open("/dev/stderr") {
            Ok(mut tty) => drop(tty.write_all(line.as_bytes())),
            Err(_) => eprintln!("{line}"),
        }
    });
}

/// Every backend available here.
pub async fn backends() -> Vec<Backend> {
    let mut all = vec![local(), memory()];
    all.extend(s3().await);
    all
}

/// Creates a bucket with a plain HTTP PUT (moto needs no signature).
async fn create_bucket(endpoint: &str, bucket: &str) -> Result<(), String> {
    let host = endpoint.strip_prefix("http://").ok_or("endpoint must be http://host:port")?.trim_end_matches('/');
    let mut conn = tokio::net::TcpStream::connect(host).await.map_err(|e| e.to_string())?;
    let req = format!("PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    conn.write_all(req.as_bytes()).await.map_err(|e| e.to_string())?;
    let mut resp = Vec::new();
    conn.read_to_end(&mut resp).await.map_err(|e| e.to_string())?;
    let status = String::from_utf8_lossy(&resp).lines().next().unwrap_or_default().to_string();
    if status.contains(" 200") { Ok(()) } else { Err(format!("creating bucket {bucket}: {status}")) }
}

/// A body stream from chunks.
pub fn body(chunks: Vec<Bytes>) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin {
    futures::stream::iter(chunks.into_iter().map(Ok))
}

pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// Reads a whole blob stream; the error (if any) ends it.
pub async fn read_all(mut s: hcc_files::BlobStream) -> Result<Vec<u8>, hcc_files::FileError> {
    use futures::StreamExt;
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}
