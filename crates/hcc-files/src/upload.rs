//! Uploads: a body is streamed into a staging object while it is hashed, sniffed, page-counted and
//! held to its limits; once complete it is moved to its content address, create-only. Nothing is
//! ever held whole in memory: at most one part (8 MiB) buffered and two in flight.

use crate::error::FileError;
use crate::media::{MediaType, UploadLimits};
use crate::pages::PdfPageCounter;
use crate::sniff::{SNIFF_LEN, Sniffed, sniff_head};
use crate::store::FileStore;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

/// The size of one multipart part (S3 needs at least 5 MiB for all but the last).
const PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts uploaded at once.
const PARTS_IN_FLIGHT: usize = 2;

/// A document as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// The content address: SHA-256, 64 lower-case hex digits.
    pub sha256: String,
    pub size: u64,
    /// Sniffed from the content.
    pub media_type: MediaType,
    /// Pages of a PDF or TIFF, when they could be counted.
    pub pages: Option<u32>,
    /// The same content was already stored; nothing new was written.
    pub deduplicated: bool,
}

/// What the staging pass learned about the body.
struct Staged {
    sha256: String,
    size: u64,
    head: Vec<u8>,
    sniffed: Sniffed,
    pdf_pages: Option<u32>,
}

impl FileStore {
    /// Streams `body` into the store without holding it in memory. It is written to a staging
    /// object while being hashed (SHA-256) and sniffed from its first bytes; it is stopped as soon
    /// as it passes `limits.max_bytes`, and rejected if empty or of a kind not in
    /// `limits.allowed`. Then it is moved to its content address `sha256/ab/<hex>`, never
    /// overwriting: if that address already exists the upload is deduplicated. On any failure
    /// the staging object is removed (best-effort; [`FileStore::sweep_staging`] removes what is
    /// left after a crash) and nothing is referenced.
    ///
    /// A body that turns out to fit in one part (most scans) is stored like
    /// [`FileStore::put_bytes`]: straight to its address, without the staging copy.
    pub async fn put_stream<S, E>(&self, mut body: S, limits: &UploadLimits) -> Result<StoredBlob, FileError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
        E: std::error::Error + Send + Sync + 'static,
    {
        let mut head: Vec<Bytes> = Vec::new();
        let mut seen = 0usize;
        let mut kind_checked = false;
        while seen <= PART_SIZE {
            match body.next().await {
                Some(Ok(chunk)) => {
                    seen += chunk.len();
                    head.push(chunk);
                    if seen as u64 > limits.max_bytes {
                        return Err(FileError::TooLarge { max: limits.max_bytes });
                    }
                    // What the first bytes already rule out is refused before reading on.
                    if !kind_checked && seen >= SNIFF_LEN {
                        kind_checked = true;
                        let mut first = Vec::with_capacity(SNIFF_LEN);
                        for c in &head {
                            first.extend_from_slice(&c[..c.len().min(SNIFF_LEN - first.len())]);
                        }
                        check_kind(sniff_head(&first), limits)?;
                    }
                }
                Some(Err(e)) => {
                    tracing::info!(error = %e, "upload body broke off");
                    return Err(FileError::Truncated);
                }
                None => {
                    let mut whole = Vec::with_capacity(seen);
                    for c in &head {
                        whole.extend_from_slice(c);
                    }
                    return self.put_bytes(Bytes::from(whole), limits).await;
                }
            }
        }
        let rest = futures::stream::iter(head.into_iter().map(Ok::<Bytes, E>)).chain(body);
        self.put_staged(rest, limits).await
    }

    /// The staging path of [`FileStore::put_stream`], for bodies larger than one part.
    async fn put_staged<S, E>(&self, body: S, limits: &UploadLimits) -> Result<StoredBlob, FileError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
        E: std::error::Error + Send + Sync + 'static,
    {
        let staging = self.new_staging_path()?;
        let staged = self.stage(body, &staging, limits).await?;
        match self.settle(staged, &staging, limits).await {
            Ok(blob) => Ok(blob),
            Err(e) => {
                self.remove_staging(&staging).await;
                Err(e)
            }
        }
    }

