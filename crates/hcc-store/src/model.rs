//! The records the store reads and writes.

use hcc_domain::lifecycle::{DossierState, EventDraft};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

mod documents;
mod stats;
pub use documents::*;
pub use stats::*;

/// Instants are stored as microseconds since the Unix epoch, UTC, in both backends.
pub fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// The current instant at the precision the store keeps (microseconds), so that what a handler
/// computed from it is exactly what a later read returns.
pub fn now() -> Timestamp {
    from_micros(micros(Timestamp::now()))
}

/// The inverse of [`micros`]; out-of-range values (never written by HCC) clamp to the epoch.
pub fn from_micros(m: i64) -> Timestamp {
    Timestamp::from_microsecond(m).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Whether the applicant is a person or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Person,
    Organization,
}

impl ApplicantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Organization => "organization",
        }
    }
}

/// The applicant as validated at receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    /// CCCD / CMND for a person, tax code for an organisation.
    pub id_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: String,
    pub commune_code: Option<String>,
}

/// One line of the required-document checklist ticked at receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub no: u32,
    pub name: String,
    pub originals: u32,
    pub copies: u32,
    /// Mandatory for every applicant, or — with a [`Self::group`] — for an applicant in that case.
    pub mandatory: bool,
    pub provided: bool,
    /// The case the paper belongs to (thành phần hồ sơ theo trường hợp); absent for a paper common
    /// to every case. Older checklists have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl ChecklistItem {
    /// The procedure's required papers as a checklist, ticked where `provided` says so.
    pub fn for_procedure(
        procedure: &hcc_domain::catalog::Procedure,
        mut provided: impl FnMut(&hcc_domain::catalog::RequiredDocument) -> bool,
    ) -> Vec<ChecklistItem> {
        procedure
            .documents
            .iter()
            .map(|d| ChecklistItem {
                no: d.no,
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
                mandatory: d.mandatory,
                provided: provided(d),
                group: d.group.clone(),
            })
            .collect()
    }
}

/// Who performed an action, as the control sheet records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventActor {
    pub user_id: Option<i64>,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit: String,
}

/// A dossier about to be written for the first time.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub procedure_code: String,
    pub procedure_version: i64,
    pub procedure_name: String,
    pub field: String,
    pub applicant: Applicant,
    pub subject_commune: Option<String>,
    pub request_summary: String,
    pub documents: Vec<ChecklistItem>,
    pub return_method: String,
    pub routing_rule: String,
    pub idempotency_key: Option<String>,
    pub secret: String,
    /// The state after the last of `events`.
    pub state: DossierState,
    /// The control-sheet rows, oldest first: the receipt and, for imported history, what followed.
    pub events: Vec<(EventDraft, EventActor, Timestamp)>,
    /// The local date the code is numbered under (the receipt date).
    pub code_date: jiff::civil::Date,
    /// Documents recorded by `events` (imported histories): the index of the recording event and
    /// the document. Live receipts record documents afterwards, one transition each.
    pub files: Vec<(usize, NewDocument)>,
}

/// A stored dossier.
#[derive(Debug, Clone, Serialize)]
pub struct DossierRecord {
    pub id: i64,
    pub code: String,
    #[serde(skip)]
    pub secret: String,
    pub procedure_code: String,
    pub procedure_version: i64,
    pub procedure_name: String,
    pub field: String,
    pub applicant: Applicant,
    pub subject_commune: Option<String>,
    pub request_summary: String,
    pub documents: Vec<ChecklistItem>,
    pub return_method: String,
    pub routing_rule: String,
    pub submitted_at: Timestamp,
    pub state: DossierState,
    pub event_count: i64,
    pub last_hash: String,
    /// Optimistic-concurrency version: a write must name the version it read.
    pub version: i64,
    pub updated_at: Timestamp,
}

/// A dossier as a list shows it: who, what, where it is and its dates, without the applicant's
/// details, checklist, control-sheet chain or anything else only the dossier's own page shows
/// (a page of fifty rows reads a third of the columns of fifty whole records).
#[derive(Debug, Clone)]
pub struct DossierListing {
    pub id: i64,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub field: String,
    pub channel: hcc_domain::catalog::Channel,
    pub point_code: String,
    pub agency_code: String,
    pub assignee: Option<i64>,
    pub applicant_name: String,
    pub step_due_at: Option<Timestamp>,
    /// The status and the dates its progress is judged by.
    pub timing: hcc_domain::lifecycle::Timing,
    pub version: i64,
}

/// One stored row of the control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    pub actor_name: String,
    pub role: String,
    pub unit: String,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub step_name: String,
    pub step_due_at: Option<Timestamp>,
    pub step_outcome: String,
    pub handed_to: String,
    pub note: String,
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// A staff web session as stored: the SHA-256 of its id, its account once logged in, its data
/// (JSON) and when it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: Option<i64>,
    pub data: String,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The data holds the session's form token: keep it out of logs.
        f.debug_struct("SessionRow").field("user_id", &self.user_id).field("expires_at", &self.expires_at).finish()
    }
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub agency_code: Option<String>,
    pub point_code: Option<String>,
    pub disabled: bool,
}

/// A staff account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: String,
    pub agency_code: Option<String>,
    pub point_code: Option<String>,
}

