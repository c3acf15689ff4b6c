//! The supervision counters: maintained with every write, they agree with a rebuild from the
//! control sheets after a random mix of transitions (with concurrent stale writes that lose).

use super::*;
use hcc_domain::lifecycle::{DocumentFacts, PauseKind, ReturnMethod, Transition};

/// A small deterministic generator (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The test procedure, reachable online too, with extensions and two new dates allowed.
fn flexible() -> Procedure {
    let mut p = procedure();
    let mut online = p.channels[0].clone();
    online.kind = Channel::Online;
    online.time_limit = Some(TimeLimit::new(3, TimeUnit::WorkingDays));
    p.channels[0].time_limit = Some(TimeLimit::new(2, TimeUnit::WorkingDays));
    p.channels.push(online);
    p.extension_cap = Some(TimeLimit::new(2, TimeUnit::WorkingDays));
    p.max_new_appointments = 2;
    p
}

fn result_doc() -> DocumentFacts {
    DocumentFacts {
        id: None,
        item_no: None,
        sha256: "a".repeat(64),
        file_name: "Kết quả.pdf".into(),
        media_type: "application/pdf".into(),
        size: 10,
        pages: Some(1),
        copy_kind: lifecycle::CopyKind::Electronic,
        reused_from: None,
    }
}

fn random_action(rng: &mut Lcg, d: &DossierRecord, now: Timestamp) -> Action {
    let other = if d.state.agency_code == AGENCY { OTHER_AGENCY } else { AGENCY };
    let text = || "Lý do".to_owned();
    // Endings are rarer than steps, so most dossiers live long enough to move.
    let pick = rng.next(60);
    if pick >= 15 {
        return match pick % 12 {
            0 | 1 => Action::Receive { note: String::new() },
            2 | 3 => Action::Assign {
                assignee: StaffRef {
                    user_id: 0,
                    username: "cv".into(),
                    role: Role::Specialist,
                    agency: Some(d.state.agency_code.clone()),
                },
                note: String::new(),
            },
            4 => Action::ReceiveSupplement { note: String::new() },
            5 => Action::Resume { note: String::new() },
            6 => Action::Approve { note: String::new() },
            7 => Action::AttachResult { document: result_doc() },
            8 => Action::MarkResultReady { note: String::new() },
            9 => Action::ReturnResult { method: ReturnMethod::Counter, note: String::new(), signature_sha256: None },
            10 => Action::RequestSupplement { items: vec!["Đơn".into()], reason: text() },
            _ => Action::Forward { agency_code: other.into(), note: text() },
        };
    }
    match pick {
        0 => Action::Receive { note: String::new() },
        1 => Action::RefuseReceipt { reasons: text() },
        2 => Action::RequestSupplement { items: vec!["Đơn".into()], reason: text() },
        3 | 4 => Action::ReceiveSupplement { note: String::new() },
        5 => Action::Assign {
            assignee: StaffRef {
                user_id: 0,
                username: "cv".into(),
                role: Role::Specialist,
                agency: Some(d.state.agency_code.clone()),
            },
            note: String::new(),
        },
        6 => Action::Forward { agency_code: other.into(), note: text() },
        7 => Action::Approve { note: String::new() },
        8 => Action::RefuseToSettle { reasons: text(), legal_basis: "Luật Đất đai".into() },
        9 => Action::Pause { kind: PauseKind::FinancialObligation, reason: text() },
        10 => Action::Resume { note: String::new() },
        11 => Action::Extend { limit: TimeLimit::new(1, TimeUnit::WorkingDays), reason: text() },
        12 => Action::Apologize { new_due_at: now + jiff::SignedDuration::from_hours(24 * 9), reason: text() },
        13 => Action::AttachResult { document: result_doc() },
        14 => Action::MarkResultReady { note: String::new() },
        15 => Action::ReturnResult { method: ReturnMethod::Counter, note: String::new(), signature_sha256: None },
        16 => Action::Withdraw { reason: text() },
        _ => Action::Stop { reasons: text() },
    }
}

