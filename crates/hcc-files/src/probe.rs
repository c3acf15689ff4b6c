//! Bounded looks into a staged object, with range reads, for what the first bytes did not tell:
//! the kind of an Office container (ZIP central directory, OLE directory) and a TIFF's pages.

use crate::error::FileError;
use crate::media::MediaType;
use crate::pages::TiffWalker;
use crate::sniff::{ole_classify, ole_directory};
use crate::store::FileStore;
use crate::zip::{self, ZipKind};
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use std::ops::Range;

/// The end of a ZIP: its 22-byte end record after a comment of at most 64 KiB.
const ZIP_TAIL: u64 = 22 + 65_535;
/// The largest central directory read (an Office document has a few hundred entries).
const MAX_CENTRAL_DIRECTORY: u64 = 4 * 1024 * 1024;
/// Bytes fetched per TIFF read, so neighbouring directories come in one request.
const TIFF_WINDOW: u64 = 64 * 1024;

impl FileStore {
    /// The kind of a ZIP container from its central directory.
    pub(crate) async fn probe_zip(&self, path: &ObjectPath, size: u64) -> Result<Option<MediaType>, FileError> {
        let tail_start = size.saturating_sub(ZIP_TAIL);
        let tail = self.store.get_range(path, tail_start..size).await?;
        let Some((offset, len)) = zip::find_central_directory(&tail) else { return Ok(None) };
        if len > MAX_CENTRAL_DIRECTORY || offset.saturating_add(len) > size {
            return Ok(None);
        }
        let cd = self.store.get_range(path, offset..offset + len).await?;
        let entries = zip::central_entries(&cd);
        if let Some(entry) = zip::telling_entry(&entries) {
            let end = entry.local_offset.saturating_add(zip::local_read_len(entry)).min(size);
            if entry.local_offset < end {
                let local = self.store.get_range(path, entry.local_offset..end).await?;
                if let Some(kind) = zip::classify_local(&local, entry) {
                    return Ok(office(kind));
                }
            }
        }
        Ok(office(zip::classify_by_names(&entries)))
    }

    /// The kind of an OLE compound file from its first directory sector.
    pub(crate) async fn probe_ole(
        &self,
        path: &ObjectPath,
        head: &[u8],
        size: u64,
    ) -> Result<Option<MediaType>, FileError> {
        let Some((offset, len)) = ole_directory(head) else { return Ok(None) };
        let end = offset.saturating_add(len as u64);
        if end > size {
            return Ok(None);
        }
        let sector = self.store.get_range(path, offset..end).await?;
        Ok(ole_classify(&sector))
    }

    /// A TIFF's pages, walking its directories with range reads. Best-effort: `None` on any error.
    pub(crate) async fn probe_tiff_pages(&self, path: &ObjectPath, head: &[u8], size: u64) -> Option<u32> {
        let mut walker = TiffWalker::new(head, size)?;
        let mut window: (u64, bytes::Bytes) = (0, bytes::Bytes::copy_from_slice(head));
        while let Some(want) = walker.wanted() {
            if !covers(&window, &want) {
                let end = want.start.saturating_add(TIFF_WINDOW).max(want.end).min(size);
                match self.store.get_range(path, want.start..end).await {
                    Ok(bytes) => window = (want.start, bytes),
                    Err(e) => {
                        tracing::debug!(error = %e, "TIFF page count stopped");
                        break;
                    }
                }
            }
            let from = usize::try_from(want.start - window.0).ok()?;
            let to = usize::try_from(want.end - window.0).ok()?;
            walker.feed(window.1.get(from..to.min(window.1.len())).unwrap_or_default());
        }
        Some(walker.pages()).filter(|&n| n > 0)
    }
}

fn covers(window: &(u64, bytes::Bytes), want: &Range<u64>) -> bool {
    want.start >= window.0 && want.end <= window.0 + window.1.len() as u64
}

fn office(kind: ZipKind) -> Option<MediaType> {
    match kind {
        ZipKind::Office(m) => Some(m),
        ZipKind::NotOffice | ZipKind::Undecided => None,
    }
}
