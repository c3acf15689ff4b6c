//! What the notification worker and the early-warning job read and write: deliveries of outbox
//! notices, staff contacts, and the open dossiers a warning may concern.

use jiff::Timestamp;
use serde::Serialize;

/// The channels a notice can be delivered on.
pub const CHANNEL_EMAIL: &str = "email";
/// SMS or Zalo, through the configured HTTP provider.
pub const CHANNEL_TEXT: &str = "text";

/// A delivery a worker has claimed (under a lease), with what it needs to render the message.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub outbox_id: i64,
    pub channel: String,
    pub recipient: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// The notice's kind: a dossier status (`received`, `result_ready`, …), `apology`, `rating`,
    /// `one_time_code` or a warning (`warning_due_soon`, …).
    pub kind: String,
    pub payload: serde_json::Value,
    pub dossier_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status: String,
    pub due_at: Option<Timestamp>,
}

/// One delivery as recorded (status `pending`, `sent` or `failed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    pub outbox_id: i64,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub provider_ref: Option<String>,
    pub sent_at: Option<Timestamp>,
}

/// A staff member's contact for warnings and escalations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffContact {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub agency_code: Option<String>,
    pub point_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// An open dossier whose current step is due before the warning horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningCandidate {
    pub dossier_id: i64,
    pub code: String,
    pub procedure_name: String,
    pub procedure_code: String,
    pub procedure_version: i64,
    /// `received` (the reception point still holds it) or `in_progress` (the agency does).
    pub status: String,
    pub point_code: String,
    pub agency_code: String,
    pub assignee_id: Option<i64>,
    pub step_index: i64,
    pub step_due_at: Timestamp,
    pub due_at: Option<Timestamp>,
}

/// A warning to record once, with the staff it notifies.
#[derive(Debug, Clone)]
pub struct NewWarning {
    pub dossier_id: i64,
    pub step_index: i64,
    /// `due_soon`, `overdue` or `escalated`.
    pub kind: String,
    pub due_at: Timestamp,
    /// Staff user ids: one outbox notice each.
    pub recipients: Vec<i64>,
    /// Merged into each notice's payload (with the recipient's `user_id`).
    pub payload: serde_json::Value,
}

/// Whose early warnings a staff list shows (every set filter applies).
#[derive(Debug, Clone, Default)]
pub struct WarningScope {
    /// The agency settling the dossier.
    pub agency: Option<String>,
    /// The officer it is assigned to.
    pub assignee: Option<i64>,
    /// The reception point still holding it (received, not yet handed over).
    pub point: Option<String>,
    /// `due_soon`, `overdue` or `escalated`.
    pub kind: Option<String>,
}

/// A warning of an open dossier's current step, as a staff list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningItem {
    pub id: i64,
    pub kind: String,
    /// The step's due time the warning was given about.
    pub due_at: Timestamp,
    pub given_at: Timestamp,
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub status: String,
    pub agency_code: String,
}
