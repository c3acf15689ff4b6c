//! The citizen's side of the portal, as rules: how a sign-up contact is read, when a one-time code
//! is accepted, what a satisfaction rating must carry (DOMAIN.md §Satisfaction), how the share of
//! satisfied applicants is computed, and what a recorded fee payment must say. Pure: the caller
//! passes `now`, the codes and the counts.

use crate::identity::Phone;
use jiff::{SignedDuration, Timestamp};

/// How long a one-time code may be used.
pub const CODE_TTL: SignedDuration = SignedDuration::from_mins(10);
/// Wrong tries before a code is spent (a 6-digit code then has a 5 in 1,000,000 chance).
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// Where a citizen signs up and receives codes: a mobile phone or an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    /// A mobile number, national form (`09xxxxxxxx`).
    Phone(String),
    /// An e-mail address, lower case.
    Email(String),
}

/// Why a contact was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Cần nhập số điện thoại di động hoặc địa chỉ thư điện tử")]
    Missing,
    #[error("Số điện thoại di động không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09)")]
    Phone,
    #[error("Địa chỉ thư điện tử không hợp lệ")]
    Email,
}

impl Contact {
    /// Reads what the citizen typed: an e-mail when it has an `@`, a phone otherwise.
    pub fn parse(s: &str) -> Result<Contact, ContactError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(ContactError::Missing);
        }
        if t.contains('@') {
            let valid = t.len() <= 254
                && !t.chars().any(char::is_whitespace)
                && t.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                });
            return if valid { Ok(Contact::Email(t.to_lowercase())) } else { Err(ContactError::Email) };
        }
        Phone::parse(t).map(|p| Contact::Phone(p.as_str().to_owned())).map_err(|_| ContactError::Phone)
    }

    /// The stored form (the account's key).
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Phone(p) | Contact::Email(p) => p,
        }
    }

    /// `sms` or `email`: how the outbox delivers to it.
    pub fn channel(&self) -> &'static str {
        match self {
            Contact::Phone(_) => "sms",
            Contact::Email(_) => "email",
        }
    }
}

/// A one-time code as stored (its hash is compared by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeState {
    pub expires_at: Timestamp,
    pub attempts: u32,
    pub used: bool,
}

/// What a try of a one-time code comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    Accepted,
    /// Wrong; this many tries are left.
    Wrong {
        left: u32,
    },
    Expired,
    /// Too many wrong tries: a new code is needed.
    Exhausted,
    Used,
}

impl CodeVerdict {
    /// A stable error code for the answer.
    pub fn code(self) -> &'static str {
        match self {
            CodeVerdict::Accepted => "ok",
            CodeVerdict::Wrong { .. } => "wrong_code",
            CodeVerdict::Expired => "code_expired",
            CodeVerdict::Exhausted => "code_exhausted",
            CodeVerdict::Used => "code_used",
        }
    }

    pub fn message_vi(self) -> String {
        match self {
            CodeVerdict::Accepted => "Đã xác thực".to_owned(),
            CodeVerdict::Wrong { left } => format!("Mã xác thực không đúng; còn {left} lần thử"),
            CodeVerdict::Expired => "Mã xác thực đã hết hạn; vui lòng yêu cầu mã mới".to_owned(),
            CodeVerdict::Exhausted => "Đã nhập sai quá số lần cho phép; vui lòng yêu cầu mã mới".to_owned(),
            CodeVerdict::Used => "Mã xác thực đã được sử dụng".to_owned(),
        }
    }
}

/// Judges a try of a code: a used, expired or exhausted code is refused whatever was typed, so a
/// late right guess is worth nothing.
pub fn judge_code(code: CodeState, matches: bool, now: Timestamp) -> CodeVerdict {
    if code.used {
        return CodeVerdict::Used;
    }
    if now >= code.expires_at {
        return CodeVerdict::Expired;
    }
    if code.attempts >= MAX_CODE_ATTEMPTS {
        return CodeVerdict::Exhausted;
    }
    if matches {
        return CodeVerdict::Accepted;
    }
    let left = MAX_CODE_ATTEMPTS - code.attempts - 1;
    if left == 0 { CodeVerdict::Exhausted } else { CodeVerdict::Wrong { left } }
}

