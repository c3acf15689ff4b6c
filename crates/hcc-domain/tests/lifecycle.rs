//! Property tests of the lifecycle: whatever sequence of actions, by whichever actors, at whatever
//! times, the dossier never reaches an invalid state, the clock never runs while stopped, only the
//! lifecycle's edges are taken, and a finished dossier never changes.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

use hcc_domain::actor::{Actor, Role};
use hcc_domain::calendar::{OfficeHours, WorkingCalendar};
use hcc_domain::catalog::{Channel, ChannelOffer, ClockPolicy, Level, OnlineLevel, Procedure, RequiredDocument};
use hcc_domain::lifecycle::{
    self, Action, ActionError, ActionKind, Context, CopyKind, DocumentFacts, DossierState, PauseKind, ReturnMethod,
    StaffRef,
};
use hcc_domain::status::Status;
use hcc_domain::{TimeLimit, TimeUnit};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const POINT: &str = "000.00.16.H26";
const OTHER_POINT: &str = "000.16.01.H26";
const AGENCY: &str = "000.00.11.H26";
const OTHER: &str = "000.00.10.H26";

fn procedure(policy: ClockPolicy) -> Procedure {
    Procedure {
        code: "1.000001".into(),
        version: 1,
        name: "Thủ tục thử".into(),
        field: "Đất đai".into(),
        level: "Cấp tỉnh".into(),
        levels: vec![Level::Province],
        applicants: String::new(),
        competent_agency: String::new(),
        executing_agency: String::new(),
        channels: vec![
            ChannelOffer {
                kind: Channel::Counter,
                time_limit: Some(TimeLimit::new(10, TimeUnit::WorkingDays)),
                fee: String::new(),
                fee_vnd: Some(0),
                description: String::new(),
            },
            ChannelOffer {
                kind: Channel::Online,
                time_limit: Some(TimeLimit::new(15, TimeUnit::Days)),
                fee: String::new(),
                fee_vnd: Some(0),
                description: String::new(),
            },
        ],
        documents: (1..=2)
            .map(|no| RequiredDocument {
                no,
                name: format!("Giấy tờ {no}"),
                originals: 1,
                copies: 0,
                mandatory: true,
                template: None,
                group: None,
            })
            .collect(),
        steps: vec![],
        results: vec![],
        conditions: String::new(),
        legal_basis: vec![],
        online_level: OnlineLevel::Partial,
        clock_policy: policy,
        max_new_appointments: 1,
        extension_cap: Some(TimeLimit::new(10, TimeUnit::WorkingDays)),
        steps_text: String::new(),
        decision: String::new(),
        valid_from: None,
        valid_until: None,
        source_url: None,
    }
}

fn actors() -> Vec<Actor> {
    let a = |id, role, agency: Option<&str>, point: Option<&str>| Actor {
        user_id: id,
        username: format!("u{id}"),
        full_name: String::new(),
        role,
        agency: agency.map(Into::into),
        point: point.map(Into::into),
    };
    vec![
        a(1, Role::Reception, None, Some(POINT)),
        a(2, Role::Postal, None, Some(POINT)),
        a(3, Role::Reception, None, Some(OTHER_POINT)),
        a(4, Role::Specialist, Some(AGENCY), None),
        a(5, Role::Leader, Some(AGENCY), None),
        a(6, Role::Specialist, Some(OTHER), None),
        a(7, Role::Leader, Some(OTHER), None),
        a(8, Role::Supervisor, None, None),
        a(9, Role::Admin, None, None),
    ]
}

