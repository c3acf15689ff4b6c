//! Dossier statuses (trạng thái hồ sơ) and their mapping to the national portal's codes.

use serde::{Deserialize, Serialize};

/// Where a dossier stands in its lifecycle (DOMAIN.md §Lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Submitted online or by post, waiting for the reception point to check it.
    Submitted,
    /// Đã tiếp nhận.
    Received,
    /// Từ chối tiếp nhận (Form 03).
    Refused,
    /// Đang giải quyết.
    InProgress,
    /// Chờ bổ sung (Form 02): the clock stops.
    SupplementRequested,
    /// Tạm dừng: waiting on a financial obligation, an inspection or another authority.
    Paused,
    /// Có kết quả, chờ trả.
    ResultReady,
    /// Không giải quyết: refused on the merits; the notice still has to be returned.
    NotSettled,
    /// Đã trả kết quả.
    Returned,
    /// Công dân rút hồ sơ.
    Withdrawn,
    /// Dừng giải quyết (Form 05).
    Stopped,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Submitted,
        Status::Received,
        Status::Refused,
        Status::InProgress,
        Status::SupplementRequested,
        Status::Paused,
        Status::ResultReady,
        Status::NotSettled,
        Status::Returned,
        Status::Withdrawn,
        Status::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Received => "received",
            Status::Refused => "refused",
            Status::InProgress => "in_progress",
            Status::SupplementRequested => "supplement_requested",
            Status::Paused => "paused",
            Status::ResultReady => "result_ready",
            Status::NotSettled => "not_settled",
            Status::Returned => "returned",
            Status::Withdrawn => "withdrawn",
            Status::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The status as citizens and officers read it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Submitted => "Mới đăng ký, chờ tiếp nhận",
            Status::Received => "Đã tiếp nhận",
            Status::Refused => "Từ chối tiếp nhận",
            Status::InProgress => "Đang giải quyết",
            Status::SupplementRequested => "Chờ bổ sung hồ sơ",
            Status::Paused => "Tạm dừng",
            Status::ResultReady => "Có kết quả, chờ trả",
            Status::NotSettled => "Không giải quyết",
            Status::Returned => "Đã trả kết quả",
            Status::Withdrawn => "Công dân đã rút hồ sơ",
            Status::Stopped => "Dừng giải quyết",
        }
    }

    /// The national portal's status code used when dossiers are synchronised to it.
    pub fn portal_code(self) -> u8 {
        match self {
            Status::Submitted => 1,
            Status::Received => 2,
            Status::Refused => 3,
            Status::InProgress => 4,
            Status::SupplementRequested => 5,
            Status::Paused => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::ResultReady | Status::NotSettled => 9,
            Status::Returned => 10,
        }
    }

    /// A final dossier never changes again.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Refused | Status::Returned | Status::Withdrawn | Status::Stopped)
    }

    /// Open: received and not finished (a submitted dossier still waits for a reception point).
    /// The supervision gauges count these; the store's open-dossier index and counters repeat the
    /// list.
    pub fn is_open(self) -> bool {
        self != Status::Submitted && !self.is_final()
    }

    /// The clock is stopped in these states (DOMAIN.md §Deadlines, clock stops).
    pub fn clock_stopped(self) -> bool {
        matches!(self, Status::SupplementRequested | Status::Paused)
    }

    /// Handling has ended (the index's "end of handling": handled, returned, stopped or refused).
    pub fn handling_ended(self) -> bool {
        matches!(self, Status::ResultReady | Status::NotSettled) || self.is_final()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::Value::String(s.as_str().into()));
        }
        assert_eq!(Status::parse("nope"), None);
    }

    #[test]
    fn the_open_statuses_are_the_received_unfinished_ones() {
        let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
        assert_eq!(open, ["received", "in_progress", "supplement_requested", "paused", "result_ready", "not_settled"]);
    }
}
