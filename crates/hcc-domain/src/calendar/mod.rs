//! The working calendar and the deadline engine: when a time limit that starts at a receipt ends.
//!
//! Rules (DOMAIN.md §Deadlines): office hours Monday–Friday 08:00–12:00 and 13:00–17:00 in
//! Asia/Ho_Chi_Minh; days off are Saturdays, Sundays and public holidays, except make-up working
//! Saturdays. A dossier received in office hours starts at that instant, otherwise at the next
//! opening. Working days and hours are added across office hours only (one working day = one day of
//! office hours); calendar days and months (Civil Code 2015 Art. 147–148) end at the close of
//! office hours on their last day, moved to the next working day when that day is off.
//!
//! Everything here is pure: no clock, no I/O. The hot paths (`due_at`, `add_working_minutes`,
//! `working_minutes_between`) allocate nothing and walk day by day with whole-day jumps; every walk
//! is capped at [`MAX_WALK_DAYS`] and saturates there, so even a calendar made only of holidays
//! cannot loop forever.

mod csv;
mod days;
mod error;
mod explain;
mod office_hours;
#[cfg(test)]
mod tests;

pub use days::weekday_vi;
pub use error::CalendarError;
pub use explain::DueExplanation;
pub use office_hours::OfficeHours;

use crate::time_limit::{TimeLimit, TimeUnit};
use days::{Moment, NANOS_PER_DAY, NANOS_PER_MINUTE, day_of, is_weekend, to_date, weekday, weekdays_before};
use jiff::Timestamp;
use jiff::civil::{self, Date, Time, Weekday};
use jiff::tz::Offset;
use std::collections::BTreeMap;

/// Asia/Ho_Chi_Minh: a fixed UTC+07:00 since 1975, so no time-zone database is needed.
pub const OFFSET: Offset = Offset::constant(7);

/// The longest walk over days any computation makes (20 years). A result that would need more
/// saturates at this distance from its start instead of looping on.
pub const MAX_WALK_DAYS: i32 = 20 * 366;

/// The default hand-over cutoff: a dossier received after 15:00 is handed to the agency the next
/// working day *(verify; configurable)*.
pub const DEFAULT_HANDOVER_CUTOFF: Time = civil::time(15, 0, 0, 0);

/// What kind of day a date is in the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// An ordinary working day (Monday–Friday, not a holiday).
    Working,
    /// A make-up working day (ngày làm việc bù), usually a Saturday, with its name.
    MakeupWorking(String),
    /// Saturday or Sunday (nghỉ cuối tuần).
    Weekend(Weekday),
    /// A public holiday or an announced day off (ngày nghỉ lễ), with its name.
    Holiday(String),
}

impl DayKind {
    /// Whether office hours run on such a day.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeupWorking(_))
    }

    /// Vietnamese description, as the explanations write it: `nghỉ cuối tuần`,
    /// `nghỉ — Tết Nguyên Đán`, `làm việc bù — …`, `ngày làm việc`.
    pub fn describe_vi(&self) -> String {
        match self {
            DayKind::Working => "ngày làm việc".to_owned(),
            DayKind::MakeupWorking(name) => format!("làm việc bù — {name}"),
            DayKind::Weekend(_) => "nghỉ cuối tuần".to_owned(),
            DayKind::Holiday(name) => format!("nghỉ — {name}"),
        }
    }
}

/// The working calendar of an installation: office hours, public holidays and make-up working
/// days, and the deadline arithmetic over them.
///
/// A date that is both a holiday and a make-up day is a holiday (`new` lets the holiday win;
/// `from_csv` refuses such data). Several entries for one date have their names joined.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    hours: OfficeHours,
    /// Holidays by day number, sorted, one entry a day.
    holidays: Vec<(i32, String)>,
    /// Make-up working days by day number, sorted, never a holiday.
    makeups: Vec<(i32, String)>,
    /// Holidays on Monday–Friday, sorted: working days removed from the week.
    off_weekdays: Vec<i32>,
    /// Make-up days on Saturday/Sunday, sorted: working days added to the week.
    working_weekends: Vec<i32>,
    /// Bit set over days from `flip_base`: the day is not what its weekday says.
    flip_base: i32,
    flips: Vec<u64>,
}

/// A due time computed without allocating; `explain` turns it into words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Computed {
    pub received: Moment,
    pub start: Moment,
    pub due: Moment,
    /// A walk hit [`MAX_WALK_DAYS`].
    pub saturated: bool,
    pub rule: Rule,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Working days or hours, as working minutes.
    Working { minutes: u64 },
    /// Calendar days or months: whole `units` after the start date end on `last_day`.
    Calendar { units: u32, last_day: i32, clamped: bool },
}

