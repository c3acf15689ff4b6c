//! Outcome classes: where a dossier stands against its appointment.

use crate::calendar::WorkingCalendar;
use crate::lifecycle::{DossierState, Timeliness};
use crate::status::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a dossier stands against its appointment (DOMAIN.md §Deadlines, outcome classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Finished: handled on a day before the appointment.
    Early,
    /// Finished on time.
    OnTime,
    /// Finished late (or asked for a supplement more than once: the index counts it late).
    Late,
    /// Open, not due yet.
    NotDue,
    /// Open, due within the warning window.
    DueSoon,
    /// Open, past its appointment.
    Overdue,
    /// Open, clock stopped (supplement, pause).
    Stopped,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Early => "early",
            Progress::OnTime => "on_time",
            Progress::Late => "late",
            Progress::NotDue => "not_due",
            Progress::DueSoon => "due_soon",
            Progress::Overdue => "overdue",
            Progress::Stopped => "stopped",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Progress::Early => "Trước hạn",
            Progress::OnTime => "Đúng hạn",
            Progress::Late => "Quá hạn",
            Progress::NotDue => "Trong hạn",
            Progress::DueSoon => "Sắp đến hạn",
            Progress::Overdue => "Đã quá hạn",
            Progress::Stopped => "Tạm dừng tính thời gian",
        }
    }
}

/// The warning window of "due soon": one working day by default (configurable).
pub const DUE_SOON_MINUTES: u64 = 480;

/// What a dossier's progress is judged by: its status and a few of its dates. A list row
/// carries only these, not the whole [`DossierState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub status: Status,
    pub received_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub original_due_at: Option<Timestamp>,
    pub handled_at: Option<Timestamp>,
    pub supplement_requests: u32,
}

impl Timing {
    pub fn of(state: &DossierState) -> Timing {
        Timing {
            status: state.status,
            received_at: state.received_at,
            due_at: state.due_at,
            original_due_at: state.original_due_at,
            handled_at: state.handled_at,
            supplement_requests: state.supplement_requests,
        }
    }

    /// Classifies the dossier at `now`. A finished dossier is judged at the end of its handling
    /// against its first appointment (a new date set with an apology does not excuse the delay; a
    /// legal extension does, since it moves the first appointment too). `None` before receipt.
    pub fn progress(&self, now: Timestamp, cal: &WorkingCalendar, due_soon_minutes: u64) -> Option<Progress> {
        let due = self.due_at?;
        self.received_at?;
        if let Some(done) = self.handled_at {
            let judged_against = self.original_due_at.unwrap_or(due);
            if self.supplement_requests > 1 {
                return Some(Progress::Late);
            }
            return Some(match Timeliness::judge(done, judged_against, cal) {
                Timeliness::Early => Progress::Early,
                Timeliness::OnTime => Progress::OnTime,
                Timeliness::Late => Progress::Late,
            });
        }
        if self.status.clock_stopped() {
            return Some(Progress::Stopped);
        }
        if now > due {
            Some(Progress::Overdue)
        } else if cal.working_minutes_between(now, due) <= due_soon_minutes {
            Some(Progress::DueSoon)
        } else {
            Some(Progress::NotDue)
        }
    }
}

/// Classifies a dossier at `now` ([`Timing::progress`]).
pub fn progress(
    state: &DossierState,
    now: Timestamp,
    cal: &WorkingCalendar,
    due_soon_minutes: u64,
) -> Option<Progress> {
    Timing::of(state).progress(now, cal, due_soon_minutes)
}
