//! One conformance suite for both backends: everything the application relies on the store for.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod common;

use common::{TestStore, backends};
use hcc_domain::actor::{Actor, Role};
use hcc_domain::calendar::{OfficeHours, WorkingCalendar};
use hcc_domain::catalog::{Channel, ChannelOffer, ClockPolicy, OnlineLevel, Procedure, RequiredDocument};
use hcc_domain::lifecycle::{self, Action, Context, StaffRef};
use hcc_domain::org::{Agency, AgencyKind, PointKind, ReceptionPoint};
use hcc_domain::{TimeLimit, TimeUnit};
use hcc_store::*;
use jiff::Timestamp;

#[path = "conformance/citizens.rs"]
mod citizens;
#[path = "conformance/stats.rs"]
mod stats;

#[path = "conformance/admin.rs"]
mod admin;
#[path = "conformance/documents.rs"]
mod documents;
#[path = "conformance/lists.rs"]
mod lists;
#[path = "conformance/notify.rs"]
mod notify;
#[path = "conformance/races.rs"]
mod races;
#[path = "conformance/search.rs"]
mod search;

const POINT: &str = "000.00.16.H26";
const AGENCY: &str = "000.00.11.H26";
const OTHER_AGENCY: &str = "000.00.10.H26";

fn procedure() -> Procedure {
    Procedure {
        code: "1.012753".into(),
        version: 1,
        name: "Đăng ký đất đai lần đầu".into(),
        field: "Đất đai".into(),
        level: "Cấp tỉnh".into(),
        levels: vec![hcc_domain::catalog::Level::Province],
        applicants: String::new(),
        competent_agency: String::new(),
        executing_agency: String::new(),
        channels: vec![ChannelOffer {
            kind: Channel::Counter,
            time_limit: Some(TimeLimit::new(20, TimeUnit::WorkingDays)),
            fee: "Miễn phí".into(),
            fee_vnd: Some(0),
            description: String::new(),
        }],
        documents: vec![RequiredDocument {
            no: 1,
            name: "Đơn đăng ký".into(),
            originals: 1,
            copies: 0,
            mandatory: true,
            template: None,
            group: None,
        }],
        steps: vec![],
        results: vec![],
        conditions: String::new(),
        legal_basis: vec![],
        online_level: OnlineLevel::Partial,
        clock_policy: ClockPolicy::Pause,
        max_new_appointments: 1,
        extension_cap: None,
        steps_text: String::new(),
        decision: String::new(),
        valid_from: None,
        valid_until: None,
        source_url: None,
    }
}

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(OfficeHours::default(), [], [])
}

fn actor(id: i64, role: Role, agency: Option<&str>, point: Option<&str>) -> Actor {
    Actor {
        user_id: id,
        username: format!("u{id}"),
        full_name: format!("Người dùng {id}"),
        role,
        agency: agency.map(Into::into),
        point: point.map(Into::into),
    }
}

fn event_actor(a: &Actor) -> EventActor {
    EventActor {
        user_id: None,
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        role: a.role.as_str().into(),
        unit: a.unit().into(),
    }
}

/// Monday 2026-03-02 09:00 local.
fn monday_morning() -> Timestamp {
    calendar().instant(jiff::civil::datetime(2026, 3, 2, 9, 0, 0, 0))
}

async fn seed(s: &Store) {
    s.put_admin_units(
        &[Province { code: "01".into(), name: "Hà Nội".into(), full_name: "Thành phố Hà Nội".into() }],
        &[Commune {
            code: "00004".into(),
            province_code: "01".into(),
            name: "Ba Đình".into(),
            full_name: "Phường Ba Đình".into(),
        }],
    )
    .await
    .unwrap();
    for (code, name) in [(AGENCY, "Sở Nông nghiệp và Môi trường"), (OTHER_AGENCY, "Sở Xây dựng")] {
        s.put_agency(&Agency {
            code: code.into(),
            name: name.into(),
            kind: AgencyKind::Department,
            commune_code: None,
        })
        .await
        .unwrap();
    }
    s.put_point(&ReceptionPoint {
        code: POINT.into(),
        name: "Trụ sở".into(),
        kind: PointKind::HeadOffice,
        address: "Hà Nội".into(),
        commune_code: None,
    })
    .await
    .unwrap();
    s.put_procedure(&procedure()).await.unwrap();
}