impl WorkingCalendar {
    /// A calendar from its office hours, holidays and make-up working days (each with its name).
    pub fn new(
        office_hours: OfficeHours,
        holidays: impl IntoIterator<Item = (Date, String)>,
        makeup_working_days: impl IntoIterator<Item = (Date, String)>,
    ) -> Self {
        let holidays = collect_days(holidays);
        let makeups: BTreeMap<i32, String> =
            collect_days(makeup_working_days).into_iter().filter(|(d, _)| !holidays.contains_key(d)).collect();
        let off_weekdays: Vec<i32> = holidays.keys().copied().filter(|&d| !is_weekend(d)).collect();
        let working_weekends: Vec<i32> = makeups.keys().copied().filter(|&d| is_weekend(d)).collect();
        let mut flipped: Vec<i32> = off_weekdays.iter().chain(&working_weekends).copied().collect();
        flipped.sort_unstable();
        let flip_base = flipped.first().copied().unwrap_or(0);
        let span = flipped.last().map_or(0, |&last| (last - flip_base) as usize + 1);
        let mut flips = vec![0u64; span.div_ceil(64)];
        for d in flipped {
            let i = (d - flip_base) as usize;
            flips[i / 64] |= 1 << (i % 64);
        }
        WorkingCalendar {
            hours: office_hours,
            holidays: holidays.into_iter().collect(),
            makeups: makeups.into_iter().collect(),
            off_weekdays,
            working_weekends,
            flip_base,
            flips,
        }
    }

    /// A calendar from the two CSV lists of `data/holidays` (header `date,name_vi,name_en`, quoted
    /// fields allowed); the Vietnamese name is kept. A date in both lists is an error.
    pub fn from_csv(office_hours: OfficeHours, holidays_csv: &str, makeup_csv: &str) -> Result<Self, CalendarError> {
        let holidays = csv::parse_days(holidays_csv, "ngày nghỉ lễ")?;
        let makeups = csv::parse_days(makeup_csv, "ngày làm việc bù")?;
        if let Some((date, _)) = makeups.iter().find(|(m, _)| holidays.iter().any(|(h, _)| h == m)) {
            return Err(CalendarError::Conflict { date: date.to_string() });
        }
        Ok(WorkingCalendar::new(office_hours, holidays, makeups))
    }

    /// The office hours.
    pub fn office_hours(&self) -> &OfficeHours {
        &self.hours
    }

    /// What kind of day `d` is.
    pub fn day_kind(&self, d: Date) -> DayKind {
        self.kind_of(day_of(d))
    }

    /// Whether office hours run on `d` (a weekday that is not a holiday, or a make-up day).
    pub fn is_working_day(&self, d: Date) -> bool {
        self.is_working(day_of(d))
    }

    /// The local (Asia/Ho_Chi_Minh) date and time of an instant.
    pub fn local(&self, t: Timestamp) -> civil::DateTime {
        OFFSET.to_datetime(t)
    }

    /// The instant of a local date and time (saturating at the ends of jiff's range).
    pub fn instant(&self, local: civil::DateTime) -> Timestamp {
        OFFSET.to_timestamp(local).unwrap_or(if local.date().year() < 0 { Timestamp::MIN } else { Timestamp::MAX })
    }

    /// Whether an instant is inside office hours of a working day.
    pub fn is_office_time(&self, t: Timestamp) -> bool {
        let m = Moment::from_timestamp(t);
        self.is_working(m.day) && self.hours.spans().iter().any(|&(s, e)| s <= m.nanos && m.nanos < e)
    }

    /// When the clock starts for something received at `received`: that instant when it is inside
    /// office hours, otherwise the next opening of office hours.
    pub fn clock_start(&self, received: Timestamp) -> Timestamp {
        self.start_moment(Moment::from_timestamp(received)).0.to_timestamp()
    }

    /// The due time of `limit` for something received at `received`. Allocation-free.
    pub fn due_at(&self, received: Timestamp, limit: TimeLimit) -> Timestamp {
        self.compute(received, limit).due.to_timestamp()
    }

    /// The due time with its reasons, in Vietnamese: the start and the rule that moved it, the
    /// conversion of the limit, each day skipped and why, and the due time.
    pub fn explain_due(&self, received: Timestamp, limit: TimeLimit) -> DueExplanation {
        explain::explain(self, &self.compute(received, limit), limit)
    }

    /// The instant `minutes` working minutes after `clock_start(from)`: the instant the last of
    /// them is used up (so possibly exactly the end of a session). Allocation-free.
    pub fn add_working_minutes(&self, from: Timestamp, minutes: u64) -> Timestamp {
        let (start, saturated) = self.start_moment(Moment::from_timestamp(from));
        if saturated {
            return start.to_timestamp();
        }
        self.add_nanos(start, minutes_to_nanos(minutes)).0.to_timestamp()
    }