/// Decides `action` as the first staff member allowed to take it.
fn decide_as_anyone(d: &DossierRecord, action: &Action, now: Timestamp) -> Option<(Transition, Actor)> {
    let p = flexible();
    let cal = calendar();
    let involved = vec![AGENCY.to_owned(), OTHER_AGENCY.to_owned()];
    let staff = [
        actor(7, Role::Leader, Some(&d.state.agency_code), None),
        actor(8, Role::Specialist, Some(&d.state.agency_code), None),
        actor(1, Role::Reception, None, Some(POINT)),
        actor(9, Role::Supervisor, None, None),
    ];
    staff.into_iter().find_map(|who| {
        let ctx = Context { procedure: &p, calendar: &cal, actor: &who, involved_agencies: &involved, now };
        lifecycle::decide(&d.state, action, &ctx).ok().map(|mut tr| {
            tr.state.assignee = None; // no such user row in this test
            (tr, who)
        })
    })
}

fn dossier_of(rng: &mut Lcg, at: Timestamp, i: usize) -> NewDossier {
    let mut nd = new_dossier(at, &format!("Người {i}"), None);
    let online = rng.next(2) == 0;
    let channel = if online { Channel::Online } else { Channel::Counter };
    let (state, event) = lifecycle::open(&flexible(), channel, POINT, AGENCY, !online, &calendar(), at).unwrap();
    nd.state = state;
    nd.events[0].0 = event;
    nd
}

