//! The demo's ratings: applicants rate part of the returned dossiers (mostly satisfied, a few not,
//! with reasons), and some leave feedback the agency answers — most in time, some late, some not
//! yet — so that the satisfaction figures, the feedback list and the Decision 766 indicators of a
//! fresh demo have something to show.

use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::citizen::Rating;
use hcc_domain::feedback::FEEDBACK_LIMIT;
use hcc_store::citizens::NewRating;
use hcc_store::feedback::FeedbackAnswer;
use hcc_store::{DossierQuery, Store};
use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Most dossiers looked at (the newest returned ones).
const MOST: usize = 3000;

const REASONS: [&str; 3] = ["Phải đi lại nhiều lần", "Trả kết quả chậm so với giấy hẹn", "Hướng dẫn chưa rõ ràng"];
const FEEDBACK: [&str; 4] = [
    "Đề nghị niêm yết rõ hơn danh mục giấy tờ phải nộp",
    "Đề nghị bố trí thêm quầy tiếp nhận vào buổi sáng",
    "Cán bộ hướng dẫn nhiệt tình, đề nghị rút ngắn thời gian giải quyết",
    "Phí gửi kết quả qua bưu chính còn cao",
];
const ANSWERS: [&str; 2] = [
    "Trung tâm tiếp thu ý kiến và đã chỉ đạo bộ phận liên quan khắc phục. Trân trọng cảm ơn Ông/Bà.",
    "Cơ quan đã rà soát và điều chỉnh quy trình theo góp ý của Ông/Bà. Trân trọng cảm ơn.",
];

/// Rates about six in ten of the newest returned dossiers; answers how many it rated.
pub async fn seed(store: &Store, calendar: &WorkingCalendar, now: Timestamp) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(766);
    // Each agency's leader answers its feedback.
    let leaders: std::collections::HashMap<String, String> = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.role == "leader" && !u.disabled)
        .filter_map(|u| Some((u.agency_code?, u.username)))
        .collect();
    let mut rated = 0;
    let mut seen = 0;
    let mut after_id = None;
    while seen < MOST {
        let q = DossierQuery { status: Some("returned".into()), after_id, limit: 200, ..Default::default() };
        let page = store.list_dossiers(&q).await?;
        for d in &page.items {
            seen += 1;
            let Some(finished) = d.state.finished_at else { continue };
            if rng.random_range(0..10) >= 6 {
                continue;
            }
            let sent = finished + SignedDuration::from_hours(rng.random_range(1..48));
            if sent > now {
                continue;
            }
            let rating = match rng.random_range(0..100) {
                0..=59 => Rating::VerySatisfied,
                60..=91 => Rating::Satisfied,
                _ => Rating::Dissatisfied,
            };
            let reason = if rating == Rating::Dissatisfied { REASONS[rng.random_range(0..REASONS.len())] } else { "" };
            let comment =
                if rng.random_range(0..100) < 12 { FEEDBACK[rng.random_range(0..FEEDBACK.len())] } else { "" };
            let due = (!comment.is_empty()).then(|| calendar.due_at(sent, FEEDBACK_LIMIT));
            let new = NewRating {
                dossier_id: d.id,
                agency_code: d.state.agency_code.clone(),
                month: calendar.local(finished).date().strftime("%Y-%m").to_string(),
                rating,
                reason: reason.to_owned(),
                comment: comment.to_owned(),
                is_complaint: rating == Rating::Dissatisfied && !comment.is_empty(),
                feedback_due_at: due,
            };
            let rating_id = store.insert_rating(&new, sent).await?;
            rated += 1;
            if let Some(due) = due {
                // Most answered within the deadline, some after it, the rest still waiting.
                let answered = match rng.random_range(0..10) {
                    0..=6 => Some(sent + (due.duration_since(sent) / 2)),
                    7 => Some(due + SignedDuration::from_hours(30)),
                    _ => None,
                };
                if let Some(at) = answered.filter(|at| *at <= now) {
                    let answer = ANSWERS[rng.random_range(0..ANSWERS.len())];
                    let a = FeedbackAnswer {
                        rating_id,
                        agency_code: d.state.agency_code.clone(),
                        answer: answer.to_owned(),
                        answered_by: leaders.get(&d.state.agency_code).cloned().unwrap_or_default(),
                        notice: serde_json::json!({ "answer": answer }).to_string(),
                    };
                    store.answer_feedback(&a, at).await?;
                }
            }
        }
        match page.next_after {
            Some(next) if !page.items.is_empty() => after_id = Some(next),
            _ => break,
        }
    }
    Ok(rated)
}
