//! The actions of the lifecycle and their arguments.

use crate::actor::Role;
use crate::time_limit::TimeLimit;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The names of the actions, as they appear in `/actions/{action}` and on the control sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Tiếp nhận (a dossier submitted online or by post).
    Receive,
    /// Từ chối tiếp nhận (Form 03).
    RefuseReceipt,
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (Form 02).
    RequestSupplement,
    /// Nhận hồ sơ bổ sung.
    ReceiveSupplement,
    /// Phân công chuyên viên xử lý.
    Assign,
    /// Chuyển liên thông to another unit or agency.
    Forward,
    /// Hoàn thành bước xử lý.
    CompleteStep,
    /// Lãnh đạo phê duyệt, ký kết quả.
    Approve,
    /// Không giải quyết, with reasons and legal basis.
    RefuseToSettle,
    /// Tạm dừng (the clock stops).
    Pause,
    /// Tiếp tục xử lý.
    Resume,
    /// Gia hạn where the procedure allows it.
    Extend,
    /// Văn bản xin lỗi và hẹn lại ngày trả (Form 04).
    Apologize,
    /// Kết quả đã chuyển về bộ phận trả kết quả.
    MarkResultReady,
    /// Trả kết quả (counter, post, online).
    ReturnResult,
    /// Công dân rút hồ sơ.
    Withdraw,
    /// Dừng giải quyết (Form 05).
    Stop,
    /// Số hóa: a scanned (or reused) paper attached to its checklist item.
    Digitize,
    /// Miễn số hóa: a supervisor's reasoned exception to scanning before handling.
    WaiveDigitization,
    /// Đính kèm kết quả: the digitized, signed result (decision, certificate, licence).
    AttachResult,
    /// Xóa tài liệu: an administrator removes a stored document, with a reason on record.
    DeleteDocument,
}

impl ActionKind {
    pub const ALL: [ActionKind; 21] = [
        ActionKind::Receive,
        ActionKind::RefuseReceipt,
        ActionKind::RequestSupplement,
        ActionKind::ReceiveSupplement,
        ActionKind::Assign,
        ActionKind::Forward,
        ActionKind::CompleteStep,
        ActionKind::Approve,
        ActionKind::RefuseToSettle,
        ActionKind::Pause,
        ActionKind::Resume,
        ActionKind::Extend,
        ActionKind::Apologize,
        ActionKind::MarkResultReady,
        ActionKind::ReturnResult,
        ActionKind::Withdraw,
        ActionKind::Stop,
        ActionKind::Digitize,
        ActionKind::WaiveDigitization,
        ActionKind::AttachResult,
        ActionKind::DeleteDocument,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Receive => "receive",
            ActionKind::RefuseReceipt => "refuse_receipt",
            ActionKind::RequestSupplement => "request_supplement",
            ActionKind::ReceiveSupplement => "receive_supplement",
            ActionKind::Assign => "assign",
            ActionKind::Forward => "forward",
            ActionKind::CompleteStep => "complete_step",
            ActionKind::Approve => "approve",
            ActionKind::RefuseToSettle => "refuse_to_settle",
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
            ActionKind::Extend => "extend",
            ActionKind::Apologize => "apologize",
            ActionKind::MarkResultReady => "mark_result_ready",
            ActionKind::ReturnResult => "return_result",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Stop => "stop",
            ActionKind::Digitize => "digitize",
            ActionKind::WaiveDigitization => "waive_digitization",
            ActionKind::AttachResult => "attach_result",
            ActionKind::DeleteDocument => "delete_document",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ActionKind::Receive => "Tiếp nhận hồ sơ",
            ActionKind::RefuseReceipt => "Từ chối tiếp nhận",
            ActionKind::RequestSupplement => "Yêu cầu bổ sung hồ sơ",
            ActionKind::ReceiveSupplement => "Nhận hồ sơ bổ sung",
            ActionKind::Assign => "Phân công xử lý",
            ActionKind::Forward => "Chuyển xử lý liên thông",
            ActionKind::CompleteStep => "Hoàn thành bước xử lý",
            ActionKind::Approve => "Phê duyệt kết quả",
            ActionKind::RefuseToSettle => "Không giải quyết",
            ActionKind::Pause => "Tạm dừng xử lý",
            ActionKind::Resume => "Tiếp tục xử lý",
            ActionKind::Extend => "Gia hạn thời gian giải quyết",
            ActionKind::Apologize => "Xin lỗi và hẹn lại ngày trả kết quả",
            ActionKind::MarkResultReady => "Kết quả chờ trả",
            ActionKind::ReturnResult => "Trả kết quả",
            ActionKind::Withdraw => "Rút hồ sơ",
            ActionKind::Stop => "Dừng giải quyết",
            ActionKind::Digitize => "Số hóa giấy tờ",
            ActionKind::WaiveDigitization => "Miễn số hóa trước khi giải quyết",
            ActionKind::AttachResult => "Số hóa kết quả giải quyết",
            ActionKind::DeleteDocument => "Xóa tài liệu điện tử",
        }
    }
}