#[tokio::test]
async fn maintained_counters_agree_with_a_rebuild_from_the_control_sheets() {
    each(async |b| {
        let s = &b.store;
        let mut rng = Lcg(0x5eed);
        let mut now = monday_morning();
        let mut dossiers = Vec::new();
        for i in 0..30 {
            let (d, _) = s.create_dossier(dossier_of(&mut rng, now, i), now).await.unwrap();
            dossiers.push(d);
            now += jiff::SignedDuration::from_mins(37);
        }
        let mut applied = 0;
        let mut conflicts = 0;
        for round in 0..1500 {
            now += jiff::SignedDuration::from_mins(rng.next(240) as i64 + 1);
            let open: Vec<usize> = (0..dossiers.len()).filter(|i| !dossiers[*i].state.status.is_final()).collect();
            if open.is_empty() {
                break;
            }
            let k = open[rng.next(open.len() as u64) as usize];
            let d = dossiers[k].clone();
            let Some((tr, who)) = decide_as_anyone(&d, &random_action(&mut rng, &d, now), now) else { continue };
            if round % 7 == 0 {
                // Two writers read the same version: one wins, the other's counters never land.
                let second = decide_as_anyone(&d, &random_action(&mut rng, &d, now), now);
                if let Some((tr2, who2)) = second {
                    let (a1, a2) = (event_actor(&who), event_actor(&who2));
                    let (r1, r2) = tokio::join!(
                        s.apply_transition(&d, &tr.state, &tr.event, &a1, now),
                        s.apply_transition(&d, &tr2.state, &tr2.event, &a2, now),
                    );
                    assert_eq!([&r1, &r2].iter().filter(|r| r.is_ok()).count(), 1, "{}", b.name);
                    assert!([&r1, &r2].iter().any(|r| matches!(r, Err(StoreError::Conflict))), "{}", b.name);
                    conflicts += 1;
                    applied += 1;
                    dossiers[k] = s.get_dossier(&d.code).await.unwrap().unwrap();
                    continue;
                }
            }
            dossiers[k] = s.apply_transition(&d, &tr.state, &tr.event, &event_actor(&who), now).await.unwrap();
            applied += 1;
        }
        assert!(applied > 150 && conflicts > 5, "{}: {applied} applied, {conflicts} races", b.name);

        let check = s.rebuild_stats(false).await.unwrap();
        assert!(check.agreed(), "{}: {:?}", b.name, check.differences);
        assert!(!check.written);
        assert_eq!(check.dossiers, 30);

        // The figures mean what they say: summed over all days, per measure.
        let all = StatsQuery {
            from: jiff::civil::date(2026, 1, 1),
            to: jiff::civil::date(2027, 12, 31),
            agency: None,
            fields: vec![],
        };
        let rows = s.stats_rows(&all).await.unwrap();
        let sum = |m: &str| rows.iter().filter(|r| r.measure == m).map(|r| r.n).sum::<i64>();
        let finals = |st: &str| dossiers.iter().filter(|d| d.state.status.as_str() == st).count() as i64;
        assert_eq!(sum("submitted"), 30, "{}", b.name);
        assert_eq!(sum("received"), dossiers.iter().filter(|d| d.state.received_at.is_some()).count() as i64);
        for st in ["returned", "withdrawn", "refused", "stopped"] {
            assert_eq!(sum(st), finals(st), "{}: {st}", b.name);
        }
        let settled = sum("settled_early") + sum("settled_on_time") + sum("settled_late");
        let handled = dossiers
            .iter()
            .filter(|d| d.state.handled_at.is_some() && d.state.received_at.is_some())
            .filter(|d| !d.state.status.eq(&hcc_domain::status::Status::Withdrawn) || d.state.approved)
            .count() as i64;
        assert!(settled <= handled && settled > 0, "{}: settled {settled}, handled {handled}", b.name);
        // Each settlement carries its handling time (office time from receipt), for the average.
        assert!(sum("handling_minutes") > 0, "{}", b.name);

        // The index judges the dossiers still being handled at a period's end: the store's count
        // and list agree with the rule applied to the dossiers here, at instants across the history.
        let late_at = |d: &DossierRecord, end: Timestamp| -> bool {
            let st = &d.state;
            let (Some(received), Some(due)) = (st.received_at, st.original_due_at.or(st.due_at)) else {
                return false;
            };
            let handling_then = match st.handled_at {
                None => matches!(st.status.as_str(), "received" | "in_progress" | "supplement_requested" | "paused"),
                Some(h) => h >= end && h > due,
            };
            let stopped_in_time = st.clock_stopped_at.is_some_and(|c| c < end && c <= due);
            handling_then && received < end && due < end && st.finished_at.is_none_or(|f| f >= end) && !stopped_in_time
        };
        let start = monday_morning();
        let mut judged_late = 0;
        for k in 0..=24i32 {
            let end = start + now.duration_since(start) * k / 24;
            let want: Vec<i64> = dossiers.iter().filter(|d| late_at(d, end)).map(|d| d.id).collect();
            let n = s.late_open_count(end, &None).await.unwrap();
            assert_eq!(n, want.len() as i64, "{}: late and open at {end}", b.name);
            let mut listed: Vec<i64> = s
                .list_dossiers(&DossierQuery { late_open_at: Some(end), limit: 200, ..Default::default() })
                .await
                .unwrap()
                .items
                .iter()
                .map(|d| d.id)
                .collect();
            listed.sort();
            assert_eq!(listed, want, "{}: the list behind the count at {end}", b.name);
            let own: Vec<&DossierRecord> = dossiers.iter().filter(|d| d.state.agency_code == AGENCY).collect();
            let n_own = s.late_open_count(end, &Some(AGENCY.to_owned())).await.unwrap();
            assert_eq!(n_own, own.iter().filter(|d| late_at(d, end)).count() as i64, "{}", b.name);
            judged_late += n;
        }
        assert!(judged_late > 0, "{}: the history has late dossiers being handled", b.name);

        // The monthly rollup (whole months) answers what the daily counters answer, city-wide and
        // within one agency; a period of days reads the daily counters.
        for agency in [None, Some(AGENCY.to_owned()), Some(OTHER_AGENCY.to_owned())] {
            let q = StatsQuery { agency: agency.clone(), ..all.clone() };
            let fine = s.stats_rows(&q).await.unwrap();
            for dim in StatDim::ALL {
                let mut want: std::collections::BTreeMap<(String, String), i64> = Default::default();
                for r in &fine {
                    let value = match dim {
                        StatDim::Total => String::new(),
                        StatDim::Agency => r.agency_code.clone(),
                        StatDim::Field => r.field.clone(),
                        StatDim::Procedure => r.procedure_code.clone(),
                        StatDim::Point => r.point_code.clone(),
                        StatDim::Channel => r.channel.clone(),
                    };
                    *want.entry((value, r.measure.clone())).or_default() += r.n;
                }
                let got: std::collections::BTreeMap<(String, String), i64> =
                    s.stats_by(&q, dim).await.unwrap().into_iter().map(|r| ((r.value, r.measure), r.n)).collect();
                assert_eq!(got, want, "{}: {dim:?} {agency:?}", b.name);
            }
        }
        let days = StatsQuery { from: jiff::civil::date(2026, 3, 2), ..all.clone() };
        let by_day: i64 = s.stats_by(&days, StatDim::Total).await.unwrap().iter().map(|r| r.n).sum();
        assert_eq!(by_day, rows.iter().map(|r| r.n).sum::<i64>(), "{}: everything happened from 2 March", b.name);

        // Any period (ragged at both ends, across months) read from the rollups — whole months
        // monthly, the ends daily — answers what the daily counters answer for the same days.
        let mut prng = Lcg(99);
        let days_of = |n: u64| jiff::Span::new().days(n as i64);
        // (Forty periods: edges that cover most of a finished month are read as the month less
        // its other days, and some of these periods have such edges.)
        for _ in 0..40 {
            let from = jiff::civil::date(2026, 1, 1).checked_add(days_of(prng.next(150))).unwrap();
            let to = from.checked_add(days_of(prng.next(200))).unwrap();
            for agency in [None, Some(AGENCY.to_owned())] {
                let q = StatsQuery { from, to, agency: agency.clone(), fields: vec![] };
                let fine = s.stats_rows(&q).await.unwrap();
                for dim in [StatDim::Total, StatDim::Agency, StatDim::Procedure] {
                    let mut want: std::collections::BTreeMap<(String, String), i64> = Default::default();
                    for r in &fine {
                        let value = match dim {
                            StatDim::Total => String::new(),
                            StatDim::Agency => r.agency_code.clone(),
                            _ => r.procedure_code.clone(),
                        };
                        *want.entry((value, r.measure.clone())).or_default() += r.n;
                    }
                    let got: std::collections::BTreeMap<(String, String), i64> =
                        s.stats_by(&q, dim).await.unwrap().into_iter().map(|r| ((r.value, r.measure), r.n)).collect();
                    assert_eq!(got, want, "{}: {from}..{to} {dim:?} {agency:?}", b.name);
                }
            }
        }

        // Officers: the settlements credited to the assignees are settlements of their agency's
        // dossiers (never more), and each has a handling time.
        let officers = s.officer_stats(all.from, all.to, &None).await.unwrap();
        let credited = |m: &str| officers.iter().filter(|r| r.measure == m).map(|r| r.n).sum::<i64>();
        let settled_by_officers = credited("settled_early") + credited("settled_on_time") + credited("settled_late");
        assert!(settled_by_officers > 0 && settled_by_officers <= settled, "{}: {officers:?}", b.name);
        assert!(officers.iter().all(|r| r.value.contains('|')), "{}", b.name);
        let own = s.officer_stats(all.from, all.to, &Some(OTHER_AGENCY.to_owned())).await.unwrap();
        assert!(own.iter().all(|r| r.value.starts_with(&format!("{OTHER_AGENCY}|"))), "{}", b.name);
        let in_hand = s.officers_in_hand(&None).await.unwrap();
        let assigned_open = dossiers
            .iter()
            .filter(|d| d.state.assignee.is_some() && d.state.handled_at.is_none())
            .filter(|d| {
                matches!(
                    d.state.status.as_str(),
                    "received" | "in_progress" | "supplement_requested" | "paused" | "result_ready" | "not_settled"
                )
            })
            .count() as i64;
        assert_eq!(in_hand.iter().map(|r| r.2).sum::<i64>(), assigned_open, "{}", b.name);

        // A counter edited behind the store's back is found, and the rebuild puts it right.
        s.execute_raw("UPDATE stats SET n = n + 5 WHERE measure = 'submitted'").await.unwrap();
        s.execute_raw("UPDATE stats_month SET n = n + 1 WHERE dim = 'point'").await.unwrap();
        s.execute_raw("UPDATE stats_day SET n = n + 1 WHERE dim = 'officer'").await.unwrap();
        let found = s.rebuild_stats(true).await.unwrap();
        assert!(!found.agreed() && found.written, "{}", b.name);
        assert!(s.rebuild_stats(false).await.unwrap().agreed(), "{}", b.name);
        let total = StatsQuery { agency: None, ..all.clone() };
        assert_eq!(
            s.stats_by(&total, StatDim::Point).await.unwrap().iter().map(|r| r.n).sum::<i64>(),
            s.stats_rows(&total).await.unwrap().iter().map(|r| r.n).sum::<i64>(),
            "{}: the rollup was put right too",
            b.name
        );
    })
    .await;
}

