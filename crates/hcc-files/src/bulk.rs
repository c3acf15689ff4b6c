//! Bulk loads (the demo city, a migration from another system): many small documents at once.
//! On a local folder they are written by one blocking task instead of several thread hand-offs
//! per file, which is what dominates when the files are small.

use crate::error::FileError;
use crate::media::{MediaType, UploadLimits};
use crate::sniff::{SNIFF_LEN, Sniffed, sniff_head};
use crate::store::{Backend, FileStore};
use crate::upload::StoredBlob;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::path::Path;

impl FileStore {
    /// Stores many in-memory documents; answers them in order. On a local folder each is written
    /// under a temporary name and renamed to its content address (an existing address is kept:
    /// deduplicated). Follow a bulk load with [`FileStore::flush_bulk`] on a store opened with
    /// [`FileStore::local_bulk`]. Other stores take each through [`FileStore::put_bytes`].
    pub async fn put_many(&self, items: Vec<Bytes>, limits: &UploadLimits) -> Result<Vec<StoredBlob>, FileError> {
        let Backend::Local(dir) = &self.backend else {
            let mut out = Vec::with_capacity(items.len());
            for data in items {
                out.push(self.put_bytes(data, limits).await?);
            }
            return Ok(out);
        };
        let mut planned = Vec::with_capacity(items.len());
        for data in items {
            let (media, pages) = check(&data, limits)?;
            let sha256 = hex::encode(Sha256::digest(&data));
            let path = dir.join(self.blob_path(&sha256)?.as_ref());
            planned.push((data, path, StoredBlob { sha256, size: 0, media_type: media, pages, deduplicated: false }));
        }
        tokio::task::spawn_blocking(move || {
            planned
                .into_iter()
                .map(|(data, path, mut blob)| {
                    blob.size = data.len() as u64;
                    blob.deduplicated = write_once(&path, &data)?;
                    Ok(blob)
                })
                .collect::<Result<Vec<_>, FileError>>()
        })
        .await
        .map_err(|e| FileError::Storage(format!("bulk write task: {e}")))?
    }
}

/// What a bulk item is, judged from its bytes; only PDFs and images are taken in bulk.
fn check(data: &[u8], limits: &UploadLimits) -> Result<(MediaType, Option<u32>), FileError> {
    if data.is_empty() {
        return Err(FileError::Empty);
    }
    if data.len() as u64 > limits.max_bytes {
        return Err(FileError::TooLarge { max: limits.max_bytes });
    }
    match sniff_head(&data[..data.len().min(SNIFF_LEN)]) {
        Sniffed::Known(m @ (MediaType::Pdf | MediaType::Jpeg | MediaType::Png | MediaType::Tiff))
            if limits.allows(m) =>
        {
            let pages = match m {
                MediaType::Pdf => crate::pages::pdf_page_count(data),
                MediaType::Tiff => crate::pages::tiff_page_count(data),
                _ => None,
            };
            Ok((m, pages))
        }
        _ => Err(FileError::UnsupportedType),
    }
}

/// Writes `data` at `path` unless something is there already; returns whether it was.
fn write_once(path: &Path, data: &[u8]) -> Result<bool, FileError> {
    if path.exists() {
        return Ok(true);
    }
    let io = |e: std::io::Error| FileError::Storage(format!("{}: {e}", path.display()));
    let parent = path.parent().ok_or_else(|| FileError::Storage("blob path without a folder".into()))?;
    std::fs::create_dir_all(parent).map_err(io)?;
    let tmp = parent.join(format!(".bulk-{:016x}", rand::random::<u64>()));
    std::fs::write(&tmp, data).map_err(io)?;
    // Same content under a content address: a concurrent writer of the same name is harmless.
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bulk_writes_land_where_single_writes_would() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = FileStore::local_bulk(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let pdf = Bytes::from_static(b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n");
        let limits = UploadLimits::default();
        let blobs = store.put_many(vec![pdf.clone(), pdf.clone()], &limits).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(blobs[0].sha256, blobs[1].sha256);
        assert!(!blobs[0].deduplicated && blobs[1].deduplicated);
        assert_eq!(blobs[0].media_type, MediaType::Pdf);
        store.flush_bulk().await.unwrap_or_else(|e| panic!("{e}"));
        let check = store.verify(&blobs[0].sha256, pdf.len() as u64).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check, crate::BlobCheck::Ok);
        let again = store.put_bytes(pdf, &limits).await.unwrap_or_else(|e| panic!("{e}"));
        assert!(again.deduplicated);
        let bad = store.put_many(vec![Bytes::from_static(b"MZ not a paper")], &limits).await;
        assert!(matches!(bad, Err(FileError::UnsupportedType)));
    }
}
