//! HCC's storage: one API over the embedded SQLite database (the default) or PostgreSQL (for a
//! city), chosen once at start-up from the database URL. Both backends run the same queries
//! (`queries/*.rs`, compiled once per backend) and pass the same conformance suite.

// Defined before the modules so that every module's `impl Store` can use it.
macro_rules! dispatch {
    ($self:ident, $f:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(db) => crate::sqlite::$f(db $(, $arg)*).await,
            Store::Postgres(db) => crate::postgres::$f(db $(, $arg)*).await,
        }
    };
}

pub mod citizens;
mod columns;
mod exec;
pub mod feedback;
pub mod model;
pub mod notify;
pub mod postgres;
pub mod public;
mod search_scan;
pub mod sqlite;
mod sqlite_reads;
mod sqlite_writer;
mod statement;
mod sums_cache;

pub use model::*;

use hcc_domain::catalog::Procedure;
use hcc_domain::lifecycle::{DossierState, EventDraft};
use hcc_domain::org::{Agency, ReceptionPoint, RoutingRule};
use jiff::Timestamp;
use std::path::Path;

/// What can go wrong in the store. Callers turn these into clear answers; none is shown raw.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Somebody changed the dossier since it was read; nothing was written.
    #[error("concurrent change")]
    Conflict,
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// From the embedded backend's hot writer (`sqlite_writer`).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store's writer has stopped (the process is shutting down).
    #[error("store unavailable")]
    Unavailable,
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

fn duration_micros(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX / 4)
}

/// The store, on whichever backend the installation uses.
#[derive(Clone, Debug)]
pub enum Store {
    // Behind one `Arc` each: every request clones the store (its state, its session layer), and
    // one shared count is cheaper to move between threads than the pools' and caches' several.
    Sqlite(std::sync::Arc<sqlite::Db>),
    Postgres(std::sync::Arc<postgres::Db>),
}

