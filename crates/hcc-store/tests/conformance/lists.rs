//! Dossier lists in their orders, page by page: by urgency, and newest first across several
//! statuses — on both backends.

use super::*;

#[tokio::test]
async fn urgency_order_pages_by_step_due_time() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        for i in 0..5 {
            // Received a day apart: later receipts are due later.
            let at = t + jiff::SignedDuration::from_hours(24 * (4 - i));
            s.create_dossier(new_dossier(at, &format!("Người nộp {i}"), None), at).await.unwrap();
        }
        let mut q = DossierQuery {
            limit: 2,
            by_urgency: true,
            statuses: vec!["received".into(), "in_progress".into()],
            visible_to_agency: Some(AGENCY.into()),
            ..Default::default()
        };
        let keys = urgency_keys_of_every_page(s, q.clone()).await;
        assert_eq!(keys.len(), 5, "{}", b.name);
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "most urgent first, no repeats: {keys:?}");
        q.statuses = vec!["returned".into()];
        q.after_urgency = None;
        assert!(s.list_dossiers(&q).await.unwrap().items.is_empty());
    })
    .await;
}

/// A list of several statuses, newest first, page by page: exactly the dossiers in those
/// statuses, none twice (SQLite reads it a status at a time and merges).
#[tokio::test]
async fn a_list_of_several_statuses_pages_newest_first() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let mut assigned = Vec::new();
        let mut received = Vec::new();
        for i in 0..7 {
            let (d, _) = s.create_dossier(new_dossier(t, &format!("Người {i}"), None), t).await.unwrap();
            if i % 3 == 0 {
                assigned.push(assign(b, &d, t + jiff::SignedDuration::from_hours(1)).await.unwrap().id);
            } else {
                received.push(d.id);
            }
        }
        let all: Vec<i64> = {
            let mut v = [assigned.clone(), received.clone()].concat();
            v.sort_unstable_by(|a, b| b.cmp(a));
            v
        };
        let mut q = DossierQuery {
            limit: 2,
            statuses: vec!["in_progress".into(), "received".into(), "returned".into()],
            visible_to_agency: Some(AGENCY.into()),
            ..Default::default()
        };
        let seen = ids_of_every_page(s, &q).await;
        assert_eq!(seen, all, "{}", b.name);
        q.after_id = None;
        q.limit = 50;
        q.statuses = vec!["in_progress".into(), "returned".into()];
        let only: Vec<i64> = s.list_dossiers(&q).await.unwrap().items.iter().map(|d| d.id).collect();
        assert_eq!(only, assigned.iter().rev().copied().collect::<Vec<_>>(), "{}", b.name);
    })
    .await;
}

