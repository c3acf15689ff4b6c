//! The citizen portal's records on both backends: accounts and one-time codes (tries counted,
//! one winner between concurrent tries, messages queued without a dossier), sessions, drafts
//! bound to one citizen and one dossier, and one rating per dossier counted per agency and month.

use super::*;
use hcc_domain::citizen::Rating;
use hcc_store::citizens::{DraftRow, NewCitizen, NewCode, NewRating};

fn code(hash: &str, at: Timestamp) -> NewCode {
    NewCode {
        code_hash: hash.into(),
        expires_at: at + jiff::SignedDuration::from_mins(10),
        payload: format!("{{\"to\":\"0912345678\",\"code\":\"{hash}\"}}"),
    }
}

#[tokio::test]
async fn accounts_codes_and_sessions() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let new = NewCitizen {
            contact: "0912345678".into(),
            full_name: "Nguyễn Văn An".into(),
            password_hash: "h1".into(),
            code: code("c1", t),
        };
        let id = s.create_citizen(&new, t).await.unwrap();
        // Signing up again before verifying renews the same account with a new code.
        let again = NewCitizen { full_name: "Nguyễn Văn Bình".into(), code: code("c2", t), ..new.clone() };
        assert_eq!(s.create_citizen(&again, t).await.unwrap(), id, "{}", b.name);
        let c = s.citizen_by_contact("0912345678").await.unwrap().unwrap();
        assert_eq!((c.full_name.as_str(), c.verified), ("Nguyễn Văn Bình", false));
        let messages = s.outbox_messages("one_time_code", 10).await.unwrap();
        assert_eq!(messages.len(), 2);
        assert!(messages.iter().all(|(d, _)| d.is_none()), "codes belong to no dossier");
        assert!(messages[0].1.contains("c2"), "newest first");

        let latest = s.latest_citizen_code(id).await.unwrap().unwrap();
        assert_eq!((latest.code_hash.as_str(), latest.attempts, latest.used), ("c2", 0, false));
        assert!(s.record_code_try(latest.id, 0, false, t).await.unwrap());
        // A try that read a stale count loses: two tries at once cannot both count.
        assert!(!s.record_code_try(latest.id, 0, true, t).await.unwrap());
        assert!(s.record_code_try(latest.id, 1, true, t).await.unwrap());
        let spent = s.latest_citizen_code(id).await.unwrap().unwrap();
        assert_eq!((spent.attempts, spent.used), (2, true));
        assert!(!s.record_code_try(latest.id, 2, true, t).await.unwrap(), "a used code is spent");
        assert!(s.citizen_by_id(id).await.unwrap().unwrap().verified);
        let taken = NewCitizen { code: code("c3", t), ..new.clone() };
        assert!(matches!(s.create_citizen(&taken, t).await, Err(StoreError::Duplicate("contact"))));

        let later = t + jiff::SignedDuration::from_hours(1);
        s.insert_citizen_session("hash-1", id, "csrf-1", later, t).await.unwrap();
        assert_eq!(s.load_citizen_session("hash-1", t).await.unwrap(), Some((id, "csrf-1".to_owned())));
        assert_eq!(s.load_citizen_session("hash-1", later).await.unwrap(), None, "expired");
        s.delete_citizen_session("hash-1").await.unwrap();
        assert_eq!(s.load_citizen_session("hash-1", t).await.unwrap(), None);

        let o1 = s.citizen_for_oidc("http://idp", "sub-1", "Trần Thị C", t).await.unwrap();
        let o2 = s.citizen_for_oidc("http://idp", "sub-1", "Tên khác", t).await.unwrap();
        assert_eq!(o1.id, o2.id);
        assert!(o1.verified && o1.contact.is_none() && o1.password_hash.is_empty());
    })
    .await;
}