fn new_dossier(at: Timestamp, name: &str, key: Option<&str>) -> NewDossier {
    let cal = calendar();
    let p = procedure();
    let reception = actor(1, Role::Reception, None, Some(POINT));
    let (state, event) = lifecycle::open(&p, Channel::Counter, POINT, AGENCY, true, &cal, at).unwrap();
    NewDossier {
        procedure_code: p.code.clone(),
        procedure_version: 1,
        procedure_name: p.name.clone(),
        field: p.field.clone(),
        applicant: Applicant {
            kind: ApplicantKind::Person,
            name: name.into(),
            id_number: "001099012345".into(),
            phone: Some("0912345678".into()),
            email: None,
            address: "Hà Nội".into(),
            commune_code: None,
        },
        subject_commune: Some("00004".into()),
        request_summary: String::new(),
        documents: vec![ChecklistItem {
            no: 1,
            name: "Đơn".into(),
            originals: 1,
            copies: 0,
            mandatory: true,
            provided: true,
            group: None,
        }],
        return_method: "counter".into(),
        routing_rule: "field".into(),
        idempotency_key: key.map(Into::into),
        secret: "ABCDEFGHJK".into(),
        state,
        events: vec![(event, event_actor(&reception), at)],
        code_date: cal.local(at).date(),
        files: Vec::new(),
    }
}

async fn each(f: impl AsyncFn(&TestStore)) {
    for b in backends().await {
        seed(&b.store).await;
        f(&b).await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent() {
    each(async |b| {
        b.store.migrate().await.unwrap();
        b.store.migrate().await.unwrap();
        assert_eq!(b.store.count_communes().await.unwrap(), 1, "{}", b.name);
    })
    .await;
}

#[tokio::test]
async fn procedures_are_versioned() {
    each(async |b| {
        let s = &b.store;
        assert_eq!(s.put_procedure(&procedure()).await.unwrap(), PutOutcome::Unchanged { version: 1 });
        let mut changed = procedure();
        changed.channels[0].time_limit = Some(TimeLimit::new(15, TimeUnit::WorkingDays));
        assert_eq!(s.put_procedure(&changed).await.unwrap(), PutOutcome::NewVersion { version: 2 });
        let current = s.get_procedure("1.012753", None).await.unwrap().unwrap();
        assert_eq!(current.version, 2);
        assert_eq!(current.channels[0].time_limit, Some(TimeLimit::new(15, TimeUnit::WorkingDays)));
        let old = s.get_procedure("1.012753", Some(1)).await.unwrap().unwrap();
        assert_eq!(old.channels[0].time_limit, Some(TimeLimit::new(20, TimeUnit::WorkingDays)));
        let found = s.list_procedures(Some("dang ky dat dai"), None, None, 10).await.unwrap();
        assert_eq!(found.len(), 1, "{}: diacritics-insensitive search", b.name);
        assert!(s.list_procedures(Some("xay dung"), None, None, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn users_and_tokens() {
    each(async |b| {
        let s = &b.store;
        let u = s
            .create_user(&NewUser {
                username: "tiepnhan".into(),
                full_name: "Cán bộ".into(),
                password_hash: "x".into(),
                role: "reception".into(),
                agency_code: None,
                point_code: Some(POINT.into()),
            })
            .await
            .unwrap();
        let dup = s
            .create_user(&NewUser {
                username: "tiepnhan".into(),
                full_name: "Khác".into(),
                password_hash: "y".into(),
                role: "reception".into(),
                agency_code: None,
                point_code: Some(POINT.into()),
            })
            .await;
        assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{}", b.name);
        let now = Timestamp::now();
        s.insert_token("h1", u.id, now, now + jiff::SignedDuration::from_hours(1)).await.unwrap();
        assert_eq!(s.user_by_token("h1", now).await.unwrap().map(|u| u.username), Some("tiepnhan".into()));
        assert!(s.user_by_token("h1", now + jiff::SignedDuration::from_hours(2)).await.unwrap().is_none());
        assert!(s.set_disabled("tiepnhan", true).await.unwrap());
        assert!(s.user_by_token("h1", now).await.unwrap().is_none(), "{}: disabling ends sessions", b.name);
    })
    .await;
}

#[tokio::test]
async fn codes_number_per_point_and_day() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (a, created) = s.create_dossier(new_dossier(t, "Nguyễn Văn Đức", None), t).await.unwrap();
        assert!(created);
        assert_eq!(a.code, "000.00.16.H26-260302-0001", "{}", b.name);
        let (b2, _) = s.create_dossier(new_dossier(t, "Trần Thị Lan", None), t).await.unwrap();
        assert_eq!(b2.code, "000.00.16.H26-260302-0002");
        let next_day = t + jiff::SignedDuration::from_hours(24);
        let (c, _) = s.create_dossier(new_dossier(next_day, "Lê Văn An", None), next_day).await.unwrap();
        assert_eq!(c.code, "000.00.16.H26-260303-0001");
        assert_eq!(a.state.due_at, Some(calendar().due_at(t, TimeLimit::new(20, TimeUnit::WorkingDays))));
        assert_eq!(a.event_count, 1);
        let read_back = s.get_dossier(&a.code).await.unwrap().unwrap();
        assert_eq!(format!("{read_back:?}"), format!("{a:?}"), "{}: the returned record is what was stored", b.name);
    })
    .await;
}

#[tokio::test]
async fn idempotent_receipt_makes_one_dossier() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (first, created) = s.create_dossier(new_dossier(t, "A", Some("key-1")), t).await.unwrap();
        let (again, created_again) = s.create_dossier(new_dossier(t, "A", Some("key-1")), t).await.unwrap();
        assert!(created && !created_again, "{}", b.name);
        assert_eq!(first.code, again.code);
        assert_eq!(s.count_dossiers().await.unwrap(), 1);
    })
    .await;
}

/// The checklist ticked at receipt lives apart from the dossier row (migration 0020): it comes
/// back with the dossier, lists leave it out, and nothing changes or removes it afterwards.
#[tokio::test]
async fn the_checklist_comes_back_with_the_dossier_and_never_changes() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let sent = new_dossier(t, "A", None);
        let (d, _) = s.create_dossier(sent.clone(), t).await.unwrap();
        assert!(!sent.documents.is_empty());
        let by_code = s.get_dossier(&d.code).await.unwrap().unwrap();
        assert_eq!(by_code.documents, sent.documents, "{}", b.name);
        assert_eq!(s.get_dossier_by_id(d.id).await.unwrap().unwrap().documents, sent.documents);
        let page = s.list_dossiers(&DossierQuery { limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(page.items.len(), 1);
        assert!(page.items[0].documents.is_empty(), "{}: list rows carry no checklist", b.name);

        let change = format!("UPDATE dossier_checklists SET documents = '[]' WHERE dossier_id = {}", d.id);
        assert!(s.execute_raw(&change).await.is_err(), "{}: a checklist is never changed", b.name);
        let remove = format!("DELETE FROM dossier_checklists WHERE dossier_id = {}", d.id);
        assert!(s.execute_raw(&remove).await.is_err(), "{}: a checklist is never removed", b.name);
        assert_eq!(s.get_dossier(&d.code).await.unwrap().unwrap().documents, sent.documents);
    })
    .await;
}

