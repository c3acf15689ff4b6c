//! The document store: where blobs live (a local folder, S3, or memory for tests), how the
//! `HCC_STORAGE` setting picks one, and the upkeep around it (health, deletion, sweeping staging).
//! Blobs are addressed by their SHA-256: `<prefix>/sha256/ab/cd/<hex>`; uploads are written to
//! `<prefix>/staging/…` first (see `upload.rs`).

use crate::error::FileError;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey, S3CopyIfNotExists};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a health check waits for the store.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// Content-addressed document storage. Cheap to clone: clones share one backend.
#[derive(Clone)]
pub struct FileStore {
    pub(crate) store: Arc<dyn ObjectStore>,
    prefix: String,
    pub(crate) backend: Backend,
}

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Local(PathBuf),
    S3 { bucket: String, endpoint: Option<String> },
    Memory,
    Other(String),
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore").field("storage", &self.describe()).finish()
    }
}

impl FileStore {
    /// Opens the store named by an `HCC_STORAGE` value: empty for the folder `<data_dir>/files`;
    /// a plain path or `file://` URL for that folder (created if missing); `s3://bucket/prefix`
    /// for S3, configured from the standard `AWS_*` environment variables (credentials,
    /// `AWS_REGION`, `AWS_ENDPOINT_URL`, which may be `http://` for a local server, and
    /// `AWS_ALLOW_HTTP`, which wins when set).
    pub fn open(storage: &str, data_dir: &Path) -> Result<FileStore, FileError> {
        FileStore::open_with_env(storage, data_dir, std::env::vars())
    }

