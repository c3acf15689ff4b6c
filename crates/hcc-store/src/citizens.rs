//! The citizen portal's records: citizen accounts and their one-time codes and sessions, online
//! submission drafts, and per-dossier satisfaction ratings with their one-time links. The queries
//! live in `queries/citizens.rs` and `queries/ratings.rs`, shared by both backends.

use crate::{Store, StoreError};
use jiff::Timestamp;

/// A citizen's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: i64,
    /// The verified phone or e-mail they signed up with (`None` for an OpenID Connect account).
    pub contact: Option<String>,
    pub full_name: String,
    pub password_hash: String,
    pub verified: bool,
}

/// A new account waiting for its code, with the code's message for the outbox.
#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub contact: String,
    pub full_name: String,
    pub password_hash: String,
    pub code: NewCode,
}

/// A one-time code to store (its hash) and send (the outbox payload carries the code itself).
#[derive(Debug, Clone)]
pub struct NewCode {
    pub code_hash: String,
    pub expires_at: Timestamp,
    /// The outbox message (JSON): recipient, channel, text.
    pub payload: String,
}

/// The latest code of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    pub id: i64,
    pub code_hash: String,
    pub expires_at: Timestamp,
    pub attempts: u32,
    pub used: bool,
}

/// An online submission in the making.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub key: String,
    pub citizen_id: i64,
    pub procedure_code: String,
    /// The fields typed so far (JSON object).
    pub form: String,
    /// The papers already uploaded (JSON array).
    pub files: String,
    pub dossier_id: Option<i64>,
    pub updated_at: Timestamp,
}

/// A rating to store.
#[derive(Debug, Clone)]
pub struct NewRating {
    pub dossier_id: i64,
    pub agency_code: String,
    /// The local month it counts for, `YYYY-MM`.
    pub month: String,
    pub rating: hcc_domain::citizen::Rating,
    pub reason: String,
    pub comment: String,
    pub is_complaint: bool,
    /// When the comment is feedback the agency must answer: by when
    /// (`hcc_domain::feedback::FEEDBACK_LIMIT` after it was sent).
    pub feedback_due_at: Option<Timestamp>,
}

/// A stored rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRecord {
    pub dossier_id: i64,
    pub rating: hcc_domain::citizen::Rating,
    pub reason: String,
    pub comment: String,
    pub is_complaint: bool,
    pub created_at: Timestamp,
    /// Set when the comment is feedback the agency must answer.
    pub feedback_due_at: Option<Timestamp>,
    /// The agency's answer (empty until answered).
    pub answer: String,
    pub answered_at: Option<Timestamp>,
}

impl Store {
    /// Creates an account (or renews an unverified one with the same contact) and queues its
    /// code, in one transaction. A verified account with this contact: [`StoreError::Duplicate`].
    pub async fn create_citizen(&self, c: &NewCitizen, now: Timestamp) -> Result<i64, StoreError> {
        dispatch!(self, create_citizen(c, now))
    }
    /// Queues a new code for an account (the older ones stop counting).
    pub async fn issue_citizen_code(&self, citizen_id: i64, code: &NewCode, now: Timestamp) -> Result<(), StoreError> {
        dispatch!(self, issue_citizen_code(citizen_id, code, now))
    }
    pub async fn latest_citizen_code(&self, citizen_id: i64) -> Result<Option<CodeRow>, StoreError> {
        dispatch!(self, latest_citizen_code(citizen_id))
    }
    /// Records a try of code `code_id` read with `attempts`: a wrong one counts, a right one
    /// spends the code and verifies the account. `false` when another try got there first.
    pub async fn record_code_try(
        &self,
        code_id: i64,
        attempts: u32,
        accepted: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        dispatch!(self, record_code_try(code_id, attempts, accepted, now))
    }
    pub async fn citizen_by_contact(&self, contact: &str) -> Result<Option<Citizen>, StoreError> {
        dispatch!(self, citizen_by_contact(contact))
    }
    pub async fn citizen_by_id(&self, id: i64) -> Result<Option<Citizen>, StoreError> {
        dispatch!(self, citizen_by_id(id))
    }
    /// The account of an OpenID Connect identity, made on its first login.
    pub async fn citizen_for_oidc(
        &self,
        issuer: &str,
        subject: &str,
        full_name: &str,
        now: Timestamp,
    ) -> Result<Citizen, StoreError> {
        dispatch!(self, citizen_for_oidc(issuer, subject, full_name, now))
    }

