//! Unit tests of the calendar engine: the day arithmetic against jiff, the rules on a small synthetic
//! calendar, saturation, and the engine against a brute-force minute-by-minute oracle.

use super::days::{self, Moment};
use super::*;
use jiff::civil::{DateTime, date, time};
use jiff::{SignedDuration, ToSpan};
use proptest::prelude::*;
use std::collections::HashSet;

fn wd(tenths: u32) -> TimeLimit {
    TimeLimit { tenths, unit: TimeUnit::WorkingDays }
}

fn wh(tenths: u32) -> TimeLimit {
    TimeLimit { tenths, unit: TimeUnit::WorkingHours }
}

/// March 2026 with oddities: holidays Wed 4 and Thu 5, a holiday on Saturday 14, a make-up Saturday
/// 7, a make-up Sunday 15, a make-up Wednesday 11 (already working), and Friday 20 in both lists.
fn synthetic() -> WorkingCalendar {
    let h = |y, m, d, n: &str| (date(y, m, d), n.to_owned());
    WorkingCalendar::new(
        OfficeHours::default(),
        [
            h(2026, 3, 4, "Lễ Một"),
            h(2026, 3, 5, "Lễ Hai"),
            h(2026, 3, 14, "Lễ Thứ Bảy"),
            h(2026, 3, 20, "Lễ Ba"),
            h(2026, 3, 20, "Lễ Ba"),
        ],
        [
            h(2026, 3, 7, "Làm bù Một"),
            h(2026, 3, 15, "Làm bù Chủ Nhật"),
            h(2026, 3, 11, "Làm bù giữa tuần"),
            h(2026, 3, 20, "Làm bù trùng lễ"),
        ],
    )
}

/// Three sessions, one of them touching the next: 07:30–11:30, 13:30–16:00, 16:00–17:15.
fn odd_hours() -> OfficeHours {
    OfficeHours::new(vec![
        (time(7, 30, 0, 0), time(11, 30, 0, 0)),
        (time(13, 30, 0, 0), time(16, 0, 0, 0)),
        (time(16, 0, 0, 0), time(17, 15, 0, 0)),
    ])
    .unwrap()
}

fn ts(cal: &WorkingCalendar, s: &str) -> Timestamp {
    cal.instant(s.parse::<DateTime>().unwrap())
}

fn show(cal: &WorkingCalendar, t: Timestamp) -> String {
    cal.local(t).strftime("%Y-%m-%d %H:%M").to_string()
}

#[test]
fn day_numbers_agree_with_jiff() {
    let mut d = date(1800, 1, 1);
    let mut n = days::day_of(d);
    assert_eq!(days::day_of(date(1970, 1, 1)), 0);
    while d <= date(2200, 12, 31) {
        assert_eq!(days::day_of(d), n, "{d}");
        assert_eq!(days::to_date(n), d);
        assert_eq!(days::weekday(n), d.weekday(), "{d}");
        assert_eq!(days::days_in_month(i32::from(d.year()), i32::from(d.month())), i32::from(d.days_in_month()));
        d = d.tomorrow().unwrap();
        n += 1;
    }
    assert_eq!(days::to_date(days::day_of(Date::MIN)), Date::MIN);
    assert_eq!(days::to_date(days::day_of(Date::MAX)), Date::MAX);
    assert_eq!(days::to_date(days::day_of(Date::MAX) + 1), Date::MAX, "clamped");
    assert_eq!(days::to_date(days::day_of(Date::MIN) - 1), Date::MIN, "clamped");
}

#[test]
fn weekday_counting_matches_brute_force() {
    for a in -30..30 {
        for b in a..a + 40 {
            let brute = (a..b).filter(|&d| !days::is_weekend(d)).count() as i64;
            assert_eq!(days::weekdays_before(b) - days::weekdays_before(a), brute, "[{a}, {b})");
        }
    }
}

