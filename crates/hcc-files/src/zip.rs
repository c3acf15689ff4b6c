//! Reading just enough of a ZIP container to tell the Office Open XML kinds (DOCX, XLSX, PPTX) and
//! the OpenDocument kinds (ODT, ODS, ODP) apart: the `mimetype` entry, `[Content_Types].xml`, or
//! failing those the part names. Everything here is bounded; nothing trusts the sizes it reads.

use crate::media::MediaType;
use std::io::Read;

const LOCAL_SIG: &[u8] = b"PK\x03\x04";
const CENTRAL_SIG: &[u8] = b"PK\x01\x02";
const EOCD_SIG: &[u8] = b"PK\x05\x06";
/// The most bytes inflated from `[Content_Types].xml`.
const MAX_INFLATED: u64 = 256 * 1024;

/// What a ZIP container turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZipKind {
    Office(MediaType),
    /// Decided: a ZIP, but not an accepted document (a plain archive, a macro-enabled file…).
    NotOffice,
    /// The bytes seen do not settle it.
    Undecided,
}

/// Classifies from the container's first bytes by walking its local file headers.
pub(crate) fn classify_head(buf: &[u8]) -> ZipKind {
    let mut by_name = None;
    let mut pos = 0usize;
    for _ in 0..256 {
        if buf.get(pos..).is_some_and(|rest| rest.starts_with(CENTRAL_SIG)) {
            // Every entry has been seen and none made it a document.
            return by_name.map_or(ZipKind::NotOffice, ZipKind::Office);
        }
        let Some(h) = buf.get(pos..pos + 30).filter(|h| h.starts_with(LOCAL_SIG)) else { break };
        let flags = le16(h, 6);
        let method = le16(h, 8);
        let csize = le32(h, 18) as usize;
        let name_end = pos + 30 + usize::from(le16(h, 26));
        let data_start = name_end + usize::from(le16(h, 28));
        let Some(name) = buf.get(pos + 30..name_end) else { break };
        let data = buf.get(data_start..data_start.saturating_add(csize));
        if let Some(kind) = classify_entry(name, method, data) {
            return kind;
        }
        by_name = by_name.or_else(|| classify_name(name));
        pos = if flags & 8 != 0 && csize == 0 {
            // Sizes follow the data: find the next header instead.
            match memchr::memmem::find(buf.get(data_start..).unwrap_or_default(), LOCAL_SIG) {
                Some(i) => data_start + i,
                None => break,
            }
        } else {
            data_start.saturating_add(csize)
        };
    }
    by_name.map_or(ZipKind::Undecided, ZipKind::Office)
}

/// An entry of the central directory.
#[derive(Debug, Clone)]
pub(crate) struct CentralEntry {
    pub name: Vec<u8>,
    pub method: u16,
    pub compressed_size: u64,
    pub local_offset: u64,
}

/// Finds the central directory from the container's last bytes: (offset, size).
pub(crate) fn find_central_directory(tail: &[u8]) -> Option<(u64, u64)> {
    let at = memchr::memmem::rfind(tail, EOCD_SIG)?;
    let e = tail.get(at..at + 22)?;
    let size = le32(e, 12);
    let offset = le32(e, 16);
    if size == u32::MAX || offset == u32::MAX {
        return None; // ZIP64: not an Office document of a size we accept
    }
    Some((u64::from(offset), u64::from(size)))
}

/// Lists the entries of a central directory.
pub(crate) fn central_entries(cd: &[u8]) -> Vec<CentralEntry> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some(h) = cd.get(pos..pos + 46).filter(|h| h.starts_with(CENTRAL_SIG)) {
        let name_len = usize::from(le16(h, 28));
        let skip = name_len + usize::from(le16(h, 30)) + usize::from(le16(h, 32));
        let Some(name) = cd.get(pos + 46..pos + 46 + name_len) else { break };
        out.push(CentralEntry {
            name: name.to_vec(),
            method: le16(h, 10),
            compressed_size: u64::from(le32(h, 20)),
            local_offset: u64::from(le32(h, 42)),
        });
        pos += 46 + skip;
    }
    out
}

/// Classifies from the central directory's part names alone (when no entry tells by content).
pub(crate) fn classify_by_names(entries: &[CentralEntry]) -> ZipKind {
    entries.iter().find_map(|e| classify_name(&e.name)).map_or(ZipKind::NotOffice, ZipKind::Office)
}

/// The entry that settles the kind by its content, if any.
pub(crate) fn telling_entry(entries: &[CentralEntry]) -> Option<&CentralEntry> {
    entries.iter().find(|e| e.name == b"[Content_Types].xml").or_else(|| entries.iter().find(|e| e.name == b"mimetype"))
}

/// Classifies a local header followed by its data (as read at the entry's local offset).
pub(crate) fn classify_local(buf: &[u8], entry: &CentralEntry) -> Option<ZipKind> {
    let h = buf.get(..30).filter(|h| h.starts_with(LOCAL_SIG))?;
    let data_start = 30 + usize::from(le16(h, 26)) + usize::from(le16(h, 28));
    let len = usize::try_from(entry.compressed_size).ok()?;
    classify_entry(&entry.name, entry.method, buf.get(data_start..data_start.checked_add(len)?))
}

/// The local header bytes to read for an entry: at most the header, 64 KiB of name and extra
/// fields, and 256 KiB of data.
pub(crate) fn local_read_len(entry: &CentralEntry) -> u64 {
    30 + 2 * 65_535 + entry.compressed_size.min(MAX_INFLATED)
}

fn classify_entry(name: &[u8], method: u16, data: Option<&[u8]>) -> Option<ZipKind> {
    let data = data?;
    if name == b"mimetype" && method == 0 {
        return Some(match data {
            b"application/vnd.oasis.opendocument.text" => ZipKind::Office(MediaType::Odt),
            b"application/vnd.oasis.opendocument.spreadsheet" => ZipKind::Office(MediaType::Ods),
            b"application/vnd.oasis.opendocument.presentation" => ZipKind::Office(MediaType::Odp),
            _ => ZipKind::NotOffice,
        });
    }
    if name == b"[Content_Types].xml" {
        let xml = inflate(method, data)?;
        let has = |s: &str| memchr::memmem::find(&xml, s.as_bytes()).is_some();
        return Some(if has("wordprocessingml.document.main+xml") {
            ZipKind::Office(MediaType::Docx)
        } else if has("spreadsheetml.sheet.main+xml") {
            ZipKind::Office(MediaType::Xlsx)
        } else if has("presentationml.presentation.main+xml") {
            ZipKind::Office(MediaType::Pptx)
        } else {
            ZipKind::NotOffice
        });
    }
    None
}

fn classify_name(name: &[u8]) -> Option<MediaType> {
    match name {
        b"word/document.xml" => Some(MediaType::Docx),
        b"xl/workbook.xml" => Some(MediaType::Xlsx),
        b"ppt/presentation.xml" => Some(MediaType::Pptx),
        _ => None,
    }
}

fn inflate(method: u16, data: &[u8]) -> Option<Vec<u8>> {
    match method {
        0 => Some(data.to_vec()),
        8 => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(data).take(MAX_INFLATED).read_to_end(&mut out).ok()?;
            Some(out)
        }
        _ => None,
    }
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
