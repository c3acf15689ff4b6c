//! Feedback and complaints over a real socket, on SQLite and on PostgreSQL: the agency's leader
//! answers their agency's feedback once (a refused answer comes back beside its field with what was
//! typed), the applicant's notice is queued with the answer, a supervisor sees every agency's and
//! answers none, another agency's leader sees none, and the Decision 766 indicator counts it.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on any unexpected error")]

mod support;

use support::spawn_apps;
use support::web::{Web, text_of};

const LAND_AGENCY: &str = "000.00.11.H26";

#[tokio::test]
async fn the_agency_answers_feedback_once_and_the_supervisor_watches() {
    for app in spawn_apps().await {
        let reception = app.login("tiepnhan").await;
        let dossier = app.receive_land(&reception, "Nguyễn Văn Đức").await;
        let now = jiff::Timestamp::now();
        let rating = hcc_store::citizens::NewRating {
            dossier_id: app.store.get_dossier(dossier["code"].as_str().unwrap()).await.unwrap().unwrap().id,
            agency_code: LAND_AGENCY.to_owned(),
            month: now.in_tz("Asia/Ho_Chi_Minh").unwrap().strftime("%Y-%m").to_string(),
            rating: hcc_domain::citizen::Rating::Dissatisfied,
            reason: "Phải đi lại nhiều lần".to_owned(),
            comment: "Đề nghị hướng dẫn một lần đầy đủ".to_owned(),
            is_complaint: true,
            feedback_due_at: Some(now + jiff::SignedDuration::from_hours(1)),
        };
        app.store.insert_rating(&rating, now).await.unwrap();
        let id = app.store.feedback_page(&Default::default()).await.unwrap()[0].id;

        let supervisor = Web::demo(&app, "giamsat").await;
        let (s, html) = supervisor.get("/giam-sat/phan-anh").await;
        assert_eq!(s, 200, "{}", app.name);
        assert!(html.contains("Đề nghị hướng dẫn một lần đầy đủ") && html.contains("Khiếu nại"), "{html}");
        assert!(html.contains("Chưa trả lời") && !html.contains("answer-form"), "a supervisor answers none");
        let (s, _) = supervisor.post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", "Không được")]).await;
        assert_eq!(s, 403, "{}", app.name);
        let construction = Web::demo(&app, "lanhdao.xd").await;
        let (_, theirs) = construction.get("/giam-sat/phan-anh").await;
        assert!(theirs.contains("id=\"no-feedback\""), "{}: another agency sees none", app.name);
        let (s, _) = construction.post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", "Không phải của tôi")]).await;
        assert_eq!(s, 409, "{}: not theirs to answer", app.name);
        let specialist = Web::demo(&app, "chuyenvien").await;
        assert_eq!(specialist.get("/giam-sat/phan-anh").await.0, 403);

        let leader = Web::demo(&app, "lanhdao").await;
        let (_, mine) = leader.get("/giam-sat/phan-anh").await;
        assert!(mine.contains("class=\"answer-form\""), "{mine}");
        // Each answer form carries its page's cursor, so a refused answer comes back on that page.
        let due = rating.feedback_due_at.unwrap().as_microsecond() - 1;
        let (_, paged) = leader.get(&format!("/giam-sat/phan-anh?after={due}.0")).await;
        assert!(paged.contains(&format!("name=\"after\" value=\"{due}.0\"")), "{paged}");
        let (s, refused) = leader.post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", "   ")]).await;
        assert_eq!(s, 422);
        assert_eq!(text_of(&refused, &format!("answer-{id}-error")), "Cần nhập nội dung trả lời");
        assert!(refused.contains("data-code=\"answer_required\""));
        let long = "ư".repeat(4001);
        let (s, refused) = leader.post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", &long)]).await;
        assert_eq!(s, 422);
        assert!(refused.contains(&long), "what was typed is kept");
        assert!(app.store.outbox_messages("feedback_answer", 10).await.unwrap().is_empty(), "nothing written");

        let (s, to) = leader
            .post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", "Đã chấn chỉnh bộ phận tiếp nhận, xin cảm ơn.")])
            .await;
        assert_eq!((s, to.as_str()), (303, format!("/giam-sat/phan-anh?sent=1#fb-{id}").as_str()), "{}", app.name);
        let (s, _) = leader.post(&format!("/giam-sat/phan-anh/{id}"), &[("answer", "Lần hai")]).await;
        assert_eq!(s, 409, "answered once");
        let notices = app.store.outbox_messages("feedback_answer", 10).await.unwrap();
        assert_eq!(notices.len(), 1);
        assert!(notices[0].1.contains("Đã chấn chỉnh bộ phận tiếp nhận"), "{:?}", notices);
        let (_, open) = leader.get("/giam-sat/phan-anh").await;
        assert!(open.contains("id=\"no-feedback\""), "nothing left to answer");
        let (_, all) = supervisor.get("/giam-sat/phan-anh?show=all").await;
        assert!(all.contains("Đã trả lời đúng hạn") && all.contains("lanhdao,"), "{all}");

        // The index counts it in the month it falls due (answered, so judged already).
        let due_month = rating.feedback_due_at.unwrap().in_tz("Asia/Ho_Chi_Minh").unwrap().strftime("%Y-%m");
        let today_month = now.in_tz("Asia/Ho_Chi_Minh").unwrap().strftime("%Y-%m").to_string();
        if due_month.to_string() == today_month {
            let (_, index) = supervisor.get(&format!("/giam-sat/chi-so?agency={LAND_AGENCY}")).await;
            let row = &index[index.find("id=\"feedback_on_time\"").unwrap()..];
            let row = &row[..row.find("</tr>").unwrap()];
            assert!(row.contains("1 / 1") && row.contains("100,00%"), "{}: {row}", app.name);
        }
    }
}