#[test]
fn moments_round_trip_and_saturate() {
    for (secs, nanos) in [(0, 0), (-1, -500_000_000), (-25_200, 0), (1_771_900_000, 123_456_789), (-86_400 * 400, 1)] {
        let t = Timestamp::new(secs, nanos).unwrap();
        let m = Moment::from_timestamp(t);
        assert!((0..days::NANOS_PER_DAY).contains(&m.nanos));
        assert_eq!(m.to_timestamp(), t);
        let local = OFFSET.to_datetime(t);
        assert_eq!(days::to_date(m.day), local.date());
        assert_eq!(m.nanos, days::time_to_nanos(local.time()));
    }
    assert_eq!(Moment::from_timestamp(Timestamp::MAX).to_timestamp(), Timestamp::MAX);
    assert_eq!(Moment::from_timestamp(Timestamp::MIN).to_timestamp(), Timestamp::MIN);
    assert_eq!(Moment { day: i32::MAX / 2, nanos: 0 }.to_timestamp(), Timestamp::MAX);
    assert_eq!(Moment { day: i32::MIN / 2, nanos: 0 }.to_timestamp(), Timestamp::MIN);
}

#[test]
fn office_hours_are_validated() {
    let t = |h, m| time(h, m, 0, 0);
    assert_eq!(OfficeHours::new(vec![]), Err(CalendarError::NoSessions));
    let e = OfficeHours::new(vec![(t(9, 0), t(9, 0))]).unwrap_err();
    assert_eq!(e, CalendarError::EmptySession { start: "09:00".into(), end: "09:00".into() });
    assert!(e.to_string().contains("giờ bắt đầu phải trước giờ kết thúc"), "{e}");
    let e = OfficeHours::new(vec![(t(8, 0), t(12, 0)), (t(11, 0), t(17, 0))]).unwrap_err();
    assert_eq!(e, CalendarError::OverlappingSessions { first: "08:00–12:00".into(), second: "11:00–17:00".into() });
    let e = OfficeHours::new(vec![(t(13, 0), t(17, 0)), (t(8, 0), t(12, 0))]).unwrap_err();
    assert!(matches!(e, CalendarError::OverlappingSessions { .. }));
    let e = OfficeHours::new(vec![(time(8, 0, 30, 0), t(12, 0))]).unwrap_err();
    assert_eq!(e, CalendarError::SessionNotWholeMinute("08:00:30".into()));

    let default = OfficeHours::default();
    assert_eq!(default, OfficeHours::new(vec![(t(8, 0), t(12, 0)), (t(13, 0), t(17, 0))]).unwrap());
    assert_eq!(default.minutes_per_day(), 480);
    assert_eq!((default.open(), default.close()), (t(8, 0), t(17, 0)));
    assert_eq!(default.describe(), "08:00–12:00, 13:00–17:00");
    assert!(default.contains(t(8, 0)) && default.contains(time(11, 59, 59, 999_999_999)));
    assert!(!default.contains(t(12, 0)) && !default.contains(t(17, 0)) && !default.contains(time(7, 59, 59, 0)));

    let odd = odd_hours();
    assert_eq!(odd.minutes_per_day(), 240 + 150 + 75);
    assert_eq!((odd.open(), odd.close()), (t(7, 30), t(17, 15)));
    assert_eq!(odd.sessions().len(), 3);
}

#[test]
fn day_kinds_follow_the_lists() {
    let cal = synthetic();
    let kind = |d| cal.day_kind(d);
    assert_eq!(kind(date(2026, 3, 2)), DayKind::Working);
    assert_eq!(kind(date(2026, 3, 4)), DayKind::Holiday("Lễ Một".into()));
    assert_eq!(kind(date(2026, 3, 7)), DayKind::MakeupWorking("Làm bù Một".into()));
    assert_eq!(kind(date(2026, 3, 8)), DayKind::Weekend(Weekday::Sunday));
    assert_eq!(kind(date(2026, 3, 11)), DayKind::MakeupWorking("Làm bù giữa tuần".into()));
    assert_eq!(kind(date(2026, 3, 14)), DayKind::Holiday("Lễ Thứ Bảy".into()));
    assert_eq!(kind(date(2026, 3, 15)), DayKind::MakeupWorking("Làm bù Chủ Nhật".into()));
    assert_eq!(kind(date(2026, 3, 20)), DayKind::Holiday("Lễ Ba".into()), "the holiday wins, duplicates merge");
    let working: Vec<bool> = (1..=22).map(|d| cal.is_working_day(date(2026, 3, d))).collect();
    #[rustfmt::skip]
    let expected = [
        false, true, true, false, false, true, true, false, true, true, // 1..=10
        true, true, true, false, true, true, true, true, true, false,   // 11..=20
        false, false,                                                   // 21, 22
    ];
    assert_eq!(working, expected);
    for d in 1..=31 {
        let d = date(2026, 3, d);
        assert_eq!(cal.is_working_day(d), cal.day_kind(d).is_working(), "{d}");
    }
    assert_eq!(DayKind::Holiday("X".into()).describe_vi(), "nghỉ — X");
    assert_eq!(DayKind::Weekend(Weekday::Saturday).describe_vi(), "nghỉ cuối tuần");
    assert_eq!(DayKind::MakeupWorking("Y".into()).describe_vi(), "làm việc bù — Y");
}