/// Sends every dossier at once (each from its own task) and gives back each outcome, in order.
async fn receive_at_once(b: &TestStore, dossiers: Vec<NewDossier>, at: Timestamp) -> Vec<Result<String, StoreError>> {
    let handles: Vec<_> = dossiers
        .into_iter()
        .map(|d| {
            let s = b.store.clone();
            tokio::spawn(async move { s.create_dossier(d, at).await.map(|(made, _)| made.code) })
        })
        .collect();
    let mut outcomes = Vec::new();
    for h in handles {
        outcomes.push(h.await.unwrap());
    }
    outcomes
}

/// The codes of the first `n` dossiers received at the test point on the test day.
fn first_codes(n: u32) -> Vec<String> {
    (1..=n).map(|i| format!("000.00.16.H26-260302-{i:04}")).collect()
}

#[tokio::test]
async fn concurrent_receipts_never_skip_or_repeat_a_code() {
    each(async |b| {
        let t = monday_morning();
        let sent = (0..24).map(|i| new_dossier(t, &format!("Người {i}"), None)).collect();
        let mut codes: Vec<String> = receive_at_once(b, sent, t).await.into_iter().map(Result::unwrap).collect();
        codes.sort();
        assert_eq!(codes, first_codes(24), "{}", b.name);
    })
    .await;
}

