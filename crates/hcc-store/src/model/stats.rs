//! The records of the supervision figures: counter queries and rows, gauges, pilot phases and the
//! rebuild report.

use jiff::Timestamp;
use serde::Serialize;

/// What the supervision dashboard sums: the counters of a period (local days, both ends included),
/// optionally of one agency (a leader's view) and of some fields (the watched fields' view).
#[derive(Debug, Clone)]
pub struct StatsQuery {
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    pub agency: Option<String>,
    /// Only these fields (empty: every field).
    pub fields: Vec<String>,
}

/// A counter summed over the period, per dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    pub agency_code: String,
    pub field: String,
    pub procedure_code: String,
    pub point_code: String,
    pub channel: String,
    pub measure: String,
    pub n: i64,
}

/// The open dossiers at an instant: how many per status and dimension, and of them how many are
/// overdue, due soon and stuck.
#[derive(Debug, Clone)]
pub struct GaugeQuery {
    pub now: Timestamp,
    /// Running dossiers due after `now` and before this are due soon.
    pub soon: Timestamp,
    /// Open dossiers not changed since this instant are stuck.
    pub stuck_before: Timestamp,
    pub agency: Option<String>,
    pub fields: Vec<String>,
}

/// The open dossiers now for one value of one dimension ([`StatDim::Total`]: the whole scope).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GaugeRow {
    pub dim: StatDim,
    /// The dimension's value (empty for the totals).
    pub value: String,
    /// Received and not finished ([`hcc_domain::status::Status::is_open`]).
    pub open: i64,
    pub paused: i64,
    pub supplement: i64,
    /// Running (received, in progress) past their due time.
    pub overdue: i64,
    /// Running and due before `GaugeQuery::soon`: counted for the totals only (0 elsewhere).
    pub due_soon: i64,
    /// Open and unchanged since `GaugeQuery::stuck_before`: counted for the totals only.
    pub stuck: i64,
}

/// A pilot phase (DOMAIN.md §Phases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PilotPhase {
    pub no: i64,
    pub name: String,
    pub starts_on: jiff::civil::Date,
    /// The last day (inclusive); `None` while it runs.
    pub ends_on: Option<jiff::civil::Date>,
}

/// What `hcc stats rebuild` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StatsRebuild {
    pub dossiers: u64,
    pub events: u64,
    /// Counters recomputed from the control sheets.
    pub counters: u64,
    /// Counters that differed from the maintained ones (key, maintained, recomputed), up to 50.
    pub differences: Vec<(String, i64, i64)>,
    /// How many counters differed in all.
    pub differing: u64,
    /// Whether the recomputed counters were written.
    pub written: bool,
}

impl StatsRebuild {
    pub fn agreed(&self) -> bool {
        self.differing == 0
    }
}

/// A dimension the dashboard breaks the counters down by (or none: the period's totals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum StatDim {
    #[default]
    Total,
    Agency,
    Field,
    Procedure,
    Point,
    Channel,
}

impl StatDim {
    pub const ALL: [StatDim; 6] =
        [StatDim::Total, StatDim::Agency, StatDim::Field, StatDim::Procedure, StatDim::Point, StatDim::Channel];

    /// Its name in the rollups and in `open_counts` (`dim`).
    pub fn name(self) -> &'static str {
        match self {
            StatDim::Total => "total",
            StatDim::Agency => "agency",
            StatDim::Field => "field",
            StatDim::Procedure => "procedure",
            StatDim::Point => "point",
            StatDim::Channel => "channel",
        }
    }

    /// The column of `stats` (and of `dossiers`) holding it.
    pub fn column(self) -> &'static str {
        match self {
            StatDim::Total => "''",
            StatDim::Agency => "agency_code",
            StatDim::Field => "field",
            StatDim::Procedure => "procedure_code",
            StatDim::Point => "point_code",
            StatDim::Channel => "channel",
        }
    }
}

/// A counter of a period summed per value of one dimension and measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatSum {
    /// The dimension's value (empty for the totals).
    pub value: String,
    pub measure: String,
    pub n: i64,
}
