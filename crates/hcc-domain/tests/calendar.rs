//! Hand-checked deadlines on the real holiday calendar (`data/holidays`, 2020–2035): Tết 2025, 2026
//! and 2027, 30/4–1/5 with the make-up Saturday 2025-04-26, 2/9 with the make-up Saturday
//! 2026-08-22, new year, every start rule, working hours across lunch and nights, calendar days and
//! months. Every expected value below was worked out by hand from the CSV and a printed calendar.
#![expect(clippy::unwrap_used, reason = "a failing fixture should fail the test loudly")]

use hcc_domain::calendar::{DEFAULT_HANDOVER_CUTOFF, DayKind, OfficeHours, WorkingCalendar};
use hcc_domain::{TimeLimit, TimeUnit};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Weekday, date, time};
use std::sync::LazyLock;

// The repository's copy of the shared seed (`/work/shared/data/holidays`, byte for byte the same):
// it is what `crates/hcc` compiles in, and it exists on a clean clone in CI.
const HOLIDAYS_CSV: &str = include_str!("../../../data/holidays/vn-public-holidays.csv");
const MAKEUP_CSV: &str = include_str!("../../../data/holidays/vn-makeup-working-days.csv");

static CAL: LazyLock<WorkingCalendar> =
    LazyLock::new(|| WorkingCalendar::from_csv(OfficeHours::default(), HOLIDAYS_CSV, MAKEUP_CSV).unwrap());

/// A local "YYYY-MM-DD HH:MM[:SS]" as an instant.
fn at(local: &str) -> Timestamp {
    CAL.instant(local.parse::<DateTime>().unwrap())
}

/// An instant as local "YYYY-MM-DD HH:MM".
fn show(t: Timestamp) -> String {
    CAL.local(t).strftime("%Y-%m-%d %H:%M").to_string()
}

fn due(received: &str, limit: &str) -> String {
    show(CAL.due_at(at(received), limit.parse::<TimeLimit>().unwrap()))
}

fn start(received: &str) -> String {
    show(CAL.clock_start(at(received)))
}

fn explain(received: &str, limit: &str) -> Vec<String> {
    let limit = limit.parse::<TimeLimit>().unwrap();
    let e = CAL.explain_due(at(received), limit);
    assert_eq!(e.due_at, CAL.due_at(at(received), limit));
    assert_eq!(e.start, CAL.clock_start(at(received)));
    e.explanation
}

fn minutes(a: &str, b: &str) -> u64 {
    CAL.working_minutes_between(at(a), at(b))
}

fn handover(received: &str) -> String {
    show(CAL.handover_due(at(received), DEFAULT_HANDOVER_CUTOFF))
}

fn holiday(name: &str) -> DayKind {
    DayKind::Holiday(name.to_owned())
}

fn has(lines: &[String], line: &str) -> bool {
    lines.iter().any(|l| l == line)
}

#[test]
fn the_seed_loads_with_its_names() {
    assert_eq!(CAL.day_kind(date(2025, 1, 29)), holiday("Tết Nguyên Đán"));
    assert_eq!(CAL.day_kind(date(2026, 9, 2)), holiday("Quốc khánh"));
    assert_eq!(CAL.day_kind(date(2026, 11, 24)), holiday("Ngày Văn hóa Việt Nam"));
    assert_eq!(CAL.day_kind(date(2025, 4, 26)), DayKind::MakeupWorking("Ngày làm bù cho ngày nghỉ 2025-05-02".into()));
    assert_eq!(CAL.day_kind(date(2024, 5, 4)), DayKind::MakeupWorking("Ngày làm bù cho ngày nghỉ 2024-04-29".into()));
    assert_eq!(CAL.day_kind(date(2026, 3, 7)), DayKind::Weekend(Weekday::Saturday));
    assert_eq!(CAL.day_kind(date(2026, 3, 2)), DayKind::Working);
    let holidays = HOLIDAYS_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
    let off = CAL.days_off_between(date(2020, 1, 1), date(2035, 12, 31));
    assert_eq!(off.iter().filter(|(_, k)| matches!(k, DayKind::Holiday(_))).count(), holidays);
    assert_eq!(off.iter().filter(|(_, k)| matches!(k, DayKind::MakeupWorking(_))).count(), 3);
}