    /// Working minutes (office time of working days) in `[a, b)`, rounded down; 0 when `b <= a`.
    /// Allocation-free and independent of the distance.
    pub fn working_minutes_between(&self, a: Timestamp, b: Timestamp) -> u64 {
        let nanos = self.working_nanos_between(Moment::from_timestamp(a), Moment::from_timestamp(b));
        u64::try_from(nanos / i128::from(NANOS_PER_MINUTE)).unwrap_or(u64::MAX)
    }

    /// The first working day strictly after `d` (saturating [`MAX_WALK_DAYS`] later).
    pub fn next_working_day(&self, d: Date) -> Date {
        let day = day_of(d);
        to_date(self.next_working(day).unwrap_or(day.saturating_add(MAX_WALK_DAYS)))
    }

    /// When the reception point must hand a dossier to the agency: at the close of the day of
    /// receipt when that is a working day and the dossier came in at or before `cutoff` (and before
    /// the close), otherwise at the close of the next working day.
    pub fn handover_due(&self, received: Timestamp, cutoff: Time) -> Timestamp {
        let m = Moment::from_timestamp(received);
        let cutoff = days::time_to_nanos(cutoff);
        let same_day = self.is_working(m.day) && m.nanos <= cutoff && m.nanos < self.hours.close_nanos();
        let day =
            if same_day { m.day } else { self.next_working(m.day).unwrap_or(m.day.saturating_add(MAX_WALK_DAYS)) };
        Moment { day, nanos: self.hours.close_nanos() }.to_timestamp()
    }

    /// Every day in `[a, b]` that is not an ordinary working day: weekends, holidays, and the
    /// make-up working days (marked as such). Empty when `b < a`.
    pub fn days_off_between(&self, a: Date, b: Date) -> Vec<(Date, DayKind)> {
        (day_of(a)..=day_of(b))
            .filter_map(|day| match self.kind_of(day) {
                DayKind::Working => None,
                kind => Some((to_date(day), kind)),
            })
            .collect()
    }

    /// RFC 3339 with the local offset: `2026-02-24T09:30:00+07:00`.
    pub fn format_local(&self, t: Timestamp) -> String {
        t.display_with_offset(OFFSET).to_string()
    }

    // ----- the engine, on day numbers -----

    #[inline]
    fn is_working(&self, day: i32) -> bool {
        !is_weekend(day) ^ self.flipped(day)
    }

