//! The early-warning and escalation job on SQLite and PostgreSQL: each warning goes once to the
//! officer and the agency's leaders (twice as many workers change nothing), escalates to the
//! supervisors after the configured delay, and a round after downtime catches up without repeats.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use hcc::jobs::warnings::{LEASE, WarningReport, run_once};
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::warning::{self, WarningPolicy};
use hcc_store::DossierRecord;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;
use support::web::Web;
use support::{App, spawn_apps};

const LAND_PROVINCE: &str = "1.012756";
const LAND_AGENCY: &str = "000.00.11.H26";

/// A dossier received at the counter by `tiepnhan`, its papers scanned: the point holds it.
async fn received(app: &App) -> DossierRecord {
    let reception = app.login("tiepnhan").await;
    let docs = app.mandatory_documents(LAND_PROVINCE).await;
    let body = json!({
        "procedure_code": LAND_PROVINCE, "channel": "counter",
        "applicant": {"name": "Hoàng Văn Sơn", "id_number": "001099012345", "phone": "0912345678",
                      "address": "Số 1 Phố Huế, Hà Nội", "commune_code": "00004"},
        "subject_commune": "00004", "request_summary": "Đăng ký đất đai", "documents": docs, "return_method": "counter"
    });
    let (s, r) = app.post_json("/api/v1/dossiers", Some(&reception), &body).await;
    assert_eq!(s, 201, "{}: {r}", app.name);
    let code = r["code"].as_str().unwrap().to_owned();
    app.scan_all(&code, &reception, &docs).await;
    app.store.get_dossier(&code).await.unwrap().unwrap()
}

/// A dossier received and assigned to `chuyenvien`: its current step is the agency's.
async fn assigned(app: &App) -> DossierRecord {
    let code = received(app).await.code;
    let leader = app.login("lanhdao").await;
    let (s, r) = app.action(&code, "assign", &leader, json!({"assignee": "chuyenvien"})).await;
    assert_eq!(s, 200, "{}: {r}", app.name);
    app.store.get_dossier(&code).await.unwrap().unwrap()
}

/// The dossier page as the agency's leader sees it in the staff web app.
async fn leader_page(app: &App, code: &str) -> String {
    let (s, page) = Web::demo(app, "lanhdao").await.get(&format!("/ho-so/{code}")).await;
    assert_eq!(s, 200, "{}", app.name);
    page
}

async fn user_id(app: &App, username: &str) -> i64 {
    app.store.user_by_username(username).await.unwrap().unwrap().id
}

/// The staff each kind of warning notice went to.
async fn recipients(app: &App, dossier: i64, kind: &str) -> BTreeSet<i64> {
    let notices = app.store.notices_of(dossier).await.unwrap();
    let ids: Vec<i64> =
        notices.iter().filter(|(k, _)| k == kind).map(|(_, p)| p["user_id"].as_i64().unwrap()).collect();
    let set: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(set.len(), ids.len(), "{}: {kind} sent twice to someone", app.name);
    set
}

async fn kinds(app: &App, d: &DossierRecord) -> Vec<String> {
    app.store.warnings_of(d.id).await.unwrap().into_iter().map(|(_, k)| k).collect()
}

async fn round(app: &App, cal: &WorkingCalendar, policy: &WarningPolicy, at: jiff::Timestamp) -> WarningReport {
    let r = run_once(&app.store, cal, policy, "hcc-test", at).await.unwrap();
    assert!(!r.skipped, "{}", app.name);
    r
}