/// The applicant's rating of a finished dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    /// Rất hài lòng.
    VerySatisfied,
    /// Hài lòng.
    Satisfied,
    /// Không hài lòng (a reason is required).
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::VerySatisfied, Rating::Satisfied, Rating::Dissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "very_satisfied",
            Rating::Satisfied => "satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "Rất hài lòng",
            Rating::Satisfied => "Hài lòng",
            Rating::Dissatisfied => "Không hài lòng",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "Very satisfied",
            Rating::Satisfied => "Satisfied",
            Rating::Dissatisfied => "Dissatisfied",
        }
    }
}

/// A rating ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRating {
    pub rating: Rating,
    pub reason: String,
    pub comment: String,
    /// The comment is a complaint (phản ánh, kiến nghị), which has its own handling deadline.
    pub is_complaint: bool,
}

/// Why a rating was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("Vui lòng chọn mức độ hài lòng")]
    Missing,
    #[error("Vui lòng nêu lý do không hài lòng")]
    ReasonRequired,
    #[error("Nội dung quá dài (tối đa 2000 ký tự)")]
    TooLong,
    #[error("Phản ánh, kiến nghị cần có nội dung")]
    EmptyComplaint,
}

/// The longest reason or comment kept.
pub const MAX_RATING_TEXT: usize = 2000;

/// Checks a rating as the applicant filled it in: a level, a reason when dissatisfied, texts of
/// bounded length without control characters (line breaks allowed), a complaint only with text.
pub fn validate_rating(
    rating: Option<&str>,
    reason: &str,
    comment: &str,
    is_complaint: bool,
) -> Result<ValidRating, RatingError> {
    let rating = rating.and_then(Rating::parse).ok_or(RatingError::Missing)?;
    let clean = |s: &str| -> Result<String, RatingError> {
        let t: String = s.trim().chars().filter(|c| !c.is_control() || *c == '\n').collect();
        if t.chars().count() > MAX_RATING_TEXT { Err(RatingError::TooLong) } else { Ok(t) }
    };
    let reason = clean(reason)?;
    let comment = clean(comment)?;
    if rating == Rating::Dissatisfied && reason.is_empty() {
        return Err(RatingError::ReasonRequired);
    }
    if is_complaint && comment.is_empty() {
        return Err(RatingError::EmptyComplaint);
    }
    Ok(ValidRating { rating, reason, comment, is_complaint })
}

/// Counts of ratings over some set of dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RatingCounts {
    pub very_satisfied: u64,
    pub satisfied: u64,
    pub dissatisfied: u64,
}

impl RatingCounts {
    pub fn total(&self) -> u64 {
        self.very_satisfied + self.satisfied + self.dissatisfied
    }

    pub fn add(&mut self, rating: Rating, n: u64) {
        match rating {
            Rating::VerySatisfied => self.very_satisfied += n,
            Rating::Satisfied => self.satisfied += n,
            Rating::Dissatisfied => self.dissatisfied += n,
        }
    }

    /// The share answering satisfied or very satisfied, in per mille (as SIPAS reads a factor):
    /// `None` without any rating.
    pub fn satisfied_permille(&self) -> Option<u64> {
        let total = self.total();
        (total > 0).then(|| ((self.very_satisfied + self.satisfied) * 1000 + total / 2) / total)
    }

    /// The average on a 3-point scale (very satisfied 3, satisfied 2, dissatisfied 1), in
    /// hundredths: `None` without any rating.
    pub fn average_hundredths(&self) -> Option<u64> {
        let total = self.total();
        let points = self.very_satisfied * 3 + self.satisfied * 2 + self.dissatisfied;
        (total > 0).then(|| (points * 100 + total / 2) / total)
    }
}

/// How a fee was paid where no online gateway is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    /// Paid (or to be paid) at the counter when the result is collected.
    AtCounter,
    /// Paid by bank transfer; the transfer's reference is recorded.
    BankTransfer,
}