#[test]
fn different_names_for_one_date_are_joined() {
    let cal = WorkingCalendar::new(
        OfficeHours::default(),
        [(date(2026, 9, 2), "Quốc khánh".to_owned()), (date(2026, 9, 2), "Lễ khác".to_owned())],
        [],
    );
    assert_eq!(cal.day_kind(date(2026, 9, 2)), DayKind::Holiday("Quốc khánh / Lễ khác".into()));
}

#[test]
fn csv_lists_may_not_contradict_each_other() {
    let holidays = "date,name_vi,name_en\n2026-03-07,Lễ,Holiday\n";
    let makeups = "date,name_vi,name_en\n2026-03-07,Làm bù,Make-up\n";
    let e = WorkingCalendar::from_csv(OfficeHours::default(), holidays, makeups).unwrap_err();
    assert_eq!(e, CalendarError::Conflict { date: "2026-03-07".into() });
    assert!(e.to_string().contains("2026-03-07"));
    let cal = WorkingCalendar::from_csv(OfficeHours::default(), holidays, "").unwrap();
    assert!(!cal.is_working_day(date(2026, 3, 7)));
    let e = WorkingCalendar::from_csv(OfficeHours::default(), "bad", "").unwrap_err();
    assert!(matches!(e, CalendarError::CsvHeader { list: "ngày nghỉ lễ", .. }));
}

#[test]
fn start_rules_on_the_synthetic_calendar() {
    let cal = synthetic();
    let start = |s| show(&cal, cal.clock_start(ts(&cal, s)));
    assert_eq!(start("2026-03-03 07:59:59"), "2026-03-03 08:00");
    assert_eq!(start("2026-03-03 08:00"), "2026-03-03 08:00");
    assert_eq!(start("2026-03-03 11:59:59.999"), "2026-03-03 11:59");
    assert_eq!(start("2026-03-03 12:00"), "2026-03-03 13:00");
    assert_eq!(start("2026-03-03 16:59"), "2026-03-03 16:59");
    assert_eq!(start("2026-03-03 17:00"), "2026-03-06 08:00", "Wed 4 and Thu 5 are holidays");
    assert_eq!(start("2026-03-06 18:00"), "2026-03-07 08:00", "make-up Saturday");
    assert_eq!(start("2026-03-13 17:00"), "2026-03-15 08:00", "holiday Saturday, make-up Sunday");
    assert_eq!(start("2026-03-19 17:00"), "2026-03-23 08:00", "Friday 20 is a holiday despite the make-up entry");
    let t = ts(&cal, "2026-03-03 10:15:30.25");
    assert_eq!(cal.clock_start(t), t, "inside office hours the clock starts at the instant itself");
}

#[test]
fn working_time_on_the_synthetic_calendar() {
    let cal = synthetic();
    let due = |s, limit| show(&cal, cal.due_at(ts(&cal, s), limit));
    assert_eq!(due("2026-03-03 08:00", wd(10)), "2026-03-03 17:00");
    assert_eq!(due("2026-03-03 09:30", wd(10)), "2026-03-06 09:30");
    assert_eq!(due("2026-03-06 16:00", wh(20)), "2026-03-07 09:00");
    assert_eq!(due("2026-03-13 16:00", wh(20)), "2026-03-15 09:00");
    assert_eq!(due("2026-03-19 16:00", wh(20)), "2026-03-23 09:00");
    assert_eq!(due("2026-03-03 10:00", wd(0)), "2026-03-03 10:00");
    assert_eq!(due("2026-03-03 12:30", wd(0)), "2026-03-03 13:00", "a zero limit is due at the clock start");
    // 2026-03-02 is a Monday; Wed 4 and Thu 5 are off; Sat 7 is a make-up day.
    assert_eq!(due("2026-03-02 08:00", wd(40)), "2026-03-07 17:00");
    assert_eq!(due("2026-03-02 08:00", wd(50)), "2026-03-09 17:00");
    let minutes = |a, b| cal.working_minutes_between(ts(&cal, a), ts(&cal, b));
    assert_eq!(minutes("2026-03-02 08:00", "2026-03-09 17:00"), 5 * 480);
    assert_eq!(minutes("2026-03-02 00:00", "2026-03-23 00:00"), 14 * 480);
    assert_eq!(minutes("2026-03-09 17:00", "2026-03-02 08:00"), 0);
    assert_eq!(minutes("2026-03-03 11:59:30", "2026-03-03 13:00:30"), 1, "30 s + 30 s");
    assert_eq!(minutes("2026-03-03 11:59:30", "2026-03-03 13:00:29"), 0, "59 s round down");
}

