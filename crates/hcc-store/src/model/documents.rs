//! The records of stored documents: papers, results and signatures, their blobs, uploads in
//! progress and the rules that accept files.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Whether a document is a paper handed in or a result issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A paper of the dossier (thành phần hồ sơ), scanned or submitted as a file.
    Input,
    /// The digitized, signed result (kết quả giải quyết).
    Result,
    /// The recipient's handwritten signature on handing over the result, captured at the counter.
    Signature,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Input => "input",
            DocumentKind::Result => "result",
            DocumentKind::Signature => "signature",
        }
    }
}

/// A document to write together with the control-sheet row that records it.
#[derive(Debug, Clone)]
pub enum DocumentChange {
    Add(NewDocument),
    /// An administrator's deletion: the row is marked, never removed.
    Delete {
        id: i64,
        reason: String,
    },
}

/// A stored file becoming a document of a dossier.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub item_no: Option<u32>,
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub pages: Option<u32>,
    pub copy_kind: hcc_domain::lifecycle::CopyKind,
    /// The applicant's CCCD or tax code: the key of their electronic data store.
    pub owner_id: String,
    pub valid_until: Option<Timestamp>,
    /// The document this one reuses (once-only), if any.
    pub reused_from: Option<i64>,
}

/// A stored document with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentRecord {
    pub id: i64,
    pub dossier_id: i64,
    pub dossier_code: String,
    /// The control-sheet row that recorded it.
    pub event_seq: i64,
    pub kind: DocumentKind,
    pub item_no: Option<u32>,
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub pages: Option<u32>,
    pub copy_kind: hcc_domain::lifecycle::CopyKind,
    #[serde(skip)]
    pub owner_id: String,
    pub valid_until: Option<Timestamp>,
    pub reused_from: Option<i64>,
    pub digitized_by: Option<i64>,
    pub digitized_by_name: String,
    pub digitized_unit: String,
    pub digitized_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    pub deleted_by: Option<String>,
    pub delete_reason: Option<String>,
}

/// A stored object as the database knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobRecord {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub pages: Option<u32>,
    pub created_at: Timestamp,
}

/// A resumable upload in progress (or finished: then `document_id` names what it became).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRecord {
    pub id: String,
    pub dossier_id: i64,
    pub user_id: i64,
    /// What the document will be (kind, item, copy kind, file name …), as the client said at the start.
    pub params: serde_json::Value,
    pub size: u64,
    pub received: u64,
    pub parts: u32,
    pub created_at: Timestamp,
    pub document_id: Option<i64>,
}

/// A procedure's document rules, set by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRules {
    /// Largest file in bytes.
    pub max_bytes: u64,
    /// Allowed kinds (short names such as `pdf`); empty = every supported kind.
    pub media_types: Vec<String>,
    /// Archive period (thời hạn bảo quản) in years after the dossier ends; `None` = for good.
    pub archive_years: Option<u32>,
}
