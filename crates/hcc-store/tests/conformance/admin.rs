//! Administrative changes: each is written with its log row in one transaction, on both backends.

use super::{AGENCY, POINT, each, procedure};
use hcc_domain::org::{Agency, AgencyKind};
use hcc_domain::{TimeLimit, TimeUnit};
use hcc_store::*;
use jiff::Timestamp;

fn audit(action: &str, target: &str) -> AdminAuditEntry {
    AdminAuditEntry {
        at: Timestamp::now(),
        user_id: 7,
        username: "quantri".into(),
        action: action.into(),
        target: target.into(),
        detail: format!("{action} {target}"),
    }
}

#[tokio::test]
async fn admin_changes_are_logged_with_the_change() {
    each(async |b| {
        let s = &b.store;
        let agency = Agency {
            code: "000.00.99.H26".into(),
            name: "Sở Tư pháp".into(),
            kind: AgencyKind::Department,
            commune_code: None,
        };
        let out =
            s.admin_apply(&AdminChange::PutAgency(agency.clone()), &audit("agency.put", &agency.code)).await.unwrap();
        assert_eq!(out, AdminOutcome::Done);
        assert_eq!(s.get_agency(&agency.code).await.unwrap(), Some(agency.clone()), "{}", b.name);

        // A new version of a procedure is logged; saving it unchanged is neither a version nor a log row.
        let mut p = procedure();
        p.channels[0].time_limit = Some(TimeLimit::new(10, TimeUnit::WorkingDays));
        let out = s
            .admin_apply(&AdminChange::PutProcedure(Box::new(p.clone())), &audit("procedure.publish", &p.code))
            .await
            .unwrap();
        assert_eq!(out, AdminOutcome::Procedure(PutOutcome::NewVersion { version: 2 }), "{}", b.name);
        let out = s
            .admin_apply(&AdminChange::PutProcedure(Box::new(p.clone())), &audit("procedure.publish", &p.code))
            .await
            .unwrap();
        assert_eq!(out, AdminOutcome::Procedure(PutOutcome::Unchanged { version: 2 }), "{}", b.name);
        let versions = s.procedure_versions(&p.code).await.unwrap();
        assert_eq!(versions.iter().map(|v| (v.0, v.2)).collect::<Vec<_>>(), vec![(2, true), (1, false)], "{}", b.name);

        // An account: created, its scope changed (its tokens end), disabled; an unknown one is not found.
        let created = s
            .admin_apply(
                &AdminChange::CreateUser(NewUser {
                    username: "tiepnhan2".into(),
                    full_name: "Lê Văn Bình".into(),
                    password_hash: "x".into(),
                    role: "reception".into(),
                    agency_code: None,
                    point_code: Some(POINT.into()),
                }),
                &audit("user.create", "tiepnhan2"),
            )
            .await
            .unwrap();
        let AdminOutcome::UserCreated(u) = created else { panic!("{}: {created:?}", b.name) };
        let now = Timestamp::now();
        s.insert_token("t-admin", u.id, now, now + jiff::SignedDuration::from_hours(1)).await.unwrap();
        let scope = AdminChange::SetUserScope {
            username: "tiepnhan2".into(),
            full_name: "Lê Văn Bình".into(),
            role: "specialist".into(),
            agency_code: Some(AGENCY.into()),
            point_code: None,
        };
        assert_eq!(s.admin_apply(&scope, &audit("user.scope", "tiepnhan2")).await.unwrap(), AdminOutcome::Done);
        let u = s.user_by_username("tiepnhan2").await.unwrap().unwrap();
        assert_eq!((u.role.as_str(), u.agency_code.as_deref(), u.point_code), ("specialist", Some(AGENCY), None));
        assert!(s.user_by_token("t-admin", now).await.unwrap().is_none(), "{}: a new role ends old tokens", b.name);
        let unknown = AdminChange::SetUserDisabled { username: "khong-co".into(), disabled: true };
        assert_eq!(s.admin_apply(&unknown, &audit("user.disable", "khong-co")).await.unwrap(), AdminOutcome::NotFound);

        // A calendar day: added, then deleted; deleting it again finds nothing.
        let date = jiff::civil::date(2026, 5, 4);
        let day = CalendarDay { date, kind: "holiday".into(), name: "Nghỉ bù".into() };
        s.admin_apply(&AdminChange::PutCalendarDay(day), &audit("calendar.put", "2026-05-04")).await.unwrap();
        assert!(!s.working_calendar().await.unwrap().is_working_day(date), "{}: a holiday now", b.name);
        let del = AdminChange::DeleteCalendarDay(date);
        assert_eq!(s.admin_apply(&del, &audit("calendar.delete", "2026-05-04")).await.unwrap(), AdminOutcome::Done);
        assert_eq!(s.admin_apply(&del, &audit("calendar.delete", "2026-05-04")).await.unwrap(), AdminOutcome::NotFound);

        let log = s.admin_audit(None, 50).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            vec!["calendar.delete", "calendar.put", "user.scope", "user.create", "procedure.publish", "agency.put"],
            "{}: newest first, one row per change that changed something",
            b.name
        );
        assert_eq!(s.admin_audit(Some("tiepnhan2"), 50).await.unwrap().len(), 2, "{}", b.name);
    })
    .await;
}