    pub async fn insert_citizen_session(
        &self,
        id_hash: &str,
        citizen_id: i64,
        csrf: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, insert_citizen_session(id_hash, citizen_id, csrf, expires_at, now))
    }
    /// The (citizen, form token) of an unexpired session.
    pub async fn load_citizen_session(
        &self,
        id_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(i64, String)>, StoreError> {
        dispatch!(self, load_citizen_session(id_hash, now))
    }
    pub async fn delete_citizen_session(&self, id_hash: &str) -> Result<(), StoreError> {
        dispatch!(self, delete_citizen_session(id_hash))
    }

    pub async fn get_draft(&self, key: &str) -> Result<Option<DraftRow>, StoreError> {
        dispatch!(self, get_draft(key))
    }
    /// Writes a draft's fields and papers; refused ([`StoreError::Conflict`]) when the key is
    /// another citizen's or its dossier was already made.
    pub async fn save_draft(&self, d: &DraftRow) -> Result<(), StoreError> {
        dispatch!(self, save_draft(d))
    }
    /// Ties a draft to the dossier it became.
    pub async fn finish_draft(&self, key: &str, dossier_id: i64, now: Timestamp) -> Result<(), StoreError> {
        dispatch!(self, finish_draft(key, dossier_id, now))
    }
    /// A citizen's drafts, the newest first (finished ones name their dossier).
    pub async fn drafts_of(&self, citizen_id: i64, limit: u32) -> Result<Vec<DraftRow>, StoreError> {
        dispatch!(self, drafts_of(citizen_id, limit))
    }
    /// The citizen who submitted a dossier online, if one did.
    pub async fn dossier_citizen(&self, dossier_id: i64) -> Result<Option<i64>, StoreError> {
        dispatch!(self, dossier_citizen(dossier_id))
    }

    /// Stores a dossier's rating link and queues its message; `false` (nothing written) when the
    /// dossier already has one.
    pub async fn issue_rating_link(
        &self,
        dossier_id: i64,
        token_hash: &str,
        payload: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        dispatch!(self, issue_rating_link(dossier_id, token_hash, payload, now))
    }
    /// The dossier of an unused rating link.
    pub async fn rating_link_dossier(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
        dispatch!(self, rating_link_dossier(token_hash))
    }
    /// Stores a rating and spends the dossier's link; answers the rating's id. A second rating of
    /// the same dossier is [`StoreError::Duplicate`] and writes nothing.
    pub async fn insert_rating(&self, r: &NewRating, now: Timestamp) -> Result<i64, StoreError> {
        dispatch!(self, insert_rating(r, now))
    }
    pub async fn rating_of(&self, dossier_id: i64) -> Result<Option<RatingRecord>, StoreError> {
        dispatch!(self, rating_of(dossier_id))
    }
    /// The newest outbox messages of `kind`: (dossier id, payload), newest first.
    pub async fn outbox_messages(&self, kind: &str, limit: u32) -> Result<Vec<(Option<i64>, String)>, StoreError> {
        dispatch!(self, outbox_messages(kind, limit))
    }
    /// The ratings counted for the months `[from_month, to_month]` (`YYYY-MM`), per agency.
    pub async fn rating_counts(
        &self,
        from_month: &str,
        to_month: &str,
    ) -> Result<Vec<(String, hcc_domain::citizen::RatingCounts)>, StoreError> {
        dispatch!(self, rating_counts(from_month, to_month))
    }
}
