//! Feedback and complaints left with ratings (phản ánh, kiến nghị): the list the agencies answer
//! and the supervisors watch, the answer (written with its notice to the applicant in one
//! transaction) and the counts of the Decision 766 indicator. The SQL lives in
//! `queries/feedback.rs`, shared by both backends.

use crate::{Store, StoreError};
use jiff::Timestamp;

/// Which feedback to list: oldest deadline first, a page after the cursor.
#[derive(Debug, Clone, Default)]
pub struct FeedbackQuery {
    /// One agency's (a leader's own); `None` for every agency.
    pub agency: Option<String>,
    /// Only what has not been answered yet.
    pub open_only: bool,
    /// The cursor: the last row's (deadline, id) of the previous page.
    pub after: Option<(Timestamp, i64)>,
    pub limit: u32,
}

/// One piece of feedback, with its dossier and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRow {
    /// The rating's id (what an answer names).
    pub id: i64,
    pub dossier_id: i64,
    pub dossier_code: String,
    pub procedure_name: String,
    pub agency_code: String,
    pub rating: hcc_domain::citizen::Rating,
    pub reason: String,
    pub comment: String,
    pub is_complaint: bool,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub answered_by: String,
    pub answer: String,
}

/// An answer to write.
#[derive(Debug, Clone)]
pub struct FeedbackAnswer {
    pub rating_id: i64,
    /// The answering leader's agency: only its own feedback can be answered.
    pub agency_code: String,
    pub answer: String,
    /// Who answered (username), as the list shows it.
    pub answered_by: String,
    /// The notice to the applicant (outbox payload), queued with the answer.
    pub notice: String,
}

impl Store {
    /// A page of feedback (see [`FeedbackQuery`]).
    pub async fn feedback_page(&self, q: &FeedbackQuery) -> Result<Vec<FeedbackRow>, StoreError> {
        dispatch!(self, feedback_page(q))
    }
    /// Writes an answer and queues its notice, in one transaction. `false` when there is nothing
    /// to answer: no such feedback in that agency, or it was answered already (the first answer
    /// stays).
    pub async fn answer_feedback(&self, a: &FeedbackAnswer, now: Timestamp) -> Result<bool, StoreError> {
        dispatch!(self, answer_feedback(a, now))
    }
    /// The indicator's counts for the feedback due in `[from, to)`, within `agency` when given:
    /// (answered on time, judged) where judged is answered or past due at `now`.
    pub async fn feedback_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        agency: &Option<String>,
        now: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        dispatch!(self, feedback_counts(from, to, agency, now))
    }
}
