//! The supervisor's pages: the dashboard (`/giam-sat`) and the list of dossiers behind a figure
//! (`/giam-sat/ho-so`). Display-ready text only; the web crate computes the figures.

use crate::pages::{Layout, Opt};
use askama::Template;
use askama_web::WebTemplate;

/// One figure: its words, its value and the list behind it (empty: not a list of dossiers).
#[derive(Debug, Clone)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub href: String,
    /// `ok`, `late`, `warn` or empty: reinforces the words, never replaces them.
    pub class: &'static str,
}

/// A table cell: a number and the dossiers behind it.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: String,
    pub href: String,
}

/// A row of a breakdown (one agency, field, procedure, point, channel or phase).
#[derive(Debug, Clone)]
pub struct BreakRow {
    pub name: String,
    pub cells: Vec<Cell>,
}

/// A breakdown table.
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<BreakRow>,
    /// Rows left out beyond the first ones shown.
    pub more: usize,
}

/// `/giam-sat`.
#[derive(Template, WebTemplate)]
#[template(path = "supervision.html")]
pub struct SupervisionPage {
    pub l: Layout,
    pub heading: String,
    pub period: String,
    pub from: String,
    pub to: String,
    pub phases: Vec<Opt>,
    /// The agency picker (supervisors only; empty for a leader).
    pub agencies: Vec<Opt>,
    pub watched: bool,
    pub stuck_days: u32,
    pub error: String,
    pub totals: Vec<Figure>,
    pub gauges: Vec<Figure>,
    pub rate: String,
    pub rate_formula: String,
    pub digitized: String,
    pub columns: Vec<String>,
    pub breakdowns: Vec<Breakdown>,
    /// Server-rendered SVG (text escaped when it was built).
    pub chart: String,
    /// The officers' workload and the Decision 766 index pages.
    pub workload_href: String,
    pub index_href: String,
    /// The period's report as a download.
    pub csv_href: String,
    pub xlsx_href: String,
    pub all_href: String,
    pub watched_href: String,
    pub now: String,
}

/// A row of the list behind a figure.
#[derive(Debug, Clone)]
pub struct DrillRow {
    pub code: String,
    pub href: String,
    pub applicant: String,
    pub procedure: String,
    pub status: String,
    pub agency: String,
    pub received: String,
    pub appointment: String,
    pub handled: String,
}

/// `/giam-sat/ho-so`.
#[derive(Template, WebTemplate)]
#[template(path = "supervision_list.html")]
pub struct DrillPage {
    pub l: Layout,
    pub heading: String,
    pub filters: Vec<String>,
    pub back: String,
    pub rows: Vec<DrillRow>,
    pub next_href: String,
    /// The whole list (every page) as a download.
    pub csv_href: String,
    pub xlsx_href: String,
}

/// A row of the officers' workload table (numbers already formatted).
#[derive(Debug, Clone)]
pub struct WorkloadRow {
    pub officer: String,
    pub agency: String,
    pub handled: String,
    pub early: String,
    pub on_time: String,
    pub late: String,
    pub rate: String,
    pub average: String,
    pub in_hand: String,
}

/// `/giam-sat/can-bo`: each specialist's workload and results over a period.
#[derive(Template, WebTemplate)]
#[template(path = "supervision_workload.html")]
pub struct WorkloadPage {
    pub l: Layout,
    pub heading: String,
    pub period: String,
    pub from: String,
    pub to: String,
    /// The agency picker (supervisors only).
    pub agencies: Vec<Opt>,
    pub error: String,
    pub rows: Vec<WorkloadRow>,
    pub back: String,
    pub csv_href: String,
    pub xlsx_href: String,
}

/// An indicator of Decision 766 as shown: its figure, formula, score and the dossiers behind it.
#[derive(Debug, Clone)]
pub struct IndexLine {
    pub id: &'static str,
    pub label: String,
    /// "part / whole" or empty.
    pub counts: String,
    /// The rate, or "chưa có dữ liệu".
    pub rate: String,
    pub score: String,
    pub formula: String,
    /// Links to the dossiers behind it: (words, href).
    pub links: Vec<(String, String)>,
}

/// A group of the index as shown.
#[derive(Debug, Clone)]
pub struct IndexGroup {
    pub label: String,
    pub score: String,
    pub note: String,
    pub lines: Vec<IndexLine>,
}

/// A procedure's average handling time in a period (Decision 766, progress group).
#[derive(Debug, Clone)]
pub struct HandlingRow {
    pub code: String,
    pub name: String,
    pub settled: i64,
    /// In working days, "3,5".
    pub average_days: String,
    /// The published time limits of its channels, "15 ngày làm việc".
    pub time_limit: String,
}

/// `/giam-sat/chi-so`: the service index of Decision 766 for an agency and a month.
#[derive(Template, WebTemplate)]
#[template(path = "supervision_index.html")]
pub struct IndexPage {
    pub l: Layout,
    pub heading: String,
    pub month: String,
    pub agencies: Vec<Opt>,
    pub error: String,
    pub total: String,
    pub total_note: String,
    pub groups: Vec<IndexGroup>,
    /// The average handling time of every dossier settled in the month, in working days.
    pub handling_total: String,
    pub handling: Vec<HandlingRow>,
    /// The drill-down lists' query (period and scope).
    pub drill_base: String,
    pub back: String,
}

/// `/giam-sat/phan-anh`: the applicants' feedback and complaints, by deadline, with the answers.
#[derive(Template, WebTemplate)]
#[template(path = "supervision_feedback.html")]
pub struct FeedbackPage {
    pub l: Layout,
    /// The agency picker (supervisors only).
    pub agencies: Vec<Opt>,
    pub agency: String,
    /// Only what is not answered yet.
    pub open_only: bool,
    pub rows: Vec<FeedbackItem>,
    /// The next page, or empty.
    pub next_href: String,
    /// This page's own cursor: an answer form sends it back, so a refused answer is shown again
    /// on the page its row is on.
    pub after: String,
    pub notice: String,
    pub formula: &'static str,
}

/// One piece of feedback as listed.
#[derive(Debug, Clone)]
pub struct FeedbackItem {
    pub id: i64,
    pub dossier_code: String,
    pub procedure_name: String,
    pub agency: String,
    pub sent_at: String,
    pub due_at: String,
    pub state: String,
    /// `ok`, `late` or empty.
    pub state_class: &'static str,
    pub rating: String,
    pub reason: String,
    pub comment: String,
    pub is_complaint: bool,
    pub answer: String,
    /// "by username, at time" when answered; empty otherwise.
    pub answered: String,
    /// The viewer may answer it (the leader of its agency, not yet answered).
    pub can_answer: bool,
    /// What was typed when an answer was refused, and why.
    pub draft: String,
    pub error: String,
    pub error_code: String,
}