#[tokio::test]
async fn warnings_go_once_to_the_handlers_then_escalate_to_the_supervisors() {
    for app in spawn_apps().await {
        let d = assigned(&app).await;
        let cal = app.store.working_calendar().await.unwrap();
        let policy = WarningPolicy::default();
        let due = d.state.step_due_at.expect("the assigned step has a due time");
        let officer = user_id(&app, "chuyenvien").await;
        let staff = app.store.staff_contacts().await.unwrap();
        let mut handlers: BTreeSet<i64> = staff
            .iter()
            .filter(|s| s.role == "leader" && s.agency_code.as_deref() == Some(LAND_AGENCY))
            .map(|s| s.id)
            .collect();
        assert!(!handlers.is_empty(), "the demo city has a leader for the land agency");
        handlers.insert(officer);
        let supervisors: BTreeSet<i64> = staff.iter().filter(|s| s.role == "supervisor").map(|s| s.id).collect();
        assert!(!supervisors.is_empty());

        // Nothing yet two working days ahead.
        let early = round(&app, &cal, &policy, due - jiff::SignedDuration::from_hours(72)).await;
        assert_eq!(early.given, 0, "{}", app.name);

        // An hour before the step is due, two workers at once: one warning, one notice each.
        let soon = due - jiff::SignedDuration::from_hours(1);
        let (a, b) = tokio::join!(
            run_once(&app.store, &cal, &policy, "worker-a", soon),
            run_once(&app.store, &cal, &policy, "worker-b", soon)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.given + b.given, 1, "{}: {a:?} {b:?}", app.name);
        assert_eq!(kinds(&app, &d).await, vec!["due_soon"], "{}", app.name);
        assert_eq!(recipients(&app, d.id, "warning_due_soon").await, handlers, "{}", app.name);
        assert_eq!(round(&app, &cal, &policy, soon).await, WarningReport { skipped: false, given: 0, already: 1 });

        // While another process holds the lease, a round does nothing.
        assert!(app.store.try_lease(LEASE, "elsewhere", Duration::from_secs(60)).await.unwrap());
        let r = run_once(&app.store, &cal, &policy, "hcc-test", soon).await.unwrap();
        assert!(r.skipped && r.given == 0, "{}", app.name);
        app.store.release_lease(LEASE, "elsewhere").await.unwrap();

        // Down from then until a working day and more past the due time: the next round gives the
        // overdue warning and the escalation, once, and never the stale "due soon" again.
        let late = cal.add_working_minutes(due, policy.escalate_after_minutes) + jiff::SignedDuration::from_mins(5);
        let r = round(&app, &cal, &policy, late).await;
        assert_eq!((r.given, r.already), (2, 0), "{}", app.name);
        assert_eq!(kinds(&app, &d).await, vec!["due_soon", "overdue", "escalated"], "{}", app.name);
        assert_eq!(recipients(&app, d.id, "warning_overdue").await, handlers);
        assert_eq!(recipients(&app, d.id, "warning_escalated").await, supervisors, "{}", app.name);
        assert_eq!(round(&app, &cal, &policy, late).await.given, 0, "{}: repeated after a restart", app.name);

        // Each sees the warnings standing in their part on /canh-bao: the officer and the leader
        // every warning of the current step, the supervisor the escalation, another agency none.
        let row_count = |html: &str| html.matches(&format!("href=\"/ho-so/{}\"", d.code)).count();
        for (who, expected) in [("chuyenvien", 3), ("lanhdao", 3), ("giamsat", 1), ("lanhdao.xd", 0), ("tiepnhan", 0)] {
            let (s, html) = Web::demo(&app, who).await.get("/canh-bao").await;
            assert_eq!(s, 200, "{}: {who}", app.name);
            assert_eq!(row_count(&html), expected, "{}: {who}: {html}", app.name);
            if expected > 0 {
                assert!(html.contains("Quá hạn") && html.contains("Hoàng Văn Sơn"), "{}: {who}", app.name);
            }
        }
        assert_eq!(Web::demo(&app, "quantri").await.get("/canh-bao").await.0, 403);

        // The supervisor's contact gets the escalation once it is planned for delivery.
        assert!(app.store.set_staff_contact("giamsat", Some("giamsat@hcc.example.vn"), None).await.unwrap());
        app.store.plan_outbox(&["email", "text"], 1000, late).await.unwrap();
        let to: Vec<_> = app
            .store
            .deliveries_of(d.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|x| x.kind == "warning_escalated")
            .map(|x| x.recipient)
            .collect();
        assert!(to.contains(&"giamsat@hcc.example.vn".to_owned()), "{}: {to:?}", app.name);
    }
}

