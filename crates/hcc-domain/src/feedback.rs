//! Feedback and complaints (phản ánh, kiến nghị) an applicant leaves with a rating: the agency that
//! settled the dossier answers each within its own deadline (DOMAIN.md §Satisfaction), and the
//! share answered in time is an indicator of Decision 766 (§Index, group "satisfaction").

use crate::{TimeLimit, TimeUnit};
use jiff::Timestamp;

/// How long the agency has to answer, counted on the working calendar from when the feedback was
/// sent. The center's rule, not a decree's figure: one place to change it.
pub const FEEDBACK_LIMIT: TimeLimit = TimeLimit::new(10, TimeUnit::WorkingDays);

/// The longest answer kept.
pub const MAX_ANSWER_CHARS: usize = 4000;

/// Why an answer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("Cần nhập nội dung trả lời")]
    Empty,
    #[error("Nội dung trả lời quá dài (tối đa 4000 ký tự)")]
    TooLong,
}

impl AnswerError {
    /// The stable code programs read.
    pub fn code(self) -> &'static str {
        match self {
            AnswerError::Empty => "answer_required",
            AnswerError::TooLong => "answer_too_long",
        }
    }
}

/// Whether a rating's texts make it feedback the agency must answer: anything written in the
/// comment (a complaint always has one).
pub fn needs_answer(comment: &str) -> bool {
    !comment.trim().is_empty()
}

/// Checks an answer as typed: trimmed, not empty, bounded, without control characters (line
/// breaks kept).
pub fn validate_answer(text: &str) -> Result<String, AnswerError> {
    let t: String = text.trim().chars().filter(|c| !c.is_control() || *c == '\n').collect();
    if t.is_empty() {
        return Err(AnswerError::Empty);
    }
    if t.chars().count() > MAX_ANSWER_CHARS {
        return Err(AnswerError::TooLong);
    }
    Ok(t)
}

/// Where a piece of feedback stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackState {
    /// Not answered, its deadline not passed.
    Open,
    /// Not answered and past its deadline.
    Overdue,
    AnsweredOnTime,
    AnsweredLate,
}

impl FeedbackState {
    pub fn of(due_at: Timestamp, answered_at: Option<Timestamp>, now: Timestamp) -> FeedbackState {
        match answered_at {
            Some(a) if a <= due_at => FeedbackState::AnsweredOnTime,
            Some(_) => FeedbackState::AnsweredLate,
            None if now > due_at => FeedbackState::Overdue,
            None => FeedbackState::Open,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            FeedbackState::Open => "Chưa trả lời",
            FeedbackState::Overdue => "Quá hạn trả lời",
            FeedbackState::AnsweredOnTime => "Đã trả lời đúng hạn",
            FeedbackState::AnsweredLate => "Đã trả lời quá hạn",
        }
    }

    /// Whether the indicator "feedback handled on time" judges it yet: answered, or past due.
    pub fn is_judged(self) -> bool {
        self != FeedbackState::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn an_answer_is_trimmed_bounded_and_never_empty() {
        assert_eq!(validate_answer("  Đã tiếp thu, xin cảm ơn.\n "), Ok("Đã tiếp thu, xin cảm ơn.".to_owned()));
        assert_eq!(validate_answer(" \n\t "), Err(AnswerError::Empty));
        assert_eq!(validate_answer("\u{0}\u{7}"), Err(AnswerError::Empty), "control characters are not text");
        assert_eq!(validate_answer("a\u{7}b\nc"), Ok("ab\nc".to_owned()));
        assert_eq!(validate_answer(&"ư".repeat(MAX_ANSWER_CHARS)).map(|s| s.chars().count()), Ok(MAX_ANSWER_CHARS));
        assert_eq!(validate_answer(&"ư".repeat(MAX_ANSWER_CHARS + 1)), Err(AnswerError::TooLong));
        assert_eq!(AnswerError::Empty.code(), "answer_required");
    }

    #[test]
    fn feedback_is_what_the_applicant_wrote() {
        assert!(needs_answer("Cán bộ hướng dẫn chưa rõ"));
        assert!(!needs_answer("   "));
        assert!(!needs_answer(""));
    }

    #[test]
    fn the_state_follows_the_deadline_and_the_answer() {
        let due = at("2026-03-10T10:00:00Z");
        let before = at("2026-03-09T10:00:00Z");
        let after = at("2026-03-11T10:00:00Z");
        assert_eq!(FeedbackState::of(due, None, before), FeedbackState::Open);
        assert_eq!(FeedbackState::of(due, None, due), FeedbackState::Open, "due means not yet late");
        assert_eq!(FeedbackState::of(due, None, after), FeedbackState::Overdue);
        assert_eq!(FeedbackState::of(due, Some(due), after), FeedbackState::AnsweredOnTime);
        assert_eq!(FeedbackState::of(due, Some(after), after), FeedbackState::AnsweredLate);
        assert!(!FeedbackState::Open.is_judged());
        assert!(FeedbackState::Overdue.is_judged() && FeedbackState::AnsweredLate.is_judged());
    }
}
