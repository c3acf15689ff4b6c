//! What the rules look at and produce: the dossier's state, the control-sheet row an action
//! appends, timeliness, and why an action was refused.

use crate::actor::Actor;
use crate::calendar::WorkingCalendar;
use crate::catalog::{Channel, Procedure};
use crate::lifecycle::ActionKind;
use crate::permission::Denied;
use crate::status::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Was something finished early, on time or late?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trước hạn: finished on a day before the due day.
    Early,
    /// Đúng hạn.
    OnTime,
    /// Quá hạn.
    Late,
}

impl Timeliness {
    /// Judges a finish at `done` against `due`: late after the due instant; early when it was done
    /// on an earlier local day than the due day.
    pub fn judge(done: Timestamp, due: Timestamp, cal: &WorkingCalendar) -> Timeliness {
        if done > due {
            Timeliness::Late
        } else if cal.local(done).date() < cal.local(due).date() {
            Timeliness::Early
        } else {
            Timeliness::OnTime
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::Early => "early",
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
    }
}

/// The part of a dossier the rules look at and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierState {
    pub status: Status,
    /// Where a supplement request or a pause returns to.
    pub resume_status: Option<Status>,
    pub channel: Channel,
    pub point_code: String,
    /// The agency that holds the dossier now.
    pub agency_code: String,
    pub assignee: Option<i64>,
    /// When the reception point accepted it; `None` while only submitted.
    pub received_at: Option<Timestamp>,
    /// The appointment (hẹn trả) in force.
    pub due_at: Option<Timestamp>,
    /// The first appointment, kept for the index when a new date is set.
    pub original_due_at: Option<Timestamp>,
    /// Set while the clock is stopped (supplement, pause).
    pub clock_stopped_at: Option<Timestamp>,
    /// Working minutes of the whole limit, fixed at receipt; steps take their share of it.
    pub budget_minutes: u64,
    pub step_index: u32,
    pub step_started_at: Option<Timestamp>,
    pub step_due_at: Option<Timestamp>,
    pub supplement_requests: u32,
    pub new_appointments: u32,
    /// Working minutes added by extensions so far.
    pub extension_minutes: u64,
    pub late_steps: u32,
    /// The leader signed the result (or the refusal); what remains is to return it.
    pub approved: bool,
    /// End of handling for the index: result ready, not settled, stopped, refused or withdrawn.
    pub handled_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    /// Checklist items handed in that have no digitized file yet (Decree 45/2020: every paper is
    /// scanned before the dossier is handled).
    #[serde(default)]
    pub unscanned_items: Vec<u32>,
    /// A supervisor recorded a reasoned exception to scanning before handling.
    #[serde(default)]
    pub scan_waived: bool,
    /// SHA-256 of the digitized, signed result; required before the result can be returned.
    #[serde(default)]
    pub result_sha256: Option<String>,
}

impl DossierState {
    /// A dossier just submitted at `point_code` for `agency_code`: nothing received, no clock.
    pub fn submitted(channel: Channel, point_code: &str, agency_code: &str) -> DossierState {
        DossierState {
            status: Status::Submitted,
            resume_status: None,
            channel,
            point_code: point_code.to_owned(),
            agency_code: agency_code.to_owned(),
            assignee: None,
            received_at: None,
            due_at: None,
            original_due_at: None,
            clock_stopped_at: None,
            budget_minutes: 0,
            step_index: 0,
            step_started_at: None,
            step_due_at: None,
            supplement_requests: 0,
            new_appointments: 0,
            extension_minutes: 0,
            late_steps: 0,
            approved: false,
            handled_at: None,
            finished_at: None,
            unscanned_items: Vec::new(),
            scan_waived: false,
            result_sha256: None,
        }
    }
}

/// Why an action was refused. Each has a stable code for programs and a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("Không thể \"{action}\" khi hồ sơ đang ở trạng thái \"{status}\"")]
    InvalidState { action: &'static str, status: &'static str },
    #[error("Hồ sơ đã kết thúc, không thể thay đổi")]
    Finished,
    #[error("{0}")]
    Invalid(String),
    /// Handled before every handed-in paper was scanned (Decree 45/2020).
    #[error("Hồ sơ chưa được số hóa đầy đủ: còn thiếu bản điện tử của giấy tờ số {}", list_items(items))]
    NotDigitized { items: Vec<u32> },
    /// A result returned before its signed copy was digitized.
    #[error("Kết quả giải quyết chưa được số hóa: cần đính kèm bản điện tử của kết quả đã ký trước khi trả")]
    ResultNotDigitized,
}

fn list_items(items: &[u32]) -> String {
    items.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

impl ActionError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::Denied(Denied::NotInScope) => "not_found",
            ActionError::Denied(_) => "forbidden",
            ActionError::InvalidState { .. } => "invalid_transition",
            ActionError::Finished => "dossier_finished",
            ActionError::Invalid(_) => "invalid_action",
            ActionError::NotDigitized { .. } => "not_digitized",
            ActionError::ResultNotDigitized => "result_not_digitized",
        }
    }
}

/// One row of the control sheet as the rules describe it; the store adds who, when and the hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    pub action: ActionKind,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// The step this action finished or worked on.
    pub step_name: Option<String>,
    pub step_due_at: Option<Timestamp>,
    /// For an action that finished a step: early, on time or late.
    pub step_outcome: Option<Timeliness>,
    /// The unit or person the dossier was handed to, when it was handed over.
    pub handed_to: Option<String>,
    pub note: String,
    /// Action-specific facts (items asked for, reasons, routing rule, old and new dates …).
    pub details: serde_json::Value,
}

/// What `decide` returns: the new state and the control-sheet row to append with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub state: DossierState,
    pub event: EventDraft,
}

/// Everything besides the dossier that a decision depends on.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub procedure: &'a Procedure,
    pub calendar: &'a WorkingCalendar,
    pub actor: &'a Actor,
    pub involved_agencies: &'a [String],
    pub now: Timestamp,
}

/// Reception hands a dossier to the agency the same working day, or the next when received after
/// this hour (DOMAIN.md §Lifecycle, configurable).
pub const HANDOVER_CUTOFF: jiff::civil::Time = jiff::civil::time(15, 0, 0, 0);
