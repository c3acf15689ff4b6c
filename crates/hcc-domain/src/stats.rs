//! Incremental statistics: what one change of a dossier adds to the supervision counters
//! (thống kê giám sát). The store keeps one counter per (local day of the change, agency, field,
//! procedure, reception point, channel, measure) and adds these increments in the same transaction
//! as the change; the dashboard sums them over a period instead of scanning history.
//!
//! Two ways lead here and must agree exactly: a live change ([`deltas`] on the state before and
//! after) and a replay of a dossier's control sheet ([`Replay`]: the rebuild, and imported
//! histories). The replay reconstructs, from the control-sheet rows alone, the part of the state
//! that [`deltas`] looks at, so both go through the same function and the same rules — and the
//! early/on-time/late class is always [`progress`]'s, so the index rules live in one place.

use crate::calendar::WorkingCalendar;
use crate::catalog::Channel;
use crate::lifecycle::{ActionKind, DossierState, Progress, progress};
use crate::status::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A counted measure. Flows only: each counts changes that happened on the counter's day.
/// Open-state gauges (in progress, paused, due soon, overdue now, stuck) depend on the clock and
/// are read from the dossiers themselves (see the store's `queries/stats.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A new dossier (submitted online or by post, or received at once at a counter).
    Submitted,
    /// Đã tiếp nhận: the clock started.
    Received,
    /// Refused at reception (Form 03).
    Refused,
    /// Handling ended before the appointment's day (DOMAIN §Index: end of handling ≤ appointment).
    SettledEarly,
    /// Handling ended on the appointment's day, in time.
    SettledOnTime,
    /// Handling ended after the appointment, or after more than one supplement request.
    SettledLate,
    /// Không giải quyết (refused on the merits).
    NotSettled,
    /// Dừng giải quyết (Form 05).
    Stopped,
    /// Đã trả kết quả.
    Returned,
    /// Công dân rút hồ sơ.
    Withdrawn,
    /// A supplement requested (Form 02).
    Supplements,
    /// A pause (financial obligation, inspection, another authority).
    Pauses,
    /// A new appointment with an apology (Form 04).
    Apologies,
    /// A legal extension.
    Extensions,
    /// Handed over from the reception point for handling.
    HandedOver,
    /// Handed over with every paper digitized (no supervisor's exception): Decree 45/2020.
    DigitizedAtReceipt,
    /// Handed over with at least one paper reused from the electronic store instead of asked for
    /// again (Decision 766: reuse of digitized data).
    ReusedAtReceipt,
    /// A result (not a notice of refusal) handed to the applicant, by any method.
    ResultsReturned,
    /// A result handed to the applicant online, as an electronic document.
    ResultsOnline,
    /// Working minutes from receipt to the end of handling of each settled dossier (early, on
    /// time or late): with their count, the average handling time (Decision 766, progress group).
    HandlingMinutes,
}

