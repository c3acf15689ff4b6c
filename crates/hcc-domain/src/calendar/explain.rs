//! Due times that explain themselves (DOMAIN.md §Deadlines: "the start, the rule that moved it,
//! each day skipped and why"), in Vietnamese, one self-contained line per fact.

use super::days::{Moment, fmt_clock, fmt_day, fmt_day_weekday, fmt_moment, weekday, weekday_vi};
use super::{Computed, DayKind, MAX_WALK_DAYS, Rule, WorkingCalendar};
use crate::time_limit::{TimeLimit, TimeUnit};
use jiff::Timestamp;
use serde::Serialize;

/// Day lines stop once the explanation has this many lines; the rest (only possible when a walk
/// saturates) is summarised.
const MAX_DAY_LINES: usize = 400;

/// A due time with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueExplanation {
    /// When the clock started (`clock_start` of the receipt).
    pub start: Timestamp,
    /// The due time, equal to `due_at` for the same receipt and limit.
    pub due_at: Timestamp,
    /// The reasons, in order: receipt, start rule, the limit and its conversion, each day skipped
    /// (and each make-up day counted), the end rule for calendar limits, the due time.
    pub explanation: Vec<String>,
}

pub(super) fn explain(cal: &WorkingCalendar, c: &Computed, limit: TimeLimit) -> DueExplanation {
    let mut lines = vec![format!("Tiếp nhận: {}", fmt_moment(c.received))];
    lines.push(start_line(cal, c));
    match c.rule {
        Rule::Working { minutes } => {
            lines.push(working_limit_line(cal, limit, minutes));
            lines.push(format!(
                "Chỉ cộng thời gian trong giờ hành chính ({}) của các ngày làm việc; hạn là lúc dùng hết phút làm việc cuối cùng",
                cal.hours.describe()
            ));
            day_lines(cal, &mut lines, c.received.day, c.due.day, c.start.day);
        }
        Rule::Calendar { units, last_day, clamped } => {
            // Days off before the start are skipped; days off inside the period count.
            day_lines(cal, &mut lines, c.received.day, c.start.day - 1, c.start.day);
            lines.push(calendar_limit_line(limit, units, c.start.day, last_day, clamped));
            let close = fmt_clock(cal.hours.close_nanos());
            if c.due.day == last_day {
                if let DayKind::MakeupWorking(name) = cal.kind_of(last_day) {
                    lines.push(format!("{}: làm việc bù — {name} (là ngày làm việc)", fmt_day_weekday(last_day)));
                }
                lines.push(format!(
                    "Ngày cuối cùng {} là ngày làm việc: thời hạn kết thúc lúc {close} (hết giờ hành chính) ngày đó",
                    fmt_day_weekday(last_day)
                ));
            } else {
                day_lines(cal, &mut lines, last_day, c.due.day, c.due.day);
                lines.push(format!(
                    "Ngày cuối cùng {} là ngày nghỉ: thời hạn kết thúc lúc {close} ngày làm việc tiếp theo {}",
                    fmt_day_weekday(last_day),
                    fmt_day_weekday(c.due.day)
                ));
            }
        }
    }
    if c.saturated {
        lines.push(format!(
            "Vượt quá giới hạn tính toán {} năm (hoặc không còn ngày làm việc nào): hạn bị chặn tại {}",
            MAX_WALK_DAYS / 366,
            fmt_moment(c.due)
        ));
    }
    lines.push(format!("Hạn giải quyết: {}", fmt_moment(c.due)));
    DueExplanation { start: c.start.to_timestamp(), due_at: c.due.to_timestamp(), explanation: lines }
}

fn start_line(cal: &WorkingCalendar, c: &Computed) -> String {
    let (r, s) = (c.received, c.start);
    if r == s {
        return format!("Tiếp nhận trong giờ hành chính: bắt đầu tính ngay từ {}", at(s));
    }
    let why = if !cal.is_working(r.day) {
        format!("vào ngày nghỉ ({}: {})", weekday_vi(weekday(r.day)), cal.kind_of(r.day).describe_vi())
    } else if r.nanos < cal.hours.open_nanos() {
        format!("trước giờ mở cửa ({})", fmt_clock(cal.hours.open_nanos()))
    } else if r.nanos >= cal.hours.close_nanos() {
        "sau giờ hành chính".to_owned()
    } else {
        let spans = cal.hours.spans();
        let gap = spans.windows(2).find(|w| w[0].1 <= r.nanos && r.nanos < w[1].0);
        match gap {
            Some(w) => format!("trong giờ nghỉ giữa hai buổi làm việc ({}–{})", fmt_clock(w[0].1), fmt_clock(w[1].0)),
            None => "ngoài giờ hành chính".to_owned(),
        }
    };
    format!("Tiếp nhận {} {why}: bắt đầu tính từ {} (giờ mở cửa tiếp theo)", at(r), at(s))
}