/// Why the clock is paused (the procedure's own exclusions, "không tính thời gian …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    /// Thực hiện nghĩa vụ tài chính.
    FinancialObligation,
    /// Niêm yết công khai.
    PublicPosting,
    /// Kiểm tra, khảo sát thực địa.
    SiteSurvey,
    /// Chờ ý kiến cơ quan khác theo quy định.
    OtherAuthority,
    #[default]
    Other,
}

/// How a result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    Counter,
    Post,
    Online,
}

/// A staff member named by an action (the assignee), as the store found them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRef {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub agency: Option<String>,
}

/// An action with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Receive {
        note: String,
    },
    RefuseReceipt {
        reasons: String,
    },
    RequestSupplement {
        items: Vec<String>,
        reason: String,
    },
    ReceiveSupplement {
        note: String,
    },
    Assign {
        assignee: StaffRef,
        note: String,
    },
    Forward {
        agency_code: String,
        note: String,
    },
    CompleteStep {
        note: String,
    },
    Approve {
        note: String,
    },
    RefuseToSettle {
        reasons: String,
        legal_basis: String,
    },
    Pause {
        kind: PauseKind,
        reason: String,
    },
    Resume {
        note: String,
    },
    Extend {
        limit: TimeLimit,
        reason: String,
    },
    Apologize {
        new_due_at: Timestamp,
        reason: String,
    },
    MarkResultReady {
        note: String,
    },
    ReturnResult {
        method: ReturnMethod,
        note: String,
        /// The SHA-256 of the recipient's handwritten signature, captured at the counter and
        /// stored with the return in the same transaction; `None` when the officer confirmed the
        /// signature on paper instead (or the result went by post or online).
        signature_sha256: Option<String>,
    },
    Withdraw {
        reason: String,
    },
    Stop {
        reasons: String,
    },
    Digitize {
        document: DocumentFacts,
    },
    WaiveDigitization {
        reason: String,
    },
    AttachResult {
        document: DocumentFacts,
    },
    /// `retention_over`: the dossier is finished and its procedure's archive period
    /// (thời hạn bảo quản) has run out; until then a finished dossier's documents are kept.
    DeleteDocument {
        document: DocumentFacts,
        reason: String,
        item_keeps_a_file: bool,
        retention_over: bool,
    },
}

/// What the control sheet records of a stored document: enough to find it and check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// The stored document's id (known for deletions; new documents get theirs on writing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The checklist item (thành phần hồ sơ) it satisfies; `None` for an extra paper or a result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_no: Option<u32>,
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Bản chính, bản sao, bản sao chứng thực, bản điện tử.
    pub copy_kind: CopyKind,
    /// Where a reused document came from (once-only: "dossier code #document id").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reused_from: Option<String>,
}

/// The kind of paper a scan was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Bản chính.
    Original,
    /// Bản sao.
    #[default]
    Copy,
    /// Bản sao có chứng thực.
    CertifiedCopy,
    /// Bản điện tử (submitted as a file, or a digitized result).
    Electronic,
}

impl CopyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Original => "original",
            CopyKind::Copy => "copy",
            CopyKind::CertifiedCopy => "certified_copy",
            CopyKind::Electronic => "electronic",
        }
    }

    pub fn parse(s: &str) -> Option<CopyKind> {
        [CopyKind::Original, CopyKind::Copy, CopyKind::CertifiedCopy, CopyKind::Electronic]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            CopyKind::Original => "Bản chính",
            CopyKind::Copy => "Bản sao",
            CopyKind::CertifiedCopy => "Bản sao chứng thực",
            CopyKind::Electronic => "Bản điện tử",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Receive { .. } => ActionKind::Receive,
            Action::RefuseReceipt { .. } => ActionKind::RefuseReceipt,
            Action::RequestSupplement { .. } => ActionKind::RequestSupplement,
            Action::ReceiveSupplement { .. } => ActionKind::ReceiveSupplement,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Forward { .. } => ActionKind::Forward,
            Action::CompleteStep { .. } => ActionKind::CompleteStep,
            Action::Approve { .. } => ActionKind::Approve,
            Action::RefuseToSettle { .. } => ActionKind::RefuseToSettle,
            Action::Pause { .. } => ActionKind::Pause,
            Action::Resume { .. } => ActionKind::Resume,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Apologize { .. } => ActionKind::Apologize,
            Action::MarkResultReady { .. } => ActionKind::MarkResultReady,
            Action::ReturnResult { .. } => ActionKind::ReturnResult,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::Stop { .. } => ActionKind::Stop,
            Action::Digitize { .. } => ActionKind::Digitize,
            Action::WaiveDigitization { .. } => ActionKind::WaiveDigitization,
            Action::AttachResult { .. } => ActionKind::AttachResult,
            Action::DeleteDocument { .. } => ActionKind::DeleteDocument,
        }
    }
}