impl Measure {
    pub const ALL: [Measure; 20] = [
        Measure::Submitted,
        Measure::Received,
        Measure::Refused,
        Measure::SettledEarly,
        Measure::SettledOnTime,
        Measure::SettledLate,
        Measure::NotSettled,
        Measure::Stopped,
        Measure::Returned,
        Measure::Withdrawn,
        Measure::Supplements,
        Measure::Pauses,
        Measure::Apologies,
        Measure::Extensions,
        Measure::HandedOver,
        Measure::DigitizedAtReceipt,
        Measure::ReusedAtReceipt,
        Measure::ResultsReturned,
        Measure::ResultsOnline,
        Measure::HandlingMinutes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Submitted => "submitted",
            Measure::Received => "received",
            Measure::Refused => "refused",
            Measure::SettledEarly => "settled_early",
            Measure::SettledOnTime => "settled_on_time",
            Measure::SettledLate => "settled_late",
            Measure::NotSettled => "not_settled",
            Measure::Stopped => "stopped",
            Measure::Returned => "returned",
            Measure::Withdrawn => "withdrawn",
            Measure::Supplements => "supplements",
            Measure::Pauses => "pauses",
            Measure::Apologies => "apologies",
            Measure::Extensions => "extensions",
            Measure::HandedOver => "handed_over",
            Measure::DigitizedAtReceipt => "digitized_at_receipt",
            Measure::ReusedAtReceipt => "reused_at_receipt",
            Measure::ResultsReturned => "results_returned",
            Measure::ResultsOnline => "results_online",
            Measure::HandlingMinutes => "handling_minutes",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Measure::Submitted => "Hồ sơ mới",
            Measure::Received => "Đã tiếp nhận",
            Measure::Refused => "Từ chối tiếp nhận",
            Measure::SettledEarly => "Giải quyết trước hạn",
            Measure::SettledOnTime => "Giải quyết đúng hạn",
            Measure::SettledLate => "Giải quyết quá hạn",
            Measure::NotSettled => "Không giải quyết",
            Measure::Stopped => "Dừng giải quyết",
            Measure::Returned => "Đã trả kết quả",
            Measure::Withdrawn => "Công dân rút hồ sơ",
            Measure::Supplements => "Yêu cầu bổ sung",
            Measure::Pauses => "Tạm dừng",
            Measure::Apologies => "Văn bản xin lỗi, hẹn lại",
            Measure::Extensions => "Gia hạn",
            Measure::HandedOver => "Chuyển xử lý",
            Measure::DigitizedAtReceipt => "Số hóa đầy đủ khi tiếp nhận",
            Measure::ReusedAtReceipt => "Tái sử dụng giấy tờ đã số hóa",
            Measure::ResultsReturned => "Đã trả kết quả giải quyết",
            Measure::ResultsOnline => "Trả kết quả điện tử (trực tuyến)",
            Measure::HandlingMinutes => "Thời gian giải quyết (phút làm việc)",
        }
    }
}

/// The counters one change moves, from the dossier's state before (`None` for a new dossier) and
/// after. Pure; `cal` gives the local dates the early/on-time judgement compares.
pub fn deltas(before: Option<&DossierState>, after: &DossierState, cal: &WorkingCalendar) -> Vec<(Measure, i64)> {
    let mut out = Vec::new();
    let was = before.map(|b| b.status);
    let entered = |s: Status| after.status == s && was != Some(s);
    if before.is_none() {
        out.push((Measure::Submitted, 1));
    }
    if after.received_at.is_some() && before.is_none_or(|b| b.received_at.is_none()) {
        out.push((Measure::Received, 1));
    }
    if entered(Status::Refused) {
        out.push((Measure::Refused, 1));
    }
    // The end of handling (first of: handled, returned, stopped/refused) is judged once, when
    // handled_at is first set. A withdrawal ends the applicant's request, not the handling: it is
    // counted on its own. A refusal at reception has no appointment: `progress` gives nothing.
    if let Some(done) = after.handled_at
        && before.is_none_or(|b| b.handled_at.is_none())
        && after.status != Status::Withdrawn
    {
        let class = match progress(after, done, cal, 0) {
            Some(Progress::Early) => Some(Measure::SettledEarly),
            Some(Progress::OnTime) => Some(Measure::SettledOnTime),
            Some(Progress::Late) => Some(Measure::SettledLate),
            _ => None,
        };
        if let (Some(class), Some(received)) = (class, after.received_at) {
            out.push((class, 1));
            // Office time of working days only; a wait for a supplement or a pause is counted as
            // it elapsed (the average says how long the applicant waited for the result).
            let minutes = cal.working_minutes_between(received, done);
            if minutes > 0 {
                out.push((Measure::HandlingMinutes, i64::try_from(minutes).unwrap_or(i64::MAX)));
            }
        }
    }
    for (status, measure) in [
        (Status::NotSettled, Measure::NotSettled),
        (Status::Stopped, Measure::Stopped),
        (Status::Returned, Measure::Returned),
        (Status::Withdrawn, Measure::Withdrawn),
        (Status::SupplementRequested, Measure::Supplements),
        (Status::Paused, Measure::Pauses),
    ] {
        if entered(status) {
            out.push((measure, 1));
        }
    }
    let grew = |f: fn(&DossierState) -> u64| f(after) > before.map_or(0, f);
    if grew(|s| u64::from(s.new_appointments)) {
        out.push((Measure::Apologies, i64::from(after.new_appointments - before.map_or(0, |b| b.new_appointments))));
    }
    if grew(|s| s.extension_minutes) {
        out.push((Measure::Extensions, 1));
    }
    if was == Some(Status::Received) && after.status == Status::InProgress {
        out.push((Measure::HandedOver, 1));
        if !after.scan_waived {
            out.push((Measure::DigitizedAtReceipt, 1));
        }
    }
    out
}

