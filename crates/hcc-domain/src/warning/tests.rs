use super::*;
use crate::calendar::OfficeHours;

/// Office hours 08:00–12:00, 13:00–17:00 local (UTC+7), weekends off, 2026-03-06 (Friday) a holiday.
fn cal() -> WorkingCalendar {
    let holiday = jiff::civil::date(2026, 3, 6);
    WorkingCalendar::new(OfficeHours::default(), [(holiday, "Nghỉ lễ".to_owned())], std::iter::empty())
}

/// A local (UTC+7) instant.
fn at(s: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = s.parse().expect("a test instant");
    jiff::tz::Offset::constant(7).to_timestamp(dt).expect("in range")
}

const POLICY: WarningPolicy =
    WarningPolicy { due_soon_minutes: 480, escalate_after_minutes: 480, apology_extra_minutes: 960 };

#[test]
fn warnings_earned_around_a_due_time() {
    use WarningKind::*;
    // Due Tuesday 2026-03-03 10:00.
    let due = at("2026-03-03T10:00");
    let cases: &[(&str, &[WarningKind])] = &[
        // More than a working day ahead: nothing.
        ("2026-03-02T09:59", &[]),
        ("2026-03-02T08:00", &[]),
        // Exactly one working day ahead, and less: due soon.
        ("2026-03-02T10:00", &[DueSoon]),
        ("2026-03-02T16:59", &[DueSoon]),
        // The evening before counts from the next opening: 2 working hours left.
        ("2026-03-02T20:00", &[DueSoon]),
        ("2026-03-03T10:00", &[DueSoon]),
        // A minute late: overdue, not yet escalated.
        ("2026-03-03T10:01", &[Overdue]),
        ("2026-03-04T09:59", &[Overdue]),
        // A full working day late: escalated too.
        ("2026-03-04T10:00", &[Overdue, Escalated]),
        ("2026-03-20T10:00", &[Overdue, Escalated]),
    ];
    for (now, want) in cases {
        assert_eq!(earned(due, at(now), &cal(), &POLICY), *want, "at {now}");
    }
}

#[test]
fn days_off_do_not_count_towards_warnings_or_escalation() {
    use WarningKind::*;
    // Due Monday 2026-03-09 09:00; the Friday before is a holiday, then the weekend.
    let due = at("2026-03-09T09:00");
    // Thursday 16:00: one working hour Thursday + one Monday = 2 hours < 1 day → due soon.
    assert_eq!(earned(due, at("2026-03-05T16:00"), &cal(), &POLICY), vec![DueSoon]);
    // Wednesday 10:00: 7 h Wed, 8 h Thu, 1 h Mon: not yet.
    assert!(earned(due, at("2026-03-04T10:00"), &cal(), &POLICY).is_empty());
    // Due Thursday 17:00, now Monday 09:00: only one working day (Thursday's 16:00–17:00 skipped
    // nothing) → 1 h Monday (08:00–09:00)… the holiday and weekend do not escalate.
    let due = at("2026-03-05T17:00");
    assert_eq!(earned(due, at("2026-03-09T09:00"), &cal(), &POLICY), vec![Overdue]);
    assert_eq!(earned(due, at("2026-03-09T17:00"), &cal(), &POLICY), vec![Overdue, Escalated]);
}

#[test]
fn an_immediate_escalation_policy_escalates_with_the_first_late_minute() {
    let policy = WarningPolicy { escalate_after_minutes: 0, ..POLICY };
    let due = at("2026-03-03T10:00");
    assert_eq!(
        earned(due, at("2026-03-03T10:01"), &cal(), &policy),
        vec![WarningKind::Overdue, WarningKind::Escalated]
    );
    assert_eq!(earned(due, at("2026-03-03T10:00"), &cal(), &policy), vec![WarningKind::DueSoon]);
}

#[test]
fn the_horizon_covers_every_step_that_earns_due_soon() {
    let cal = cal();
    for now in ["2026-03-02T10:00", "2026-03-02T12:30", "2026-03-02T20:00", "2026-03-05T16:00", "2026-03-07T09:00"] {
        let now = at(now);
        let h = horizon(now, &cal, &POLICY);
        // Just inside: earns something; just past: nothing.
        assert!(!earned(h - jiff::SignedDuration::from_mins(1), now, &cal, &POLICY).is_empty());
        assert!(earned(h + jiff::SignedDuration::from_mins(1), now, &cal, &POLICY).is_empty());
    }
}

#[test]
fn kinds_round_trip_and_go_to_the_right_people() {
    for k in WarningKind::ALL {
        assert_eq!(WarningKind::parse(k.as_str()), Some(k));
        assert!(!k.label_vi().is_empty());
    }
    assert_eq!(WarningKind::parse("late"), None);
    assert_eq!(WarningKind::DueSoon.audience(), Audience::Handlers);
    assert_eq!(WarningKind::Overdue.audience(), Audience::Handlers);
    assert_eq!(WarningKind::Escalated.audience(), Audience::Supervisors);
}

#[test]
fn the_proposed_appointment_follows_the_missed_one_in_working_time() {
    let cal = cal();
    // Due Thursday 2026-03-05 15:00, two working days more (Friday is a holiday): Tuesday 15:00.
    let due = at("2026-03-05T15:00");
    assert_eq!(proposed_new_appointment(due, at("2026-03-05T09:00"), &cal, &POLICY), at("2026-03-10T15:00"));
    // Already missed: counted from now.
    assert_eq!(proposed_new_appointment(due, at("2026-03-09T10:00"), &cal, &POLICY), at("2026-03-11T10:00"));
    assert!(appointment_at_risk(due, at("2026-03-05T09:00"), &cal, &POLICY));
    assert!(appointment_at_risk(due, at("2026-03-09T10:00"), &cal, &POLICY));
    assert!(!appointment_at_risk(due, at("2026-03-03T09:00"), &cal, &POLICY));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the instants and the policy: a step is either not yet due (at most "due soon")
        /// or late (overdue, then maybe escalated), escalation never comes without lateness, and
        /// more lateness never takes a warning back.
        #[test]
        fn warnings_are_consistent(
            due_min in 0i64..60 * 24 * 40,
            delta_min in -60i64 * 24 * 20..60 * 24 * 20,
            more_min in 0i64..60 * 24 * 10,
            soon in 0u64..3000,
            escalate in 0u64..3000,
        ) {
            let cal = cal();
            let policy = WarningPolicy { due_soon_minutes: soon, escalate_after_minutes: escalate, apology_extra_minutes: 480 };
            let due = at("2026-03-02T00:00") + jiff::SignedDuration::from_mins(due_min);
            let now = due + jiff::SignedDuration::from_mins(delta_min);
            let got = earned(due, now, &cal, &policy);
            prop_assert!(!(got.contains(&WarningKind::DueSoon) && got.contains(&WarningKind::Overdue)));
            prop_assert_eq!(got.contains(&WarningKind::Overdue), now > due);
            if got.contains(&WarningKind::Escalated) {
                prop_assert!(got.contains(&WarningKind::Overdue));
            }
            if now > due {
                let later = earned(due, now + jiff::SignedDuration::from_mins(more_min), &cal, &policy);
                for k in &got {
                    prop_assert!(later.contains(k), "{:?} taken back", k);
                }
            }
            let proposed = proposed_new_appointment(due, now, &cal, &policy);
            // The proposal gives exactly the policy's working time past the later of the two.
            prop_assert_eq!(cal.working_minutes_between(cal.clock_start(due.max(now)), proposed), 480);
            prop_assert!(proposed > due.max(now));
        }
    }
}
