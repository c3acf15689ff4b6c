use super::*;
use crate::calendar::OfficeHours;

fn cal() -> WorkingCalendar {
    WorkingCalendar::new(OfficeHours::default(), std::iter::empty(), std::iter::empty())
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("a test instant")
}

fn state(status: Status) -> DossierState {
    blank("P1", Channel::Counter, "A1").with_status(status)
}

trait With {
    fn with_status(self, s: Status) -> Self;
}

impl With for DossierState {
    fn with_status(mut self, s: Status) -> Self {
        self.status = s;
        self
    }
}

fn received(mut s: DossierState) -> DossierState {
    s.received_at = Some(ts("2025-03-03T02:00:00Z"));
    s.due_at = Some(ts("2025-03-07T09:00:00Z"));
    s.original_due_at = s.due_at;
    s
}

fn count(d: &[(Measure, i64)], m: Measure) -> i64 {
    d.iter().filter(|(x, _)| *x == m).map(|(_, n)| n).sum()
}

/// Every pair of statuses, with and without receipt and end of handling: a measure of "entering"
/// a status is counted exactly when the status is entered; nothing changes, nothing is counted.
#[test]
fn every_status_pair() {
    let cal = cal();
    let entering = [
        (Status::Refused, Measure::Refused),
        (Status::NotSettled, Measure::NotSettled),
        (Status::Stopped, Measure::Stopped),
        (Status::Returned, Measure::Returned),
        (Status::Withdrawn, Measure::Withdrawn),
        (Status::SupplementRequested, Measure::Supplements),
        (Status::Paused, Measure::Pauses),
    ];
    for from in Status::ALL {
        for to in Status::ALL {
            for rec in [false, true] {
                let mut b = state(from);
                if rec {
                    b = received(b);
                }
                let a = b.clone().with_status(to);
                let d = deltas(Some(&b), &a, &cal);
                for (s, m) in entering {
                    assert_eq!(count(&d, m), i64::from(to == s && from != s), "{from:?} -> {to:?} {m:?}");
                }
                assert_eq!(count(&d, Measure::Submitted), 0);
                assert_eq!(count(&d, Measure::Received), 0, "receipt already counted");
                assert_eq!(
                    count(&d, Measure::HandedOver),
                    i64::from(from == Status::Received && to == Status::InProgress)
                );
                assert_eq!(count(&d, Measure::DigitizedAtReceipt), count(&d, Measure::HandedOver));
                for m in SETTLED {
                    assert_eq!(count(&d, m), 0, "no end of handling, no settled count");
                }
                if from == to {
                    assert!(d.is_empty(), "{from:?}: {d:?}");
                }
                // Every measure in a delta is positive and appears once.
                let mut seen: Vec<Measure> = d.iter().map(|(m, _)| *m).collect();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), d.len());
                assert!(d.iter().all(|(_, n)| *n > 0));
            }
        }
    }
}

#[test]
fn new_dossiers() {
    let cal = cal();
    let online = state(Status::Submitted);
    assert_eq!(deltas(None, &online, &cal), vec![(Measure::Submitted, 1)]);
    let counter = received(state(Status::Received));
    assert_eq!(deltas(None, &counter, &cal), vec![(Measure::Submitted, 1), (Measure::Received, 1)]);
    let later = received(online.clone().with_status(Status::Received));
    assert_eq!(deltas(Some(&online), &later, &cal), vec![(Measure::Received, 1)]);
}