/// What a change's control-sheet row says beyond the states before and after it.
#[derive(Debug, Clone, Copy)]
pub struct ChangeFacts<'a> {
    pub action: ActionKind,
    pub details: &'a serde_json::Value,
    /// The dossier's control sheet, up to this row, records a paper reused from the electronic
    /// store (a `digitize` row naming `reused_from`).
    pub reuses_papers: bool,
}

/// The counters a change moves that the states alone do not show: a hand-over with reused papers,
/// a result returned and whether online. Pure, like [`deltas`], and used beside it by both the
/// live writes and the rebuild's replay.
pub fn change_deltas(
    before: Option<&DossierState>,
    after: &DossierState,
    facts: &ChangeFacts<'_>,
) -> Vec<(Measure, i64)> {
    let mut out = Vec::new();
    let was = before.map(|b| b.status);
    if was == Some(Status::Received) && after.status == Status::InProgress && facts.reuses_papers {
        out.push((Measure::ReusedAtReceipt, 1));
    }
    if facts.action == ActionKind::ReturnResult && was == Some(Status::ResultReady) && after.status == Status::Returned
    {
        out.push((Measure::ResultsReturned, 1));
        if facts.details.get("method").and_then(|m| m.as_str()) == Some("online") {
            out.push((Measure::ResultsOnline, 1));
        }
    }
    out
}

/// Whether a control-sheet row records a paper reused from the electronic store.
pub fn row_reuses_a_paper(action: ActionKind, details: &serde_json::Value) -> bool {
    action == ActionKind::Digitize && details.get("reused_from").is_some_and(|v| !v.is_null())
}

/// The measures a dashboard shows for settled dossiers, and the on-time rate's numerator.
pub const SETTLED: [Measure; 3] = [Measure::SettledEarly, Measure::SettledOnTime, Measure::SettledLate];

/// What an officer's workload counts (giám sát, đánh giá cán bộ): the dossiers whose handling
/// ended while assigned to them, by class, and the time that handling took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OfficerMeasure {
    SettledEarly,
    SettledOnTime,
    SettledLate,
    /// Minutes from receipt to the end of handling, summed: over the settled count, the average
    /// handling time.
    HandlingMinutes,
}

impl OfficerMeasure {
    pub const ALL: [OfficerMeasure; 4] = [
        OfficerMeasure::SettledEarly,
        OfficerMeasure::SettledOnTime,
        OfficerMeasure::SettledLate,
        OfficerMeasure::HandlingMinutes,
    ];

    /// The measure's name in the rollups (the settled ones share the agency counters' names).
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerMeasure::SettledEarly => "settled_early",
            OfficerMeasure::SettledOnTime => "settled_on_time",
            OfficerMeasure::SettledLate => "settled_late",
            OfficerMeasure::HandlingMinutes => "handling_minutes",
        }
    }
}

