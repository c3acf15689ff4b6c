//! Notification delivery, job leases and early warnings: planned once, claimed by one worker at a
//! time under a lease the database's clock judges, retried when due, recorded once.

use super::*;
use hcc_store::notify::{CHANNEL_EMAIL, CHANNEL_TEXT, NewWarning};
use std::time::Duration;

const BOTH: &[&str] = &[CHANNEL_EMAIL, CHANNEL_TEXT];

async fn received(s: &Store, name: &str) -> DossierRecord {
    let t = monday_morning();
    s.create_dossier(new_dossier(t, name, None), t).await.unwrap().0
}

#[tokio::test]
async fn notices_are_planned_once_per_reachable_channel() {
    each(async |b| {
        let s = &b.store;
        let d = received(s, "Lê Văn Tám").await;
        // The applicant gave a phone and no email: one text delivery, none by email.
        assert_eq!(s.plan_outbox(BOTH, 10, monday_morning()).await.unwrap(), 1, "{}", b.name);
        assert_eq!(s.plan_outbox(BOTH, 10, monday_morning()).await.unwrap(), 0, "{}: planned twice", b.name);
        let ds = s.deliveries_of(d.id).await.unwrap();
        assert_eq!(ds.len(), 1, "{}: {ds:?}", b.name);
        assert_eq!((ds[0].kind.as_str(), ds[0].channel.as_str()), ("received", CHANNEL_TEXT));
        assert_eq!((ds[0].recipient.as_str(), ds[0].status.as_str(), ds[0].attempts), ("0912345678", "pending", 0));
        // A channel the worker does not have is not planned.
        let d2 = received(s, "Lê Văn Chín").await;
        assert_eq!(s.plan_outbox(&[CHANNEL_EMAIL], 10, monday_morning()).await.unwrap(), 1);
        assert!(s.deliveries_of(d2.id).await.unwrap().is_empty(), "{}", b.name);
    })
    .await;
}

