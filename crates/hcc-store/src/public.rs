//! What the public side of HCC reads from the store: the figures of the transparency page
//! (Công khai kết quả giải quyết hồ sơ) and the filter of the procedure guide. No personal data
//! ever appears in these types.

use jiff::Timestamp;

/// The period the public figures cover: dossiers received in `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatsPeriod {
    pub from: Timestamp,
    pub to: Timestamp,
}

/// The figures of one agency or one field over a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublicFigures {
    /// Agency code, or the field's name.
    pub key: String,
    /// What the page shows: the agency's name, or the field's name.
    pub label: String,
    /// Dossiers received in the period.
    pub received: i64,
    /// Handled no later than the first appointment, with at most one supplement request.
    pub on_time: i64,
    /// Handled after the first appointment, or asked for a supplement more than once.
    pub late: i64,
    /// Not handled yet and not closed (withdrawn dossiers are neither settled nor in progress).
    pub in_progress: i64,
    /// Open and past their appointment.
    pub overdue: i64,
    /// Dossiers whose agency issued an apology with a new appointment (Form 04).
    pub apologies: i64,
}

/// The public figures of a period, per agency and per field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublicStats {
    pub by_agency: Vec<PublicFigures>,
    pub by_field: Vec<PublicFigures>,
}

/// The procedure guide's filter: current procedures, ordered by code.
#[derive(Debug, Clone, Default)]
pub struct ProcedureFilter {
    /// Words, with or without diacritics; every word must occur in the code, name or field.
    pub text: Option<String>,
    /// Exact field (lĩnh vực).
    pub field: Option<String>,
    /// A level as published ("Cấp tỉnh", "Cấp xã", "Cấp bộ").
    pub level: Option<String>,
    pub after_code: Option<String>,
    pub limit: u32,
}