impl PaymentMethod {
    pub fn parse(s: &str) -> Option<PaymentMethod> {
        match s {
            "counter" => Some(PaymentMethod::AtCounter),
            "bank_transfer" => Some(PaymentMethod::BankTransfer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::AtCounter => "counter",
            PaymentMethod::BankTransfer => "bank_transfer",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            PaymentMethod::AtCounter => "Nộp tại quầy khi nhận kết quả",
            PaymentMethod::BankTransfer => "Chuyển khoản ngân hàng",
        }
    }
}

/// Why a payment record was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("Vui lòng chọn hình thức nộp phí, lệ phí")]
    MethodMissing,
    #[error("Mã giao dịch chuyển khoản không hợp lệ (6–40 chữ cái hoặc chữ số)")]
    BadReference,
}

/// Checks a recorded payment: a bank transfer carries its reference (letters, digits, `-`, `.`,
/// `/`), a counter payment none.
pub fn check_payment(method: Option<&str>, reference: &str) -> Result<(PaymentMethod, Option<String>), PaymentError> {
    let method = method.and_then(PaymentMethod::parse).ok_or(PaymentError::MethodMissing)?;
    match method {
        PaymentMethod::AtCounter => Ok((method, None)),
        PaymentMethod::BankTransfer => {
            let r = reference.trim();
            let valid = (6..=40).contains(&r.len())
                && r.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/'))
                && r.bytes().any(|b| b.is_ascii_alphanumeric());
            if valid { Ok((method, Some(r.to_uppercase()))) } else { Err(PaymentError::BadReference) }
        }
    }
}