fn action(kind: u8, arg: u8, now: Timestamp) -> Action {
    let staff = |id: i64, agency: &str| StaffRef {
        user_id: id,
        username: format!("u{id}"),
        role: Role::Specialist,
        agency: Some(agency.into()),
    };
    let text = if arg.is_multiple_of(5) { String::new() } else { "Lý do".to_owned() };
    let document = |no: u8| DocumentFacts {
        id: Some(i64::from(no)),
        item_no: Some(u32::from(no % 4)).filter(|n| *n > 0),
        sha256: format!("{:064x}", u64::from(no) + 1),
        file_name: "scan.pdf".into(),
        media_type: "application/pdf".into(),
        size: 1000,
        pages: Some(1),
        copy_kind: CopyKind::Original,
        reused_from: None,
    };
    match kind % 21 {
        0 => Action::Receive { note: text },
        1 => Action::RefuseReceipt { reasons: text },
        2 => Action::RequestSupplement {
            items: if arg.is_multiple_of(4) { vec![] } else { vec!["Giấy tờ".into()] },
            reason: text,
        },
        3 => Action::ReceiveSupplement { note: text },
        4 => Action::Assign {
            assignee: if arg.is_multiple_of(2) { staff(4, AGENCY) } else { staff(6, OTHER) },
            note: text,
        },
        5 => Action::Forward {
            agency_code: if arg.is_multiple_of(2) { OTHER.into() } else { AGENCY.into() },
            note: text,
        },
        6 => Action::CompleteStep { note: text },
        7 => Action::Approve { note: text },
        8 => Action::RefuseToSettle { reasons: text.clone(), legal_basis: text },
        9 => Action::Pause { kind: PauseKind::FinancialObligation, reason: text },
        10 => Action::Resume { note: text },
        11 => Action::Extend { limit: TimeLimit::new(u32::from(arg % 12), TimeUnit::WorkingDays), reason: text },
        12 => {
            Action::Apologize { new_due_at: now + SignedDuration::from_hours(i64::from(arg) * 6 - 100), reason: text }
        }
        13 => Action::MarkResultReady { note: text },
        14 => Action::ReturnResult {
            method: ReturnMethod::Counter,
            note: text,
            signature_sha256: match arg % 3 {
                0 => None,
                1 => Some("ab".repeat(32)),
                _ => Some("không phải mã băm".into()),
            },
        },
        15 => Action::Withdraw { reason: text },
        16 => Action::Stop { reasons: text },
        17 => Action::Digitize { document: document(arg) },
        18 => Action::WaiveDigitization { reason: text },
        19 => Action::AttachResult { document: document(arg) },
        _ => Action::DeleteDocument {
            document: document(arg),
            reason: text,
            item_keeps_a_file: arg.is_multiple_of(3),
            retention_over: arg.is_multiple_of(7),
        },
    }
}

/// The lifecycle's edges (DOMAIN.md §Lifecycle); a self-edge is an action that keeps the status.
fn edge_allowed(from: Status, to: Status) -> bool {
    use Status::*;
    if from == to {
        return !from.is_final();
    }
    matches!(
        (from, to),
        (Submitted, Received | Refused | SupplementRequested | Withdrawn)
            | (Received, InProgress | SupplementRequested | Paused | Withdrawn | Stopped)
            | (InProgress, SupplementRequested | Paused | ResultReady | NotSettled | Withdrawn | Stopped)
            | (SupplementRequested, Submitted | Received | InProgress | Withdrawn | Stopped)
            | (Paused, Received | InProgress | Withdrawn | Stopped)
            | (ResultReady | NotSettled, Returned)
    )
}