#[test]
fn tet_2025() {
    // Holidays Mon 27/1 – Sat 1/2; off from Sat 25/1 to Sun 2/2.
    let off = CAL.days_off_between(date(2025, 1, 24), date(2025, 2, 3));
    let expected: Vec<(Date, DayKind)> = vec![
        (date(2025, 1, 25), DayKind::Weekend(Weekday::Saturday)),
        (date(2025, 1, 26), DayKind::Weekend(Weekday::Sunday)),
        (date(2025, 1, 27), holiday("29 Tết")),
        (date(2025, 1, 28), holiday("Giao thừa Tết Nguyên Đán")),
        (date(2025, 1, 29), holiday("Tết Nguyên Đán")),
        (date(2025, 1, 30), holiday("Mùng hai Tết Nguyên Đán")),
        (date(2025, 1, 31), holiday("Mùng ba Tết Nguyên Đán")),
        (date(2025, 2, 1), holiday("Mùng bốn Tết Nguyên Đán")),
        (date(2025, 2, 2), DayKind::Weekend(Weekday::Sunday)),
    ];
    assert_eq!(off, expected);
    assert_eq!(due("2025-01-24 16:00", "2 working-hours"), "2025-02-03 09:00");
    assert_eq!(due("2025-01-24 10:00", "1 working-days"), "2025-02-03 10:00");
    assert_eq!(due("2025-01-22 08:00", "5 working-days"), "2025-02-04 17:00");
    assert_eq!(start("2025-01-29 10:00"), "2025-02-03 08:00");
    assert_eq!(due("2025-01-29 10:00", "1 working-days"), "2025-02-03 17:00");
    assert_eq!(due("2025-01-20 10:00", "10 days"), "2025-02-03 17:00", "30/1 is Tết");
    assert_eq!(minutes("2025-01-24 08:00", "2025-02-04 08:00"), 2 * 480);
    assert_eq!(CAL.next_working_day(date(2025, 1, 24)), date(2025, 2, 3));
    assert_eq!(handover("2025-01-24 15:30"), "2025-02-03 17:00");
}