    /// Stores bytes already in memory (see [`FileStore::put_stream`]). A PDF or image whose hash
    /// is known up front is written straight to its content address, create-only, without the
    /// staging copy: the same guarantees for a third of the writes.
    pub async fn put_bytes(&self, data: Bytes, limits: &UploadLimits) -> Result<StoredBlob, FileError> {
        if data.is_empty() {
            return Err(FileError::Empty);
        }
        if data.len() as u64 > limits.max_bytes {
            return Err(FileError::TooLarge { max: limits.max_bytes });
        }
        let sniffed = sniff_head(&data[..data.len().min(SNIFF_LEN)]);
        let Sniffed::Known(media @ (MediaType::Pdf | MediaType::Jpeg | MediaType::Png | MediaType::Tiff)) = sniffed
        else {
            return self.put_staged(futures::stream::iter([Ok::<_, std::io::Error>(data)]), limits).await;
        };
        if !limits.allows(media) {
            return Err(FileError::UnsupportedType);
        }
        let sha256 = hex::encode(Sha256::digest(&data));
        let pages = match media {
            MediaType::Pdf => crate::pages::pdf_page_count(&data),
            MediaType::Tiff => crate::pages::tiff_page_count(&data),
            _ => None,
        };
        let size = data.len() as u64;
        let target = self.blob_path(&sha256)?;
        let create = PutOptions { mode: PutMode::Create, ..PutOptions::default() };
        let deduplicated = match self.store.put_opts(&target, PutPayload::from(data.clone()), create).await {
            Ok(_) => false,
            Err(object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. }) => true,
            Err(object_store::Error::NotSupported { .. } | object_store::Error::NotImplemented { .. }) => {
                return self.put_staged(futures::stream::iter([Ok::<_, std::io::Error>(data)]), limits).await;
            }
            Err(e) => return Err(e.into()),
        };
        Ok(StoredBlob { sha256, size, media_type: media, pages, deduplicated })
    }

    /// Writes the body to `staging`; on failure nothing is left there (best-effort).
    async fn stage<S, E>(&self, mut body: S, staging: &ObjectPath, limits: &UploadLimits) -> Result<Staged, FileError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
        E: std::error::Error + Send + Sync + 'static,
    {
        let mut sink = Sink::Buffer(Vec::new());
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::new();
        let mut pdf = Some(PdfPageCounter::new());
        let mut early_checked = false;
        let streamed: Result<(), FileError> = async {
            while let Some(item) = body.next().await {
                let chunk = item.map_err(|e| {
                    tracing::info!(error = %e, "upload body broke off");
                    FileError::Truncated
                })?;
                size += chunk.len() as u64;
                if size > limits.max_bytes {
                    return Err(FileError::TooLarge { max: limits.max_bytes });
                }
                hasher.update(&chunk);
                if head.len() < SNIFF_LEN {
                    head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_LEN - head.len())]);
                }
                if !early_checked && head.len() >= SNIFF_LEN {
                    early_checked = true;
                    let sniffed = sniff_head(&head);
                    check_kind(sniffed, limits)?;
                    if sniffed != Sniffed::Known(MediaType::Pdf) {
                        pdf = None;
                    }
                }
                if let Some(counter) = pdf.as_mut() {
                    counter.feed(&chunk);
                }
                sink.write(self.store.as_ref(), staging, chunk).await?;
            }
            Ok(())
        }
        .await;
        let sniffed = sniff_head(&head);
        let checked =
            streamed.and_then(|()| if size == 0 { Err(FileError::Empty) } else { check_kind(sniffed, limits) });
        if let Err(e) = checked {
            sink.abort().await;
            return Err(e);
        }
        if let Err(e) = sink.finish(self.store.as_ref(), staging).await {
            self.remove_staging(staging).await;
            return Err(e);
        }
        let pdf_pages =
            if sniffed == Sniffed::Known(MediaType::Pdf) { pdf.and_then(PdfPageCounter::finish) } else { None };
        Ok(Staged { sha256: hex::encode(hasher.finalize()), size, head, sniffed, pdf_pages })
    }

    /// Settles the kind and pages, then moves the staged object to its content address.
    async fn settle(
        &self,
        staged: Staged,
        staging: &ObjectPath,
        limits: &UploadLimits,
    ) -> Result<StoredBlob, FileError> {
        let media = match staged.sniffed {
            Sniffed::Known(m) => Some(m),
            Sniffed::Zip => self.probe_zip(staging, staged.size).await?,
            Sniffed::Ole => self.probe_ole(staging, &staged.head, staged.size).await?,
            Sniffed::Unknown => None,
        };
        let media = media.filter(|m| limits.allows(*m)).ok_or(FileError::UnsupportedType)?;
        let pages = match media {
            MediaType::Pdf => staged.pdf_pages,
            MediaType::Tiff => self.probe_tiff_pages(staging, &staged.head, staged.size).await,
            _ => None,
        };
        let target = self.blob_path(&staged.sha256)?;
        let deduplicated = self.move_create_only(staging, &target).await?;
        if deduplicated {
            match self.store.head(&target).await {
                Ok(meta) if meta.size != staged.size => {
                    tracing::warn!(sha256 = %staged.sha256, stored = meta.size, "stored blob has the wrong size");
                }
                _ => {}
            }
        }
        self.remove_staging(staging).await;
        Ok(StoredBlob { sha256: staged.sha256, size: staged.size, media_type: media, pages, deduplicated })
    }

    /// Copies `from` to `to` unless `to` exists; returns whether it existed.
    async fn move_create_only(&self, from: &ObjectPath, to: &ObjectPath) -> Result<bool, FileError> {
        match self.store.copy_if_not_exists(from, to).await {
            Ok(()) => Ok(false),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(true),
            Err(object_store::Error::NotSupported { .. } | object_store::Error::NotImplemented { .. }) => {
                // A backend without create-only copy: check first. The race left is harmless, as
                // both writers hold the same bytes under a content address.
                match self.store.head(to).await {
                    Ok(_) => Ok(true),
                    Err(object_store::Error::NotFound { .. }) => {
                        self.store.copy(from, to).await?;
                        Ok(false)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes a staging object, logging (not failing) when that does not work.
    pub(crate) async fn remove_staging(&self, staging: &ObjectPath) {
        match self.store.delete(staging).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => tracing::warn!(path = %staging, error = %e, "staging object left behind for the sweep"),
        }
    }
}

/// Rejects what the first bytes already rule out.
fn check_kind(sniffed: Sniffed, limits: &UploadLimits) -> Result<(), FileError> {
    match sniffed {
        Sniffed::Unknown => Err(FileError::UnsupportedType),
        Sniffed::Known(m) if !limits.allows(m) => Err(FileError::UnsupportedType),
        _ => Ok(()),
    }
}

/// Where the body goes: a buffer until it passes one part, then a multipart upload. Small
/// documents (most of them) are stored with a single PUT.
enum Sink {
    Buffer(Vec<u8>),
    Multipart(WriteMultipart),
    Done,
}

impl Sink {
    async fn write(&mut self, store: &dyn ObjectStore, path: &ObjectPath, chunk: Bytes) -> Result<(), FileError> {
        match self {
            Sink::Buffer(buf) if buf.len() + chunk.len() <= PART_SIZE => {
                buf.extend_from_slice(&chunk);
            }
            Sink::Buffer(buf) => {
                let upload = store.put_multipart(path).await?;
                let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
                writer.write(buf);
                writer.put(chunk);
                *self = Sink::Multipart(writer);
            }
            Sink::Multipart(writer) => {
                if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                    return Err(e.into());
                }
                writer.put(chunk);
            }
            Sink::Done => return Err(FileError::Storage("upload already finished".into())),
        }
        Ok(())
    }

    async fn finish(&mut self, store: &dyn ObjectStore, path: &ObjectPath) -> Result<(), FileError> {
        match std::mem::replace(self, Sink::Done) {
            Sink::Buffer(buf) => store.put(path, PutPayload::from(buf)).await.map(|_| ()).map_err(Into::into),
            Sink::Multipart(writer) => writer.finish().await.map(|_| ()).map_err(Into::into),
            Sink::Done => Ok(()),
        }
    }

    async fn abort(&mut self) {
        if let Sink::Multipart(writer) = std::mem::replace(self, Sink::Done)
            && let Err(e) = writer.abort().await
        {
            tracing::warn!(error = %e, "could not abort a multipart upload; the sweep will remove it");
        }
    }
}