    #[inline]
    fn flipped(&self, day: i32) -> bool {
        let Ok(i) = usize::try_from(i64::from(day) - i64::from(self.flip_base)) else { return false };
        self.flips.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 == 1)
    }

    fn kind_of(&self, day: i32) -> DayKind {
        if let Ok(i) = self.holidays.binary_search_by_key(&day, |h| h.0) {
            DayKind::Holiday(self.holidays[i].1.clone())
        } else if let Ok(i) = self.makeups.binary_search_by_key(&day, |m| m.0) {
            DayKind::MakeupWorking(self.makeups[i].1.clone())
        } else if is_weekend(day) {
            DayKind::Weekend(weekday(day))
        } else {
            DayKind::Working
        }
    }

    /// The first working day strictly after `day`, within [`MAX_WALK_DAYS`].
    #[inline]
    fn next_working(&self, day: i32) -> Option<i32> {
        (1..=MAX_WALK_DAYS).map_while(|k| day.checked_add(k)).find(|&d| self.is_working(d))
    }

    /// Working days in `[from, to)`, in O(log holidays).
    fn working_days_in(&self, from: i32, to: i32) -> i64 {
        if to <= from {
            return 0;
        }
        let count = |v: &[i32]| (v.partition_point(|&d| d < to) - v.partition_point(|&d| d < from)) as i64;
        weekdays_before(to) - weekdays_before(from) - count(&self.off_weekdays) + count(&self.working_weekends)
    }

    /// `clock_start` on moments; `true` when no working day came within the cap.
    fn start_moment(&self, m: Moment) -> (Moment, bool) {
        if self.is_working(m.day)
            && let Some(&(s, _)) = self.hours.spans().iter().find(|&&(_, e)| m.nanos < e)
        {
            return (Moment { day: m.day, nanos: m.nanos.max(s) }, false);
        }
        let open = self.hours.open_nanos();
        match self.next_working(m.day) {
            Some(day) => (Moment { day, nanos: open }, false),
            None => (Moment { day: m.day.saturating_add(MAX_WALK_DAYS), nanos: open }, true),
        }
    }

    /// Adds `rem` nanoseconds of office time to `start`, which must be a clock start (inside a
    /// session of a working day). Whole working days are jumped at once.
    fn add_nanos(&self, start: Moment, mut rem: i64) -> (Moment, bool) {
        let spans = self.hours.spans();
        let (open, whole_day) = (self.hours.open_nanos(), self.hours.day_nanos());
        let last_day = start.day.saturating_add(MAX_WALK_DAYS);
        let (mut day, mut nanos) = (start.day, start.nanos);
        loop {
            if nanos <= open && rem > whole_day {
                rem -= whole_day;
            } else {
                for &(s, e) in spans {
                    if e <= nanos {
                        continue;
                    }
                    let from = nanos.max(s);
                    if rem <= e - from {
                        return (Moment { day, nanos: from + rem }, false);
                    }
                    rem -= e - from;
                }
            }
            match self.next_working(day) {
                Some(next) if next <= last_day => (day, nanos) = (next, open),
                _ => return (Moment { day: last_day, nanos: self.hours.close_nanos() }, true),
            }
        }
    }

    fn working_nanos_between(&self, a: Moment, b: Moment) -> i128 {
        if b <= a {
            return 0;
        }
        let part = |day: i32, from: i64, to: i64| {
            if self.is_working(day) { i128::from(self.hours.overlap(from, to)) } else { 0 }
        };
        if a.day == b.day {
            return part(a.day, a.nanos, b.nanos);
        }
        part(a.day, a.nanos, NANOS_PER_DAY)
            + i128::from(self.working_days_in(a.day + 1, b.day)) * i128::from(self.hours.day_nanos())
            + part(b.day, 0, b.nanos)
    }

    /// The whole computation behind `due_at` and `explain_due`, without allocating.
    pub(crate) fn compute(&self, received: Timestamp, limit: TimeLimit) -> Computed {
        let received = Moment::from_timestamp(received);
        let (start, start_saturated) = self.start_moment(received);
        let close = self.hours.close_nanos();
        if let Some(minutes) = limit.working_minutes(self.hours.minutes_per_day()) {
            let (due, saturated) =
                if start_saturated { (start, true) } else { self.add_nanos(start, minutes_to_nanos(minutes)) };
            return Computed { received, start, due, saturated, rule: Rule::Working { minutes } };
        }
        // Calendar days and months: whole units, a fraction rounds up.
        let units = limit.tenths.div_ceil(10);
        let (last_day, clamped, too_long) = match limit.unit {
            TimeUnit::Months => add_months(start.day, units),
            _ => match i32::try_from(units) {
                Ok(n) if n <= MAX_WALK_DAYS => (start.day.saturating_add(n), false, false),
                _ => (start.day.saturating_add(MAX_WALK_DAYS), false, true),
            },
        };
        let (due_day, pushed_too_far) = if self.is_working(last_day) {
            (last_day, false)
        } else {
            match self.next_working(last_day) {
                Some(d) => (d, false),
                None => (last_day.saturating_add(MAX_WALK_DAYS), true),
            }
        };
        Computed {
            received,
            start,
            due: Moment { day: due_day, nanos: close },
            saturated: start_saturated || too_long || pushed_too_far,
            rule: Rule::Calendar { units, last_day, clamped },
        }
    }
}

/// `units` months after `day`: the same day of the month, or the month's last day when it has no
/// such day. Returns (day, clamped to the month's end, capped at 20 years).
fn add_months(day: i32, units: u32) -> (i32, bool, bool) {
    let max_months = MAX_WALK_DAYS / 366 * 12;
    let (months, capped) = match i32::try_from(units) {
        Ok(n) if n <= max_months => (n, false),
        _ => (max_months, true),
    };
    let (y, m, d) = days::civil_from_days(day);
    let index = y * 12 + (m - 1) + months;
    let (ny, nm) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let last = days::days_in_month(ny, nm);
    (days::days_from_civil(ny, nm, d.min(last)), d > last, capped)
}

fn minutes_to_nanos(minutes: u64) -> i64 {
    i64::try_from(minutes).ok().and_then(|m| m.checked_mul(NANOS_PER_MINUTE)).unwrap_or(i64::MAX)
}

/// Day numbers to names; several names for one date are joined with " / ".
fn collect_days(entries: impl IntoIterator<Item = (Date, String)>) -> BTreeMap<i32, String> {
    let mut map: BTreeMap<i32, String> = BTreeMap::new();
    for (date, name) in entries {
        let name = name.trim().to_owned();
        match map.get_mut(&day_of(date)) {
            Some(existing) if existing.split(" / ").any(|n| n == name) => {}
            Some(existing) => {
                existing.push_str(" / ");
                existing.push_str(&name);
            }
            None => {
                map.insert(day_of(date), name);
            }
        }
    }
    map
}