/// The officer's share of a change whose dossier-level increments are `deltas`: a settlement (in
/// its class) and its handling time, from receipt to the end of handling. Empty for any other
/// change. Pure; the caller names the officer (the assignee when the handling ended).
pub fn officer_deltas(deltas: &[(Measure, i64)], after: &DossierState) -> Vec<(OfficerMeasure, i64)> {
    let mut out = Vec::new();
    for (m, n) in deltas {
        let om = match m {
            Measure::SettledEarly => OfficerMeasure::SettledEarly,
            Measure::SettledOnTime => OfficerMeasure::SettledOnTime,
            Measure::SettledLate => OfficerMeasure::SettledLate,
            _ => continue,
        };
        out.push((om, *n));
        if let (Some(from), Some(to)) = (after.received_at, after.handled_at) {
            let minutes = to.duration_since(from).as_secs().max(0) / 60;
            out.push((OfficerMeasure::HandlingMinutes, minutes));
        }
    }
    out
}

/// An officer's figures over a period, from the rollup counters and the open dossiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workload {
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub handling_minutes: i64,
    /// Open dossiers assigned to the officer now.
    pub in_hand: i64,
}

impl Workload {
    /// Adds a rollup counter by its stored measure name (unknown names are ignored: a newer
    /// measure must not break an older page).
    pub fn add(&mut self, measure: &str, n: i64) {
        match measure {
            "settled_early" => self.early += n,
            "settled_on_time" => self.on_time += n,
            "settled_late" => self.late += n,
            "handling_minutes" => self.handling_minutes += n,
            _ => {}
        }
    }

    pub fn handled(&self) -> i64 {
        self.early + self.on_time + self.late
    }

    /// The share settled early or on time, in percent (`None`: nothing settled).
    pub fn on_time_rate(&self) -> Option<f64> {
        on_time_rate(self.early, self.on_time, self.late)
    }

    /// The average handling time in hours (`None`: nothing settled).
    pub fn average_hours(&self) -> Option<f64> {
        let n = self.handled();
        (n > 0).then(|| self.handling_minutes as f64 / 60.0 / n as f64)
    }
}

/// One control-sheet row as the replay reads it.
#[derive(Debug, Clone)]
pub struct ReplayEvent<'a> {
    pub action: ActionKind,
    pub to_status: Status,
    pub at: Timestamp,
    pub handed_to: Option<&'a str>,
    pub details: &'a serde_json::Value,
}

/// What one replayed row moved: the local day, the agency holding the dossier after it, and the
/// increments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayStep {
    pub day: jiff::civil::Date,
    pub agency_code: String,
    pub deltas: Vec<(Measure, i64)>,
    /// The officer's share of the change ([`officer_deltas`]), with the officer's username.
    pub officer: Option<(String, Vec<(OfficerMeasure, i64)>)>,
}

/// Replays a dossier's control sheet row by row, reconstructing what [`deltas`] looks at: the
/// status (each row's `to_status`), the agency (receipt and forwards name it in `handed_to`), the
/// receipt and the appointments (the receipt's `due_at`, extensions', supplements', resumptions'
/// and apologies' `new_due_at` in the row's details), supplement requests, new dates, the end of
/// handling and a waiver of scanning.
pub struct Replay<'c> {
    cal: &'c WorkingCalendar,
    state: Option<DossierState>,
    /// The username of the officer the dossier is assigned to (assignments name them in
    /// `handed_to`; a forward to another agency leaves it unassigned).
    officer: Option<String>,
    /// A row so far recorded a reused paper ([`row_reuses_a_paper`]).
    reuses_papers: bool,
}

fn detail_ts(details: &serde_json::Value, key: &str) -> Option<Timestamp> {
    details.get(key)?.as_str()?.parse().ok()
}

impl<'c> Replay<'c> {
    pub fn new(cal: &'c WorkingCalendar) -> Self {
        Replay { cal, state: None, officer: None, reuses_papers: false }
    }