/// Whether a channel's published fee asks the applicant to pay: a stated amount above zero, or a
/// text that is neither empty nor says "free" (Miễn phí, Không thu, Không có).
pub fn fee_due(fee_text: &str, fee_vnd: Option<u64>) -> bool {
    match fee_vnd {
        Some(amount) => amount > 0,
        None => {
            let folded = crate::text::fold(fee_text);
            !folded.trim().is_empty()
                && !["mien phi", "khong thu", "khong co", "khong quy dinh"].iter().any(|w| folded.contains(w))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn contacts_are_phones_or_emails() {
        assert_eq!(Contact::parse(" 0912 345 678 "), Ok(Contact::Phone("0912345678".into())));
        assert_eq!(Contact::parse("+84912345678"), Ok(Contact::Phone("0912345678".into())));
        assert_eq!(Contact::parse("An.Nguyen@Example.VN"), Ok(Contact::Email("an.nguyen@example.vn".into())));
        assert_eq!(Contact::parse(""), Err(ContactError::Missing));
        assert_eq!(Contact::parse("0212345678"), Err(ContactError::Phone));
        assert_eq!(Contact::parse("091234567"), Err(ContactError::Phone));
        for bad in ["a@b", "@example.vn", "a@.vn", "a@vn.", "a b@example.vn", "a@b@example.vn"] {
            assert_eq!(Contact::parse(bad), Err(ContactError::Email), "{bad}");
        }
        assert_eq!(Contact::parse("0912345678").map(|c| c.channel()), Ok("sms"));
        assert_eq!(Contact::parse("a@example.vn").map(|c| c.channel()), Ok("email"));
    }

    #[test]
    fn a_code_is_accepted_once_before_it_expires_and_within_its_tries() {
        let now = at("2026-03-02T02:00:00Z");
        let fresh = CodeState { expires_at: now + CODE_TTL, attempts: 0, used: false };
        assert_eq!(judge_code(fresh, true, now), CodeVerdict::Accepted);
        assert_eq!(judge_code(fresh, false, now), CodeVerdict::Wrong { left: 4 });
        assert_eq!(judge_code(CodeState { attempts: 3, ..fresh }, false, now), CodeVerdict::Wrong { left: 1 });
        assert_eq!(judge_code(CodeState { attempts: 4, ..fresh }, false, now), CodeVerdict::Exhausted);
        // The last try may still be right.
        assert_eq!(judge_code(CodeState { attempts: 4, ..fresh }, true, now), CodeVerdict::Accepted);
        // A right code after the limit, after expiry or a second time is worth nothing.
        assert_eq!(judge_code(CodeState { attempts: 5, ..fresh }, true, now), CodeVerdict::Exhausted);
        assert_eq!(judge_code(fresh, true, now + CODE_TTL), CodeVerdict::Expired);
        assert_eq!(judge_code(CodeState { used: true, ..fresh }, true, now), CodeVerdict::Used);
        assert_eq!(judge_code(fresh, true, now + CODE_TTL - SignedDuration::from_secs(1)), CodeVerdict::Accepted);
    }

    #[test]
    fn every_verdict_has_a_stable_code_and_a_vietnamese_message() {
        let all = [
            CodeVerdict::Accepted,
            CodeVerdict::Wrong { left: 2 },
            CodeVerdict::Expired,
            CodeVerdict::Exhausted,
            CodeVerdict::Used,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|v| v.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert!(CodeVerdict::Wrong { left: 2 }.message_vi().contains("còn 2 lần"));
    }

    #[test]
    fn a_dissatisfied_rating_needs_a_reason() {
        assert_eq!(validate_rating(None, "", "", false), Err(RatingError::Missing));
        assert_eq!(validate_rating(Some("great"), "", "", false), Err(RatingError::Missing));
        assert_eq!(validate_rating(Some("dissatisfied"), "  ", "", false), Err(RatingError::ReasonRequired));
        let ok = validate_rating(Some("dissatisfied"), " Phải đi lại nhiều lần ", "", false);
        assert_eq!(ok.map(|r| r.reason), Ok("Phải đi lại nhiều lần".to_owned()));
        let ok = validate_rating(Some("very_satisfied"), "", "Cán bộ nhiệt tình", false);
        assert_eq!(ok.map(|r| (r.rating, r.comment)), Ok((Rating::VerySatisfied, "Cán bộ nhiệt tình".to_owned())));
        assert_eq!(validate_rating(Some("satisfied"), "", "", true), Err(RatingError::EmptyComplaint));
        let long = "a".repeat(MAX_RATING_TEXT + 1);
        assert_eq!(validate_rating(Some("satisfied"), &long, "", false), Err(RatingError::TooLong));
        assert_eq!(validate_rating(Some("satisfied"), "", "x\u{0}y", false).map(|r| r.comment), Ok("xy".to_owned()));
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn satisfaction_shares_and_averages() {
        let mut c = RatingCounts::default();
        assert_eq!(c.satisfied_permille(), None);
        assert_eq!(c.average_hundredths(), None);
        c.add(Rating::VerySatisfied, 2);
        c.add(Rating::Satisfied, 1);
        c.add(Rating::Dissatisfied, 1);
        assert_eq!(c.total(), 4);
        assert_eq!(c.satisfied_permille(), Some(750));
        // (3+3+2+1)/4 = 2.25
        assert_eq!(c.average_hundredths(), Some(225));
        let thirds = RatingCounts { very_satisfied: 0, satisfied: 2, dissatisfied: 1 };
        assert_eq!(thirds.satisfied_permille(), Some(667));
        assert_eq!(thirds.average_hundredths(), Some(167));
    }

    #[test]
    fn a_fee_is_due_unless_it_is_free() {
        assert!(fee_due("Lệ phí : 100.000 Đồng", Some(100_000)));
        assert!(!fee_due("Lệ phí : 0 Đồng", Some(0)));
        assert!(!fee_due("Miễn phí", None));
        assert!(!fee_due("Không thu phí", None));
        assert!(!fee_due("", None));
        assert!(!fee_due("Không có thông tin", None));
        assert!(fee_due("Theo quy định của HĐND thành phố", None));
    }

    #[test]
    fn payments_record_a_method_and_a_transfer_reference() {
        assert_eq!(check_payment(None, ""), Err(PaymentError::MethodMissing));
        assert_eq!(check_payment(Some("card"), ""), Err(PaymentError::MethodMissing));
        assert_eq!(check_payment(Some("counter"), "ignored"), Ok((PaymentMethod::AtCounter, None)));
        assert_eq!(
            check_payment(Some("bank_transfer"), " ft2403-1234x "),
            Ok((PaymentMethod::BankTransfer, Some("FT2403-1234X".into())))
        );
        for bad in ["", "12345", "------", "FT 2403 1234", "<script>", &"9".repeat(41)] {
            assert_eq!(check_payment(Some("bank_transfer"), bad), Err(PaymentError::BadReference), "{bad}");
        }
    }
}