fn check_invariants(s: &DossierState) {
    if s.received_at.is_some() {
        assert_eq!(
            s.status.clock_stopped(),
            s.clock_stopped_at.is_some(),
            "clock stopped exactly while waiting: {s:?}"
        );
        assert!(s.due_at.is_some() && s.original_due_at.is_some());
    } else {
        assert!(matches!(
            s.status,
            Status::Submitted | Status::SupplementRequested | Status::Refused | Status::Withdrawn
        ));
        assert!(s.clock_stopped_at.is_none());
    }
    if s.status.clock_stopped() {
        assert!(s.resume_status.is_some(), "a stopped dossier knows where it returns");
    }
    if s.status.handling_ended() {
        assert!(s.handled_at.is_some(), "end of handling recorded: {s:?}");
    }
    if s.status.is_final() {
        assert!(s.finished_at.is_some());
    }
    if matches!(s.status, Status::ResultReady) {
        assert!(s.approved);
        assert!(s.result_sha256.is_some(), "a result is digitized before it is ready to return");
    }
    assert!(s.step_index < 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn no_sequence_of_actions_reaches_an_invalid_state(
        online in any::<bool>(),
        restart in any::<bool>(),
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), 0usize..9, 0i64..4000), 1..40),
    ) {
        let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
        let policy = if restart { ClockPolicy::Restart } else { ClockPolicy::Pause };
        let p = procedure(policy);
        let actors = actors();
        let mut now = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0));
        let channel = if online { Channel::Online } else { Channel::Counter };
        let (mut state, _) = lifecycle::open(&p, channel, POINT, AGENCY, !online, &cal, now).unwrap();
        state.unscanned_items = vec![1, 2];
        let mut involved = vec![AGENCY.to_owned()];
        check_invariants(&state);
        for (kind, arg, who, minutes) in steps {
            now += SignedDuration::from_mins(minutes);
            let actor = &actors[who];
            let a = action(kind, arg, now);
            let ctx = Context { procedure: &p, calendar: &cal, actor, involved_agencies: &involved, now };
            match lifecycle::decide(&state, &a, &ctx) {
                Ok(tr) => {
                    if state.status.is_final() {
                        // Only an archived document leaves a finished dossier, and its state stays.
                        prop_assert!(matches!(a, Action::DeleteDocument { retention_over: true, .. }), "a finished dossier never changes");
                        prop_assert_eq!(&tr.state, &state);
                    }
                    // Supervisors change no dossier beyond a reasoned exception to scanning;
                    // administrators only remove stored documents.
                    match actor.role {
                        Role::Supervisor => prop_assert_eq!(a.kind(), ActionKind::WaiveDigitization),
                        Role::Admin => prop_assert_eq!(a.kind(), ActionKind::DeleteDocument),
                        _ => {}
                    }
                    // Nothing is handled before every handed-in paper is scanned, or excepted.
                    if state.status == Status::Received && tr.state.status == Status::InProgress {
                        prop_assert!(state.unscanned_items.is_empty() || state.scan_waived, "handled undigitized: {:?}", state);
                    }
                    if tr.state.status == Status::Returned && state.status == Status::ResultReady {
                        prop_assert!(state.result_sha256.is_some());
                    }
                    prop_assert_eq!(tr.event.from_status, Some(state.status));
                    prop_assert_eq!(tr.event.to_status, tr.state.status);
                    prop_assert!(edge_allowed(state.status, tr.state.status) || tr.state == state, "{:?} -> {:?} by {:?}", state.status, tr.state.status, a.kind());
                    // The clock never runs while stopped: leaving a stop keeps the remaining
                    // working time (pause policy) or restarts the full limit (restart policy).
                    if state.status.clock_stopped() && !tr.state.status.clock_stopped() && !tr.state.status.is_final()
                        && let (Some(stopped), Some(old_due), Some(new_due)) = (state.clock_stopped_at, state.due_at, tr.state.due_at)
                    {
                        let restarted = matches!(a, Action::ReceiveSupplement { .. }) && restart;
                        if restarted {
                            let limit = p.channel(channel).and_then(|c| c.time_limit).unwrap();
                            prop_assert_eq!(new_due, cal.due_at(now, limit));
                        } else {
                            let before = cal.working_minutes_between(stopped, old_due);
                            let after = cal.working_minutes_between(now, new_due);
                            prop_assert_eq!(before, after, "remaining working time is kept across a stop");
                        }
                    }
                    if let Action::Forward { agency_code, .. } = &a {
                        involved.push(agency_code.clone());
                    }
                    state = tr.state;
                    check_invariants(&state);
                }
                Err(e) => {
                    if state.status.is_final() {
                        if a.kind() == ActionKind::DeleteDocument {
                            prop_assert!(matches!(e, ActionError::Invalid(_) | ActionError::Denied(_)), "archived documents are kept: {e:?}");
                        } else {
                            prop_assert_eq!(e, ActionError::Finished);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_specialist_of_another_agency_can_do_nothing() {
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    let p = procedure(ClockPolicy::Pause);
    let now = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0));
    let (state, _) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, now).unwrap();
    let outsider = &actors()[5];
    let involved = vec![AGENCY.to_owned()];
    for kind in 0..21 {
        let ctx = Context { procedure: &p, calendar: &cal, actor: outsider, involved_agencies: &involved, now };
        let r = lifecycle::decide(&state, &action(kind, 1, now), &ctx);
        assert!(matches!(r, Err(ActionError::Denied(_))), "{kind}: {r:?}");
    }
}

#[test]
fn counter_receipt_sets_the_appointment_and_the_handover_step() {
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    let p = procedure(ClockPolicy::Pause);
    // Monday 2026-03-02 09:30 + 10 working days → Monday 2026-03-16 09:30.
    let now = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 30, 0, 0));
    let (state, event) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, now).unwrap();
    assert_eq!(state.status, Status::Received);
    assert_eq!(state.due_at, Some(cal.instant(jiff::civil::datetime(2026, 3, 16, 9, 30, 0, 0))));
    assert_eq!(state.budget_minutes, 10 * 480);
    // received before 15:00: handed over by the end of the same working day
    assert_eq!(state.step_due_at, Some(cal.instant(jiff::civil::datetime(2026, 3, 2, 17, 0, 0, 0))));
    assert_eq!(event.handed_to.as_deref(), Some(AGENCY));
    // a channel the procedure does not offer
    assert!(lifecycle::open(&p, Channel::Post, POINT, AGENCY, true, &cal, now).is_err());
}

