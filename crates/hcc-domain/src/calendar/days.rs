//! Day arithmetic on plain integers: days since 1970-01-01, nanoseconds since local midnight.
//!
//! The hot paths (`due_at`, `add_working_minutes`, `working_minutes_between`) run millions of times
//! when the demo generates its dossiers, so they work on these integers and touch `jiff` types only
//! at their edges. Local time is Asia/Ho_Chi_Minh, which has been a fixed UTC+07:00 since 1975.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};

/// UTC offset of Asia/Ho_Chi_Minh in seconds (fixed at +07:00 since 1975).
pub(crate) const OFFSET_SECONDS: i64 = 7 * 3600;
pub(crate) const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub(crate) const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
pub(crate) const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;

/// A local instant: the day (days since 1970-01-01) and the nanoseconds since that day's midnight.
/// Ordering by `(day, nanos)` is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Moment {
    pub day: i32,
    pub nanos: i64,
}

impl Moment {
    /// The local moment of an instant.
    pub fn from_timestamp(t: Timestamp) -> Moment {
        let mut secs = t.as_second() + OFFSET_SECONDS;
        let mut sub = i64::from(t.subsec_nanosecond());
        if sub < 0 {
            secs -= 1;
            sub += NANOS_PER_SECOND;
        }
        // |secs| < 2^39, so the day always fits an i32.
        let day = secs.div_euclid(86_400) as i32;
        Moment { day, nanos: secs.rem_euclid(86_400) * NANOS_PER_SECOND + sub }
    }

    /// The instant of a local moment, saturating at jiff's range.
    pub fn to_timestamp(self) -> Timestamp {
        let secs = i64::from(self.day) * 86_400 + self.nanos.div_euclid(NANOS_PER_SECOND) - OFFSET_SECONDS;
        let sub = self.nanos.rem_euclid(NANOS_PER_SECOND) as i32;
        Timestamp::new(secs, sub).unwrap_or(if secs < 0 { Timestamp::MIN } else { Timestamp::MAX })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number, as (year, month, day) (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i32) -> (i32, i32, i32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

pub(crate) fn day_of(date: Date) -> i32 {
    days_from_civil(i32::from(date.year()), i32::from(date.month()), i32::from(date.day()))
}

/// The jiff date of a day number, clamped to jiff's range (years -9999..=9999).
pub(crate) fn to_date(day: i32) -> Date {
    let (y, m, d) = civil_from_days(day);
    match (i16::try_from(y), i8::try_from(m), i8::try_from(d)) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).unwrap_or(if y < 0 { Date::MIN } else { Date::MAX }),
        _ => {
            if y < 0 {
                Date::MIN
            } else {
                Date::MAX
            }
        }
    }
}

pub(crate) fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Monday = 0 … Sunday = 6. 1970-01-01 (day 0) was a Thursday.
#[inline]
pub(crate) fn weekday_index(day: i32) -> i32 {
    (day + 3).rem_euclid(7)
}

#[inline]
pub(crate) fn is_weekend(day: i32) -> bool {
    weekday_index(day) >= 5
}

pub(crate) fn weekday(day: i32) -> Weekday {
    match weekday_index(day) {
        0 => Weekday::Monday,
        1 => Weekday::Tuesday,
        2 => Weekday::Wednesday,
        3 => Weekday::Thursday,
        4 => Weekday::Friday,
        5 => Weekday::Saturday,
        _ => Weekday::Sunday,
    }
}

/// Monday–Friday days in `[0, n)` counted from the Monday 1970-01-05, extended to all `n`; the
/// number of weekdays in `[a, b)` is `weekdays_before(b) - weekdays_before(a)`.
pub(crate) fn weekdays_before(n: i32) -> i64 {
    let t = i64::from(n) - 4;
    t.div_euclid(7) * 5 + t.rem_euclid(7).min(5)
}

/// Vietnamese weekday name: Thứ Hai … Thứ Bảy, Chủ Nhật.
pub fn weekday_vi(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ Nhật",
    }
}

pub(crate) fn time_to_nanos(t: Time) -> i64 {
    (i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())) * NANOS_PER_SECOND
        + i64::from(t.subsec_nanosecond())
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn fmt_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `HH:MM`, or `HH:MM:SS` when the seconds are not zero (fractions of a second are not shown).
pub(crate) fn fmt_clock(nanos: i64) -> String {
    let secs = nanos.div_euclid(NANOS_PER_SECOND);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 { format!("{h:02}:{m:02}") } else { format!("{h:02}:{m:02}:{s:02}") }
}

/// `YYYY-MM-DD HH:MM (Thứ …)`.
pub(crate) fn fmt_moment(m: Moment) -> String {
    format!("{} {} ({})", fmt_day(m.day), fmt_clock(m.nanos), weekday_vi(weekday(m.day)))
}

/// `YYYY-MM-DD (Thứ …)`.
pub(crate) fn fmt_day_weekday(day: i32) -> String {
    format!("{} ({})", fmt_day(day), weekday_vi(weekday(day)))
}