/// The end of handling against the first appointment, with `progress`'s rules.
#[test]
fn settled_classes() {
    let cal = cal();
    let open = received(state(Status::InProgress));
    let end = |at: &str, status: Status, tweak: fn(&mut DossierState)| {
        let mut a = open.clone().with_status(status);
        a.handled_at = Some(ts(at));
        tweak(&mut a);
        deltas(Some(&open), &a, &cal)
    };
    // Due Friday 16:00 local (09:00Z).
    let early = end("2025-03-06T03:00:00Z", Status::InProgress, |_| {});
    assert_eq!(count(&early, Measure::SettledEarly), 1);
    // Received Monday 09:00, handled Thursday 10:00 local: 7 h + 2 × 8 h + 2 h of office time.
    assert_eq!(count(&early, Measure::HandlingMinutes), (7 + 16 + 2) * 60);
    assert_eq!(count(&end("2025-03-07T08:00:00Z", Status::InProgress, |_| {}), Measure::SettledOnTime), 1);
    assert_eq!(count(&end("2025-03-07T09:30:00Z", Status::NotSettled, |_| {}), Measure::SettledLate), 1);
    assert_eq!(count(&end("2025-03-07T09:30:00Z", Status::Stopped, |_| {}), Measure::SettledLate), 1);
    // A new date with an apology does not excuse the delay: judged against the first one.
    let apologized = end("2025-03-10T03:00:00Z", Status::InProgress, |s| {
        s.due_at = Some(ts("2025-03-12T09:00:00Z"));
        s.new_appointments = 1;
    });
    assert_eq!(count(&apologized, Measure::SettledLate), 1);
    // More than one supplement request counts as late, however early.
    let twice = end("2025-03-04T03:00:00Z", Status::InProgress, |s| s.supplement_requests = 2);
    assert_eq!(count(&twice, Measure::SettledLate), 1);
    assert_eq!(count(&twice, Measure::SettledEarly), 0);
    // A withdrawal is counted as such, never as settled.
    let w = end("2025-03-04T03:00:00Z", Status::Withdrawn, |_| {});
    assert_eq!(count(&w, Measure::Withdrawn), 1);
    assert!(SETTLED.iter().all(|m| count(&w, *m) == 0));
    // A refusal at reception has no appointment to be judged against.
    let sub = state(Status::Submitted);
    let mut refused = sub.clone().with_status(Status::Refused);
    refused.handled_at = Some(ts("2025-03-04T03:00:00Z"));
    assert_eq!(deltas(Some(&sub), &refused, &cal), vec![(Measure::Refused, 1)]);
    // Judged once: a later change after the end of handling counts no second settlement.
    let mut handled = open.clone();
    handled.handled_at = Some(ts("2025-03-06T03:00:00Z"));
    let returned = handled.clone().with_status(Status::Returned);
    assert_eq!(deltas(Some(&handled), &returned, &cal), vec![(Measure::Returned, 1)]);
}

#[test]
fn counters_of_changes() {
    let cal = cal();
    let open = received(state(Status::InProgress));
    let mut a = open.clone();
    a.new_appointments = 1;
    a.extension_minutes = 480;
    assert_eq!(deltas(Some(&open), &a, &cal), vec![(Measure::Apologies, 1), (Measure::Extensions, 1)]);
    let rec = received(state(Status::Received));
    let mut waived = rec.clone().with_status(Status::InProgress);
    waived.scan_waived = true;
    assert_eq!(deltas(Some(&rec), &waived, &cal), vec![(Measure::HandedOver, 1)]);
}

/// The replay of a control sheet gives what the live changes gave, row by row.
#[test]
fn replay_follows_the_control_sheet() {
    let cal = cal();
    let due = serde_json::json!({ "due_at": "2025-03-07T09:00:00Z" });
    let none = serde_json::Value::Null;
    let apology = serde_json::json!({ "new_due_at": "2025-03-12T09:00:00Z" });
    let rows = [
        (ActionKind::Receive, Status::Submitted, "2025-03-03T01:00:00Z", Some("A1"), &none),
        (ActionKind::Receive, Status::Received, "2025-03-03T02:00:00Z", Some("A1"), &due),
        (ActionKind::Forward, Status::InProgress, "2025-03-03T03:00:00Z", Some("A2"), &none),
        (ActionKind::RequestSupplement, Status::SupplementRequested, "2025-03-04T03:00:00Z", None, &none),
        (ActionKind::ReceiveSupplement, Status::InProgress, "2025-03-05T03:00:00Z", None, &none),
        (ActionKind::Apologize, Status::InProgress, "2025-03-06T03:00:00Z", None, &apology),
        (ActionKind::Approve, Status::InProgress, "2025-03-10T03:00:00Z", None, &none),
        (ActionKind::ReturnResult, Status::Returned, "2025-03-11T03:00:00Z", None, &none),
    ];
    let mut replay = Replay::new(&cal);
    let steps: Vec<ReplayStep> = rows
        .iter()
        .map(|(action, to, at, handed, details)| {
            replay.step(
                "P1",
                Channel::Online,
                &ReplayEvent { action: *action, to_status: *to, at: ts(at), handed_to: *handed, details },
            )
        })
        .collect();
    let measures: Vec<Vec<(Measure, i64)>> = steps.iter().map(|s| s.deltas.clone()).collect();
    assert_eq!(
        measures,
        vec![
            vec![(Measure::Submitted, 1)],
            vec![(Measure::Received, 1)],
            vec![(Measure::HandedOver, 1), (Measure::DigitizedAtReceipt, 1)],
            vec![(Measure::Supplements, 1)],
            vec![],
            vec![(Measure::Apologies, 1)],
            vec![(Measure::SettledLate, 1), (Measure::HandlingMinutes, 2460)],
            vec![(Measure::Returned, 1)],
        ]
    );
    assert_eq!(steps[2].agency_code, "A2");
    assert_eq!(steps[7].agency_code, "A2");
    assert_eq!(steps[0].day, jiff::civil::date(2025, 3, 3));
}