#[test]
fn pause_moves_the_due_time_by_exactly_the_paused_working_time() {
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    let p = procedure(ClockPolicy::Pause);
    let t0 = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0));
    let (state, _) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, t0).unwrap();
    let leader = &actors()[4];
    let involved = vec![AGENCY.to_owned()];
    let t1 = cal.instant(jiff::civil::datetime(2026, 3, 3, 10, 0, 0, 0)); // Tuesday 10:00
    let ctx = Context { procedure: &p, calendar: &cal, actor: leader, involved_agencies: &involved, now: t1 };
    let paused =
        lifecycle::decide(&state, &Action::Pause { kind: PauseKind::SiteSurvey, reason: "Khảo sát".into() }, &ctx)
            .unwrap();
    let t2 = cal.instant(jiff::civil::datetime(2026, 3, 5, 14, 0, 0, 0)); // Thursday 14:00: 2 days + 3 h = 19 h
    let ctx = Context { now: t2, ..ctx };
    let resumed = lifecycle::decide(&paused.state, &Action::Resume { note: String::new() }, &ctx).unwrap();
    let old = state.due_at.unwrap();
    let new = resumed.state.due_at.unwrap();
    assert_eq!(cal.working_minutes_between(old, new), 19 * 60);
    assert_eq!(resumed.event.details["stopped_working_minutes"], 19 * 60);
    // The paused time is not the agency's: the appointment it is judged against moves as well,
    // so finishing at the new due time is on time.
    assert_eq!(resumed.state.original_due_at, Some(new));
    let mut done = resumed.state.clone();
    done.status = Status::ResultReady;
    done.handled_at = Some(new);
    assert_eq!(lifecycle::progress(&done, new, &cal, lifecycle::DUE_SOON_MINUTES), Some(lifecycle::Progress::OnTime));
}

#[test]
fn progress_classes() {
    use hcc_domain::lifecycle::{DUE_SOON_MINUTES, Progress, progress};
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    let p = procedure(ClockPolicy::Pause);
    let t0 = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0));
    let (state, _) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, t0).unwrap();
    let due = state.due_at.unwrap(); // 2026-03-16 09:00
    let at = |d, h| cal.instant(jiff::civil::datetime(2026, 3, d, h, 0, 0, 0));
    assert_eq!(progress(&state, at(3, 9), &cal, DUE_SOON_MINUTES), Some(Progress::NotDue));
    assert_eq!(progress(&state, at(13, 10), &cal, DUE_SOON_MINUTES), Some(Progress::DueSoon));
    assert_eq!(progress(&state, at(16, 10), &cal, DUE_SOON_MINUTES), Some(Progress::Overdue));
    let mut done = state.clone();
    done.status = Status::ResultReady;
    done.handled_at = Some(at(10, 10));
    assert_eq!(progress(&done, at(20, 10), &cal, DUE_SOON_MINUTES), Some(Progress::Early));
    done.handled_at = Some(due);
    assert_eq!(progress(&done, at(20, 10), &cal, DUE_SOON_MINUTES), Some(Progress::OnTime));
    done.handled_at = Some(at(17, 10));
    assert_eq!(progress(&done, at(20, 10), &cal, DUE_SOON_MINUTES), Some(Progress::Late));
    // a new date set with an apology does not make a late dossier on time
    done.due_at = Some(at(20, 10));
    assert_eq!(progress(&done, at(20, 10), &cal, DUE_SOON_MINUTES), Some(Progress::Late));
    // two supplement requests count as late however fast it went
    let mut twice = done.clone();
    twice.handled_at = Some(at(4, 10));
    twice.supplement_requests = 2;
    assert_eq!(progress(&twice, at(20, 10), &cal, DUE_SOON_MINUTES), Some(Progress::Late));
    let mut paused = state.clone();
    paused.status = Status::Paused;
    paused.clock_stopped_at = Some(at(3, 9));
    assert_eq!(progress(&paused, at(30, 9), &cal, DUE_SOON_MINUTES), Some(Progress::Stopped));
}

