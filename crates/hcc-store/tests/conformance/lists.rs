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
        let mut keys = Vec::new();
        loop {
            let page = s.list_dossiers(&q).await.unwrap();
            keys.extend(page.items.iter().map(|d| (urgency_key(d.state.step_due_at), d.id)));
            match (page.next_after, page.items.last()) {
                (Some(_), Some(last)) => q.after_urgency = Some((urgency_key(last.state.step_due_at), last.id)),
                _ => break,
            }
        }
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