/// The API's list rows are the list's dossiers, page by page, each saying what its whole record
/// says: same order, same cursor, same fields, the same dates to judge its progress by.
#[tokio::test]
async fn list_rows_say_what_the_whole_dossiers_say() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        for i in 0..5 {
            let name = if i == 2 { "Nguyễn Văn Đức".to_owned() } else { format!("Lê Thị {i}") };
            let (d, _) = s.create_dossier(new_dossier(t, &name, None), t).await.unwrap();
            if i % 2 == 0 {
                assign(b, &d, t + jiff::SignedDuration::from_hours(1)).await.unwrap();
            }
        }
        let queries = [
            DossierQuery { limit: 2, visible_to_agency: Some(AGENCY.into()), ..Default::default() },
            DossierQuery { limit: 2, statuses: vec!["in_progress".into(), "received".into()], ..Default::default() },
            DossierQuery { limit: 10, text: Some("nguyen van duc".into()), ..Default::default() },
        ];
        for query in queries {
            let mut q = query.clone();
            let mut pages = 0;
            loop {
                let whole = s.list_dossiers(&q).await.unwrap();
                let rows = s.list_dossier_listings(&q).await.unwrap();
                assert_eq!(rows.next_after, whole.next_after, "{}", b.name);
                assert_eq!(rows.items.len(), whole.items.len(), "{}", b.name);
                for (row, d) in rows.items.iter().zip(&whole.items) {
                    assert_eq!(
                        (row.id, &row.code, &row.procedure_code, &row.procedure_name, &row.field, row.channel),
                        (d.id, &d.code, &d.procedure_code, &d.procedure_name, &d.field, d.state.channel)
                    );
                    assert_eq!(
                        (&row.point_code, &row.agency_code, row.assignee, &row.applicant_name),
                        (&d.state.point_code, &d.state.agency_code, d.state.assignee, &d.applicant.name)
                    );
                    assert_eq!((row.step_due_at, row.version), (d.state.step_due_at, d.version));
                    assert_eq!(row.timing, hcc_domain::lifecycle::Timing::of(&d.state));
                }
                pages += 1;
                match rows.next_after {
                    Some(after) => q.after_id = Some(after),
                    None => break,
                }
            }
            assert!(pages >= 1);
        }
        let assigned = s
            .list_dossier_listings(&DossierQuery {
                status: Some("in_progress".into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(assigned.items.len(), 3, "{}", b.name);
        assert!(assigned.items.iter().all(|r| r.step_due_at.is_some()), "a step is running");
        let found = s
            .list_dossier_listings(&DossierQuery {
                text: Some("nguyen van duc".into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(found.items.len(), 1);
        assert_eq!(found.items[0].applicant_name, "Nguyễn Văn Đức");
    })
    .await;
}

/// Most urgent first across statuses, page by page, with dossiers that have no step due time
/// (they come last, by id): the same order as sorting every dossier by its urgency key.
#[tokio::test]
async fn undated_dossiers_come_last_in_the_urgency_order() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let mut made = Vec::new();
        for i in 0..8 {
            let at = t + jiff::SignedDuration::from_hours(24 * (i % 3));
            let (d, _) = s.create_dossier(new_dossier(at, &format!("Người {i}"), None), at).await.unwrap();
            let d = if i % 2 == 0 { assign(b, &d, at + jiff::SignedDuration::from_hours(1)).await.unwrap() } else { d };
            made.push(d.id);
        }
        let undated: Vec<i64> = made.iter().copied().filter(|id| id % 3 == 0).collect();
        let list = undated.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        s.execute_raw(&format!("UPDATE dossiers SET step_due_at = NULL WHERE id IN ({list})")).await.unwrap();
        let mut expected = Vec::new();
        for id in &made {
            let d = s.get_dossier_by_id(*id).await.unwrap().unwrap();
            expected.push((urgency_key(d.state.step_due_at), d.id));
        }
        expected.sort_unstable();
        let q = DossierQuery {
            limit: 3,
            by_urgency: true,
            statuses: vec!["received".into(), "in_progress".into()],
            visible_to_agency: Some(AGENCY.into()),
            ..Default::default()
        };
        let seen = urgency_keys_of_every_page(s, q).await;
        assert_eq!(seen, expected, "{}", b.name);
        assert!(seen.iter().rev().take(undated.len()).all(|(key, _)| *key == i64::MAX), "the undated come last");
    })
    .await;
}

/// Pages through a most-urgent-first list to its end, following each page's cursor: the
/// (urgency key, id) of every row, in the order the pages gave them.
async fn urgency_keys_of_every_page(s: &Store, mut q: DossierQuery) -> Vec<(i64, i64)> {
    let mut keys = Vec::new();
    loop {
        let page = s.list_dossier_listings(&q).await.unwrap();
        keys.extend(page.items.iter().map(|d| (urgency_key(d.step_due_at), d.id)));
        match (page.next_after, page.items.last()) {
            (Some(_), Some(last)) => q.after_urgency = Some((urgency_key(last.step_due_at), last.id)),
            _ => return keys,
        }
    }
}