/// A stored procedure version with its summary columns.
#[derive(Debug, Clone)]
pub struct ProcedureRecord {
    pub procedure: hcc_domain::catalog::Procedure,
    pub is_current: bool,
}

/// What storing a procedure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created { version: u32 },
    NewVersion { version: u32 },
    Unchanged { version: u32 },
}

/// Filters for the dossier list. Every filter is optional; `limit` is capped by the store.
#[derive(Debug, Clone, Default)]
pub struct DossierQuery {
    pub status: Option<String>,
    pub agency: Option<String>,
    pub procedure: Option<String>,
    pub field: Option<String>,
    pub point: Option<String>,
    pub assignee: Option<i64>,
    pub due_before: Option<Timestamp>,
    /// Open dossiers whose appointment has passed at this instant.
    pub overdue_at: Option<Timestamp>,
    /// Dossiers being handled and already late at this instant (a period's end), as the service
    /// index judges them: see `late_open_count`.
    pub late_open_at: Option<Timestamp>,
    /// Folded text matched against code, applicant name and ID number.
    pub text: Option<String>,
    /// Restricts to what a reader may see: dossiers with this agency now …
    pub visible_to_agency: Option<String>,
    /// … or dossiers that are or were with this agency (liên thông history) …
    pub involved_agency: Option<String>,
    /// … or of this reception point.
    pub visible_to_point: Option<String>,
    /// Only dossiers in one of these statuses (empty: any); combines with `status`.
    pub statuses: Vec<String>,
    /// The channel the dossier came through (`counter`, `online`, `post`).
    pub channel: Option<String>,
    /// Only dossiers of one of these fields (empty: any); the supervisor's watched fields.
    pub fields: Vec<String>,
    /// Received (the clock started) in `[from, to)`.
    pub received_in: Option<(Timestamp, Timestamp)>,
    /// Handling ended in `[from, to)` (approved, not settled, stopped: what the index judges;
    /// withdrawals and refusals at reception excluded) …
    pub settled_in: Option<(Timestamp, Timestamp)>,
    /// … and late (`Some(true)`: after the first appointment or asked for a supplement more than
    /// once) or early and on time (`Some(false)`), as `lifecycle::progress` judges.
    pub settled_late: Option<bool>,
    /// Finished (returned, withdrawn, refused, stopped) in `[from, to)`; combine with `status`.
    pub finished_in: Option<(Timestamp, Timestamp)>,
    /// Appointment after this instant (with `due_before`: due soon).
    pub due_after: Option<Timestamp>,
    /// Not changed since this instant (stuck).
    pub updated_before: Option<Timestamp>,
    /// Most urgent first — by the current step's due time, dossiers without one last — instead of
    /// newest first (the inbox).
    pub by_urgency: bool,
    /// Resume after this dossier id (cursor pagination, newest first).
    pub after_id: Option<i64>,
    /// Resume after this (urgency key, id) when `by_urgency` (see [`urgency_key`]).
    pub after_urgency: Option<(i64, i64)>,
    pub limit: u32,
}

/// The sort key of a dossier in urgency order: its step due time in microseconds, or the largest
/// value when it has none.
pub fn urgency_key(step_due_at: Option<Timestamp>) -> i64 {
    step_due_at.map_or(i64::MAX, micros)
}

/// A page of results and the cursor of the next page.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

/// A commune or ward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commune {
    pub code: String,
    pub province_code: String,
    pub name: String,
    pub full_name: String,
}

/// A province or centrally-run city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Province {
    pub code: String,
    pub name: String,
    pub full_name: String,
}

/// A day in the editable calendar: a holiday or a make-up working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: jiff::civil::Date,
    /// `holiday` or `makeup`.
    pub kind: String,
    pub name: String,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub dossiers_checked: u64,
    pub events_checked: u64,
    pub problems: Vec<String>,
}

/// A change an administrator makes to the installation's settings; the store writes it and its
/// [`AdminAuditEntry`] in one transaction.
#[derive(Debug, Clone)]
pub enum AdminChange {
    PutAgency(hcc_domain::org::Agency),
    PutPoint(hcc_domain::org::ReceptionPoint),
    PutCalendarDay(CalendarDay),
    DeleteCalendarDay(jiff::civil::Date),
    CreateUser(NewUser),
    SetUserDisabled {
        username: String,
        disabled: bool,
    },
    SetUserPassword {
        username: String,
        password_hash: String,
    },
    /// Name, role and scope of an account; its sessions end so the new rights apply at once.
    SetUserScope {
        username: String,
        full_name: String,
        role: String,
        agency_code: Option<String>,
        point_code: Option<String>,
    },
    /// Publishes a procedure: changed content becomes a new current version.
    PutProcedure(Box<hcc_domain::catalog::Procedure>),
    SetFileRules {
        procedure_code: String,
        rules: FileRules,
    },
}

/// What an administrative change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminOutcome {
    Done,
    /// The change named nothing that exists (an unknown account or day).
    NotFound,
    Procedure(PutOutcome),
    UserCreated(User),
}

/// A row of the administrators' log (nhật ký quản trị): who changed what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminAuditEntry {
    pub at: jiff::Timestamp,
    pub user_id: i64,
    pub username: String,
    /// Stable name of the change (`agency.put`, `user.disable`, `calendar.delete`, …).
    pub action: String,
    /// What was changed (a code, a username, a date).
    pub target: String,
    /// The change in words (Vietnamese), for the log page.
    pub detail: String,
}
