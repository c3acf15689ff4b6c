//! Writers at once: exactly one of two concurrent changes of a dossier wins, and a write that
//! fails leaves the others written with it (SQLite commits them together) — on both backends.

use super::*;

#[tokio::test]
async fn a_stale_write_loses_and_changes_nothing() {
    each(async |b| {
        let t = monday_morning();
        // Races are timing-dependent: run several so a lost update cannot slip through by luck.
        for round in 0..10 {
            let (d, _) = b.store.create_dossier(new_dossier(t, &format!("A{round}"), None), t).await.unwrap();
            let later = t + jiff::SignedDuration::from_hours(1);
            let (r1, r2) = tokio::join!(assign(b, &d, later), assign(b, &d, later));
            let wins = [&r1, &r2].iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "{}: exactly one of two concurrent writers wins: {r1:?} {r2:?}", b.name);
            assert!([&r1, &r2].iter().any(|r| matches!(r, Err(StoreError::Conflict))), "{}: {r1:?} {r2:?}", b.name);
            let now = b.store.get_dossier(&d.code).await.unwrap().unwrap();
            assert_eq!(now.version, 2);
            let winner = [&r1, &r2].into_iter().find_map(|r| r.as_ref().ok()).unwrap();
            assert_eq!(format!("{winner:?}"), format!("{now:?}"), "the returned record is what was stored");
            assert_eq!(b.store.events(d.id).await.unwrap().len(), 2, "the loser appended no event");
        }
    })
    .await;
}

/// Writes that arrive together share one commit on SQLite; one of them failing (here a stale
/// transition, refused after the others in its group ran) must leave every other written exactly,
/// counters included, and the codes without a gap.
#[tokio::test]
async fn a_failing_write_takes_no_other_write_with_it() {
    each(async |b| {
        let t = monday_morning();
        let later = t + jiff::SignedDuration::from_hours(1);
        for round in 0..5 {
            let (d, _) = b.store.create_dossier(new_dossier(t, &format!("Cũ {round}"), None), t).await.unwrap();
            assign(b, &d, later).await.unwrap();
            // Sent together (one group on SQLite), the stale write among the receipts.
            let mut receipts = Vec::new();
            let mut stale = None;
            for i in 0..12 {
                let s = b.store.clone();
                receipts.push(tokio::spawn(async move {
                    s.create_dossier(new_dossier(t, &format!("Mới {round}-{i}"), None), t).await
                }));
                if i == 5 {
                    // `d` is the version before the assignment: this write must lose.
                    stale = Some(assign(b, &d, later));
                }
            }
            let stale = stale.unwrap().await;
            assert!(matches!(stale, Err(StoreError::Conflict)), "{}: {stale:?}", b.name);
            for r in receipts {
                let (made, created) = r.await.unwrap().unwrap();
                assert!(created);
                assert_eq!(b.store.events(made.id).await.unwrap().len(), 1, "{}", b.name);
            }
            assert_eq!(b.store.events(d.id).await.unwrap().len(), 2, "{}: the loser appended nothing", b.name);
        }
        let count = b.store.count_dossiers().await.unwrap();
        assert_eq!(count, 5 * 13, "{}", b.name);
        let check = b.store.rebuild_stats(false).await.unwrap();
        assert!(check.agreed(), "{}: {:?}", b.name, check.differences);
    })
    .await;
}
