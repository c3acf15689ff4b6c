//! Early warning and escalation (cảnh báo sớm, báo cáo vượt cấp): which warnings an open step has
//! earned at `now`, and the new appointment HCC proposes when the dossier will be late (the draft
//! of Form 04 the agency leader signs). Pure: the job passes `now` and the calendar in.

use crate::calendar::WorkingCalendar;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How early a warning comes and when lateness goes to the supervisor *(configurable)*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningPolicy {
    /// "Due soon" window in working minutes (default one working day, as the dashboard's).
    pub due_soon_minutes: u64,
    /// Working minutes a step may stay overdue before the supervisor is told.
    pub escalate_after_minutes: u64,
    /// Working minutes the proposed new appointment gives past the missed one.
    pub apology_extra_minutes: u64,
}

impl Default for WarningPolicy {
    fn default() -> Self {
        WarningPolicy {
            due_soon_minutes: crate::lifecycle::DUE_SOON_MINUTES,
            escalate_after_minutes: 480,
            apology_extra_minutes: 5 * 480,
        }
    }
}

/// A warning about a dossier's current step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Sắp đến hạn: due within the window. Goes to the officer and the agency's leaders.
    DueSoon,
    /// Quá hạn: past its due time. Goes to the officer and the agency's leaders.
    Overdue,
    /// Báo cáo vượt cấp: overdue for longer than the policy allows. Goes to the supervisors.
    Escalated,
}

/// Who a warning is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The officer handling the dossier and the leaders of the agency settling it.
    Handlers,
    /// The center's supervisors.
    Supervisors,
}

impl WarningKind {
    pub const ALL: [WarningKind; 3] = [WarningKind::DueSoon, WarningKind::Overdue, WarningKind::Escalated];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::DueSoon => "due_soon",
            WarningKind::Overdue => "overdue",
            WarningKind::Escalated => "escalated",
        }
    }

    pub fn parse(s: &str) -> Option<WarningKind> {
        WarningKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            WarningKind::DueSoon => "Sắp đến hạn",
            WarningKind::Overdue => "Đã quá hạn",
            WarningKind::Escalated => "Quá hạn kéo dài, báo cáo giám sát",
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            WarningKind::DueSoon | WarningKind::Overdue => Audience::Handlers,
            WarningKind::Escalated => Audience::Supervisors,
        }
    }
}

/// The warnings a step due at `due` has earned at `now`, least serious first. An overdue step
/// earns no "due soon": after downtime the job catches up with what is true now, not with news
/// that went stale while it was down.
pub fn earned(due: Timestamp, now: Timestamp, cal: &WorkingCalendar, policy: &WarningPolicy) -> Vec<WarningKind> {
    if now > due {
        let mut out = vec![WarningKind::Overdue];
        if cal.working_minutes_between(due, now) >= policy.escalate_after_minutes {
            out.push(WarningKind::Escalated);
        }
        out
    } else if cal.working_minutes_between(now, due) <= policy.due_soon_minutes {
        vec![WarningKind::DueSoon]
    } else {
        Vec::new()
    }
}

/// Every step due before this instant may have earned a warning at `now` (the job reads only
/// those). Generous by the lunch break and a night: [`earned`] decides exactly.
pub fn horizon(now: Timestamp, cal: &WorkingCalendar, policy: &WarningPolicy) -> Timestamp {
    cal.add_working_minutes(now, policy.due_soon_minutes.saturating_add(1))
}

/// Whether the dossier's appointment itself is missed or about to be (so an apology is due).
pub fn appointment_at_risk(due_at: Timestamp, now: Timestamp, cal: &WorkingCalendar, policy: &WarningPolicy) -> bool {
    now > due_at || cal.working_minutes_between(now, due_at) <= policy.due_soon_minutes
}

/// The new appointment HCC drafts for the apology: the policy's extra working time after the
/// missed appointment, or after now if that has already passed.
pub fn proposed_new_appointment(
    due_at: Timestamp,
    now: Timestamp,
    cal: &WorkingCalendar,
    policy: &WarningPolicy,
) -> Timestamp {
    cal.add_working_minutes(due_at.max(now), policy.apology_extra_minutes)
}

#[cfg(test)]
mod tests;