#[tokio::test]
async fn a_receipt_that_fails_after_taking_a_number_gives_it_back() {
    // Every fourth receipt fails after its code is numbered (a scan recorded by an event it does
    // not have). Sent at once, they share the writer's groups (on SQLite the numbers are counted
    // in memory; on both the counters are summed per group), and each failed write is rolled back
    // alone: the good ones still number 1, 2, 3 … without a gap, and the failed ones leave nothing
    // behind, not even in the counters.
    each(async |b| {
        let t = monday_morning();
        let fails = |i: usize| i % 4 == 3;
        let sent = (0..32)
            .map(|i| {
                let mut d = new_dossier(t, &format!("Người {i}"), None);
                if fails(i) {
                    d.files = vec![(9, documents::scan_document(&"ab".repeat(32), Some(1), None))];
                }
                d
            })
            .collect();
        let mut codes = Vec::new();
        for (i, made) in receive_at_once(b, sent, t).await.into_iter().enumerate() {
            if fails(i) {
                assert!(made.is_err(), "{}: a receipt with a dangling scan fails", b.name);
            } else {
                codes.push(made.unwrap());
            }
        }
        codes.sort();
        assert_eq!(codes, first_codes(24), "{}", b.name);
        let (next, _) = b.store.create_dossier(new_dossier(t, "Sau cùng", None), t).await.unwrap();
        assert_eq!(next.code, "000.00.16.H26-260302-0025", "{}: the sequence stored is the last given", b.name);
        assert_eq!(b.store.count_dossiers().await.unwrap(), 25, "{}", b.name);
        let check = b.store.rebuild_stats(false).await.unwrap();
        assert!(check.agreed(), "{}: the counters count the written receipts only: {check:?}", b.name);
    })
    .await;
}

async fn assign(b: &TestStore, d: &DossierRecord, at: Timestamp) -> Result<DossierRecord, StoreError> {
    let p = procedure();
    let cal = calendar();
    let leader = actor(7, Role::Leader, Some(AGENCY), None);
    let involved = vec![AGENCY.to_owned()];
    let ctx = Context { procedure: &p, calendar: &cal, actor: &leader, involved_agencies: &involved, now: at };
    let action = Action::Assign {
        assignee: StaffRef { user_id: 0, username: "cv".into(), role: Role::Specialist, agency: Some(AGENCY.into()) },
        note: String::new(),
    };
    let tr = lifecycle::decide(&d.state, &action, &ctx).unwrap();
    let mut state = tr.state;
    state.assignee = None; // no such user row in this test
    b.store.apply_transition(d, &state, &tr.event, &event_actor(&leader), at).await
}

#[tokio::test]
async fn control_sheet_is_chained_and_verify_catches_tampering() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (d, _) = s.create_dossier(new_dossier(t, "A", None), t).await.unwrap();
        assign(b, &d, t + jiff::SignedDuration::from_hours(1)).await.unwrap();
        let (other, _) = s.create_dossier(new_dossier(t, "B", None), t).await.unwrap();
        let events = s.events(d.id).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].prev_hash, events[0].hash);
        let ok = s.verify().await.unwrap();
        assert!(ok.problems.is_empty(), "{}: {:?}", b.name, ok.problems);
        assert_eq!(ok.events_checked, 3);

        // The application cannot rewrite history.
        assert!(s.execute_raw("UPDATE events SET note = 'x'").await.is_err(), "{}: events are append-only", b.name);
        assert!(s.execute_raw("DELETE FROM events").await.is_err());

        // Someone with direct database access removes the guard and edits a note …
        let drop_guard = if b.name == "sqlite" {
            "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"
        } else {
            "DROP TRIGGER events_no_update ON events;"
        };
        s.execute_raw(drop_guard).await.unwrap();
        s.execute_raw(&format!("UPDATE events SET note = 'đã sửa' WHERE dossier_id = {} AND seq = 1", d.id))
            .await
            .unwrap();
        let report = s.verify().await.unwrap();
        assert!(
            report.problems.iter().any(|p| p.contains(&d.code) && p.contains("đã bị sửa")),
            "{}: {:?}",
            b.name,
            report.problems
        );
        assert!(!report.problems.iter().any(|p| p.contains(&other.code)), "untouched dossiers stay clean");

        // … removes an event …
        s.execute_raw(&format!("DELETE FROM events WHERE dossier_id = {} AND seq = 1", other.id)).await.unwrap();
        let report = s.verify().await.unwrap();
        assert!(
            report.problems.iter().any(|p| p.contains(&other.code)),
            "{}: removal detected: {:?}",
            b.name,
            report.problems
        );
    })
    .await;
}

#[tokio::test]
async fn reordered_events_are_detected() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (d, _) = s.create_dossier(new_dossier(t, "A", None), t).await.unwrap();
        assign(b, &d, t + jiff::SignedDuration::from_hours(1)).await.unwrap();
        let drop_guard = if b.name == "sqlite" { "DROP TRIGGER events_no_update;" } else { "DROP TRIGGER events_no_update ON events;" };
        s.execute_raw(drop_guard).await.unwrap();
        s.execute_raw(&format!(
            "UPDATE events SET seq = -seq WHERE dossier_id = {id}; UPDATE events SET seq = 3 + seq WHERE dossier_id = {id};",
            id = d.id
        ))
        .await
        .unwrap();
        let report = s.verify().await.unwrap();
        assert!(!report.problems.is_empty(), "{}: swapping two events is detected", b.name);
    })
    .await;
}

