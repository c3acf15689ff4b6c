//! Properties of the deadline engine on the real holiday calendar, for receipts anywhere in
//! 2024–2030 (any second, any nanosecond): monotonicity, round trips between adding and measuring
//! working time, where due times may fall, and agreement between `due_at` and `explain_due`.
#![expect(clippy::unwrap_used, reason = "a failing fixture should fail the test loudly")]

use hcc_domain::calendar::{DEFAULT_HANDOVER_CUTOFF, OfficeHours, WorkingCalendar};
use hcc_domain::{TimeLimit, TimeUnit};
use jiff::Timestamp;
use jiff::civil::{DateTime, Time};
use proptest::prelude::*;
use std::sync::LazyLock;
use std::time::Instant;

const HOLIDAYS_CSV: &str = include_str!("../../../data/holidays/vn-public-holidays.csv");
const MAKEUP_CSV: &str = include_str!("../../../data/holidays/vn-makeup-working-days.csv");

static CAL: LazyLock<WorkingCalendar> =
    LazyLock::new(|| WorkingCalendar::from_csv(OfficeHours::default(), HOLIDAYS_CSV, MAKEUP_CSV).unwrap());

/// 2024-01-01T00:00+07:00 .. 2031-01-01T00:00+07:00.
const FROM: i64 = 1_704_042_000;
const TO: i64 = 1_924_966_800;

fn instant() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        // Whole minutes, to hit session boundaries exactly.
        (FROM / 60..TO / 60).prop_map(|m| Timestamp::from_second(m * 60).unwrap()),
        (FROM..TO, 0..1_000_000_000i32).prop_map(|(s, n)| Timestamp::new(s, n).unwrap()),
    ]
}

fn unit() -> impl Strategy<Value = TimeUnit> {
    prop_oneof![Just(TimeUnit::WorkingDays), Just(TimeUnit::WorkingHours), Just(TimeUnit::Days), Just(TimeUnit::Months),]
}

fn max_tenths(unit: TimeUnit) -> u32 {
    match unit {
        TimeUnit::WorkingDays => 900,
        TimeUnit::WorkingHours => 2_000,
        TimeUnit::Days => 1_200,
        TimeUnit::Months => 360,
    }
}

fn limit() -> impl Strategy<Value = TimeLimit> {
    unit().prop_flat_map(|unit| (0..=max_tenths(unit)).prop_map(move |tenths| TimeLimit { tenths, unit }))
}

fn local(t: Timestamp) -> DateTime {
    CAL.local(t)
}