#[test]
fn calendar_limits_on_the_synthetic_calendar() {
    let cal = synthetic();
    let days = |tenths| TimeLimit { tenths, unit: TimeUnit::Days };
    let due = |s, limit| show(&cal, cal.due_at(ts(&cal, s), limit));
    assert_eq!(due("2026-03-02 10:00", days(20)), "2026-03-06 17:00", "Wed 4 is off: pushed to Fri 6");
    assert_eq!(due("2026-03-02 10:00", days(50)), "2026-03-07 17:00", "make-up Saturday is a working day");
    assert_eq!(due("2026-03-02 10:00", days(41)), "2026-03-07 17:00", "4.1 days round up to 5");
    assert_eq!(due("2026-03-02 10:00", days(0)), "2026-03-02 17:00");
    assert_eq!(due("2026-03-02 17:30", days(0)), "2026-03-03 17:00", "start date is the clock start's");
}

#[test]
fn explanation_of_a_start_on_a_day_off() {
    let cal = synthetic();
    let e = cal.explain_due(ts(&cal, "2026-03-04 09:00"), wh(40));
    assert_eq!(show(&cal, e.start), "2026-03-06 08:00");
    assert_eq!(show(&cal, e.due_at), "2026-03-06 12:00");
    assert_eq!(
        e.explanation,
        [
            "Tiếp nhận: 2026-03-04 09:00 (Thứ Tư)",
            "Tiếp nhận 2026-03-04 09:00 vào ngày nghỉ (Thứ Tư: nghỉ — Lễ Một): bắt đầu tính từ 2026-03-06 08:00 (giờ mở cửa tiếp theo)",
            "Thời hạn: 4 giờ làm việc = 240 phút làm việc",
            "Chỉ cộng thời gian trong giờ hành chính (08:00–12:00, 13:00–17:00) của các ngày làm việc; hạn là lúc dùng hết phút làm việc cuối cùng",
            "2026-03-04 (Thứ Tư): nghỉ — Lễ Một",
            "2026-03-05 (Thứ Năm): nghỉ — Lễ Hai",
            "Hạn giải quyết: 2026-03-06 12:00 (Thứ Sáu)",
        ]
    );
}

