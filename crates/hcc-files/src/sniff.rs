//! Telling a document's kind from its first bytes, never from its name. Office files are
//! containers (ZIP or OLE); when the first bytes do not settle which kind, the store takes a
//! bounded look further into the stored object (see `upload.rs`).

use crate::media::MediaType;
use crate::zip::{self, ZipKind};

/// How many first bytes the store keeps for sniffing.
pub const SNIFF_LEN: usize = 64 * 1024;

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// What the first bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Known(MediaType),
    /// A ZIP container whose kind the first bytes do not settle.
    Zip,
    /// An OLE compound file whose directory lies past the first bytes.
    Ole,
    /// Not an accepted kind.
    Unknown,
}

/// The kind of a document from its first bytes (up to [`SNIFF_LEN`] are looked at), or `None`
/// if it is not an accepted kind or the bytes given do not settle it.
pub fn sniff(first_bytes: &[u8]) -> Option<MediaType> {
    match sniff_head(first_bytes) {
        Sniffed::Known(m) => Some(m),
        _ => None,
    }
}

pub(crate) fn sniff_head(b: &[u8]) -> Sniffed {
    if b.starts_with(b"\xFF\xD8\xFF") {
        return Sniffed::Known(MediaType::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1A\n") {
        return Sniffed::Known(MediaType::Png);
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") || b.starts_with(b"II+\0") || b.starts_with(b"MM\0+") {
        return Sniffed::Known(MediaType::Tiff);
    }
    // The PDF header may follow some junk, within the first 1024 bytes (as readers accept).
    if memchr::memmem::find(&b[..b.len().min(1024)], b"%PDF-").is_some() {
        return Sniffed::Known(MediaType::Pdf);
    }
    if b.starts_with(b"PK\x03\x04") {
        return match zip::classify_head(b) {
            ZipKind::Office(m) => Sniffed::Known(m),
            ZipKind::NotOffice => Sniffed::Unknown,
            ZipKind::Undecided => Sniffed::Zip,
        };
    }
    if b.starts_with(OLE_MAGIC) {
        let Some((offset, len)) = ole_directory(b) else { return Sniffed::Unknown };
        let Ok(start) = usize::try_from(offset) else { return Sniffed::Ole };
        return match b.get(start..start.saturating_add(len)) {
            Some(sector) => ole_classify(sector).map_or(Sniffed::Unknown, Sniffed::Known),
            None => Sniffed::Ole,
        };
    }
    Sniffed::Unknown
}

/// Where an OLE compound file's first directory sector is: (offset, sector size).
pub(crate) fn ole_directory(header: &[u8]) -> Option<(u64, usize)> {
    if !header.starts_with(OLE_MAGIC) || header.len() < 512 {
        return None;
    }
    let shift = u16::from_le_bytes([header[0x1E], header[0x1F]]);
    let sector: usize = match shift {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    let first = u32::from_le_bytes([header[0x30], header[0x31], header[0x32], header[0x33]]);
    if first >= 0xFFFF_FFFA {
        return None;
    }
    Some(((u64::from(first) + 1) * sector as u64, sector))
}

/// The kind of an OLE file from the stream names in its first directory sector.
pub(crate) fn ole_classify(sector: &[u8]) -> Option<MediaType> {
    for entry in sector.chunks_exact(128) {
        let name_len = usize::from(u16::from_le_bytes([entry[64], entry[65]])).min(64);
        if entry[66] != 2 || name_len < 2 {
            continue; // not a stream
        }
        let units: Vec<u16> = entry[..name_len - 2].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let name = String::from_utf16_lossy(&units);
        match name.as_str() {
            "WordDocument" => return Some(MediaType::Doc),
            "Workbook" | "Book" => return Some(MediaType::Xls),
            "PowerPoint Document" => return Some(MediaType::Ppt),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
#[path = "sniff_tests.rs"]
mod tests;