fn scanned_flow() -> (Procedure, WorkingCalendar, Vec<Actor>, DossierState, Timestamp) {
    let cal = WorkingCalendar::new(OfficeHours::default(), [], []);
    let p = procedure(ClockPolicy::Pause);
    let now = cal.instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0));
    let (mut state, _) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, now).unwrap();
    state.unscanned_items = vec![1, 2];
    (p, cal, actors(), state, now)
}

fn scan(no: u32) -> Action {
    Action::Digitize {
        document: DocumentFacts {
            id: None,
            item_no: Some(no),
            sha256: format!("{no:064x}"),
            file_name: format!("giay-to-{no}.pdf"),
            media_type: "application/pdf".into(),
            size: 2048,
            pages: Some(2),
            copy_kind: CopyKind::Original,
            reused_from: None,
        },
    }
}

#[test]
fn a_dossier_is_not_handled_before_every_paper_is_scanned() {
    let (p, cal, actors, state, now) = scanned_flow();
    let involved = vec![AGENCY.to_owned()];
    let specialist = &actors[3];
    let reception = &actors[0];
    let assign = Action::Assign {
        assignee: StaffRef { user_id: 4, username: "u4".into(), role: Role::Specialist, agency: Some(AGENCY.into()) },
        note: String::new(),
    };
    let ctx = |actor| Context { procedure: &p, calendar: &cal, actor, involved_agencies: &involved, now };
    let err = lifecycle::decide(&state, &assign, &ctx(specialist)).unwrap_err();
    assert_eq!(err, ActionError::NotDigitized { items: vec![1, 2] });
    assert_eq!(err.code(), "not_digitized");
    assert!(err.to_string().contains("1, 2"), "{err}");
    let forward = Action::Forward { agency_code: OTHER.into(), note: "Chuyển".into() };
    assert_eq!(lifecycle::decide(&state, &forward, &ctx(specialist)).unwrap_err().code(), "not_digitized");

    // Scanning item 1 leaves item 2; an item the procedure does not have is refused.
    let one = lifecycle::decide(&state, &scan(1), &ctx(reception)).unwrap();
    assert_eq!(one.state.unscanned_items, vec![2]);
    assert_eq!(one.event.to_status, Status::Received);
    assert_eq!(one.event.details["item_no"], 1);
    assert_eq!(lifecycle::decide(&state, &scan(7), &ctx(reception)).unwrap_err().code(), "invalid_action");
    // A reception officer of another point may not scan into this dossier.
    assert!(matches!(lifecycle::decide(&state, &scan(1), &ctx(&actors[2])), Err(ActionError::Denied(_))));
    let both = lifecycle::decide(&one.state, &scan(2), &ctx(reception)).unwrap();
    assert!(both.state.unscanned_items.is_empty());
    let handled = lifecycle::decide(&both.state, &assign, &ctx(specialist)).unwrap();
    assert_eq!(handled.state.status, Status::InProgress);
}

#[test]
fn only_a_supervisor_excepts_a_dossier_from_scanning_and_says_why() {
    let (p, cal, actors, state, now) = scanned_flow();
    let involved = vec![AGENCY.to_owned()];
    let ctx = |actor| Context { procedure: &p, calendar: &cal, actor, involved_agencies: &involved, now };
    let waive = |reason: &str| Action::WaiveDigitization { reason: reason.into() };
    for who in [0, 3, 4, 8] {
        assert!(
            matches!(
                lifecycle::decide(&state, &waive("Máy quét hỏng"), &ctx(&actors[who])),
                Err(ActionError::Denied(_))
            ),
            "{who}"
        );
    }
    let supervisor = &actors[7];
    assert_eq!(lifecycle::decide(&state, &waive("  "), &ctx(supervisor)).unwrap_err().code(), "invalid_action");
    let waived =
        lifecycle::decide(&state, &waive("Bản đồ khổ A0, chưa có máy quét phù hợp"), &ctx(supervisor)).unwrap();
    assert!(waived.state.scan_waived);
    assert_eq!(waived.event.details["items"], serde_json::json!([1, 2]));
    assert_eq!(waived.event.note, "Bản đồ khổ A0, chưa có máy quét phù hợp");
    // Twice is refused: the exception is on record already.
    assert!(lifecycle::decide(&waived.state, &waive("Lần nữa"), &ctx(supervisor)).is_err());
    let forward = Action::Forward { agency_code: OTHER.into(), note: "Chuyển".into() };
    assert!(lifecycle::decide(&waived.state, &forward, &ctx(&actors[3])).is_ok());
}