#[tokio::test]
async fn a_claimed_delivery_is_one_workers_until_sent() {
    each(async |b| {
        let s = &b.store;
        let d = received(s, "Phạm Thị Hoa").await;
        s.plan_outbox(BOTH, 10, monday_morning()).await.unwrap();
        let lease = Duration::from_secs(60);
        // A worker without the text channel does not take a text message.
        assert!(s.claim_deliveries("mailer", &[CHANNEL_EMAIL], 10, lease).await.unwrap().is_empty(), "{}", b.name);
        assert!(s.claim_deliveries("none", &[], 10, lease).await.unwrap().is_empty());
        let a = s.claim_deliveries("worker-a", BOTH, 10, lease).await.unwrap();
        assert_eq!(a.len(), 1, "{}", b.name);
        assert_eq!((a[0].kind.as_str(), a[0].attempts, a[0].dossier_code.as_str()), ("received", 1, d.code.as_str()));
        assert_eq!(a[0].applicant_name, "Phạm Thị Hoa");
        assert!(s.claim_deliveries("worker-b", BOTH, 10, lease).await.unwrap().is_empty(), "{}: leased twice", b.name);
        assert!(s.mark_delivered(a[0].id, "sms-1").await.unwrap());
        assert!(!s.mark_delivered(a[0].id, "sms-2").await.unwrap(), "{}: recorded twice", b.name);
        assert!(!s.mark_failed(a[0].id, "worker-a", "late", None).await.unwrap(), "{}: a sent one failed", b.name);
        let ds = s.deliveries_of(d.id).await.unwrap();
        assert_eq!((ds[0].status.as_str(), ds[0].provider_ref.as_deref()), ("sent", Some("sms-1")));
        assert!(ds[0].sent_at.is_some());
        assert!(s.claim_deliveries("worker-b", BOTH, 10, lease).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn failures_wait_for_their_retry_and_give_up_at_the_end() {
    each(async |b| {
        let s = &b.store;
        let d = received(s, "Đỗ Văn Nam").await;
        s.plan_outbox(BOTH, 10, monday_morning()).await.unwrap();
        let lease = Duration::from_secs(60);
        let id = s.claim_deliveries("w", BOTH, 10, lease).await.unwrap()[0].id;
        assert!(s.mark_failed(id, "w", "HTTP 503", Some(Duration::from_millis(1500))).await.unwrap());
        assert!(s.claim_deliveries("w", BOTH, 10, lease).await.unwrap().is_empty(), "{}: retried early", b.name);
        assert_eq!(s.deliveries_of(d.id).await.unwrap()[0].last_error, "HTTP 503");
        tokio::time::sleep(Duration::from_millis(1700)).await;
        let again = s.claim_deliveries("w", BOTH, 10, lease).await.unwrap();
        assert_eq!((again.len(), again[0].attempts), (1, 2), "{}", b.name);
        // Only the claiming worker records its failure.
        assert!(!s.mark_failed(id, "someone-else", "x", None).await.unwrap());
        assert!(s.mark_failed(id, "w", "HTTP 400", None).await.unwrap());
        let ds = s.deliveries_of(d.id).await.unwrap();
        assert_eq!((ds[0].status.as_str(), ds[0].attempts, ds[0].last_error.as_str()), ("failed", 2, "HTTP 400"));
        assert!(s.claim_deliveries("w", BOTH, 10, lease).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_expired_lease_passes_the_delivery_to_another_worker() {
    each(async |b| {
        let s = &b.store;
        received(s, "Vũ Thị Mai").await;
        s.plan_outbox(BOTH, 10, monday_morning()).await.unwrap();
        let a = s.claim_deliveries("worker-a", BOTH, 10, Duration::from_millis(1500)).await.unwrap();
        assert_eq!(a.len(), 1);
        assert!(s.claim_deliveries("worker-b", BOTH, 10, Duration::from_secs(60)).await.unwrap().is_empty());
        tokio::time::sleep(Duration::from_millis(1700)).await;
        let bb = s.claim_deliveries("worker-b", BOTH, 10, Duration::from_secs(60)).await.unwrap();
        assert_eq!((bb.len(), bb[0].id, bb[0].attempts), (1, a[0].id, 2), "{}", b.name);
        // The first worker, back from the dead, no longer owns it.
        assert!(!s.mark_failed(a[0].id, "worker-a", "timeout", Some(Duration::ZERO)).await.unwrap(), "{}", b.name);
    })
    .await;
}

#[tokio::test]
async fn concurrent_workers_claim_each_delivery_once() {
    for b in backends().await {
        seed(&b.store).await;
        let s = &b.store;
        for i in 0..24 {
            received(s, &format!("Người {i}")).await;
        }
        assert_eq!(s.plan_outbox(BOTH, 100, monday_morning()).await.unwrap(), 24);
        let claim_all = |who: &'static str| {
            let s = s.clone();
            async move {
                let mut mine = Vec::new();
                loop {
                    let got = s.claim_deliveries(who, BOTH, 3, Duration::from_secs(60)).await.unwrap();
                    if got.is_empty() {
                        return mine;
                    }
                    mine.extend(got.into_iter().map(|d| d.id));
                }
            }
        };
        let (a, c) = tokio::join!(claim_all("a"), claim_all("c"));
        let mut all: Vec<i64> = a.iter().chain(&c).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 24, "{}", b.name);
        assert_eq!(a.len() + c.len(), 24, "{}: a delivery was claimed twice", b.name);
    }
}

#[tokio::test]
async fn job_leases_pass_only_when_expired_by_the_database_clock() {
    each(async |b| {
        let s = &b.store;
        let short = Duration::from_millis(1500);
        assert!(s.try_lease("job", "a", short).await.unwrap());
        assert!(!s.try_lease("job", "b", short).await.unwrap(), "{}", b.name);
        assert!(s.try_lease("job", "a", short).await.unwrap(), "{}: the holder renews", b.name);
        assert!(s.try_lease("other", "b", short).await.unwrap(), "leases are per name");
        tokio::time::sleep(Duration::from_millis(1700)).await;
        assert!(s.try_lease("job", "b", Duration::from_secs(60)).await.unwrap(), "{}", b.name);
        assert!(!s.try_lease("job", "a", short).await.unwrap());
        s.release_lease("job", "a").await.unwrap();
        assert!(!s.try_lease("job", "a", short).await.unwrap(), "{}: only the holder releases", b.name);
        s.release_lease("job", "b").await.unwrap();
        assert!(s.try_lease("job", "a", short).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn warnings_are_recorded_once_with_a_notice_per_recipient() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let d = assign(b, &received(s, "Ngô Văn Lực").await, t).await.unwrap();
        let officer = s
            .create_user(&NewUser {
                username: "cv.canhbao".into(),
                full_name: "Chuyên viên".into(),
                password_hash: "x".into(),
                role: "specialist".into(),
                agency_code: Some(AGENCY.into()),
                point_code: None,
            })
            .await
            .unwrap();
        assert!(s.set_staff_contact("cv.canhbao", Some("cv@example.vn"), Some("0987654321")).await.unwrap());
        assert!(!s.set_staff_contact("nobody", None, None).await.unwrap());
        let contact = s.staff_contacts().await.unwrap().into_iter().find(|c| c.id == officer.id).unwrap();
        assert_eq!((contact.email.as_deref(), contact.phone.as_deref()), (Some("cv@example.vn"), Some("0987654321")));

        let step_due = d.state.step_due_at.unwrap();
        let far = step_due + jiff::SignedDuration::from_hours(1);
        let found = s.warning_candidates(far, 0, 10).await.unwrap();
        assert_eq!(found.iter().map(|c| c.dossier_id).collect::<Vec<_>>(), vec![d.id], "{}", b.name);
        assert_eq!((found[0].step_due_at, found[0].step_index), (step_due, i64::from(d.state.step_index)));
        assert!(s.warning_candidates(step_due - jiff::SignedDuration::from_hours(1), 0, 10).await.unwrap().is_empty());
        assert!(s.warning_candidates(far, d.id, 10).await.unwrap().is_empty(), "paged after the id");

        s.plan_outbox(BOTH, 10, t).await.unwrap();
        let w = NewWarning {
            dossier_id: d.id,
            step_index: found[0].step_index,
            kind: "due_soon".into(),
            due_at: step_due,
            recipients: vec![officer.id, 999],
            payload: serde_json::json!({ "step_due_at": step_due }),
        };
        assert!(s.record_warning(&w, t).await.unwrap());
        assert!(!s.record_warning(&w, t).await.unwrap(), "{}: given twice", b.name);
        assert_eq!(s.warnings_of(d.id).await.unwrap(), vec![(w.step_index, "due_soon".to_owned())]);
        let notices: Vec<_> =
            s.notices_of(d.id).await.unwrap().into_iter().filter(|(k, _)| k == "warning_due_soon").collect();
        assert_eq!(notices.len(), 2, "{}: one per recipient", b.name);
        assert_eq!(notices[0].1["user_id"], officer.id);
        // The officer's notice goes to their email and phone; the unknown user's to nobody.
        s.plan_outbox(BOTH, 10, t).await.unwrap();
        let mut to: Vec<_> = s
            .deliveries_of(d.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|x| x.kind == "warning_due_soon")
            .map(|x| (x.channel, x.recipient))
            .collect();
        to.sort();
        assert_eq!(
            to,
            vec![("email".to_owned(), "cv@example.vn".to_owned()), ("text".to_owned(), "0987654321".to_owned())],
            "{}",
            b.name
        );
    })
    .await;
}

#[tokio::test]
async fn a_signed_apology_leaves_a_notice_with_the_new_date() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let d = assign(b, &received(s, "Trịnh Văn Bình").await, t).await.unwrap();
        let p = procedure();
        let cal = calendar();
        let leader = actor(7, Role::Leader, Some(AGENCY), None);
        let involved = vec![AGENCY.to_owned()];
        let ctx = Context { procedure: &p, calendar: &cal, actor: &leader, involved_agencies: &involved, now: t };
        let new_due = d.state.due_at.unwrap() + jiff::SignedDuration::from_hours(72);
        let action = Action::Apologize { new_due_at: new_due, reason: "Chờ ý kiến cơ quan thuế".into() };
        let tr = lifecycle::decide(&d.state, &action, &ctx).unwrap();
        s.apply_transition(&d, &tr.state, &tr.event, &event_actor(&leader), t).await.unwrap();
        let (kind, payload) = s.notices_of(d.id).await.unwrap().pop().unwrap();
        assert_eq!(kind, "apology", "{}", b.name);
        assert_eq!(payload["new_due_at"], serde_json::json!(new_due));
        assert_eq!(payload["reason"], "Chờ ý kiến cơ quan thuế");
    })
    .await;
}

#[tokio::test]
async fn a_message_without_a_dossier_goes_to_the_address_in_its_payload() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let payload = |to: &str, channel: &str| {
            serde_json::json!({ "to": to, "channel": channel, "code": "482913", "minutes": 10 }).to_string()
        };
        let new = |contact: &str, channel: &str| hcc_store::citizens::NewCitizen {
            contact: contact.into(),
            full_name: "Nguyễn Văn An".into(),
            password_hash: "h".into(),
            code: hcc_store::citizens::NewCode {
                code_hash: format!("hash-{contact}"),
                expires_at: t + jiff::SignedDuration::from_mins(10),
                payload: payload(contact, channel),
            },
        };
        s.create_citizen(&new("0987654321", "sms"), t).await.unwrap();
        s.create_citizen(&new("an@example.vn", "email"), t).await.unwrap();
        // A citizen's sign-up code belongs to no dossier: planned by its payload's address alone.
        assert_eq!(s.plan_outbox(BOTH, 10, t).await.unwrap(), 2, "{}", b.name);
        let mut claimed = s.claim_deliveries("worker", BOTH, 10, Duration::from_secs(60)).await.unwrap();
        claimed.sort_by(|a, b| a.channel.cmp(&b.channel));
        let seen: Vec<_> = claimed
            .iter()
            .map(|c| (c.kind.as_str(), c.channel.as_str(), c.recipient.as_str(), c.dossier_code.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("one_time_code", CHANNEL_EMAIL, "an@example.vn", ""),
                ("one_time_code", CHANNEL_TEXT, "0987654321", ""),
            ],
            "{}",
            b.name
        );
        assert_eq!(claimed[0].payload["code"], "482913");
    })
    .await;
}

/// Settled notices past their retention are removed with their deliveries; a pending or unplanned
/// one stays whatever its age.
#[tokio::test]
async fn settled_notices_are_removed_after_their_retention() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let sent = received(s, "Lê Văn Tám").await;
        let pending = received(s, "Lê Thị Chín").await;
        s.plan_outbox(BOTH, 10, t).await.unwrap();
        let unplanned = received(s, "Lê Văn Mười").await;
        let claimed = s.claim_deliveries("w", BOTH, 10, Duration::from_secs(60)).await.unwrap();
        let of_sent = claimed.iter().find(|c| c.dossier_code == sent.code).unwrap();
        assert!(s.mark_delivered(of_sent.id, "sms-1").await.unwrap());
        let of_pending = claimed.iter().find(|c| c.dossier_code == pending.code).unwrap();
        assert!(s.mark_failed(of_pending.id, "w", "HTTP 503", Some(Duration::from_secs(60))).await.unwrap());

        let hour = jiff::SignedDuration::from_hours(1);
        assert_eq!(s.purge_notices(t - hour, 100).await.unwrap(), 0, "{}: not old enough", b.name);
        assert_eq!(s.purge_notices(t + hour, 100).await.unwrap(), 1, "{}", b.name);
        assert!(s.deliveries_of(sent.id).await.unwrap().is_empty());
        assert!(s.notices_of(sent.id).await.unwrap().is_empty(), "{}", b.name);
        assert_eq!(s.deliveries_of(pending.id).await.unwrap().len(), 1);
        assert_eq!(s.notices_of(unplanned.id).await.unwrap().len(), 1, "{}: waits for a provider", b.name);
        assert_eq!(s.purge_notices(t + hour, 100).await.unwrap(), 0, "{}", b.name);
    })
    .await;
}