#[test]
fn explanation_lists_make_up_days_and_each_start_rule() {
    let cal = synthetic();
    let e = cal.explain_due(ts(&cal, "2026-03-06 12:30"), wd(20));
    assert_eq!(show(&cal, e.due_at), "2026-03-09 12:00", "4 h Fri, 8 h Sat (make-up), 4 h Mon");
    assert_eq!(
        e.explanation[1],
        "Tiếp nhận 2026-03-06 12:30 trong giờ nghỉ giữa hai buổi làm việc (12:00–13:00): bắt đầu tính từ 2026-03-06 13:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        e.explanation[2],
        "Thời hạn: 2 ngày làm việc = 16 giờ làm việc (960 phút; 1 ngày làm việc = 8 giờ làm việc)"
    );
    assert_eq!(
        cal.explain_due(ts(&cal, "2026-03-02 08:00"), wd(15)).explanation[2],
        "Thời hạn: 1,5 ngày làm việc = 12 giờ làm việc (720 phút; 1 ngày làm việc = 8 giờ làm việc)"
    );
    assert_eq!(
        &e.explanation[4..],
        [
            "2026-03-07 (Thứ Bảy): làm việc bù — Làm bù Một (tính là ngày làm việc)",
            "2026-03-08 (Chủ Nhật): nghỉ cuối tuần",
            "Hạn giải quyết: 2026-03-09 12:00 (Thứ Hai)",
        ]
    );
    let line = |s| cal.explain_due(ts(&cal, s), wd(10)).explanation[1].clone();
    assert_eq!(
        line("2026-03-03 06:45"),
        "Tiếp nhận 2026-03-03 06:45 trước giờ mở cửa (08:00): bắt đầu tính từ 2026-03-03 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        line("2026-03-03 17:00"),
        "Tiếp nhận 2026-03-03 17:00 sau giờ hành chính: bắt đầu tính từ 2026-03-06 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(line("2026-03-03 10:20"), "Tiếp nhận trong giờ hành chính: bắt đầu tính ngay từ 2026-03-03 10:20");
    assert_eq!(
        line("2026-03-08 10:20"),
        "Tiếp nhận 2026-03-08 10:20 vào ngày nghỉ (Chủ Nhật: nghỉ cuối tuần): bắt đầu tính từ 2026-03-09 08:00 (giờ mở cửa tiếp theo)"
    );
    let e = cal.explain_due(ts(&cal, "2026-03-03 10:20:45"), wh(5));
    assert_eq!(e.explanation[0], "Tiếp nhận: 2026-03-03 10:20:45 (Thứ Ba)");
    assert_eq!(e.explanation[2], "Thời hạn: 0,5 giờ làm việc = 30 phút làm việc");
    assert_eq!(e.explanation.last().unwrap(), "Hạn giải quyết: 2026-03-03 10:50:45 (Thứ Ba)");
}

#[test]
fn custom_office_hours_change_the_day() {
    let cal = WorkingCalendar::new(odd_hours(), [], []);
    let due = |s, limit| show(&cal, cal.due_at(ts(&cal, s), limit));
    assert_eq!(due("2026-03-02 07:30", wd(10)), "2026-03-02 17:15");
    assert_eq!(due("2026-03-02 15:50", wh(5)), "2026-03-02 16:20", "touching sessions are continuous");
    assert_eq!(due("2026-03-02 11:00", wh(10)), "2026-03-02 14:00");
    assert_eq!(show(&cal, cal.clock_start(ts(&cal, "2026-03-02 16:00"))), "2026-03-02 16:00");
    assert_eq!(show(&cal, cal.clock_start(ts(&cal, "2026-03-02 17:15"))), "2026-03-03 07:30");
    assert_eq!(
        show(&cal, cal.due_at(ts(&cal, "2026-03-02 10:00"), TimeLimit::new(1, TimeUnit::Days))),
        "2026-03-03 17:15",
        "calendar limits end at the close"
    );
    let e = cal.explain_due(ts(&cal, "2026-03-02 10:00"), wd(10));
    assert_eq!(
        e.explanation[2],
        "Thời hạn: 1 ngày làm việc = 7 giờ 45 phút làm việc (465 phút; 1 ngày làm việc = 7 giờ 45 phút làm việc)"
    );
    assert_eq!(show(&cal, cal.handover_due(ts(&cal, "2026-03-02 10:00"), DEFAULT_HANDOVER_CUTOFF)), "2026-03-02 17:15");
}

#[test]
fn empty_lists_build_a_plain_calendar() {
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    assert!(cal.is_working_day(date(2026, 1, 1)), "no holidays given");
    assert!(!cal.is_working_day(date(2026, 1, 3)));
    assert_eq!(cal.next_working_day(date(2026, 1, 2)), date(2026, 1, 5));
    assert!(cal.days_off_between(date(2026, 1, 5), date(2026, 1, 9)).is_empty());
    assert!(cal.days_off_between(date(2026, 1, 9), date(2026, 1, 5)).is_empty());
}

#[test]
fn a_calendar_of_holidays_only_saturates_instead_of_looping() {
    let first = date(2026, 1, 1);
    let holidays: Vec<(Date, String)> = (0..(MAX_WALK_DAYS + 400))
        .map(|i| (first.checked_add(i64::from(i).days()).unwrap(), "Nghỉ".to_owned()))
        .collect();
    let cal = WorkingCalendar::new(OfficeHours::default(), holidays, []);
    let received = ts(&cal, "2026-03-02 09:00");
    let cap =
        ts(&cal, "2026-03-02 00:00").checked_add(SignedDuration::from_hours(24 * i64::from(MAX_WALK_DAYS))).unwrap();
    let start = cal.clock_start(received);
    assert!(start > received && start <= cap.checked_add(SignedDuration::from_hours(24)).unwrap());
    for limit in [wd(10), wh(10), TimeLimit::new(3, TimeUnit::Days), TimeLimit::new(2, TimeUnit::Months)] {
        let due = cal.due_at(received, limit);
        assert!(due >= start, "{limit}");
        let e = cal.explain_due(received, limit);
        assert_eq!(e.due_at, due);
        assert!(e.explanation.iter().any(|l| l.starts_with("Vượt quá giới hạn tính toán 20 năm")), "{limit}");
        assert!(e.explanation.len() < 420, "day lines are capped: {}", e.explanation.len());
    }
    assert_eq!(cal.add_working_minutes(received, 60), start);
    assert_eq!(cal.working_minutes_between(received, cap), 0);
    let next = cal.next_working_day(date(2026, 3, 2));
    assert_eq!(next, date(2026, 3, 2).checked_add(i64::from(MAX_WALK_DAYS).days()).unwrap());
    assert_eq!(cal.handover_due(received, DEFAULT_HANDOVER_CUTOFF), cal.instant(next.at(17, 0, 0, 0)));
}

#[test]
fn absurd_limits_saturate_quickly() {
    let cal = synthetic();
    let received = ts(&cal, "2026-03-02 09:00");
    let horizon = ts(&cal, "2046-03-02 00:00").checked_add(SignedDuration::from_hours(24 * 200)).unwrap();
    for unit in [TimeUnit::WorkingDays, TimeUnit::WorkingHours, TimeUnit::Days, TimeUnit::Months] {
        let limit = TimeLimit { tenths: u32::MAX, unit };
        let due = cal.due_at(received, limit);
        assert!(due > ts(&cal, "2045-01-01 00:00") && due < horizon, "{limit}: {}", show(&cal, due));
        assert_eq!(cal.explain_due(received, limit).due_at, due);
    }
    let far = cal.add_working_minutes(received, u64::MAX);
    assert!(far > ts(&cal, "2045-01-01 00:00") && far < horizon);
    let all = cal.working_minutes_between(Timestamp::MIN, Timestamp::MAX);
    assert!(all > 5_200_000 * 480 && all < 5_230_000 * 480, "about 5/7 of ±9999 years: {all}");
}

#[test]
fn months_clamp_to_the_end_of_the_month() {
    let d = |y, m, dd| days::day_of(date(y, m, dd));
    assert_eq!(add_months(d(2024, 1, 31), 1), (d(2024, 2, 29), true, false));
    assert_eq!(add_months(d(2025, 1, 31), 1), (d(2025, 2, 28), true, false));
    assert_eq!(add_months(d(2025, 1, 28), 1), (d(2025, 2, 28), false, false));
    assert_eq!(add_months(d(2025, 3, 31), 1), (d(2025, 4, 30), true, false));
    assert_eq!(add_months(d(2025, 11, 30), 3), (d(2026, 2, 28), true, false));
    assert_eq!(add_months(d(2024, 2, 29), 12), (d(2025, 2, 28), true, false));
    assert_eq!(add_months(d(2024, 2, 29), 48), (d(2028, 2, 29), false, false));
    assert_eq!(add_months(d(2100, 1, 29), 1), (d(2100, 2, 28), true, false), "2100 is not a leap year");
    assert_eq!(add_months(d(2000, 1, 29), 1), (d(2000, 2, 29), false, false), "2000 is");
    assert_eq!(add_months(d(2025, 12, 15), 0), (d(2025, 12, 15), false, false));
    assert_eq!(add_months(d(2025, 12, 15), 240), (d(2045, 12, 15), false, false));
    assert_eq!(add_months(d(2025, 12, 15), 241), (d(2045, 12, 15), false, true));
    // Against jiff's own month arithmetic, which clamps the same way.
    let mut start = date(2023, 1, 1);
    while start < date(2029, 1, 1) {
        for n in 0..30 {
            let expected = start.checked_add(i64::from(n).months()).unwrap();
            assert_eq!(days::to_date(add_months(days::day_of(start), n).0), expected, "{start} + {n} months");
        }
        start = start.tomorrow().unwrap();
    }
}

// ----- a brute-force oracle: minute by minute over civil date-times -----

struct Oracle {
    holidays: HashSet<Date>,
    makeups: HashSet<Date>,
    hours: OfficeHours,
}

impl Oracle {
    fn synthetic(hours: OfficeHours) -> Oracle {
        let holidays = [date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 14), date(2026, 3, 20)].into();
        let makeups = [date(2026, 3, 7), date(2026, 3, 15), date(2026, 3, 11)].into();
        Oracle { holidays, makeups, hours }
    }

    fn calendar(&self) -> WorkingCalendar {
        let named = |s: &HashSet<Date>| s.iter().map(|&d| (d, "x".to_owned())).collect::<Vec<_>>();
        WorkingCalendar::new(self.hours.clone(), named(&self.holidays), named(&self.makeups))
    }

    fn working_day(&self, d: Date) -> bool {
        !self.holidays.contains(&d)
            && (self.makeups.contains(&d) || !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
    }

    /// Is the minute starting at `t` office time?
    fn office(&self, t: DateTime) -> bool {
        self.working_day(t.date()) && self.hours.contains(t.time())
    }

    fn add(&self, from: DateTime, minutes: u64) -> DateTime {
        let mut t = from;
        while !self.office(t) {
            t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
        }
        for _ in 0..minutes {
            while !self.office(t) {
                t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
            }
            t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
        }
        t
    }

    fn between(&self, a: DateTime, b: DateTime) -> u64 {
        let mut t = a;
        let mut n = 0;
        while t < b {
            n += u64::from(self.office(t));
            t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
        }
        n
    }
}

/// Every half hour of a week with a make-up Saturday, a make-up Sunday and holidays, every count of
/// minutes up to three working days: each session boundary is hit exactly, on both hour sets.
#[test]
fn exhaustive_sweep_matches_the_oracle() {
    for hours in [OfficeHours::default(), odd_hours()] {
        let oracle = Oracle::synthetic(hours);
        let cal = oracle.calendar();
        let mut from = date(2026, 3, 2).at(0, 0, 0, 0);
        while from < date(2026, 3, 9).at(0, 0, 0, 0) {
            let start = cal.instant(from);
            let mut t = oracle.add(from, 0);
            assert_eq!(cal.local(cal.clock_start(start)), t, "clock start of {from}");
            for k in 0..=1200u64 {
                if k > 0 {
                    while !oracle.office(t) {
                        t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
                    }
                    t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
                }
                let due = cal.add_working_minutes(start, k);
                assert_eq!(cal.local(due), t, "{from} + {k} min");
                assert_eq!(cal.working_minutes_between(start, due), k, "{from} + {k} min");
            }
            from = from.checked_add(SignedDuration::from_mins(30)).unwrap();
        }
    }
}

/// A local date-time on a whole minute in late February to March 2026.
fn minute_in_march() -> impl Strategy<Value = DateTime> {
    (0i64..(28 * 24 * 60))
        .prop_map(|m| date(2026, 2, 26).at(0, 0, 0, 0).checked_add(SignedDuration::from_mins(m)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn engine_matches_the_oracle(from in minute_in_march(), minutes in 0u64..2500, odd in any::<bool>()) {
        let oracle = Oracle::synthetic(if odd { odd_hours() } else { OfficeHours::default() });
        let cal = oracle.calendar();
        let start = cal.instant(from);
        let expected = oracle.add(from, minutes);
        prop_assert_eq!(cal.local(cal.add_working_minutes(start, minutes)), expected);
        prop_assert_eq!(cal.local(cal.clock_start(start)), oracle.add(from, 0));
        prop_assert_eq!(cal.working_minutes_between(start, cal.instant(expected)), minutes);
        prop_assert_eq!(cal.is_office_time(start), oracle.office(from));
    }

    #[test]
    fn minutes_between_match_the_oracle(a in minute_in_march(), b in minute_in_march(), odd in any::<bool>()) {
        let oracle = Oracle::synthetic(if odd { odd_hours() } else { OfficeHours::default() });
        let cal = oracle.calendar();
        prop_assert_eq!(cal.working_minutes_between(cal.instant(a), cal.instant(b)), oracle.between(a, b));
    }
}