#[test]
fn rate_and_names() {
    assert_eq!(on_time_rate(0, 0, 0), None);
    assert_eq!(on_time_rate(1, 2, 1), Some(75.0));
    for m in Measure::ALL {
        assert_eq!(Measure::parse(m.as_str()), Some(m));
    }
}

#[test]
fn watched_fields() {
    for f in
        ["Đất đai", "Tài chính đất đai", "Đầu tư tại Việt nam", "Hoạt động xây dựng", "Quy hoạch đô thị và nông thôn"]
    {
        assert!(is_watched_field(f), "{f}");
    }
    for f in ["Nhà ở và công sở", "Kiến trúc", "Hộ tịch"] {
        assert!(!is_watched_field(f), "{f}");
    }
}

fn d(s: &str) -> jiff::civil::Date {
    s.parse().expect("a test date")
}

/// Any period is read as whole months plus the days at either end; the pieces tile the period
/// exactly (no day twice, none missed) and the day pieces stay under two months.
#[test]
fn plan_period_tiles_any_period() {
    let today = d("2026-11-29");
    // Whole months: no days.
    assert_eq!(
        plan_period(d("2026-01-01"), d("2026-03-31"), today),
        PeriodPlan { days: vec![], months: Some((d("2026-01-01"), d("2026-03-31"))), month_less: vec![] }
    );
    // Ragged both ends.
    assert_eq!(
        plan_period(d("2025-11-30"), d("2026-11-15"), d("2027-01-01")),
        PeriodPlan {
            days: vec![(d("2025-11-30"), d("2025-11-30")), (d("2026-11-01"), d("2026-11-15"))],
            months: Some((d("2025-12-01"), d("2026-10-31"))),
            month_less: vec![]
        }
    );
    // Month to date (to today): the current month is whole, nothing after today exists.
    assert_eq!(
        plan_period(d("2026-11-01"), today, today),
        PeriodPlan { days: vec![], months: Some((d("2026-11-01"), d("2026-11-30"))), month_less: vec![] }
    );
    // Within one month, not whole: days only.
    assert_eq!(
        plan_period(d("2026-10-03"), d("2026-10-20"), today),
        PeriodPlan {
            days: vec![],
            months: None,
            month_less: vec![MonthLess {
                month: (d("2026-10-01"), d("2026-10-31")),
                less: vec![(d("2026-10-01"), d("2026-10-02")), (d("2026-10-21"), d("2026-10-31"))]
            }]
        }
    );
    // Across a month boundary, no whole month: days only.
    assert_eq!(
        plan_period(d("2026-09-15"), d("2026-10-20"), today),
        PeriodPlan { days: vec![(d("2026-09-15"), d("2026-10-20"))], months: None, month_less: vec![] }
    );
    // Reversed: nothing.
    assert_eq!(
        plan_period(d("2026-10-03"), d("2026-10-01"), today),
        PeriodPlan { days: vec![], months: None, month_less: vec![] }
    );

    // Exhaustive over a range of starts and ends: every day of the period is covered exactly once,
    // and the daily pieces hold fewer than 62 days.
    let base = d("2025-12-01");
    for a in 0..120 {
        for len in 0..400 {
            let from = base.checked_add(jiff::Span::new().days(a)).unwrap();
            let to = from.checked_add(jiff::Span::new().days(len)).unwrap();
            let p = plan_period(from, to, today);
            let mut covered = Vec::new();
            let mut day_count = 0;
            for (x, y) in &p.days {
                assert!(x <= y, "{from}..{to}: {p:?}");
                let mut c = *x;
                while c <= *y {
                    covered.push(c);
                    day_count += 1;
                    c = c.tomorrow().unwrap();
                }
            }
            if let Some((x, y)) = p.months {
                assert_eq!(x.day(), 1);
                assert_eq!(y, y.last_of_month());
                let mut c = x;
                while c <= y.min(to) {
                    covered.push(c);
                    c = c.tomorrow().unwrap();
                }
                // Beyond `to` only when nothing can have been counted yet.
                assert!(y <= to || to >= today, "{from}..{to}: {p:?}");
            }
            // A month less its other days: the month counts its days once, each day less takes
            // one away; fewer days are read than the ones the month stands for.
            for m in &p.month_less {
                assert!(m.month.1 < today, "{from}..{to}: only a finished month: {p:?}");
                let mut c = m.month.0;
                while c <= m.month.1 {
                    covered.push(c);
                    c = c.tomorrow().unwrap();
                }
                let mut less_days = 0;
                for (x, y) in &m.less {
                    let mut c = *x;
                    while c <= *y {
                        let at = covered.iter().position(|v| *v == c).expect("a day less is a day of the month");
                        covered.remove(at);
                        less_days += 1;
                        c = c.tomorrow().unwrap();
                    }
                }
                assert!(less_days * 2 < i32::from(m.month.1.day()), "{from}..{to}: {p:?}");
                day_count += less_days;
            }
            covered.sort();
            let mut want = Vec::new();
            let mut c = from;
            while c <= to {
                want.push(c);
                c = c.tomorrow().unwrap();
            }
            assert_eq!(covered, want, "{from}..{to}: {p:?}");
            assert!(day_count < 62, "{from}..{to}: {day_count} days from the daily rollup");
        }
    }
}

