//! The kinds of document HCC accepts, and the upload limits that name them.

/// A document's media type, as sniffed from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    /// Word (Office Open XML)
    Docx,
    /// Excel (Office Open XML)
    Xlsx,
    /// PowerPoint (Office Open XML)
    Pptx,
    /// OpenDocument text
    Odt,
    /// OpenDocument spreadsheet
    Ods,
    /// OpenDocument presentation
    Odp,
    /// Word 97–2003 (OLE compound file)
    Doc,
    /// Excel 97–2003 (OLE compound file)
    Xls,
    /// PowerPoint 97–2003 (OLE compound file)
    Ppt,
}

impl MediaType {
    /// Every kind, in a stable order.
    pub const ALL: [MediaType; 13] = [
        MediaType::Pdf,
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Tiff,
        MediaType::Docx,
        MediaType::Xlsx,
        MediaType::Pptx,
        MediaType::Odt,
        MediaType::Ods,
        MediaType::Odp,
        MediaType::Doc,
        MediaType::Xls,
        MediaType::Ppt,
    ];

    /// The IANA media type, for `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Tiff => "image/tiff",
            MediaType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            MediaType::Odt => "application/vnd.oasis.opendocument.text",
            MediaType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            MediaType::Odp => "application/vnd.oasis.opendocument.presentation",
            MediaType::Doc => "application/msword",
            MediaType::Xls => "application/vnd.ms-excel",
            MediaType::Ppt => "application/vnd.ms-powerpoint",
        }
    }

    /// File name extensions (lower case, no dot) that fit this kind; the first is the usual one.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Pdf => &["pdf"],
            MediaType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            MediaType::Png => &["png"],
            MediaType::Tiff => &["tif", "tiff"],
            MediaType::Docx => &["docx"],
            MediaType::Xlsx => &["xlsx"],
            MediaType::Pptx => &["pptx"],
            MediaType::Odt => &["odt"],
            MediaType::Ods => &["ods"],
            MediaType::Odp => &["odp"],
            MediaType::Doc => &["doc"],
            MediaType::Xls => &["xls"],
            MediaType::Ppt => &["ppt"],
        }
    }

    /// The short stable name stored in the database and used in JSON ("pdf", "docx", …).
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpeg",
            MediaType::Png => "png",
            MediaType::Tiff => "tiff",
            MediaType::Docx => "docx",
            MediaType::Xlsx => "xlsx",
            MediaType::Pptx => "pptx",
            MediaType::Odt => "odt",
            MediaType::Ods => "ods",
            MediaType::Odp => "odp",
            MediaType::Doc => "doc",
            MediaType::Xls => "xls",
            MediaType::Ppt => "ppt",
        }
    }

    /// Reads the short name ([`MediaType::as_str`]) or the IANA media type back.
    pub fn parse(s: &str) -> Option<MediaType> {
        let s = s.trim();
        MediaType::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(s) || m.mime().eq_ignore_ascii_case(s))
    }

    /// What people call it, in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            MediaType::Pdf => "tài liệu PDF",
            MediaType::Jpeg => "ảnh JPEG",
            MediaType::Png => "ảnh PNG",
            MediaType::Tiff => "ảnh TIFF",
            MediaType::Docx => "văn bản Word (DOCX)",
            MediaType::Xlsx => "bảng tính Excel (XLSX)",
            MediaType::Pptx => "trình chiếu PowerPoint (PPTX)",
            MediaType::Odt => "văn bản OpenDocument (ODT)",
            MediaType::Ods => "bảng tính OpenDocument (ODS)",
            MediaType::Odp => "trình chiếu OpenDocument (ODP)",
            MediaType::Doc => "văn bản Word 97–2003 (DOC)",
            MediaType::Xls => "bảng tính Excel 97–2003 (XLS)",
            MediaType::Ppt => "trình chiếu PowerPoint 97–2003 (PPT)",
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an upload may be: its size and kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest accepted size in bytes; the upload stops as soon as it goes past it.
    pub max_bytes: u64,
    /// The accepted kinds.
    pub allowed: Vec<MediaType>,
}

impl UploadLimits {
    /// The default limit on size: 200 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 200 * 1024 * 1024;

    /// Whether `media` is accepted.
    pub fn allows(&self, media: MediaType) -> bool {
        self.allowed.contains(&media)
    }
}

impl Default for UploadLimits {
    /// 200 MiB, every kind.
    fn default() -> Self {
        UploadLimits { max_bytes: Self::DEFAULT_MAX_BYTES, allowed: MediaType::ALL.to_vec() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in MediaType::ALL {
            assert_eq!(MediaType::parse(m.as_str()), Some(m));
            assert_eq!(MediaType::parse(m.mime()), Some(m));
            assert!(!m.extensions().is_empty());
            assert!(!m.label_vi().is_empty());
        }
        assert_eq!(MediaType::parse("exe"), None);
        assert_eq!(UploadLimits::default().max_bytes, 200 * 1024 * 1024);
        assert!(UploadLimits::default().allows(MediaType::Xls));
    }
}
