//! Office hours (giờ hành chính): the sessions of a working day.

use super::CalendarError;
use super::days::{NANOS_PER_MINUTE, fmt_clock, time_to_nanos};
use jiff::civil::{Time, time};

/// The sessions of a working day, in local time: ordered, non-overlapping, half-open
/// `[start, end)` intervals, on whole minutes. The default is 08:00–12:00 and 13:00–17:00.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    sessions: Vec<(Time, Time)>,
    /// The same sessions in nanoseconds since midnight, for the hot paths.
    spans: Vec<(i64, i64)>,
    /// Nanoseconds of office time in one working day.
    day_nanos: i64,
}

impl OfficeHours {
    /// Office hours from their sessions. Each session must start before it ends, on a whole minute,
    /// and start no earlier than the previous one ended.
    pub fn new(sessions: Vec<(Time, Time)>) -> Result<Self, CalendarError> {
        if sessions.is_empty() {
            return Err(CalendarError::NoSessions);
        }
        let mut spans = Vec::with_capacity(sessions.len());
        let mut previous: Option<(Time, Time)> = None;
        for &(start, end) in &sessions {
            for t in [start, end] {
                if t.second() != 0 || t.subsec_nanosecond() != 0 {
                    return Err(CalendarError::SessionNotWholeMinute(fmt_time(t)));
                }
            }
            if start >= end {
                return Err(CalendarError::EmptySession { start: fmt_time(start), end: fmt_time(end) });
            }
            if let Some((p_start, p_end)) = previous
                && start < p_end
            {
                return Err(CalendarError::OverlappingSessions {
                    first: format!("{}–{}", fmt_time(p_start), fmt_time(p_end)),
                    second: format!("{}–{}", fmt_time(start), fmt_time(end)),
                });
            }
            previous = Some((start, end));
            spans.push((time_to_nanos(start), time_to_nanos(end)));
        }
        let day_nanos = spans.iter().map(|(s, e)| e - s).sum();
        Ok(OfficeHours { sessions, spans, day_nanos })
    }

    /// The sessions, in order.
    pub fn sessions(&self) -> &[(Time, Time)] {
        &self.sessions
    }

    /// Working minutes in one working day (480 by default): the length of a working day.
    pub fn minutes_per_day(&self) -> u32 {
        // At most 24 × 60 by construction.
        (self.day_nanos / NANOS_PER_MINUTE) as u32
    }

    /// The opening: start of the first session (08:00 by default).
    pub fn open(&self) -> Time {
        self.sessions.first().map_or(Time::MIN, |s| s.0)
    }

    /// The close: end of the last session (17:00 by default).
    pub fn close(&self) -> Time {
        self.sessions.last().map_or(Time::MIN, |s| s.1)
    }

    /// Whether a local time of a working day is inside a session (`start <= t < end`).
    pub fn contains(&self, t: Time) -> bool {
        self.sessions.iter().any(|&(s, e)| s <= t && t < e)
    }

    /// `08:00–12:00, 13:00–17:00`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> =
            self.sessions.iter().map(|&(s, e)| format!("{}–{}", fmt_time(s), fmt_time(e))).collect();
        parts.join(", ")
    }

    pub(crate) fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }

    pub(crate) fn day_nanos(&self) -> i64 {
        self.day_nanos
    }

    pub(crate) fn open_nanos(&self) -> i64 {
        self.spans.first().map_or(0, |s| s.0)
    }

    pub(crate) fn close_nanos(&self) -> i64 {
        self.spans.last().map_or(0, |s| s.1)
    }

    /// Office nanoseconds of a working day inside `[from, to)` (nanoseconds since midnight).
    #[inline]
    pub(crate) fn overlap(&self, from: i64, to: i64) -> i64 {
        self.spans.iter().map(|&(s, e)| (e.min(to) - s.max(from)).max(0)).sum()
    }
}

impl Default for OfficeHours {
    /// 08:00–12:00 and 13:00–17:00.
    fn default() -> Self {
        let sessions = vec![(time(8, 0, 0, 0), time(12, 0, 0, 0)), (time(13, 0, 0, 0), time(17, 0, 0, 0))];
        let spans = sessions.iter().map(|&(s, e)| (time_to_nanos(s), time_to_nanos(e))).collect();
        OfficeHours { sessions, spans, day_nanos: 8 * 60 * NANOS_PER_MINUTE }
    }
}

fn fmt_time(t: Time) -> String {
    fmt_clock(time_to_nanos(t))
}