/// An officer is credited with a settlement in its class and the time it took; nothing else.
#[test]
fn officer_deltas_count_settlements_and_their_time() {
    let mut s = received(state(Status::ResultReady));
    s.handled_at = Some(ts("2025-03-05T02:30:00Z"));
    let got = officer_deltas(&[(Measure::SettledEarly, 1), (Measure::Returned, 1)], &s);
    assert_eq!(got, vec![(OfficerMeasure::SettledEarly, 1), (OfficerMeasure::HandlingMinutes, 2 * 24 * 60 + 30)]);
    assert_eq!(officer_deltas(&[(Measure::SettledLate, 1)], &s)[0], (OfficerMeasure::SettledLate, 1));
    assert_eq!(officer_deltas(&[(Measure::SettledOnTime, 1)], &s)[0], (OfficerMeasure::SettledOnTime, 1));
    assert!(officer_deltas(&[(Measure::Received, 1), (Measure::Supplements, 1)], &s).is_empty());
    assert!(officer_deltas(&[], &s).is_empty());
}

/// The workload's figures: rate and average over settled dossiers, nothing when none.
#[test]
fn workload_figures() {
    let mut w = Workload::default();
    assert_eq!(w.on_time_rate(), None);
    assert_eq!(w.average_hours(), None);
    w.add("settled_early", 2);
    w.add("settled_on_time", 1);
    w.add("settled_late", 1);
    w.add("handling_minutes", 4 * 90);
    w.add("something_new", 99);
    assert_eq!(w.handled(), 4);
    assert_eq!(w.on_time_rate(), Some(75.0));
    assert_eq!(w.average_hours(), Some(1.5));
}

/// The replay credits the officer a dossier was assigned to when its handling ended, and no one
/// after a forward.
#[test]
fn replay_names_the_officer() {
    let c = cal();
    let details = serde_json::json!({"due_at": "2025-03-07T09:00:00Z"});
    let none = serde_json::json!({});
    let ev = |action, to_status, at: &str, handed_to| (action, to_status, ts(at), handed_to);
    let rows = [
        ev(ActionKind::Receive, Status::Received, "2025-03-03T02:00:00Z", Some("A1")),
        ev(ActionKind::Assign, Status::InProgress, "2025-03-03T03:00:00Z", Some("chuyenvien")),
        ev(ActionKind::Approve, Status::ResultReady, "2025-03-04T03:00:00Z", None),
    ];
    let mut r = Replay::new(&c);
    let mut last = None;
    for (i, (action, to, at, h)) in rows.iter().enumerate() {
        let e = ReplayEvent {
            action: *action,
            to_status: *to,
            at: *at,
            handed_to: *h,
            details: if i == 0 { &details } else { &none },
        };
        last = Some(r.step("P1", Channel::Counter, &e));
    }
    let (officer, d) = last.unwrap().officer.expect("the assignee is credited");
    assert_eq!(officer, "chuyenvien");
    assert_eq!(d, vec![(OfficerMeasure::SettledEarly, 1), (OfficerMeasure::HandlingMinutes, 25 * 60)]);

    let mut r = Replay::new(&c);
    let fwd = [
        ev(ActionKind::Receive, Status::Received, "2025-03-03T02:00:00Z", Some("A1")),
        ev(ActionKind::Assign, Status::InProgress, "2025-03-03T03:00:00Z", Some("chuyenvien")),
        ev(ActionKind::Forward, Status::InProgress, "2025-03-03T04:00:00Z", Some("A2")),
        ev(ActionKind::Approve, Status::ResultReady, "2025-03-04T03:00:00Z", None),
    ];
    let mut last = None;
    for (i, (action, to, at, h)) in fwd.iter().enumerate() {
        let e = ReplayEvent {
            action: *action,
            to_status: *to,
            at: *at,
            handed_to: *h,
            details: if i == 0 { &details } else { &none },
        };
        last = Some(r.step("P1", Channel::Counter, &e));
    }
    let last = last.unwrap();
    assert_eq!(last.agency_code, "A2");
    assert!(last.officer.is_none(), "nobody holds it after the forward");
}