#[test]
fn a_result_is_digitized_before_it_is_returned() {
    let (p, cal, actors, mut state, now) = scanned_flow();
    state.unscanned_items.clear();
    state.status = Status::InProgress;
    state.approved = true;
    state.step_index = 0;
    let involved = vec![AGENCY.to_owned()];
    let ctx = |actor| Context { procedure: &p, calendar: &cal, actor, involved_agencies: &involved, now };
    let leader = &actors[4];
    let ready = Action::MarkResultReady { note: String::new() };
    assert_eq!(lifecycle::decide(&state, &ready, &ctx(leader)).unwrap_err(), ActionError::ResultNotDigitized);
    let Action::Digitize { document } = scan(3) else { unreachable!() };
    let result = DocumentFacts { item_no: None, copy_kind: CopyKind::Electronic, ..document };
    // Reception does not attach an agency's result.
    let attach = Action::AttachResult { document: result.clone() };
    assert!(matches!(lifecycle::decide(&state, &attach, &ctx(&actors[0])), Err(ActionError::Denied(_))));
    let attached = lifecycle::decide(&state, &attach, &ctx(leader)).unwrap();
    assert_eq!(attached.state.result_sha256.as_deref(), Some(result.sha256.as_str()));
    assert_eq!(attached.event.details["sha256"], result.sha256);
    let done = lifecycle::decide(&attached.state, &ready, &ctx(leader)).unwrap();
    assert_eq!(done.state.status, Status::ResultReady);
}

#[test]
fn only_an_administrator_deletes_a_document_with_a_reason_and_never_after_the_end() {
    let (p, cal, actors, state, now) = scanned_flow();
    let involved = vec![AGENCY.to_owned()];
    let ctx = |actor| Context { procedure: &p, calendar: &cal, actor, involved_agencies: &involved, now };
    let scanned = lifecycle::decide(&state, &scan(1), &ctx(&actors[0])).unwrap().state;
    let Action::Digitize { document } = scan(1) else { unreachable!() };
    let delete = |reason: &str, keeps| Action::DeleteDocument {
        document: DocumentFacts { id: Some(9), ..document.clone() },
        reason: reason.into(),
        item_keeps_a_file: keeps,
        retention_over: false,
    };
    for who in [0, 3, 4, 7] {
        assert!(matches!(
            lifecycle::decide(&scanned, &delete("Quét nhầm", false), &ctx(&actors[who])),
            Err(ActionError::Denied(_))
        ));
    }
    let admin = &actors[8];
    assert_eq!(lifecycle::decide(&scanned, &delete("", false), &ctx(admin)).unwrap_err().code(), "invalid_action");
    // The only file of a handed-in paper goes: the paper must be scanned again.
    let gone = lifecycle::decide(&scanned, &delete("Quét nhầm hồ sơ khác", false), &ctx(admin)).unwrap();
    assert_eq!(gone.state.unscanned_items, vec![1, 2]);
    let kept = lifecycle::decide(&scanned, &delete("Bản trùng", true), &ctx(admin)).unwrap();
    assert_eq!(kept.state.unscanned_items, vec![2]);
    let mut finished = scanned.clone();
    finished.status = Status::Returned;
    let err = lifecycle::decide(&finished, &delete("Dọn dẹp", true), &ctx(admin)).unwrap_err();
    assert_eq!(err.code(), "invalid_action");
    assert!(err.to_string().contains("lưu trữ"));
    // After the archive period it may go, and the finished dossier's state stays as it was.
    let archived = Action::DeleteDocument {
        document: DocumentFacts { id: Some(9), ..document.clone() },
        reason: "Hết thời hạn bảo quản".into(),
        item_keeps_a_file: false,
        retention_over: true,
    };
    let gone = lifecycle::decide(&finished, &archived, &ctx(admin)).unwrap();
    assert_eq!(gone.state, finished);
    assert_eq!(gone.event.action, ActionKind::DeleteDocument);
}