impl Store {
    /// Opens the store named by `url`: `postgres://…` or `postgresql://…` for PostgreSQL,
    /// `sqlite://PATH` or a bare path for SQLite. A SQLite file is created only when `create` is
    /// set, so a mistyped path never silently starts an empty installation.
    pub async fn open(url: &str, create: bool) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Store::Postgres(std::sync::Arc::new(postgres::Db::open(url, None).await?)));
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        Ok(Store::Sqlite(std::sync::Arc::new(sqlite::Db::open(Path::new(path), create).await?)))
    }

    /// Opens PostgreSQL with every connection working in `schema` (created if missing). Tests use
    /// a fresh schema each, so they can run in parallel against one database.
    pub async fn open_postgres_schema(url: &str, schema: &str) -> Result<Store, StoreError> {
        if schema.is_empty() || !schema.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(StoreError::Corrupt(format!("invalid schema name {schema:?}")));
        }
        let admin = postgres::Db::open(url, None).await?;
        admin.execute_raw(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"")).await?;
        Ok(Store::Postgres(std::sync::Arc::new(postgres::Db::open(url, Some(schema)).await?)))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        dispatch!(self, migrate())?;
        // Migration 0005 brought the statistics counters: an installation that already had
        // dossiers gets them computed once from its control sheets.
        const COUNTED: &str = "stats_counted";
        // Migration 0013 brought the officers' rollups, which only a replay of the control sheets
        // can fill (the daily rollup's other dimensions are filled by the migration itself).
        const OFFICERS_COUNTED: &str = "stats_officers_counted";
        // The measures counted: when a release counts new ones (reuse at receipt, results
        // returned online), an installation's history gets them from one rebuild.
        const MEASURES: &str = "stats_measures";
        let measures = hcc_domain::stats::Measure::ALL.map(|m| m.as_str()).join(",");
        let counted = self.get_meta(COUNTED).await?.is_some();
        let officers_counted = self.get_meta(OFFICERS_COUNTED).await?.is_some();
        let same_measures = self.get_meta(MEASURES).await?.as_deref() == Some(measures.as_str());
        if !counted || !officers_counted || !same_measures {
            if self.count_dossiers().await? > 0 {
                self.rebuild_stats(true).await?;
            }
            self.set_meta(COUNTED, "0005").await?;
            self.set_meta(OFFICERS_COUNTED, "0013").await?;
            self.set_meta(MEASURES, &measures).await?;
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => db.ping().await,
            Store::Postgres(db) => db.ping().await,
        }
    }

    /// Raw SQL on the writer. Only tests and maintenance tools use it.
    pub async fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(db) => db.execute_raw(sql.to_owned()).await,
            Store::Postgres(db) => db.execute_raw(sql.to_owned()).await,
        }
    }

    pub async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, get_meta(key))
    }
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        dispatch!(self, set_meta(key, value))
    }

    pub async fn put_admin_units(&self, provinces: &[Province], communes: &[Commune]) -> Result<(), StoreError> {
        dispatch!(self, put_admin_units(provinces, communes))
    }
    pub async fn get_commune(&self, code: &str) -> Result<Option<Commune>, StoreError> {
        dispatch!(self, get_commune(code))
    }
    pub async fn list_communes(&self, province_code: &str) -> Result<Vec<Commune>, StoreError> {
        dispatch!(self, list_communes(province_code))
    }
    pub async fn count_communes(&self) -> Result<i64, StoreError> {
        dispatch!(self, count_communes())
    }
    pub async fn put_agency(&self, a: &Agency) -> Result<(), StoreError> {
        dispatch!(self, put_agency(a))
    }
    pub async fn list_agencies(&self) -> Result<Vec<Agency>, StoreError> {
        dispatch!(self, list_agencies())
    }
    pub async fn get_agency(&self, code: &str) -> Result<Option<Agency>, StoreError> {
        dispatch!(self, get_agency(code))
    }
    pub async fn agencies_for_commune(&self, commune_code: &str) -> Result<Vec<Agency>, StoreError> {
        dispatch!(self, agencies_for_commune(commune_code))
    }
    pub async fn put_point(&self, p: &ReceptionPoint) -> Result<(), StoreError> {
        dispatch!(self, put_point(p))
    }
    pub async fn list_points(&self) -> Result<Vec<ReceptionPoint>, StoreError> {
        dispatch!(self, list_points())
    }
    pub async fn get_point(&self, code: &str) -> Result<Option<ReceptionPoint>, StoreError> {
        dispatch!(self, get_point(code))
    }
    pub async fn set_routing_rules(&self, rules: &[RoutingRule]) -> Result<(), StoreError> {
        dispatch!(self, set_routing_rules(rules))
    }
    pub async fn routing_rules(&self) -> Result<Vec<RoutingRule>, StoreError> {
        dispatch!(self, routing_rules())
    }

    pub async fn put_calendar_day(&self, day: &CalendarDay) -> Result<(), StoreError> {
        dispatch!(self, put_calendar_day(day))
    }
    pub async fn delete_calendar_day(&self, date: jiff::civil::Date) -> Result<bool, StoreError> {
        dispatch!(self, delete_calendar_day(date))
    }
    pub async fn calendar_days(&self) -> Result<Vec<CalendarDay>, StoreError> {
        dispatch!(self, calendar_days())
    }

    /// The installation's working calendar: default office hours and its editable days.
    pub async fn working_calendar(&self) -> Result<hcc_domain::calendar::WorkingCalendar, StoreError> {
        let days = self.calendar_days().await?;
        let holidays = days.iter().filter(|d| d.kind == "holiday").map(|d| (d.date, d.name.clone()));
        let makeup = days.iter().filter(|d| d.kind == "makeup").map(|d| (d.date, d.name.clone()));
        Ok(hcc_domain::calendar::WorkingCalendar::new(hcc_domain::calendar::OfficeHours::default(), holidays, makeup))
    }

    pub async fn put_procedure(&self, p: &Procedure) -> Result<PutOutcome, StoreError> {
        dispatch!(self, put_procedure(p))
    }
    pub async fn get_procedure(&self, code: &str, version: Option<u32>) -> Result<Option<Procedure>, StoreError> {
        dispatch!(self, get_procedure(code, version))
    }
    pub async fn current_procedure_version(&self, code: &str) -> Result<Option<u32>, StoreError> {
        dispatch!(self, current_procedure_version(code))
    }
    pub async fn list_procedures(
        &self,
        text: Option<&str>,
        field: Option<&str>,
        after_code: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Procedure>, StoreError> {
        dispatch!(self, list_procedures(text, field, after_code, limit))
    }

    pub async fn create_user(&self, u: &NewUser) -> Result<User, StoreError> {
        dispatch!(self, create_user(u))
    }
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        dispatch!(self, user_by_username(username))
    }
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        dispatch!(self, user_by_id(id))
    }
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        dispatch!(self, list_users())
    }
    pub async fn set_password(&self, username: &str, password_hash: &str) -> Result<bool, StoreError> {
        dispatch!(self, set_password(username, password_hash))
    }
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<bool, StoreError> {
        dispatch!(self, set_disabled(username, disabled))
    }
    pub async fn insert_token(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, insert_token(token_hash, user_id, now, expires))
    }
    pub async fn user_by_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>, StoreError> {
        dispatch!(self, user_by_token(token_hash, now))
    }

    /// Creates a staff web session; `false` when the id is taken.
    pub async fn insert_session(&self, s: &SessionRow, now: Timestamp) -> Result<bool, StoreError> {
        dispatch!(self, insert_session(s, now))
    }
    pub async fn save_session(&self, s: &SessionRow, now: Timestamp) -> Result<(), StoreError> {
        dispatch!(self, save_session(s, now))
    }
    /// A session unexpired at `now`.
    pub async fn load_session(&self, id_hash: &str, now: Timestamp) -> Result<Option<SessionRow>, StoreError> {
        dispatch!(self, load_session(id_hash, now))
    }
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        dispatch!(self, delete_session(id_hash))
    }

    pub async fn create_dossier(&self, d: NewDossier, now: Timestamp) -> Result<(DossierRecord, bool), StoreError> {
        dispatch!(self, create_dossier(d, now))
    }
    pub async fn import_dossiers(&self, batch: Vec<NewDossier>, now: Timestamp) -> Result<(), StoreError> {
        dispatch!(self, import_dossiers(batch, now))
    }
    /// Compacts the full-text index after a bulk import, so that the receipts that follow do not
    /// pay, merge by merge, for folding the import's many segments together (SQLite: FTS5
    /// `optimize`; PostgreSQL: the GIN index's pending list is moved into the index).
    pub async fn compact_search_index(&self) -> Result<(), StoreError> {
        dispatch!(self, compact_search_index())
    }
    pub async fn get_dossier(&self, code: &str) -> Result<Option<DossierRecord>, StoreError> {
        dispatch!(self, get_dossier(code))
    }
    /// The dossier's version (it grows with every change), read alone: what a cache of an answer
    /// built from the dossier checks before serving it.
    pub async fn dossier_version(&self, code: &str) -> Result<Option<i64>, StoreError> {
        dispatch!(self, dossier_version(code))
    }
    pub async fn involved_agencies(&self, dossier_id: i64) -> Result<Vec<String>, StoreError> {
        dispatch!(self, involved_agencies(dossier_id))
    }
    /// Applies a transition to `current` (as it was read): refused with [`StoreError::Conflict`]
    /// when the dossier changed since.
    pub async fn apply_transition(
        &self,
        current: &DossierRecord,
        state: &DossierState,
        event: &EventDraft,
        actor: &EventActor,
        now: Timestamp,
    ) -> Result<DossierRecord, StoreError> {
        dispatch!(self, apply_transition(current, state, event, actor, None, now))
    }
    /// Applies a transition that records a document (digitized, attached as the result, deleted):
    /// the dossier row, the control-sheet row and the document row are written together.
    pub async fn apply_document_transition(
        &self,
        current: &DossierRecord,
        state: &DossierState,
        event: &EventDraft,
        actor: &EventActor,
        document: DocumentChange,
        now: Timestamp,
    ) -> Result<DossierRecord, StoreError> {
        dispatch!(self, apply_transition(current, state, event, actor, Some(document), now))
    }
    pub async fn documents_of(&self, dossier_id: i64) -> Result<Vec<DocumentRecord>, StoreError> {
        dispatch!(self, documents_of(dossier_id))
    }
    pub async fn get_document(&self, id: i64) -> Result<Option<DocumentRecord>, StoreError> {
        dispatch!(self, get_document(id))
    }
    /// The applicant's electronic data store (see `queries/documents.rs`).
    pub async fn vault(&self, owner_id: &str, now: Timestamp, limit: u32) -> Result<Vec<DocumentRecord>, StoreError> {
        dispatch!(self, vault(owner_id, now, limit))
    }
    pub async fn get_blob(&self, sha256: &str) -> Result<Option<BlobRecord>, StoreError> {
        dispatch!(self, get_blob(sha256))
    }
    pub async fn blobs_after(&self, after: &str, limit: u32) -> Result<Vec<BlobRecord>, StoreError> {
        dispatch!(self, blobs_after(after, limit))
    }
    pub async fn file_rules(&self, procedure_code: &str) -> Result<Option<FileRules>, StoreError> {
        dispatch!(self, file_rules(procedure_code))
    }
    pub async fn set_file_rules(&self, procedure_code: &str, rules: &FileRules) -> Result<(), StoreError> {
        dispatch!(self, set_file_rules(procedure_code, rules))
    }
    pub async fn get_dossier_by_id(&self, id: i64) -> Result<Option<DossierRecord>, StoreError> {
        dispatch!(self, get_dossier_by_id(id))
    }
    pub async fn create_upload(&self, u: &UploadRecord) -> Result<(), StoreError> {
        dispatch!(self, create_upload(u))
    }
    pub async fn get_upload(&self, id: &str) -> Result<Option<UploadRecord>, StoreError> {
        dispatch!(self, get_upload(id))
    }
    pub async fn advance_upload(&self, id: &str, from: u64, to: u64, now: Timestamp) -> Result<bool, StoreError> {
        dispatch!(self, advance_upload(id, from, to, now))
    }
    pub async fn finish_upload(&self, id: &str, document_id: i64, now: Timestamp) -> Result<(), StoreError> {
        dispatch!(self, finish_upload(id, document_id, now))
    }
    pub async fn blob_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        dispatch!(self, blob_in_use(sha256))
    }
    pub async fn events(&self, dossier_id: i64) -> Result<Vec<EventRecord>, StoreError> {
        dispatch!(self, events(dossier_id))
    }
    pub async fn list_dossiers(&self, q: &DossierQuery) -> Result<Page<DossierRecord>, StoreError> {
        dispatch!(self, list_dossiers(q))
    }

    /// One page of the list as list rows: [`Store::list_dossiers`]'s dossiers in its order, with
    /// only what a list shows (the API's list reads these).
    pub async fn list_dossier_listings(&self, q: &DossierQuery) -> Result<Page<DossierListing>, StoreError> {
        dispatch!(self, list_dossier_listings(q))
    }
    /// From how many full-text matches a searched dossier list reads the dossiers in order and
    /// tests each instead of listing every match (SQLite; PostgreSQL's planner decides itself),
    /// and how many rows it reads at a time. `(0, n)` scans always, `n` rows at a time (tests of
    /// that path); set once at start.
    pub fn set_search_scan(&self, from_matches: i64, chunk_rows: i64) {
        let scan = match self {
            Store::Sqlite(db) => &db.search_scan,
            Store::Postgres(db) => &db.search_scan,
        };
        scan.from_matches.store(from_matches, std::sync::atomic::Ordering::Relaxed);
        scan.chunk_rows.store(chunk_rows.max(1), std::sync::atomic::Ordering::Relaxed);
    }
    pub async fn count_dossiers(&self) -> Result<i64, StoreError> {
        dispatch!(self, count_dossiers())
    }
    pub async fn log_staff_read(
        &self,
        user_id: i64,
        dossier_id: i64,
        what: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, log_staff_read(user_id, dossier_id, what, now))
    }
    /// Seals the finished days before `today` (local date) with a root over their events.
    pub async fn seal_days(&self, today: jiff::civil::Date) -> Result<u32, StoreError> {
        dispatch!(self, seal_days(today))
    }
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        dispatch!(self, verify())
    }

    /// The public figures of the dossiers received in `period`, per agency and per field (the
    /// transparency page). The one entry point for them, so another source can replace it.
    pub async fn public_stats(
        &self,
        period: public::StatsPeriod,
        now: Timestamp,
    ) -> Result<public::PublicStats, StoreError> {
        dispatch!(self, public_stats(period, now))
    }
    /// Current procedures for the public guide (words, field, level; ordered by code).
    pub async fn search_procedures(&self, filter: &public::ProcedureFilter) -> Result<Vec<Procedure>, StoreError> {
        dispatch!(self, search_procedures(filter))
    }
    /// The supervision counters of a period, summed per dimension and measure.
    pub async fn stats_rows(&self, q: &StatsQuery) -> Result<Vec<StatRow>, StoreError> {
        dispatch!(self, stats_rows(q))
    }
    /// The counters of a period per value of one dimension and measure (the dashboard's tables).
    pub async fn stats_by(&self, q: &StatsQuery, dim: StatDim) -> Result<Vec<StatSum>, StoreError> {
        dispatch!(self, stats_by(q, dim))
    }
    /// How many dossiers were being handled and already late at `end`, a period's end, within
    /// `agency` if given: the service index judges them with the period's settled dossiers.
    pub async fn late_open_count(&self, end: Timestamp, agency: &Option<String>) -> Result<i64, StoreError> {
        dispatch!(self, late_open_count(end, agency))
    }
    /// The open dossiers now, per dimension and status (time-dependent gauges, read live).
    pub async fn open_gauges(&self, q: &GaugeQuery) -> Result<Vec<GaugeRow>, StoreError> {
        dispatch!(self, open_gauges(q))
    }
    /// Officers' counters over a period (value `AGENCY|USERNAME`), within one agency if given.
    pub async fn officer_stats(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        agency: &Option<String>,
    ) -> Result<Vec<StatSum>, StoreError> {
        dispatch!(self, officer_stats(from, to, agency))
    }
    /// Open dossiers per (agency, assignee's username) now.
    pub async fn officers_in_hand(&self, agency: &Option<String>) -> Result<Vec<(String, String, i64)>, StoreError> {
        dispatch!(self, officers_in_hand(agency))
    }
    pub async fn pilot_phases(&self) -> Result<Vec<PilotPhase>, StoreError> {
        dispatch!(self, pilot_phases())
    }
    /// Recomputes the counters from the control sheets; compares, and replaces them when `write`.
    pub async fn rebuild_stats(&self, write: bool) -> Result<StatsRebuild, StoreError> {
        dispatch!(self, rebuild_stats(write))
    }
    /// Writes a notice for delivery outside a transition (rating link, one-time code).
    pub async fn enqueue_notice(
        &self,
        dossier_id: i64,
        kind: &str,
        payload: &serde_json::Value,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        dispatch!(self, enqueue_notice(dossier_id, kind, payload, now))
    }
    /// Makes the deliveries of up to `limit` new notices on the given channels.
    pub async fn plan_outbox(&self, channels: &[&str], limit: u32, now: Timestamp) -> Result<u32, StoreError> {
        dispatch!(self, plan_outbox(channels, limit, now))
    }
    /// Early warnings still standing in a scope, earliest due first (see `queries/warnings.rs`).
    pub async fn active_warnings(
        &self,
        scope: &notify::WarningScope,
        after: Option<(Timestamp, i64)>,
        limit: i64,
    ) -> Result<Vec<notify::WarningItem>, StoreError> {
        dispatch!(self, active_warnings(scope, after, limit))
    }
    /// Deletes up to `limit` settled notices queued before `before` (see `queries/outbox.rs`).
    pub async fn purge_notices(&self, before: Timestamp, limit: i64) -> Result<u64, StoreError> {
        dispatch!(self, purge_notices(before, limit))
    }
    /// Leases due deliveries to `worker` (see `queries/outbox.rs`).
    pub async fn claim_deliveries(
        &self,
        worker: &str,
        channels: &[&str],
        limit: u32,
        lease: std::time::Duration,
    ) -> Result<Vec<notify::ClaimedDelivery>, StoreError> {
        dispatch!(self, claim_deliveries(worker, channels, limit, duration_micros(lease)))
    }
    pub async fn mark_delivered(&self, id: i64, provider_ref: &str) -> Result<bool, StoreError> {
        dispatch!(self, mark_delivered(id, provider_ref))
    }
    pub async fn mark_failed(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_in: Option<std::time::Duration>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, mark_failed(id, worker, error, retry_in.map(duration_micros)))
    }
    pub async fn deliveries_of(&self, dossier_id: i64) -> Result<Vec<notify::DeliveryRecord>, StoreError> {
        dispatch!(self, deliveries_of(dossier_id))
    }
    pub async fn notices_of(&self, dossier_id: i64) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        dispatch!(self, notices_of(dossier_id))
    }
    /// Takes or renews the named job lease for `holder` (the database's clock judges expiry).
    pub async fn try_lease(&self, name: &str, holder: &str, ttl: std::time::Duration) -> Result<bool, StoreError> {
        dispatch!(self, try_lease(name, holder, duration_micros(ttl)))
    }
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        dispatch!(self, release_lease(name, holder))
    }
    pub async fn warning_candidates(
        &self,
        horizon: Timestamp,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<notify::WarningCandidate>, StoreError> {
        dispatch!(self, warning_candidates(horizon, after_id, limit))
    }
    /// Records a warning once, with its notices; `false` if it was given before.
    pub async fn record_warning(&self, w: &notify::NewWarning, now: Timestamp) -> Result<bool, StoreError> {
        dispatch!(self, record_warning(w, now))
    }
    pub async fn warnings_of(&self, dossier_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        dispatch!(self, warnings_of(dossier_id))
    }
    pub async fn staff_contacts(&self) -> Result<Vec<notify::StaffContact>, StoreError> {
        dispatch!(self, staff_contacts())
    }
    pub async fn set_staff_contact(
        &self,
        username: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<bool, StoreError> {
        dispatch!(self, set_staff_contact(username, email, phone))
    }
    /// Adds counters directly (benchmarks).
    pub async fn load_stats(&self, rows: &[(String, StatRow)]) -> Result<(), StoreError> {
        dispatch!(self, load_stats(rows))
    }

    /// Applies an administrator's change with its row in the administrators' log, in one transaction.
    pub async fn admin_apply(&self, change: &AdminChange, audit: &AdminAuditEntry) -> Result<AdminOutcome, StoreError> {
        dispatch!(self, admin_apply(change, audit))
    }
    /// The administrators' log, newest first, optionally for one target.
    pub async fn admin_audit(&self, target: Option<&str>, limit: u32) -> Result<Vec<AdminAuditEntry>, StoreError> {
        dispatch!(self, admin_audit(target, limit))
    }
    /// Every version of a procedure: number, when stored, whether current (newest first).
    pub async fn procedure_versions(&self, code: &str) -> Result<Vec<(u32, Timestamp, bool)>, StoreError> {
        dispatch!(self, procedure_versions(code))
    }
}