/// Reuse is counted once, at the hand-over of a dossier whose sheet records a reused paper; a
/// result returned is counted, online or not; a notice of refusal returned is not a result.
#[test]
fn reuse_and_results_returned_online() {
    let none = serde_json::Value::Null;
    let facts = |action, details, reuses_papers| ChangeFacts { action, details, reuses_papers };
    let (rec, prog) = (received(state(Status::Received)), received(state(Status::InProgress)));
    assert_eq!(
        change_deltas(Some(&rec), &prog, &facts(ActionKind::Assign, &none, true)),
        vec![(Measure::ReusedAtReceipt, 1)]
    );
    assert!(change_deltas(Some(&rec), &prog, &facts(ActionKind::Assign, &none, false)).is_empty());
    assert!(change_deltas(Some(&prog), &prog, &facts(ActionKind::Forward, &none, true)).is_empty(), "once");
    let ready = received(state(Status::ResultReady));
    let returned = received(state(Status::Returned));
    let online = serde_json::json!({"method": "online"});
    let counter = serde_json::json!({"method": "counter"});
    assert_eq!(
        change_deltas(Some(&ready), &returned, &facts(ActionKind::ReturnResult, &online, false)),
        vec![(Measure::ResultsReturned, 1), (Measure::ResultsOnline, 1)]
    );
    assert_eq!(
        change_deltas(Some(&ready), &returned, &facts(ActionKind::ReturnResult, &counter, false)),
        vec![(Measure::ResultsReturned, 1)]
    );
    let refused = received(state(Status::NotSettled));
    assert!(change_deltas(Some(&refused), &returned, &facts(ActionKind::ReturnResult, &online, false)).is_empty());
    // The method as the lifecycle writes it.
    let written = serde_json::json!({ "method": crate::lifecycle::ReturnMethod::Online });
    assert_eq!(written, online);

    // The replay finds the reused paper on the sheet and counts it at the hand-over only.
    let c = cal();
    let reused = serde_json::json!({"sha256": "ab", "file_name": "a.pdf", "media_type": "application/pdf",
                                    "size": 1, "copy_kind": "copy", "reused_from": "X-1 #2"});
    let plain = serde_json::json!({"sha256": "cd", "file_name": "b.pdf", "media_type": "application/pdf",
                                   "size": 1, "copy_kind": "copy"});
    assert!(row_reuses_a_paper(ActionKind::Digitize, &reused));
    assert!(!row_reuses_a_paper(ActionKind::Digitize, &plain));
    assert!(!row_reuses_a_paper(ActionKind::AttachResult, &reused));
    let due = serde_json::json!({"due_at": "2025-03-07T09:00:00Z"});
    let rows: [(ActionKind, Status, &str, Option<&str>, &serde_json::Value); 5] = [
        (ActionKind::Receive, Status::Received, "2025-03-03T02:00:00Z", Some("A1"), &due),
        (ActionKind::Digitize, Status::Received, "2025-03-03T02:10:00Z", None, &plain),
        (ActionKind::Digitize, Status::Received, "2025-03-03T02:20:00Z", None, &reused),
        (ActionKind::Assign, Status::InProgress, "2025-03-03T03:00:00Z", Some("chuyenvien"), &none),
        (ActionKind::Forward, Status::InProgress, "2025-03-03T04:00:00Z", Some("A2"), &none),
    ];
    let mut replay = Replay::new(&c);
    let counted: Vec<i64> = rows
        .iter()
        .map(|(action, to, at, handed, details)| {
            let e = ReplayEvent { action: *action, to_status: *to, at: ts(at), handed_to: *handed, details };
            count(&replay.step("P1", Channel::Counter, &e).deltas, Measure::ReusedAtReceipt)
        })
        .collect();
    assert_eq!(counted, vec![0, 0, 0, 1, 0]);
}