    /// Applies the next row; `point_code` and `channel` are the dossier's (they never change).
    pub fn step(&mut self, point_code: &str, channel: Channel, e: &ReplayEvent<'_>) -> ReplayStep {
        let before = self.state.clone();
        let mut s = before.clone().unwrap_or_else(|| blank(point_code, channel, e.handed_to.unwrap_or("")));
        let received_now = (before.is_none() || e.action == ActionKind::Receive) && e.to_status == Status::Received;
        if received_now && s.received_at.is_none() {
            s.received_at = Some(e.at);
            s.due_at = detail_ts(e.details, "due_at");
            s.original_due_at = s.due_at;
        }
        let handled = matches!(
            e.action,
            ActionKind::RefuseReceipt
                | ActionKind::Approve
                | ActionKind::RefuseToSettle
                | ActionKind::Withdraw
                | ActionKind::Stop
        );
        if handled {
            s.handled_at = Some(e.at);
        }
        match e.action {
            ActionKind::RequestSupplement if s.received_at.is_some() => s.supplement_requests += 1,
            ActionKind::ReceiveSupplement | ActionKind::Resume => {
                if let Some(due) = detail_ts(e.details, "new_due_at") {
                    s.due_at = Some(due);
                }
                if let Some(judged) = detail_ts(e.details, "new_original_due_at") {
                    s.original_due_at = Some(judged);
                }
            }
            ActionKind::Extend => {
                s.due_at = detail_ts(e.details, "new_due_at").or(s.due_at);
                s.original_due_at = s.due_at;
                s.extension_minutes += 1;
            }
            ActionKind::Apologize => {
                s.new_appointments += 1;
                s.due_at = detail_ts(e.details, "new_due_at").or(s.due_at);
            }
            ActionKind::Forward => {
                if let Some(to) = e.handed_to {
                    s.agency_code = to.to_owned();
                }
                self.officer = None;
            }
            ActionKind::Assign => self.officer = e.handed_to.map(str::to_owned),
            ActionKind::WaiveDigitization => s.scan_waived = true,
            _ => {}
        }
        s.status = e.to_status;
        self.reuses_papers |= row_reuses_a_paper(e.action, e.details);
        let mut d = deltas(before.as_ref(), &s, self.cal);
        let facts = ChangeFacts { action: e.action, details: e.details, reuses_papers: self.reuses_papers };
        d.extend(change_deltas(before.as_ref(), &s, &facts));
        let officer = self.officer.clone().map(|o| (o, officer_deltas(&d, &s))).filter(|(_, d)| !d.is_empty());
        let step =
            ReplayStep { day: self.cal.local(e.at).date(), agency_code: s.agency_code.clone(), deltas: d, officer };
        self.state = Some(s);
        step
    }
}

fn blank(point_code: &str, channel: Channel, agency: &str) -> DossierState {
    DossierState::submitted(channel, point_code, agency)
}

/// The on-time rate of DOMAIN §Index, in percent: settled early or on time over all settled, or
/// `None` when nothing was settled.
pub fn on_time_rate(early: i64, on_time: i64, late: i64) -> Option<f64> {
    let all = early + on_time + late;
    (all > 0).then(|| (early + on_time) as f64 * 100.0 / all as f64)
}

/// The formula of [`on_time_rate`], as shown beside the figure.
pub const ON_TIME_FORMULA_VI: &str = "Tỷ lệ đúng hạn = (số hồ sơ giải quyết trước hạn + đúng hạn) ÷ tổng số hồ sơ đã giải quyết × 100%. \
Thời điểm kết thúc giải quyết (có kết quả, không giải quyết, dừng hoặc từ chối) so với ngày hẹn đầu tiên; \
không tính thời gian chờ bổ sung; yêu cầu bổ sung quá một lần tính là quá hạn (Quyết định 766/QĐ-TTg).";