    /// [`FileStore::open`] with the environment given (for tests and embedding).
    pub fn open_with_env(
        storage: &str,
        data_dir: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<FileStore, FileError> {
        let s = storage.trim();
        if s.is_empty() {
            return FileStore::local(&data_dir.join("files"));
        }
        if let Some(rest) = s.strip_prefix("s3://") {
            return FileStore::s3(rest, env);
        }
        if let Some(path) = s.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(FileError::Config(format!("file URL must hold an absolute path: {s}")));
            }
            return FileStore::local(Path::new(path));
        }
        if s.contains("://") {
            return Err(FileError::Config(format!("unsupported storage URL scheme: {s}")));
        }
        FileStore::local(Path::new(s))
    }

    /// A store in a local folder, created if missing. Writes are fsynced: documents are records.
    pub fn local(dir: &Path) -> Result<FileStore, FileError> {
        FileStore::local_with_fsync(dir, true)
    }

    /// The same folder without `fsync` after each write: only for bulk loads (the demo city) that
    /// end with [`FileStore::flush_bulk`] and are simply redone if the machine dies meanwhile.
    pub fn local_bulk(dir: &Path) -> Result<FileStore, FileError> {
        FileStore::local_with_fsync(dir, false)
    }

    /// Makes a bulk load durable: on a local folder, asks the system to write everything out.
    pub async fn flush_bulk(&self) -> Result<(), FileError> {
        if matches!(self.backend, Backend::Local(_)) {
            let status = tokio::process::Command::new("sync")
                .status()
                .await
                .map_err(|e| FileError::Storage(format!("sync: {e}")))?;
            if !status.success() {
                return Err(FileError::Storage(format!("sync exited with {status}")));
            }
        }
        Ok(())
    }

    fn local_with_fsync(dir: &Path, fsync: bool) -> Result<FileStore, FileError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| FileError::Config(format!("cannot create storage folder {}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| FileError::Config(format!("cannot use storage folder {}: {e}", dir.display())))?
            .with_fsync(fsync)
            .with_automatic_cleanup(true);
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Ok(FileStore { store: Arc::new(fs), prefix: String::new(), backend: Backend::Local(dir) })
    }

    /// A store in memory, for tests.
    pub fn in_memory() -> FileStore {
        FileStore { store: Arc::new(InMemory::new()), prefix: String::new(), backend: Backend::Memory }
    }

    /// A store over any `object_store` backend, under `prefix` (no leading or trailing `/`).
    pub fn with_object_store(store: Arc<dyn ObjectStore>, prefix: &str) -> Result<FileStore, FileError> {
        let prefix = clean_prefix(prefix)?;
        let backend = Backend::Other(store.to_string());
        Ok(FileStore { store, prefix, backend })
    }

    fn s3(rest: &str, env: impl IntoIterator<Item = (String, String)>) -> Result<FileStore, FileError> {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(FileError::Config("s3:// storage needs a bucket name".into()));
        }
        let prefix = clean_prefix(prefix)?;
        let mut builder = AmazonS3Builder::new().with_bucket_name(bucket);
        let (mut endpoint, mut allow_http_set, mut copy_set) = (None, false, false);
        for (key, value) in env {
            if !key.starts_with("AWS_") {
                continue;
            }
            if let Ok(config_key) = key.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                builder = builder.with_config(config_key, &value);
            }
            match key.as_str() {
                "AWS_ENDPOINT_URL" | "AWS_ENDPOINT" => endpoint = Some(value),
                "AWS_ALLOW_HTTP" => allow_http_set = true,
                "AWS_COPY_IF_NOT_EXISTS" => copy_set = true,
                _ => {}
            }
        }
        if !allow_http_set && endpoint.as_deref().is_some_and(|e| e.starts_with("http://")) {
            builder = builder.with_allow_http(true);
        }
        if !copy_set {
            // Native S3 create-only copy: a multipart copy completed with `If-None-Match: *`.
            builder = builder.with_copy_if_not_exists(S3CopyIfNotExists::Multipart);
        }
        // An office worker waits on an upload: a store that does not answer is reported within
        // seconds (the client is told to retry) rather than after minutes of silent retries.
        let retry = object_store::RetryConfig {
            max_retries: 3,
            retry_timeout: Duration::from_secs(20),
            backoff: object_store::BackoffConfig::default(),
        };
        builder = builder.with_retry(retry);
        let s3 = builder.build().map_err(|e| FileError::Config(format!("S3 storage: {e}")))?;
        let endpoint = endpoint.map(|e| without_userinfo(&e));
        Ok(FileStore { store: Arc::new(s3), prefix, backend: Backend::S3 { bucket: bucket.to_string(), endpoint } })
    }

    /// Where the documents are, for logs (never credentials).
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Local(dir) => format!("local folder {}", dir.join(&self.prefix).display()),
            Backend::S3 { bucket, endpoint } => {
                let at = endpoint.as_deref().map(|e| format!(" at {e}")).unwrap_or_default();
                format!("S3 s3://{bucket}/{}{at}", self.prefix)
            }
            Backend::Memory => "in-memory store (not persistent)".to_string(),
            Backend::Other(name) => format!("{name} under /{}", self.prefix),
        }
    }

    /// Checks that the store answers (for `/readyz`): lists an empty corner of it, giving up
    /// after [`HEALTH_TIMEOUT`] rather than waiting through the client's retries.
    pub async fn health(&self) -> Result<(), FileError> {
        if let Backend::Local(dir) = &self.backend
            && !dir.is_dir()
        {
            return Err(FileError::Storage(format!("storage folder {} is missing", dir.display())));
        }
        let corner = self.key("health")?;
        match tokio::time::timeout(HEALTH_TIMEOUT, self.store.list_with_delimiter(Some(&corner))).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(FileError::Storage(e.to_string())),
            Err(_) => Err(FileError::Storage(format!("no answer within {HEALTH_TIMEOUT:?}"))),
        }
    }

    /// Deletes a blob (only for a recorded admin action: documents are never overwritten or
    /// removed otherwise). Deleting a blob that is not there is not an error.
    pub async fn delete(&self, sha256: &str) -> Result<(), FileError> {
        match self.store.delete(&self.blob_path(sha256)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes staging objects older than `older_than`, left by uploads that were interrupted
    /// (a crash, a dropped connection). Returns how many were removed. On a local folder this
    /// includes the partial files of unfinished uploads. (On S3, unfinished multipart uploads
    /// are not objects: a bucket lifecycle rule should abort them.)
    pub async fn sweep_staging(&self, older_than: Duration) -> Result<u32, FileError> {
        let cutoff_ms = now_ms().saturating_sub(older_than.as_millis());
        // Staging objects of broken-off uploads, and pieces of resumable uploads left unfinished.
        let mut old: Vec<ObjectPath> = Vec::new();
        for area in ["staging", "uploads"] {
            let root = self.key(area)?;
            let found: Vec<ObjectPath> = self
                .store
                .list(Some(&root))
                .try_filter(|m| futures::future::ready((m.last_modified.timestamp_millis().max(0) as u128) < cutoff_ms))
                .map_ok(|m| m.location)
                .try_collect()
                .await?;
            old.extend(found);
        }
        let mut removed = 0u32;
        for path in old {
            match self.store.delete(&path).await {
                Ok(()) => removed += 1,
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Backend::Local(dir) = &self.backend {
            removed += sweep_partial_files(&dir.join(&self.prefix).join("staging"), cutoff_ms);
        }
        Ok(removed)
    }

    /// Every stored blob as (sha256, size), in no particular order: for finding blobs that no
    /// record references. Staging objects are not included.
    pub fn list_blobs(&self) -> futures::stream::BoxStream<'static, Result<(String, u64), FileError>> {
        let root = match self.key("sha256") {
            Ok(root) => root,
            Err(e) => return futures::stream::once(futures::future::ready(Err(e))).boxed(),
        };
        self.store
            .list(Some(&root))
            .map_err(FileError::from)
            .try_filter_map(|m| {
                let name = m.location.filename().unwrap_or_default().to_string();
                futures::future::ready(Ok((name.len() == 64).then_some((name, m.size))))
            })
            .boxed()
    }

    /// `<prefix>/<rel>` as an object path.
    pub(crate) fn key(&self, rel: &str) -> Result<ObjectPath, FileError> {
        let full = if self.prefix.is_empty() { rel.to_string() } else { format!("{}/{rel}", self.prefix) };
        ObjectPath::parse(full).map_err(|e| FileError::Storage(e.to_string()))
    }

    /// The content address of a blob. A malformed digest names no blob.
    pub(crate) fn blob_path(&self, sha256: &str) -> Result<ObjectPath, FileError> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !valid {
            return Err(FileError::NotFound);
        }
        // One level of 256 folders, as git does: a few thousand entries per folder at a million
        // documents, and a new folder is rarely needed (folder creation is the slow part of a write).
        self.key(&format!("sha256/{}/{sha256}", &sha256[..2]))
    }

    /// A fresh staging path; its name starts with the time so leftovers are easy to date.
    pub(crate) fn new_staging_path(&self) -> Result<ObjectPath, FileError> {
        self.key(&format!("staging/{}-{:016x}", now_ms(), rand::random::<u64>()))
    }
}

fn clean_prefix(prefix: &str) -> Result<String, FileError> {
    let p = prefix.trim_matches('/');
    ObjectPath::parse(p).map_err(|e| FileError::Config(format!("storage prefix {prefix:?}: {e}")))?;
    Ok(p.to_string())
}

fn without_userinfo(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://{}", &url[at + 1..]),
        _ => url.to_string(),
    }
}

fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

/// Removes the partial files the local backend keeps for unfinished uploads (`name#N`), which
/// listing does not show.
fn sweep_partial_files(dir: &Path, cutoff_ms: u128) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let is_partial = entry.file_name().to_string_lossy().contains('#');
        let modified_ms = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis());
        if is_partial && modified_ms < cutoff_ms && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}