#[test]
fn tet_2026_explained() {
    assert_eq!(due("2026-02-13 17:30", "20 working-days"), "2026-03-20 17:00");
    let lines = explain("2026-02-13 17:30", "20 working-days");
    let expected = [
        "Tiếp nhận: 2026-02-13 17:30 (Thứ Sáu)",
        "Tiếp nhận 2026-02-13 17:30 sau giờ hành chính: bắt đầu tính từ 2026-02-23 08:00 (giờ mở cửa tiếp theo)",
        "Thời hạn: 20 ngày làm việc = 160 giờ làm việc (9600 phút; 1 ngày làm việc = 8 giờ làm việc)",
        "Chỉ cộng thời gian trong giờ hành chính (08:00–12:00, 13:00–17:00) của các ngày làm việc; hạn là lúc dùng hết phút làm việc cuối cùng",
        "2026-02-14 (Thứ Bảy): nghỉ cuối tuần",
        "2026-02-15 (Chủ Nhật): nghỉ cuối tuần",
        "2026-02-16 (Thứ Hai): nghỉ — Giao thừa Tết Nguyên Đán",
        "2026-02-17 (Thứ Ba): nghỉ — Tết Nguyên Đán",
        "2026-02-18 (Thứ Tư): nghỉ — Mùng hai Tết Nguyên Đán",
        "2026-02-19 (Thứ Năm): nghỉ — Mùng ba Tết Nguyên Đán",
        "2026-02-20 (Thứ Sáu): nghỉ — Mùng bốn Tết Nguyên Đán",
        "2026-02-21 (Thứ Bảy): nghỉ cuối tuần",
        "2026-02-22 (Chủ Nhật): nghỉ cuối tuần",
        "2026-02-28 (Thứ Bảy): nghỉ cuối tuần",
        "2026-03-01 (Chủ Nhật): nghỉ cuối tuần",
        "2026-03-07 (Thứ Bảy): nghỉ cuối tuần",
        "2026-03-08 (Chủ Nhật): nghỉ cuối tuần",
        "2026-03-14 (Thứ Bảy): nghỉ cuối tuần",
        "2026-03-15 (Chủ Nhật): nghỉ cuối tuần",
        "Hạn giải quyết: 2026-03-20 17:00 (Thứ Sáu)",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn tet_2026() {
    assert_eq!(due("2026-02-09 09:30", "5 working-days"), "2026-02-23 09:30");
    assert_eq!(due("2026-02-13 14:00", "0.5 working-days"), "2026-02-23 09:00");
    assert_eq!(minutes("2026-02-13 08:00", "2026-02-23 08:00"), 480);
    assert_eq!(handover("2026-02-13 15:30"), "2026-02-23 17:00");
    assert_eq!(handover("2026-02-13 14:59"), "2026-02-13 17:00");
    assert_eq!(start("2026-02-17 09:00"), "2026-02-23 08:00");
    // Calendar days: 9/2 + 7 = 16/2, Tết: pushed to Monday 23/2.
    assert_eq!(due("2026-02-09 10:00", "7 days"), "2026-02-23 17:00");
    let lines = explain("2026-02-09 10:00", "7 days");
    assert!(has(
        &lines,
        "Thời hạn: 7 ngày theo lịch, không tính ngày bắt đầu 2026-02-09, ngày nghỉ trong khoảng vẫn được tính: ngày cuối cùng là 2026-02-16 (Thứ Hai)"
    ));
    assert!(has(&lines, "2026-02-16 (Thứ Hai): nghỉ — Giao thừa Tết Nguyên Đán"));
    assert!(has(&lines, "2026-02-22 (Chủ Nhật): nghỉ cuối tuần"));
    assert!(has(
        &lines,
        "Ngày cuối cùng 2026-02-16 (Thứ Hai) là ngày nghỉ: thời hạn kết thúc lúc 17:00 ngày làm việc tiếp theo 2026-02-23 (Thứ Hai)"
    ));
    assert!(!lines.iter().any(|l| l.starts_with("2026-02-14")), "days inside a calendar-day period are counted");
    assert_eq!(lines.last().unwrap(), "Hạn giải quyết: 2026-02-23 17:00 (Thứ Hai)");
    // Months ending in Tết.
    assert_eq!(due("2026-01-15 10:00", "1 months"), "2026-02-23 17:00");
    assert_eq!(due("2025-12-15 10:00", "2 months"), "2026-02-23 17:00");
}

#[test]
fn tet_2027() {
    // Holidays Thu 4/2 – Wed 10/2 (the weekend 6–7/2 is Tết itself).
    let off: Vec<Date> =
        CAL.days_off_between(date(2027, 2, 3), date(2027, 2, 11)).into_iter().map(|(d, _)| d).collect();
    assert_eq!(off, (4..=10).map(|d| date(2027, 2, d)).collect::<Vec<_>>());
    assert_eq!(CAL.day_kind(date(2027, 2, 6)), holiday("Tết Nguyên Đán"));
    assert_eq!(CAL.day_kind(date(2027, 2, 10)), holiday("Mùng năm Tết Nguyên Đán"));
    assert_eq!(due("2027-02-03 15:00", "1 working-days"), "2027-02-11 15:00");
    assert_eq!(start("2027-02-06 09:00"), "2027-02-11 08:00");
    assert_eq!(due("2027-02-01 10:00", "3 days"), "2027-02-11 17:00");
    assert_eq!(minutes("2027-02-01 00:00", "2027-02-15 00:00"), 5 * 480);
    let lines = explain("2027-02-06 09:00", "4 working-hours");
    assert_eq!(
        lines[1],
        "Tiếp nhận 2027-02-06 09:00 vào ngày nghỉ (Thứ Bảy: nghỉ — Tết Nguyên Đán): bắt đầu tính từ 2027-02-11 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(lines.last().unwrap(), "Hạn giải quyết: 2027-02-11 12:00 (Thứ Năm)");
    assert!(has(&lines, "2027-02-06 (Thứ Bảy): nghỉ — Tết Nguyên Đán"));
    assert!(has(&lines, "2027-02-10 (Thứ Tư): nghỉ — Mùng năm Tết Nguyên Đán"));
}

#[test]
fn reunification_and_labour_day_2025_with_the_make_up_saturday() {
    assert_eq!(due("2025-04-25 10:00", "1 working-days"), "2025-04-26 10:00");
    assert_eq!(due("2025-04-25 10:00", "4 working-days"), "2025-05-05 10:00");
    let lines = explain("2025-04-25 10:00", "4 working-days");
    for line in [
        "2025-04-26 (Thứ Bảy): làm việc bù — Ngày làm bù cho ngày nghỉ 2025-05-02 (tính là ngày làm việc)",
        "2025-04-27 (Chủ Nhật): nghỉ cuối tuần",
        "2025-04-30 (Thứ Tư): nghỉ — Ngày Chiến thắng",
        "2025-05-01 (Thứ Năm): nghỉ — Ngày Quốc tế Lao động",
        "2025-05-02 (Thứ Sáu): nghỉ — Ngày nghỉ (thay cho ngày 26/04/2025)",
        "2025-05-03 (Thứ Bảy): nghỉ cuối tuần",
        "2025-05-04 (Chủ Nhật): nghỉ cuối tuần",
        "Hạn giải quyết: 2025-05-05 10:00 (Thứ Hai)",
    ] {
        assert!(has(&lines, line), "missing {line:?} in {lines:#?}");
    }
    assert_eq!(start("2025-04-26 09:00"), "2025-04-26 09:00");
    assert_eq!(start("2025-04-26 07:00"), "2025-04-26 08:00");
    assert_eq!(start("2025-04-26 17:00"), "2025-04-28 08:00");
    assert_eq!(start("2025-04-27 10:00"), "2025-04-28 08:00");
    assert_eq!(handover("2025-04-25 15:30"), "2025-04-26 17:00");
    assert_eq!(due("2025-04-29 16:00", "2 working-hours"), "2025-05-05 09:00");
    assert_eq!(minutes("2025-04-25 08:00", "2025-04-28 08:00"), 960);
    assert_eq!(due("2025-04-16 10:00", "10 days"), "2025-04-26 17:00", "ends on the make-up Saturday");
    let lines = explain("2025-04-16 10:00", "10 days");
    assert!(has(&lines, "2025-04-26 (Thứ Bảy): làm việc bù — Ngày làm bù cho ngày nghỉ 2025-05-02 (là ngày làm việc)"));
    assert!(has(
        &lines,
        "Ngày cuối cùng 2025-04-26 (Thứ Bảy) là ngày làm việc: thời hạn kết thúc lúc 17:00 (hết giờ hành chính) ngày đó"
    ));
    assert_eq!(due("2025-04-25 10:00", "5 days"), "2025-05-05 17:00", "30/4 off, pushed past 1/5, 2/5 and the weekend");
    // Hùng Kings, Monday 7/4/2025.
    assert_eq!(due("2025-04-04 16:30", "1 working-hours"), "2025-04-08 08:30");
    let off = CAL.days_off_between(date(2025, 4, 25), date(2025, 5, 5));
    let kinds: Vec<(i8, bool)> = off.iter().map(|(d, k)| (d.day(), k.is_working())).collect();
    assert_eq!(kinds, [(26, true), (27, false), (30, false), (1, false), (2, false), (3, false), (4, false)]);
}

#[test]
fn national_day_2026_with_the_make_up_saturday() {
    assert!(CAL.is_working_day(date(2026, 8, 22)));
    assert_eq!(CAL.day_kind(date(2026, 8, 22)), DayKind::MakeupWorking("Ngày làm bù cho ngày nghỉ 2026-08-31".into()));
    assert_eq!(due("2026-08-21 16:00", "2 working-hours"), "2026-08-22 09:00");
    assert_eq!(due("2026-08-28 09:00", "1 working-days"), "2026-09-03 09:00");
    assert_eq!(due("2026-08-21 10:00", "10 days"), "2026-09-03 17:00", "31/8, 1/9 and 2/9 are off");
    assert_eq!(due("2026-08-12 10:00", "10 days"), "2026-08-22 17:00", "the make-up Saturday is a working day");
    assert_eq!(handover("2026-08-21 16:00"), "2026-08-22 17:00");
    assert_eq!(CAL.next_working_day(date(2026, 8, 21)), date(2026, 8, 22));
    assert_eq!(CAL.next_working_day(date(2026, 8, 22)), date(2026, 8, 24));
    assert_eq!(CAL.next_working_day(date(2026, 8, 28)), date(2026, 9, 3));
    assert_eq!(minutes("2026-08-21 00:00", "2026-08-25 00:00"), 3 * 480, "Fri, make-up Sat, Mon");
    // 2025: Monday 1/9 and Tuesday 2/9.
    assert_eq!(start("2025-08-29 17:00"), "2025-09-03 08:00");
}

#[test]
fn new_year() {
    assert_eq!(due("2025-12-31 16:30", "1 working-hours"), "2026-01-02 08:30");
    assert_eq!(start("2026-12-31 17:00"), "2027-01-04 08:00");
    // 1/1/2028 is a Saturday, observed on Monday 3/1.
    assert_eq!(due("2027-12-31 16:00", "2 working-hours"), "2028-01-04 09:00");
    assert_eq!(due("2027-12-24 10:00", "10 days"), "2028-01-04 17:00");
    assert_eq!(due("2024-12-31 10:00", "1 days"), "2025-01-02 17:00");
}

#[test]
fn every_start_rule() {
    // Monday 2 March 2026, an ordinary week.
    for (received, expected) in [
        ("2026-03-02 06:00", "2026-03-02 08:00"),
        ("2026-03-02 07:59:59", "2026-03-02 08:00"),
        ("2026-03-02 08:00", "2026-03-02 08:00"),
        ("2026-03-02 11:59", "2026-03-02 11:59"),
        ("2026-03-02 12:00", "2026-03-02 13:00"),
        ("2026-03-02 12:45", "2026-03-02 13:00"),
        ("2026-03-02 13:00", "2026-03-02 13:00"),
        ("2026-03-02 16:59", "2026-03-02 16:59"),
        ("2026-03-02 17:00", "2026-03-03 08:00"),
        ("2026-03-02 23:59", "2026-03-03 08:00"),
        ("2026-03-06 17:00", "2026-03-09 08:00"),
        ("2026-03-07 10:00", "2026-03-09 08:00"),
        ("2026-03-08 23:00", "2026-03-09 08:00"),
        ("2026-04-30 10:00", "2026-05-04 08:00"),
        ("2026-04-26 10:00", "2026-04-28 08:00"),
        ("2026-11-23 17:00", "2026-11-25 08:00"),
    ] {
        assert_eq!(start(received), expected, "received {received}");
        let inside = received == expected;
        assert_eq!(CAL.is_office_time(at(received)), inside, "received {received}");
    }
    let line = |received| explain(received, "1 working-days")[1].clone();
    assert_eq!(
        line("2026-03-02 06:00"),
        "Tiếp nhận 2026-03-02 06:00 trước giờ mở cửa (08:00): bắt đầu tính từ 2026-03-02 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        line("2026-03-02 12:00"),
        "Tiếp nhận 2026-03-02 12:00 trong giờ nghỉ giữa hai buổi làm việc (12:00–13:00): bắt đầu tính từ 2026-03-02 13:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        line("2026-03-02 17:00"),
        "Tiếp nhận 2026-03-02 17:00 sau giờ hành chính: bắt đầu tính từ 2026-03-03 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        line("2026-03-07 10:00"),
        "Tiếp nhận 2026-03-07 10:00 vào ngày nghỉ (Thứ Bảy: nghỉ cuối tuần): bắt đầu tính từ 2026-03-09 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(
        line("2026-04-30 10:00"),
        "Tiếp nhận 2026-04-30 10:00 vào ngày nghỉ (Thứ Năm: nghỉ — Ngày Chiến thắng): bắt đầu tính từ 2026-05-04 08:00 (giờ mở cửa tiếp theo)"
    );
    assert_eq!(line("2026-03-02 09:30"), "Tiếp nhận trong giờ hành chính: bắt đầu tính ngay từ 2026-03-02 09:30");
}

#[test]
fn working_hours_across_lunch_and_nights() {
    for (received, limit, expected) in [
        ("2026-03-02 11:00", "2 working-hours", "2026-03-02 14:00"),
        ("2026-03-02 11:30", "0.5 working-hours", "2026-03-02 12:00"),
        ("2026-03-02 11:30", "1 working-hours", "2026-03-02 13:30"),
        ("2026-03-02 12:15", "1 working-hours", "2026-03-02 14:00"),
        ("2026-03-02 16:00", "2 working-hours", "2026-03-03 09:00"),
        ("2026-03-02 16:30", "8 working-hours", "2026-03-03 16:30"),
        ("2026-03-02 08:00", "4 working-hours", "2026-03-02 12:00"),
        ("2026-03-02 08:00", "8 working-hours", "2026-03-02 17:00"),
        ("2026-03-02 08:00", "9 working-hours", "2026-03-03 09:00"),
        ("2026-03-06 16:00", "2 working-hours", "2026-03-09 09:00"),
        ("2026-03-02 08:00", "1 working-days", "2026-03-02 17:00"),
        ("2026-03-02 09:30", "1 working-days", "2026-03-03 09:30"),
        ("2026-03-02 09:30", "20 working-days", "2026-03-30 09:30"),
        ("2026-03-02 08:00", "1.5 working-days", "2026-03-03 12:00"),
        ("2026-03-02 08:00", "0.5 working-days", "2026-03-02 12:00"),
        ("2026-03-02 10:00", "0.5 working-days", "2026-03-02 15:00"),
        ("2026-03-02 13:00", "0.5 working-days", "2026-03-02 17:00"),
        ("2026-03-02 14:00", "0.5 working-days", "2026-03-03 09:00"),
        ("2026-03-02 12:30", "0 working-days", "2026-03-02 13:00"),
        ("2026-03-02 10:00", "0 working-hours", "2026-03-02 10:00"),
    ] {
        assert_eq!(due(received, limit), expected, "{received} + {limit}");
    }
    assert_eq!(minutes("2026-03-02 09:00", "2026-03-02 14:00"), 240);
    assert_eq!(minutes("2026-03-02 08:00", "2026-03-03 08:00"), 480);
    assert_eq!(minutes("2026-03-02 12:00", "2026-03-02 13:00"), 0);
    assert_eq!(minutes("2026-03-03 08:00", "2026-03-02 08:00"), 0);
    assert_eq!(minutes("2026-03-02 08:00", "2026-03-02 08:00"), 0);
    assert_eq!(show(CAL.add_working_minutes(at("2026-03-02 11:50"), 10)), "2026-03-02 12:00");
    assert_eq!(show(CAL.add_working_minutes(at("2026-03-02 11:50"), 11)), "2026-03-02 13:01");
    assert_eq!(show(CAL.add_working_minutes(at("2026-03-02 12:00"), 0)), "2026-03-02 13:00");
    let lines = explain("2026-03-02 08:00", "0.5 working-days");
    assert!(has(&lines, "Thời hạn: 0,5 ngày làm việc = 4 giờ làm việc (240 phút; 1 ngày làm việc = 8 giờ làm việc)"));
}

#[test]
fn calendar_days() {
    for (received, limit, expected) in [
        ("2026-03-02 10:00", "4 days", "2026-03-06 17:00"),
        ("2026-03-02 10:00", "5 days", "2026-03-09 17:00"),
        ("2026-03-02 10:00", "6 days", "2026-03-09 17:00"),
        ("2026-03-02 10:00", "7 days", "2026-03-09 17:00"),
        ("2026-03-02 10:00", "0 days", "2026-03-02 17:00"),
        ("2026-03-02 10:00", "1.5 days", "2026-03-04 17:00"),
        ("2026-03-07 10:00", "5 days", "2026-03-16 17:00"),
        ("2026-03-06 17:30", "1 days", "2026-03-10 17:00"),
        ("2026-04-20 10:00", "10 days", "2026-05-04 17:00"),
        ("2026-04-20 10:00", "15 days", "2026-05-05 17:00"),
    ] {
        assert_eq!(due(received, limit), expected, "{received} + {limit}");
    }
    let lines = explain("2026-03-02 10:00", "5 days");
    assert!(has(&lines, "2026-03-07 (Thứ Bảy): nghỉ cuối tuần"));
    assert!(has(&lines, "2026-03-08 (Chủ Nhật): nghỉ cuối tuần"));
    assert!(has(
        &lines,
        "Ngày cuối cùng 2026-03-07 (Thứ Bảy) là ngày nghỉ: thời hạn kết thúc lúc 17:00 ngày làm việc tiếp theo 2026-03-09 (Thứ Hai)"
    ));
    assert_eq!(
        explain("2026-03-07 10:00", "5 days"),
        [
            "Tiếp nhận: 2026-03-07 10:00 (Thứ Bảy)",
            "Tiếp nhận 2026-03-07 10:00 vào ngày nghỉ (Thứ Bảy: nghỉ cuối tuần): bắt đầu tính từ 2026-03-09 08:00 (giờ mở cửa tiếp theo)",
            "2026-03-07 (Thứ Bảy): nghỉ cuối tuần",
            "2026-03-08 (Chủ Nhật): nghỉ cuối tuần",
            "Thời hạn: 5 ngày theo lịch, không tính ngày bắt đầu 2026-03-09, ngày nghỉ trong khoảng vẫn được tính: ngày cuối cùng là 2026-03-14 (Thứ Bảy)",
            "2026-03-14 (Thứ Bảy): nghỉ cuối tuần",
            "2026-03-15 (Chủ Nhật): nghỉ cuối tuần",
            "Ngày cuối cùng 2026-03-14 (Thứ Bảy) là ngày nghỉ: thời hạn kết thúc lúc 17:00 ngày làm việc tiếp theo 2026-03-16 (Thứ Hai)",
            "Hạn giải quyết: 2026-03-16 17:00 (Thứ Hai)",
        ]
    );
    let lines = explain("2026-03-02 10:00", "1.5 days");
    assert!(lines[2].starts_with("Thời hạn: 1,5 ngày, làm tròn lên 2 ngày theo lịch"), "{}", lines[2]);
    let lines = explain("2026-04-20 10:00", "15 days");
    assert!(!lines.iter().any(|l| l.contains("2026-04-30")), "holidays inside the period count: {lines:#?}");
    assert!(has(
        &lines,
        "Ngày cuối cùng 2026-05-05 (Thứ Ba) là ngày làm việc: thời hạn kết thúc lúc 17:00 (hết giờ hành chính) ngày đó"
    ));
}

#[test]
fn months_with_end_of_month_clamping() {
    for (received, limit, expected) in [
        ("2024-01-31 10:00", "1 months", "2024-02-29 17:00"),
        ("2028-01-31 10:00", "1 months", "2028-02-29 17:00"),
        ("2029-01-31 10:00", "1 months", "2029-02-28 17:00"),
        ("2026-01-30 10:00", "1 months", "2026-03-02 17:00"),
        ("2026-03-31 10:00", "1 months", "2026-05-04 17:00"),
        ("2025-10-31 10:00", "4 months", "2026-03-02 17:00"),
        ("2024-02-29 10:00", "12 months", "2025-02-28 17:00"),
        ("2026-01-31 10:00", "1 months", "2026-03-02 17:00"),
        ("2026-03-02 10:00", "0.5 months", "2026-04-02 17:00"),
        ("2026-03-02 10:00", "0 months", "2026-03-02 17:00"),
    ] {
        assert_eq!(due(received, limit), expected, "{received} + {limit}");
    }
    let lines = explain("2024-01-31 10:00", "1 months");
    assert!(has(
        &lines,
        "Thời hạn: 1 tháng tính từ 2024-01-31: tháng 2024-02 không có ngày 31 nên ngày cuối cùng là ngày cuối tháng 2024-02-29 (Thứ Năm)"
    ));
    let lines = explain("2026-01-15 10:00", "1 months");
    assert!(has(
        &lines,
        "Thời hạn: 1 tháng tính từ 2026-01-15: ngày cuối cùng là ngày tương ứng 2026-02-15 (Chủ Nhật)"
    ));
    assert!(has(
        &lines,
        "Ngày cuối cùng 2026-02-15 (Chủ Nhật) là ngày nghỉ: thời hạn kết thúc lúc 17:00 ngày làm việc tiếp theo 2026-02-23 (Thứ Hai)"
    ));
    let lines = explain("2026-03-02 10:00", "0.5 months");
    assert!(lines[2].starts_with("Thời hạn: 0,5 tháng, làm tròn lên 1 tháng"), "{}", lines[2]);
}

#[test]
fn hand_over_to_the_agency() {
    for (received, expected) in [
        ("2026-03-02 07:00", "2026-03-02 17:00"),
        ("2026-03-02 14:59", "2026-03-02 17:00"),
        ("2026-03-02 15:00", "2026-03-02 17:00"),
        ("2026-03-02 15:01", "2026-03-03 17:00"),
        ("2026-03-02 17:30", "2026-03-03 17:00"),
        ("2026-03-06 15:30", "2026-03-09 17:00"),
        ("2026-03-07 09:00", "2026-03-09 17:00"),
        ("2026-04-29 16:00", "2026-05-04 17:00"),
    ] {
        assert_eq!(handover(received), expected, "received {received}");
    }
    let late = CAL.handover_due(at("2026-03-02 15:30"), time(16, 0, 0, 0));
    assert_eq!(show(late), "2026-03-02 17:00", "a later cutoff keeps it the same day");
}

#[test]
fn local_time_and_formatting() {
    let t = at("2026-02-24 09:30");
    assert_eq!(CAL.format_local(t), "2026-02-24T09:30:00+07:00");
    assert_eq!(t.to_string(), "2026-02-24T02:30:00Z");
    assert_eq!(CAL.local(t), date(2026, 2, 24).at(9, 30, 0, 0));
    assert_eq!(CAL.format_local(CAL.due_at(t, TimeLimit::new(1, TimeUnit::Days))), "2026-02-25T17:00:00+07:00");
    assert_eq!(CAL.local("2026-02-23T17:00:00Z".parse().unwrap()), date(2026, 2, 24).at(0, 0, 0, 0));
}