/// The ids of a list newest first, every page of it in turn (following `next_after`).
async fn ids_of_every_page(s: &Store, q: &DossierQuery) -> Vec<i64> {
    let mut q = q.clone();
    let mut seen = Vec::new();
    loop {
        let page = s.list_dossiers(&q).await.unwrap();
        seen.extend(page.items.iter().map(|d| d.id));
        match page.next_after {
            Some(after) => q.after_id = Some(after),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn list_filters_and_cursor_pages() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        for i in 0..7 {
            let name = if i == 3 { "Nguyễn Văn Đức".to_owned() } else { format!("Trần Thị {i}") };
            s.create_dossier(new_dossier(t, &name, None), t).await.unwrap();
        }
        let q = DossierQuery { limit: 3, visible_to_agency: Some(AGENCY.into()), ..Default::default() };
        let seen = ids_of_every_page(s, &q).await;
        assert_eq!(seen.len(), 7, "{}", b.name);
        assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
        let hits = s
            .list_dossiers(&DossierQuery { text: Some("nguyen van duc".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(hits.items.len(), 1);
        assert_eq!(hits.items[0].applicant.name, "Nguyễn Văn Đức");
        let other = s
            .list_dossiers(&DossierQuery {
                visible_to_agency: Some(OTHER_AGENCY.into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(other.items.is_empty(), "another agency sees none of them");
        let received = s
            .list_dossiers(&DossierQuery { status: Some("received".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(received.items.len(), 7);
    })
    .await;
}

#[tokio::test]
async fn sealed_days_reveal_back_dated_events() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (d, _) = s.create_dossier(new_dossier(t, "A", None), t).await.unwrap();
        assign(b, &d, t + jiff::SignedDuration::from_hours(30)).await.unwrap();
        let sealed = s.seal_days(jiff::civil::date(2026, 3, 10)).await.unwrap();
        assert_eq!(sealed, 8, "{}: 2026-03-02 … 2026-03-09", b.name);
        assert_eq!(s.seal_days(jiff::civil::date(2026, 3, 10)).await.unwrap(), 0, "sealing twice seals nothing");
        assert!(s.verify().await.unwrap().problems.is_empty());
        // Someone slips an event into a sealed day.
        let at = hcc_store::model::micros(t + jiff::SignedDuration::from_hours(2));
        s.execute_raw(&format!(
            "INSERT INTO events (dossier_id, seq, at, actor, actor_name, role, unit, action, from_status, to_status,
               step_name, step_due_at, step_outcome, handed_to, note, details, prev_hash, hash)
             VALUES ({}, 99, {at}, 'x', 'x', 'leader', 'x', 'assign', 'received', 'in_progress', '', NULL, '', '', '', '{{}}', 'x', 'y')",
            d.id
        ))
        .await
        .unwrap();
        let problems = s.verify().await.unwrap().problems;
        assert!(problems.iter().any(|p| p.contains("2026-03-02")), "{}: {problems:?}", b.name);
    })
    .await;
}

#[tokio::test]
async fn web_sessions_load_until_they_expire() {
    each(async |b| {
        let s = &b.store;
        let now = Timestamp::now();
        let row = SessionRow {
            id_hash: "a".repeat(64),
            user_id: None,
            data: "{}".into(),
            expires_at: now + jiff::SignedDuration::from_mins(30),
        };
        assert!(s.insert_session(&row, now).await.unwrap(), "{}", b.name);
        assert!(!s.insert_session(&row, now).await.unwrap(), "a taken id is refused");
        assert_eq!(s.load_session(&row.id_hash, now).await.unwrap().unwrap().data, "{}");
        let later = now + jiff::SignedDuration::from_mins(31);
        assert!(s.load_session(&row.id_hash, later).await.unwrap().is_none(), "expired");
        let saved = SessionRow {
            data: r#"{"uid":1}"#.into(),
            expires_at: later + jiff::SignedDuration::from_mins(30),
            ..row.clone()
        };
        s.save_session(&saved, now).await.unwrap();
        assert_eq!(s.load_session(&row.id_hash, later).await.unwrap().unwrap().data, r#"{"uid":1}"#);
        s.delete_session(&row.id_hash).await.unwrap();
        assert!(s.load_session(&row.id_hash, now).await.unwrap().is_none());
    })
    .await;
}