#[tokio::test]
async fn a_hand_over_due_at_the_counter_warns_the_counter_staff() {
    for app in spawn_apps().await {
        let d = received(&app).await;
        let cal = app.store.working_calendar().await.unwrap();
        let due = d.state.step_due_at.expect("the hand-over is due");
        round(&app, &cal, &WarningPolicy::default(), due - jiff::SignedDuration::from_mins(30)).await;
        let to = recipients(&app, d.id, "warning_due_soon").await;
        let counter = user_id(&app, "tiepnhan").await;
        assert!(to.contains(&counter), "{}: the counter holding it is told", app.name);
        assert!(to.contains(&user_id(&app, "lanhdao").await), "{}: and the agency's leader", app.name);
        assert!(!to.contains(&user_id(&app, "chuyenvien").await), "{}: no officer has it yet", app.name);
    }
}

#[tokio::test]
async fn escalation_waits_for_the_configured_delay() {
    for app in spawn_apps().await {
        let d = assigned(&app).await;
        let cal = app.store.working_calendar().await.unwrap();
        let policy = WarningPolicy { escalate_after_minutes: 120, ..WarningPolicy::default() };
        let due = d.state.step_due_at.unwrap();
        let just_late = due + jiff::SignedDuration::from_mins(1);
        assert_eq!(round(&app, &cal, &policy, just_late).await.given, 1, "{}", app.name);
        assert_eq!(kinds(&app, &d).await, vec!["overdue"]);
        let before = cal.add_working_minutes(due, 119);
        assert_eq!(round(&app, &cal, &policy, before).await.given, 0, "{}: escalated early", app.name);
        let after = cal.add_working_minutes(due, 120) + jiff::SignedDuration::from_mins(1);
        assert_eq!(round(&app, &cal, &policy, after).await.given, 1, "{}", app.name);
        assert_eq!(kinds(&app, &d).await, vec!["overdue", "escalated"], "{}", app.name);
    }
}