/// A leader's view and the watched fields' view read only their rows; the gauges count the open
/// dossiers now.
#[tokio::test]
async fn stats_scopes_and_open_gauges() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let mut rng = Lcg(7);
        for i in 0..3 {
            s.create_dossier(dossier_of(&mut rng, t, i), t).await.unwrap();
        }
        let day = calendar().local(t).date();
        let q = |agency: Option<&str>, fields: Vec<String>| StatsQuery {
            from: day,
            to: day,
            agency: agency.map(Into::into),
            fields,
        };
        let count = |rows: &[StatRow]| rows.iter().filter(|r| r.measure == "submitted").map(|r| r.n).sum::<i64>();
        assert_eq!(count(&s.stats_rows(&q(None, vec![])).await.unwrap()), 3);
        assert_eq!(count(&s.stats_rows(&q(Some(AGENCY), vec![])).await.unwrap()), 3);
        assert_eq!(count(&s.stats_rows(&q(Some(OTHER_AGENCY), vec![])).await.unwrap()), 0);
        assert_eq!(count(&s.stats_rows(&q(None, vec!["Đất đai".into()])).await.unwrap()), 3);
        assert_eq!(count(&s.stats_rows(&q(None, vec!["Xây dựng".into()])).await.unwrap()), 0);
        let next_day =
            StatsQuery { from: day.tomorrow().unwrap(), to: day.tomorrow().unwrap(), agency: None, fields: vec![] };
        assert!(s.stats_rows(&next_day).await.unwrap().is_empty());

        let received = s
            .list_dossiers(&DossierQuery { status: Some("received".into()), limit: 10, ..Default::default() })
            .await
            .unwrap()
            .items;
        let later = t + jiff::SignedDuration::from_hours(24 * 30);
        let gauges = |agency: Option<&str>, fields: Vec<String>| GaugeQuery {
            now: later,
            soon: later + jiff::SignedDuration::from_hours(8),
            stuck_before: later,
            agency: agency.map(Into::into),
            fields,
        };
        let total_of = |rows: &[GaugeRow]| rows.iter().find(|r| r.dim == StatDim::Total).cloned().unwrap_or_default();
        // City-wide from the maintained counts, within the agency from its dossiers, and within
        // the watched fields from the fields' counts: the same open dossiers each time.
        for (agency, fields) in
            [(None, vec![]), (Some(AGENCY), vec![]), (None, vec!["Đất đai".to_owned(), "Xây dựng".to_owned()])]
        {
            let g = s.open_gauges(&gauges(agency, fields.clone())).await.unwrap();
            let total = total_of(&g);
            let why = format!("{} {agency:?} {fields:?}", b.name);
            assert_eq!(total.open, received.len() as i64, "{why}");
            assert_eq!(total.overdue, total.open, "{why}");
            assert_eq!(total.stuck, total.open, "{why}");
            assert_eq!(total.due_soon, 0, "{why}");
            for dim in [StatDim::Agency, StatDim::Field, StatDim::Procedure, StatDim::Point, StatDim::Channel] {
                let rows: Vec<&GaugeRow> = g.iter().filter(|r| r.dim == dim).collect();
                assert_eq!(rows.iter().map(|r| r.open).sum::<i64>(), total.open, "{why} {dim:?}");
                assert_eq!(rows.iter().map(|r| r.overdue).sum::<i64>(), total.overdue, "{why} {dim:?}");
            }
            assert_eq!(g.iter().find(|r| r.dim == StatDim::Agency).map(|r| r.value.as_str()), Some(AGENCY), "{why}");
            assert_eq!(g.iter().find(|r| r.dim == StatDim::Field).map(|r| r.value.as_str()), Some("Đất đai"), "{why}");
        }
        for (agency, fields) in [(Some(OTHER_AGENCY), vec![]), (None, vec!["Xây dựng".to_owned()])] {
            let g = s.open_gauges(&gauges(agency, fields)).await.unwrap();
            assert_eq!(total_of(&g).open, 0, "{}", b.name);
        }
        let phases = s.pilot_phases().await.unwrap();
        assert_eq!(phases.len(), 3);
        assert_eq!(phases[0].starts_on, jiff::civil::date(2024, 10, 1));
        assert_eq!(phases[2].ends_on, None);
    })
    .await;
}