#[tokio::test]
async fn drafts_belong_to_one_citizen_and_become_one_dossier() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let mk = |contact: &str, hash: &str| NewCitizen {
            contact: contact.into(),
            full_name: "A".into(),
            password_hash: "h".into(),
            code: code(hash, t),
        };
        let alice = s.create_citizen(&mk("0912345678", "a"), t).await.unwrap();
        let bob = s.create_citizen(&mk("0987654321", "b"), t).await.unwrap();
        let draft = DraftRow {
            key: "k-0123456789abcdef".into(),
            citizen_id: alice,
            procedure_code: "1.012753".into(),
            form: "{\"name\":\"A\"}".into(),
            files: "[]".into(),
            dossier_id: None,
            updated_at: t,
        };
        s.save_draft(&draft).await.unwrap();
        s.save_draft(&DraftRow { form: "{\"name\":\"B\"}".into(), ..draft.clone() }).await.unwrap();
        assert_eq!(s.get_draft(&draft.key).await.unwrap().unwrap().form, "{\"name\":\"B\"}");
        let stolen = DraftRow { citizen_id: bob, ..draft.clone() };
        assert!(matches!(s.save_draft(&stolen).await, Err(StoreError::Conflict)), "{}", b.name);

        let (d, _) = s.create_dossier(new_dossier(t, "A", Some("cong-dan:k")), t).await.unwrap();
        s.finish_draft(&draft.key, d.id, t).await.unwrap();
        assert_eq!(s.dossier_citizen(d.id).await.unwrap(), Some(alice));
        assert!(matches!(s.save_draft(&draft).await, Err(StoreError::Conflict)), "a finished draft stays as it was");
        let mine = s.drafts_of(alice, 10).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].dossier_id, Some(d.id));
        assert!(s.drafts_of(bob, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn one_rating_per_dossier_counted_per_agency_and_month() {
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let (d1, _) = s.create_dossier(new_dossier(t, "A", None), t).await.unwrap();
        let (d2, _) = s.create_dossier(new_dossier(t, "B", None), t).await.unwrap();
        assert!(s.issue_rating_link(d1.id, "tok-1", "{}", t).await.unwrap());
        assert!(!s.issue_rating_link(d1.id, "tok-9", "{}", t).await.unwrap(), "one link per dossier");
        assert_eq!(s.outbox_messages("rating", 10).await.unwrap(), vec![(Some(d1.id), "{}".to_owned())]);
        assert_eq!(s.rating_link_dossier("tok-1").await.unwrap(), Some(d1.id));
        assert_eq!(s.rating_link_dossier("tok-9").await.unwrap(), None);

        let rating = |dossier_id: i64, rating: Rating, month: &str| NewRating {
            dossier_id,
            agency_code: AGENCY.into(),
            month: month.into(),
            rating,
            reason: if rating == Rating::Dissatisfied { "Chậm".into() } else { String::new() },
            comment: String::new(),
            is_complaint: false,
            feedback_due_at: None,
        };
        s.insert_rating(&rating(d1.id, Rating::Dissatisfied, "2026-03"), t).await.unwrap();
        assert_eq!(s.rating_link_dossier("tok-1").await.unwrap(), None, "the link is spent with the rating");
        assert!(matches!(
            s.insert_rating(&rating(d1.id, Rating::VerySatisfied, "2026-03"), t).await,
            Err(StoreError::Duplicate("rating"))
        ));
        assert_eq!(s.rating_of(d1.id).await.unwrap().unwrap().rating, Rating::Dissatisfied, "{}", b.name);
        s.insert_rating(&rating(d2.id, Rating::VerySatisfied, "2026-04"), t).await.unwrap();

        let march = s.rating_counts("2026-03", "2026-03").await.unwrap();
        assert_eq!(march.len(), 1);
        assert_eq!((march[0].1.dissatisfied, march[0].1.very_satisfied), (1, 0));
        let spring = s.rating_counts("2026-01", "2026-06").await.unwrap();
        assert_eq!(
            (spring[0].0.as_str(), spring[0].1.total(), spring[0].1.satisfied_permille()),
            (AGENCY, 2, Some(500))
        );
        assert!(s.rating_counts("2025-01", "2025-12").await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn feedback_is_listed_by_deadline_answered_once_with_its_notice_and_counted() {
    use hcc_store::feedback::{FeedbackAnswer, FeedbackQuery};
    each(async |b| {
        let s = &b.store;
        let t = monday_morning();
        let day = jiff::SignedDuration::from_hours(24);
        let mut ids = Vec::new();
        // Three ratings: two with feedback (due in 10 and 5 days), one without.
        for (name, comment, due) in [
            ("A", "Cán bộ hướng dẫn chưa rõ", Some(t + day * 10)),
            ("B", "Phí cao", Some(t + day * 5)),
            ("C", "", None),
        ] {
            let (d, _) = s.create_dossier(new_dossier(t, name, None), t).await.unwrap();
            let r = NewRating {
                dossier_id: d.id,
                agency_code: AGENCY.into(),
                month: "2026-03".into(),
                rating: Rating::Dissatisfied,
                reason: "Chậm".into(),
                comment: comment.into(),
                is_complaint: name == "A",
                feedback_due_at: due,
            };
            s.insert_rating(&r, t).await.unwrap();
            ids.push(d.id);
        }
        let all = FeedbackQuery { limit: 10, ..Default::default() };
        let list = s.feedback_page(&all).await.unwrap();
        let codes: Vec<&str> = list.iter().map(|r| r.comment.as_str()).collect();
        assert_eq!(codes, ["Phí cao", "Cán bộ hướng dẫn chưa rõ"], "{}: by deadline, no comment no feedback", b.name);
        assert!(list[1].is_complaint && list[0].answered_at.is_none());
        // Cursor paging: one a page.
        let first = s.feedback_page(&FeedbackQuery { limit: 1, ..Default::default() }).await.unwrap();
        let next = FeedbackQuery { limit: 1, after: Some((first[0].due_at, first[0].id)), ..Default::default() };
        assert_eq!(s.feedback_page(&next).await.unwrap()[0].comment, "Cán bộ hướng dẫn chưa rõ");
        let other = FeedbackQuery { agency: Some(OTHER_AGENCY.into()), limit: 10, ..Default::default() };
        assert!(s.feedback_page(&other).await.unwrap().is_empty(), "another agency sees none");

        // Answered by its agency only, once; the notice is queued with it.
        let answer = |agency: &str, text: &str| FeedbackAnswer {
            rating_id: list[0].id,
            agency_code: agency.into(),
            answer: text.into(),
            answered_by: "lanhdao".into(),
            notice: format!("{{\"answer\":\"{text}\"}}"),
        };
        assert!(!s.answer_feedback(&answer(OTHER_AGENCY, "Không"), t + day).await.unwrap());
        assert!(s.answer_feedback(&answer(AGENCY, "Đã điều chỉnh"), t + day).await.unwrap());
        assert!(!s.answer_feedback(&answer(AGENCY, "Lần hai"), t + day * 2).await.unwrap(), "the first answer stays");
        let notices = s.outbox_messages("feedback_answer", 10).await.unwrap();
        assert_eq!(notices, vec![(Some(ids[1]), "{\"answer\":\"Đã điều chỉnh\"}".to_owned())], "{}", b.name);
        let open = s.feedback_page(&FeedbackQuery { open_only: true, limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(open.len(), 1);
        let answered = s.feedback_page(&all).await.unwrap();
        assert_eq!((answered[0].answer.as_str(), answered[0].answered_by.as_str()), ("Đã điều chỉnh", "lanhdao"));

        // The indicator: at day 6 only the answered one is judged; at day 11 the other is overdue.
        let window = (t - day, t + day * 30);
        let agency = Some(AGENCY.to_owned());
        assert_eq!(s.feedback_counts(window.0, window.1, &agency, t + day * 6).await.unwrap(), (1, 1));
        assert_eq!(s.feedback_counts(window.0, window.1, &agency, t + day * 11).await.unwrap(), (1, 2));
        assert_eq!(s.feedback_counts(window.0, window.1, &None, t + day * 11).await.unwrap(), (1, 2));
        assert_eq!(
            s.feedback_counts(window.0, t + day * 6, &None, t + day * 11).await.unwrap(),
            (1, 1),
            "due in the window"
        );
        assert_eq!(s.feedback_counts(window.0, window.1, &Some(OTHER_AGENCY.into()), t).await.unwrap(), (0, 0));
    })
    .await;
}