/// Inside `[start, end]` of some session: office time, or exactly a session's end.
fn within_sessions(t: Time) -> bool {
    CAL.office_hours().sessions().iter().any(|&(s, e)| s <= t && t <= e)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn due_at_is_monotone_in_the_limit(received in instant(), unit in unit(), a in 0u32..=2_000, b in 0u32..=2_000) {
        let (lo, hi) = (a.min(b).min(max_tenths(unit)), a.max(b).min(max_tenths(unit)));
        let due_lo = CAL.due_at(received, TimeLimit { tenths: lo, unit });
        let due_hi = CAL.due_at(received, TimeLimit { tenths: hi, unit });
        prop_assert!(due_lo <= due_hi, "{} ≤ {}: {} > {}", lo, hi, due_lo, due_hi);
    }

    #[test]
    fn due_at_is_monotone_in_the_receipt(a in instant(), b in instant(), limit in limit()) {
        let (early, late) = (a.min(b), a.max(b));
        prop_assert!(CAL.due_at(early, limit) <= CAL.due_at(late, limit));
    }

    #[test]
    fn adding_then_measuring_gives_back_the_minutes(from in instant(), minutes in 0u64..40_000) {
        let end = CAL.add_working_minutes(from, minutes);
        prop_assert_eq!(CAL.working_minutes_between(from, end), minutes);
        prop_assert_eq!(CAL.working_minutes_between(CAL.clock_start(from), end), minutes);
        prop_assert!(end >= CAL.clock_start(from));
    }

    #[test]
    fn adding_in_two_steps_is_adding_once(from in instant(), a in 0u64..5_000, b in 1u64..5_000) {
        let once = CAL.add_working_minutes(from, a + b);
        let twice = CAL.add_working_minutes(CAL.add_working_minutes(from, a), b);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn due_times_fall_in_office_hours_of_working_days(received in instant(), limit in limit()) {
        let due = local(CAL.due_at(received, limit));
        prop_assert!(CAL.is_working_day(due.date()), "{} is not a working day", due);
        match limit.unit {
            TimeUnit::WorkingDays | TimeUnit::WorkingHours => {
                prop_assert!(within_sessions(due.time()), "{} is outside office hours", due);
                let minutes = limit.working_minutes(480).unwrap();
                prop_assert_eq!(CAL.working_minutes_between(received, CAL.due_at(received, limit)), minutes);
            }
            TimeUnit::Days | TimeUnit::Months => {
                prop_assert_eq!(due.time(), CAL.office_hours().close());
                prop_assert!(due.date() >= local(CAL.clock_start(received)).date());
            }
        }
    }

    #[test]
    fn the_explanation_agrees_with_due_at(received in instant(), limit in limit()) {
        let e = CAL.explain_due(received, limit);
        prop_assert_eq!(e.due_at, CAL.due_at(received, limit));
        prop_assert_eq!(e.start, CAL.clock_start(received));
        let last = e.explanation.last().unwrap();
        let due_date = local(e.due_at).date().to_string();
        prop_assert!(last.starts_with("Hạn giải quyết: ") && last.contains(&due_date), "{}", last);
        prop_assert!(e.explanation[0].starts_with("Tiếp nhận: "));
    }

    #[test]
    fn the_clock_starts_at_the_next_office_instant(received in instant()) {
        let start = CAL.clock_start(received);
        prop_assert!(start >= received);
        prop_assert!(CAL.is_office_time(start));
        prop_assert_eq!(CAL.working_minutes_between(received, start), 0);
        if CAL.is_office_time(received) {
            prop_assert_eq!(start, received);
        } else {
            // Exactly an opening: a session's start on a working day.
            let l = local(start);
            prop_assert!(CAL.office_hours().sessions().iter().any(|&(s, _)| s == l.time()), "{}", l);
        }
    }

    #[test]
    fn hand_over_is_at_the_close_of_the_same_or_next_working_day(received in instant()) {
        let due = local(CAL.handover_due(received, DEFAULT_HANDOVER_CUTOFF));
        let day = local(received).date();
        prop_assert!(CAL.is_working_day(due.date()));
        prop_assert_eq!(due.time(), CAL.office_hours().close());
        prop_assert!(due.date() == day || due.date() == CAL.next_working_day(day));
    }
}

/// `cargo test --release -p hcc-domain --test calendar_props -- --ignored --nocapture`
#[test]
#[ignore = "timing, run by hand in release"]
fn one_million_due_times() {
    let limits = [
        TimeLimit::new(20, TimeUnit::WorkingDays),
        TimeLimit::new(4, TimeUnit::WorkingHours),
        TimeLimit::new(15, TimeUnit::Days),
        TimeLimit::new(1, TimeUnit::Months),
    ];
    let clock = Instant::now();
    let mut sum = 0i64;
    for i in 0..1_000_000i64 {
        let received = Timestamp::from_second(FROM + i * 211).unwrap();
        let due = CAL.due_at(received, limits[(i % 4) as usize]);
        sum = sum.wrapping_add(due.as_second());
        sum = sum.wrapping_add(CAL.working_minutes_between(received, due) as i64);
    }
    println!("1M due_at + working_minutes_between: {:?} (checksum {sum})", clock.elapsed());
}