/// How a period is read: the whole months it covers from the monthly rollup, the days before and
/// after them from the daily rollup. The days at either end are fewer than two months' worth, so
/// the cost of any period is bounded by ~62 days and the number of months, however large the
/// city. `today` lets a period running to today (or later) count its last month as whole: the
/// rest of that month has nothing yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodPlan {
    /// Ranges of days (inclusive) read from the daily rollup: at most one before and one after the months.
    pub days: Vec<(jiff::civil::Date, jiff::civil::Date)>,
    /// The first day of the first whole month and the last day of the last one.
    pub months: Option<(jiff::civil::Date, jiff::civil::Date)>,
    /// Edge days that cover most of a finished month, read instead as that month (from the
    /// monthly rollup) less its other days: fewer days to sum, and the month is read once for
    /// every period that takes most of it.
    pub month_less: Vec<MonthLess>,
}

/// A finished month (first and last day) less some of its days (inclusive ranges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthLess {
    pub month: (jiff::civil::Date, jiff::civil::Date),
    pub less: Vec<(jiff::civil::Date, jiff::civil::Date)>,
}

pub fn plan_period(from: jiff::civil::Date, to: jiff::civil::Date, today: jiff::civil::Date) -> PeriodPlan {
    let mut plan = tile_period(from, to, today);
    let days = std::mem::take(&mut plan.days);
    for (a, b) in days {
        match month_less(a, b, today) {
            Some(m) => plan.month_less.push(m),
            None => plan.days.push((a, b)),
        }
    }
    plan
}

/// Days `[a, b]` as their month less the month's other days, when the month is finished and the
/// other days are fewer.
fn month_less(a: jiff::civil::Date, b: jiff::civil::Date, today: jiff::civil::Date) -> Option<MonthLess> {
    let (first, last) = (a.first_of_month(), a.last_of_month());
    if b.first_of_month() != first || last >= today {
        return None;
    }
    let taken = i32::from(b.day()) - i32::from(a.day()) + 1;
    if taken * 2 <= i32::from(last.day()) {
        return None;
    }
    let mut less = Vec::new();
    if a > first {
        less.push((first, a.yesterday().ok()?));
    }
    if b < last {
        less.push((b.tomorrow().ok()?, last));
    }
    Some(MonthLess { month: (first, last), less })
}

/// Whole months and the days at either end, as [`PeriodPlan`] describes (without `month_less`).
fn tile_period(from: jiff::civil::Date, to: jiff::civil::Date, today: jiff::civil::Date) -> PeriodPlan {
    let empty = PeriodPlan { days: Vec::new(), months: None, month_less: Vec::new() };
    if from > to {
        return empty;
    }
    // The last day whose counters can exist: later days are empty, so reading up to the end of
    // their month changes nothing.
    let effective_to = if to >= today { to.last_of_month() } else { to };
    let first_whole = if from.day() == 1 { Some(from) } else { from.last_of_month().tomorrow().ok() };
    let last_whole_end = if effective_to == effective_to.last_of_month() {
        Some(effective_to)
    } else {
        effective_to.first_of_month().yesterday().ok()
    };
    match (first_whole, last_whole_end) {
        (Some(a), Some(b)) if a <= b => {
            let mut days = Vec::new();
            if from < a {
                days.push((from, a.yesterday().unwrap_or(a)));
            }
            if b < to {
                days.push((b.tomorrow().unwrap_or(b), to));
            }
            PeriodPlan { days, months: Some((a, b)), month_less: Vec::new() }
        }
        _ => PeriodPlan { days: vec![(from, to)], months: None, month_less: Vec::new() },
    }
}

#[cfg(test)]
mod tests;

/// The fields the supervisor watches in their own view (land, investment, planning,
/// construction), matched on the folded field name so every variant of the catalog's wording
/// ("Đất đai", "Tài chính đất đai", "Đầu tư tại Việt Nam", "Hoạt động xây dựng", "Quy hoạch đô thị
/// và nông thôn" …) falls in.
pub const WATCHED_FIELDS: [&str; 4] = ["dat dai", "dau tu", "quy hoach", "xay dung"];

/// Whether `field` is one of the watched fields.
pub fn is_watched_field(field: &str) -> bool {
    let folded = crate::text::fold(field);
    WATCHED_FIELDS.iter().any(|w| folded.contains(w))
}
