//! The pieces of a resumable upload: kept under `uploads/<id>/<n>` until the last arrives, then
//! streamed in order through the normal upload (hashing, sniffing, limits) and removed.

use crate::error::FileError;
use crate::store::FileStore;
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutMode, PutOptions, PutPayload};

impl FileStore {
    fn part_path(&self, upload: &str, index: u32) -> Result<ObjectPath, FileError> {
        let valid = !upload.is_empty() && upload.len() <= 64 && upload.bytes().all(|b| b.is_ascii_alphanumeric());
        if !valid {
            return Err(FileError::NotFound);
        }
        self.key(&format!("uploads/{upload}/{index:08}"))
    }

    /// Stores piece `index` of an upload; a piece is written once (a second writer of the same
    /// piece is told it exists, as [`FileError::Storage`] is not: the caller re-reads the offset).
    pub async fn put_part(&self, upload: &str, index: u32, data: Bytes) -> Result<bool, FileError> {
        let path = self.part_path(upload, index)?;
        let create = PutOptions { mode: PutMode::Create, ..PutOptions::default() };
        match self.store.put_opts(&path, PutPayload::from(data), create).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The pieces `0..count` of an upload, in order, as one body.
    pub fn parts_stream(&self, upload: &str, count: u32) -> BoxStream<'static, Result<Bytes, FileError>> {
        let store = self.clone();
        let upload = upload.to_owned();
        futures::stream::iter(0..count)
            .then(move |i| {
                let store = store.clone();
                let upload = upload.clone();
                async move {
                    let path = store.part_path(&upload, i)?;
                    Ok::<_, FileError>(store.store.get(&path).await?.bytes().await?)
                }
            })
            .boxed()
    }

    /// Removes an upload's pieces (best-effort: what is left is swept with the staging area).
    pub async fn delete_parts(&self, upload: &str, count: u32) {
        for i in 0..count {
            if let Ok(path) = self.part_path(upload, i)
                && let Err(e) = self.store.delete(&path).await
            {
                tracing::warn!(upload, piece = i, error = %e, "upload piece left behind");
            }
        }
    }
}