#[tokio::test]
async fn a_missed_appointment_drafts_the_apology_and_a_stopped_clock_warns_nobody() {
    for app in spawn_apps().await {
        let d = assigned(&app).await;
        let paused = assigned(&app).await;
        let specialist = app.login("chuyenvien").await;
        let (s, r) = app
            .action(&paused.code, "pause", &specialist, json!({"kind": "site_survey", "reason": "Khảo sát thực địa"}))
            .await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        let cal = app.store.working_calendar().await.unwrap();
        let policy = WarningPolicy::default();
        let appointment = d.state.due_at.unwrap();
        // The first round after a long outage, an hour past the appointment itself.
        let now = appointment + jiff::SignedDuration::from_hours(1);
        round(&app, &cal, &policy, now).await;
        assert_eq!(kinds(&app, &d).await, vec!["overdue", "escalated"], "{}", app.name);
        assert!(kinds(&app, &paused).await.is_empty(), "{}: a paused dossier's clock is stopped", app.name);
        let notices = app.store.notices_of(d.id).await.unwrap();
        let (_, payload) = notices.iter().find(|(k, _)| k == "warning_overdue").unwrap();
        assert!(payload["step_name"].as_str().is_some_and(|n| !n.is_empty()), "{}: {payload}", app.name);
        let proposed: jiff::Timestamp = payload["proposed_new_due_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(proposed, warning::proposed_new_appointment(appointment, now, &cal, &policy));
        assert!(proposed > now, "{}", app.name);
        // The leader's dossier page offers the apology with the drafted date filled in.
        let page = leader_page(&app, &d.code).await;
        let local = jiff::tz::Offset::constant(7).to_datetime(proposed).strftime("%Y-%m-%dT%H:%M").to_string();
        assert!(
            page.contains(&format!("name=\"new_due_at\" type=\"datetime-local\" value=\"{local}\"")),
            "{}: the drafted date {local} is not on the apology form",
            app.name
        );
        // Only the leader signs it: the officer cannot send an apology on their own.
        let (s, r) = app
            .action(&d.code, "apologize", &specialist, json!({"new_due_at": proposed.to_string(), "reason": "Trễ"}))
            .await;
        assert_eq!(s, 403, "{}: {r}", app.name);
        assert!(!app.store.notices_of(d.id).await.unwrap().iter().any(|(k, _)| k == "apology"));
        // The leader signs the drafted date: the apology is accepted as proposed.
        let leader = app.login("lanhdao").await;
        let (s, r) = app
            .action(
                &d.code,
                "apologize",
                &leader,
                json!({"new_due_at": proposed.to_string(), "reason": "Hồ sơ phức tạp"}),
            )
            .await;
        assert_eq!(s, 200, "{}: {r}", app.name);
        let (kind, payload) = app.store.notices_of(d.id).await.unwrap().pop().unwrap();
        assert_eq!((kind.as_str(), payload["new_due_at"].as_str()), ("apology", Some(proposed.to_string().as_str())));
        // The apology counts against the agency on the public transparency figures.
        let received = d.state.received_at.unwrap();
        let period = hcc_store::public::StatsPeriod {
            from: received - jiff::SignedDuration::from_hours(1),
            to: received + jiff::SignedDuration::from_hours(1),
        };
        let stats = app.store.public_stats(period, jiff::Timestamp::now()).await.unwrap();
        let agency = stats.by_agency.iter().find(|f| f.key == LAND_AGENCY).unwrap();
        assert_eq!((agency.received, agency.apologies), (2, 1), "{}", app.name);
    }
}

fn hcc_cli(data: &std::path::Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hcc"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("HCC_DATABASE_URL")
        .env_remove("HCC_SMTP_URL")
        .env_remove("HCC_SMS_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[test]
fn staff_contacts_and_a_round_of_jobs_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ok = |out: std::process::Output| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
        text
    };
    ok(hcc_cli(dir.path(), &["migrate"], None));
    ok(hcc_cli(
        dir.path(),
        &["user", "add", "giamsat", "--role", "supervisor", "--password-stdin"],
        Some("mat-khau-dai\n"),
    ));
    let out = ok(hcc_cli(
        dir.path(),
        &["user", "contact", "giamsat", "--email", "giamsat@hcc.example.vn", "--phone", "0912345678"],
        None,
    ));
    assert!(out.contains("Đã cập nhật liên hệ"), "{out}");
    for bad in [&["--phone", "12345"][..], &["--email", "khong-phai-email"][..]] {
        let mut args = vec!["user", "contact", "giamsat"];
        args.extend_from_slice(bad);
        assert!(!hcc_cli(dir.path(), &args, None).status.success(), "{bad:?} was accepted");
    }
    assert!(!hcc_cli(dir.path(), &["user", "contact", "khong-co", "--phone", "0912345678"], None).status.success());

    let out = ok(hcc_cli(dir.path(), &["jobs", "run-once", "--at", "2026-03-02 09:00"], None));
    assert!(out.contains("Cảnh báo sớm: 0 cảnh báo mới"), "{out}");
    assert!(out.contains("chưa cấu hình SMTP hoặc SMS/Zalo"), "{out}");
    assert!(!hcc_cli(dir.path(), &["jobs", "run-once", "--at", "hôm qua"], None).status.success());
    let bad_channel =
        hcc_cli(dir.path(), &["jobs", "run-once", "--sms-url", "http://127.0.0.1:9/x", "--sms-channel", "fax"], None);
    assert!(!bad_channel.status.success(), "an unknown text channel is refused");
}