/// `YYYY-MM-DD HH:MM`.
fn at(m: Moment) -> String {
    format!("{} {}", fmt_day(m.day), fmt_clock(m.nanos))
}

fn working_limit_line(cal: &WorkingCalendar, limit: TimeLimit, minutes: u64) -> String {
    let value = fmt_tenths(limit.tenths);
    match limit.unit {
        TimeUnit::WorkingDays => format!(
            "Thời hạn: {value} ngày làm việc = {} làm việc ({minutes} phút; 1 ngày làm việc = {} làm việc)",
            fmt_hours(minutes),
            fmt_hours(u64::from(cal.hours.minutes_per_day()))
        ),
        _ => format!("Thời hạn: {value} giờ làm việc = {minutes} phút làm việc"),
    }
}

fn calendar_limit_line(limit: TimeLimit, units: u32, start_day: i32, last_day: i32, clamped: bool) -> String {
    let name = if limit.unit == TimeUnit::Months { "tháng" } else { "ngày" };
    let rounded = if !limit.tenths.is_multiple_of(10) {
        format!("{} {name}, làm tròn lên {units} {name}", fmt_tenths(limit.tenths))
    } else {
        format!("{units} {name}")
    };
    let start = fmt_day(start_day);
    let end = fmt_day_weekday(last_day);
    match limit.unit {
        TimeUnit::Months if clamped => {
            let (y, m, _) = super::days::civil_from_days(last_day);
            let (_, _, d) = super::days::civil_from_days(start_day);
            format!(
                "Thời hạn: {rounded} tính từ {start}: tháng {y:04}-{m:02} không có ngày {d} nên ngày cuối cùng là ngày cuối tháng {end}"
            )
        }
        TimeUnit::Months => {
            format!("Thời hạn: {rounded} tính từ {start}: ngày cuối cùng là ngày tương ứng {end}")
        }
        _ => format!(
            "Thời hạn: {rounded} theo lịch, không tính ngày bắt đầu {start}, ngày nghỉ trong khoảng vẫn được tính: ngày cuối cùng là {end}"
        ),
    }
}

/// One line per day off in `[from, to]` (why it is skipped) and per make-up day in
/// `[counted_from, to]` (counted as working).
fn day_lines(cal: &WorkingCalendar, lines: &mut Vec<String>, from: i32, to: i32, counted_from: i32) {
    let mut day = from;
    while day <= to {
        let kind = cal.kind_of(day);
        let line = match &kind {
            DayKind::Working => None,
            DayKind::MakeupWorking(name) if day >= counted_from => {
                Some(format!("{}: làm việc bù — {name} (tính là ngày làm việc)", fmt_day_weekday(day)))
            }
            DayKind::MakeupWorking(_) => None,
            off => Some(format!("{}: {}", fmt_day_weekday(day), off.describe_vi())),
        };
        if let Some(line) = line {
            if lines.len() >= MAX_DAY_LINES {
                let rest = (day..=to).filter(|&d| cal.kind_of(d) != DayKind::Working).count();
                lines.push(format!("… và {rest} ngày nghỉ hoặc làm bù khác đến {}", fmt_day(to)));
                return;
            }
            lines.push(line);
        }
        day += 1;
    }
}

/// `20`, `0,5` (Vietnamese decimal comma).
fn fmt_tenths(tenths: u32) -> String {
    if tenths.is_multiple_of(10) { format!("{}", tenths / 10) } else { format!("{},{}", tenths / 10, tenths % 10) }
}

/// `160 giờ`, `7 giờ 30 phút`, `30 phút`.
fn fmt_hours(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} giờ"),
        (0, m) => format!("{m} phút"),
        (h, m) => format!("{h} giờ {m} phút"),
    }
}
