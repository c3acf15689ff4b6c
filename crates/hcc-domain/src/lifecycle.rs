//! The dossier lifecycle: which action is allowed for this dossier, this actor, now, and what it
//! changes. One function, [`decide`], answers both; the store only writes what it returns.

use crate::actor::{Actor, Role};
use crate::calendar::WorkingCalendar;
use crate::catalog::{Channel, ClockPolicy, Procedure, ProcedureStep};
use crate::permission::{self, Denied, DossierScope};
use crate::status::Status;
use crate::time_limit::{TimeLimit, TimeUnit};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The names of the actions, as they appear in `/actions/{action}` and on the control sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Tiếp nhận (a dossier submitted online or by post).
    Receive,
    /// Từ chối tiếp nhận (Form 03).
    RefuseReceipt,
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (Form 02).
    RequestSupplement,
    /// Nhận hồ sơ bổ sung.
    ReceiveSupplement,
    /// Phân công chuyên viên xử lý.
    Assign,
    /// Chuyển liên thông to another unit or agency.
    Forward,
    /// Hoàn thành bước xử lý.
    CompleteStep,
    /// Lãnh đạo phê duyệt, ký kết quả.
    Approve,
    /// Không giải quyết, with reasons and legal basis.
    RefuseToSettle,
    /// Tạm dừng (the clock stops).
    Pause,
    /// Tiếp tục xử lý.
    Resume,
    /// Gia hạn where the procedure allows it.
    Extend,
    /// Văn bản xin lỗi và hẹn lại ngày trả (Form 04).
    Apologize,
    /// Kết quả đã chuyển về bộ phận trả kết quả.
    MarkResultReady,
    /// Trả kết quả (counter, post, online).
    ReturnResult,
    /// Công dân rút hồ sơ.
    Withdraw,
    /// Dừng giải quyết (Form 05).
    Stop,
}

impl ActionKind {
    pub const ALL: [ActionKind; 17] = [
        ActionKind::Receive,
        ActionKind::RefuseReceipt,
        ActionKind::RequestSupplement,
        ActionKind::ReceiveSupplement,
        ActionKind::Assign,
        ActionKind::Forward,
        ActionKind::CompleteStep,
        ActionKind::Approve,
        ActionKind::RefuseToSettle,
        ActionKind::Pause,
        ActionKind::Resume,
        ActionKind::Extend,
        ActionKind::Apologize,
        ActionKind::MarkResultReady,
        ActionKind::ReturnResult,
        ActionKind::Withdraw,
        ActionKind::Stop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Receive => "receive",
            ActionKind::RefuseReceipt => "refuse_receipt",
            ActionKind::RequestSupplement => "request_supplement",
            ActionKind::ReceiveSupplement => "receive_supplement",
            ActionKind::Assign => "assign",
            ActionKind::Forward => "forward",
            ActionKind::CompleteStep => "complete_step",
            ActionKind::Approve => "approve",
            ActionKind::RefuseToSettle => "refuse_to_settle",
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
            ActionKind::Extend => "extend",
            ActionKind::Apologize => "apologize",
            ActionKind::MarkResultReady => "mark_result_ready",
            ActionKind::ReturnResult => "return_result",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Stop => "stop",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ActionKind::Receive => "Tiếp nhận hồ sơ",
            ActionKind::RefuseReceipt => "Từ chối tiếp nhận",
            ActionKind::RequestSupplement => "Yêu cầu bổ sung hồ sơ",
            ActionKind::ReceiveSupplement => "Nhận hồ sơ bổ sung",
            ActionKind::Assign => "Phân công xử lý",
            ActionKind::Forward => "Chuyển xử lý liên thông",
            ActionKind::CompleteStep => "Hoàn thành bước xử lý",
            ActionKind::Approve => "Phê duyệt kết quả",
            ActionKind::RefuseToSettle => "Không giải quyết",
            ActionKind::Pause => "Tạm dừng xử lý",
            ActionKind::Resume => "Tiếp tục xử lý",
            ActionKind::Extend => "Gia hạn thời gian giải quyết",
            ActionKind::Apologize => "Xin lỗi và hẹn lại ngày trả kết quả",
            ActionKind::MarkResultReady => "Kết quả chờ trả",
            ActionKind::ReturnResult => "Trả kết quả",
            ActionKind::Withdraw => "Rút hồ sơ",
            ActionKind::Stop => "Dừng giải quyết",
        }
    }
}

/// Why the clock is paused (the procedure's own exclusions, "không tính thời gian …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    /// Thực hiện nghĩa vụ tài chính.
    FinancialObligation,
    /// Niêm yết công khai.
    PublicPosting,
    /// Kiểm tra, khảo sát thực địa.
    SiteSurvey,
    /// Chờ ý kiến cơ quan khác theo quy định.
    OtherAuthority,
    #[default]
    Other,
}

/// How a result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    Counter,
    Post,
    Online,
}

/// A staff member named by an action (the assignee), as the store found them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRef {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub agency: Option<String>,
}

/// An action with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Receive { note: String },
    RefuseReceipt { reasons: String },
    RequestSupplement { items: Vec<String>, reason: String },
    ReceiveSupplement { note: String },
    Assign { assignee: StaffRef, note: String },
    Forward { agency_code: String, note: String },
    CompleteStep { note: String },
    Approve { note: String },
    RefuseToSettle { reasons: String, legal_basis: String },
    Pause { kind: PauseKind, reason: String },
    Resume { note: String },
    Extend { limit: TimeLimit, reason: String },
    Apologize { new_due_at: Timestamp, reason: String },
    MarkResultReady { note: String },
    ReturnResult { method: ReturnMethod, note: String },
    Withdraw { reason: String },
    Stop { reasons: String },
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Receive { .. } => ActionKind::Receive,
            Action::RefuseReceipt { .. } => ActionKind::RefuseReceipt,
            Action::RequestSupplement { .. } => ActionKind::RequestSupplement,
            Action::ReceiveSupplement { .. } => ActionKind::ReceiveSupplement,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Forward { .. } => ActionKind::Forward,
            Action::CompleteStep { .. } => ActionKind::CompleteStep,
            Action::Approve { .. } => ActionKind::Approve,
            Action::RefuseToSettle { .. } => ActionKind::RefuseToSettle,
            Action::Pause { .. } => ActionKind::Pause,
            Action::Resume { .. } => ActionKind::Resume,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Apologize { .. } => ActionKind::Apologize,
            Action::MarkResultReady { .. } => ActionKind::MarkResultReady,
            Action::ReturnResult { .. } => ActionKind::ReturnResult,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::Stop { .. } => ActionKind::Stop,
        }
    }
}

/// Was something finished early, on time or late?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trước hạn: finished on a day before the due day.
    Early,
    /// Đúng hạn.
    OnTime,
    /// Quá hạn.
    Late,
}

impl Timeliness {
    /// Judges a finish at `done` against `due`: late after the due instant; early when it was done
    /// on an earlier local day than the due day.
    pub fn judge(done: Timestamp, due: Timestamp, cal: &WorkingCalendar) -> Timeliness {
        if done > due {
            Timeliness::Late
        } else if cal.local(done).date() < cal.local(due).date() {
            Timeliness::Early
        } else {
            Timeliness::OnTime
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::Early => "early",
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
    }
}

/// The part of a dossier the rules look at and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierState {
    pub status: Status,
    /// Where a supplement request or a pause returns to.
    pub resume_status: Option<Status>,
    pub channel: Channel,
    pub point_code: String,
    /// The agency that holds the dossier now.
    pub agency_code: String,
    pub assignee: Option<i64>,
    /// When the reception point accepted it; `None` while only submitted.
    pub received_at: Option<Timestamp>,
    /// The appointment (hẹn trả) in force.
    pub due_at: Option<Timestamp>,
    /// The first appointment, kept for the index when a new date is set.
    pub original_due_at: Option<Timestamp>,
    /// Set while the clock is stopped (supplement, pause).
    pub clock_stopped_at: Option<Timestamp>,
    /// Working minutes of the whole limit, fixed at receipt; steps take their share of it.
    pub budget_minutes: u64,
    pub step_index: u32,
    pub step_started_at: Option<Timestamp>,
    pub step_due_at: Option<Timestamp>,
    pub supplement_requests: u32,
    pub new_appointments: u32,
    /// Working minutes added by extensions so far.
    pub extension_minutes: u64,
    pub late_steps: u32,
    /// The leader signed the result (or the refusal); what remains is to return it.
    pub approved: bool,
    /// End of handling for the index: result ready, not settled, stopped, refused or withdrawn.
    pub handled_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// Why an action was refused. Each has a stable code for programs and a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("Không thể \"{action}\" khi hồ sơ đang ở trạng thái \"{status}\"")]
    InvalidState { action: &'static str, status: &'static str },
    #[error("Hồ sơ đã kết thúc, không thể thay đổi")]
    Finished,
    #[error("{0}")]
    Invalid(String),
}

impl ActionError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::Denied(Denied::NotInScope) => "not_found",
            ActionError::Denied(_) => "forbidden",
            ActionError::InvalidState { .. } => "invalid_transition",
            ActionError::Finished => "dossier_finished",
            ActionError::Invalid(_) => "invalid_action",
        }
    }
}

/// One row of the control sheet as the rules describe it; the store adds who, when and the hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    pub action: ActionKind,
    pub from_status: Option<Status>,
    pub to_status: Status,
    /// The step this action finished or worked on.
    pub step_name: Option<String>,
    pub step_due_at: Option<Timestamp>,
    /// For an action that finished a step: early, on time or late.
    pub step_outcome: Option<Timeliness>,
    /// The unit or person the dossier was handed to, when it was handed over.
    pub handed_to: Option<String>,
    pub note: String,
    /// Action-specific facts (items asked for, reasons, routing rule, old and new dates …).
    pub details: serde_json::Value,
}

/// What `decide` returns: the new state and the control-sheet row to append with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub state: DossierState,
    pub event: EventDraft,
}

/// Everything besides the dossier that a decision depends on.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub procedure: &'a Procedure,
    pub calendar: &'a WorkingCalendar,
    pub actor: &'a Actor,
    pub involved_agencies: &'a [String],
    pub now: Timestamp,
}

/// Reception hands a dossier to the agency the same working day, or the next when received after
/// this hour (DOMAIN.md §Lifecycle, configurable).
pub const HANDOVER_CUTOFF: jiff::civil::Time = jiff::civil::time(15, 0, 0, 0);

fn required(text: &str, what: &str) -> Result<String, ActionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ActionError::Invalid(format!("Cần nhập {what}")));
    }
    if t.chars().count() > 4000 {
        return Err(ActionError::Invalid(format!("{what} quá dài (tối đa 4000 ký tự)")));
    }
    Ok(t.to_owned())
}

fn optional(text: &str) -> Result<String, ActionError> {
    if text.chars().count() > 4000 {
        return Err(ActionError::Invalid("Ghi chú quá dài (tối đa 4000 ký tự)".into()));
    }
    Ok(text.trim().to_owned())
}

/// Opens a dossier: received now at a counter (the clock starts), or only submitted (online, by
/// post: the point checks it first). `time_limit` is the chosen channel's limit.
pub fn open(
    procedure: &Procedure,
    channel: Channel,
    point_code: &str,
    agency_code: &str,
    receive_now: bool,
    calendar: &WorkingCalendar,
    now: Timestamp,
) -> Result<(DossierState, EventDraft), ActionError> {
    let offer = procedure.channel(channel).ok_or_else(|| {
        ActionError::Invalid(format!("Thủ tục {} không tiếp nhận qua kênh {}", procedure.code, channel.label_vi()))
    })?;
    let limit = offer.time_limit.ok_or_else(|| {
        ActionError::Invalid(format!(
            "Thủ tục {} chưa có thời hạn giải quyết cho kênh {}; quản trị cần bổ sung trước khi tiếp nhận",
            procedure.code,
            channel.label_vi()
        ))
    })?;
    let mut state = DossierState {
        status: Status::Submitted,
        resume_status: None,
        channel,
        point_code: point_code.to_owned(),
        agency_code: agency_code.to_owned(),
        assignee: None,
        received_at: None,
        due_at: None,
        original_due_at: None,
        clock_stopped_at: None,
        budget_minutes: 0,
        step_index: 0,
        step_started_at: None,
        step_due_at: None,
        supplement_requests: 0,
        new_appointments: 0,
        extension_minutes: 0,
        late_steps: 0,
        approved: false,
        handled_at: None,
        finished_at: None,
    };
    let mut details = serde_json::json!({ "time_limit": limit });
    if receive_now {
        start_clock(&mut state, limit, calendar, now);
        details["due_at"] = serde_json::json!(state.due_at);
    }
    let event = EventDraft {
        action: ActionKind::Receive,
        from_status: None,
        to_status: state.status,
        step_name: None,
        step_due_at: state.step_due_at,
        step_outcome: None,
        handed_to: Some(agency_code.to_owned()),
        note: String::new(),
        details,
    };
    Ok((state, event))
}

/// Receipt: the clock starts, the appointment is set, the hand-over step begins.
fn start_clock(state: &mut DossierState, limit: TimeLimit, cal: &WorkingCalendar, now: Timestamp) {
    let start = cal.clock_start(now);
    let due = cal.due_at(now, limit);
    state.status = Status::Received;
    state.received_at = Some(now);
    state.due_at = Some(due);
    state.original_due_at = Some(due);
    state.budget_minutes = cal.working_minutes_between(start, due);
    state.step_index = 0;
    state.step_started_at = Some(now);
    state.step_due_at = Some(cal.handover_due(now, HANDOVER_CUTOFF));
}

fn step_due(
    state: &DossierState,
    steps: &[ProcedureStep],
    index: u32,
    start: Timestamp,
    cal: &WorkingCalendar,
) -> Timestamp {
    let share = steps.get(index as usize).map_or(0, |s| s.share_percent);
    let minutes = state.budget_minutes * u64::from(share) / 100;
    if minutes == 0 { cal.clock_start(start) } else { cal.add_working_minutes(start, minutes) }
}

/// Finishes the current step at `now` and starts the next one; returns the finished step's
/// name, due time and outcome for the control sheet.
fn advance_step(
    state: &mut DossierState,
    steps: &[ProcedureStep],
    cal: &WorkingCalendar,
    now: Timestamp,
) -> (Option<String>, Option<Timestamp>, Option<Timeliness>) {
    let name = steps.get(state.step_index as usize).map(|s| s.name.clone());
    let due = state.step_due_at;
    let outcome = due.map(|d| Timeliness::judge(now, d, cal));
    if outcome == Some(Timeliness::Late) {
        state.late_steps += 1;
    }
    let last = steps.len().saturating_sub(1) as u32;
    if state.step_index < last {
        state.step_index += 1;
        state.step_started_at = Some(now);
        state.step_due_at = Some(step_due(state, steps, state.step_index, now, cal));
    }
    (name, due, outcome)
}

/// Moves an instant by `minutes` of working time (a no-op for zero, so a due time at a session's
/// end stays there).
fn shift(t: Option<Timestamp>, minutes: u64, cal: &WorkingCalendar) -> Option<Timestamp> {
    match t {
        Some(t) if minutes > 0 => Some(cal.add_working_minutes(t, minutes)),
        other => other,
    }
}

fn invalid(kind: ActionKind, status: Status) -> ActionError {
    ActionError::InvalidState { action: kind.label_vi(), status: status.label_vi() }
}

/// Decides whether `action` is allowed on a dossier in `state` for `ctx.actor` at `ctx.now`, and
/// what it changes. Pure: the same inputs always give the same answer.
pub fn decide(state: &DossierState, action: &Action, ctx: &Context) -> Result<Transition, ActionError> {
    let kind = action.kind();
    let status = state.status;
    if status.is_final() {
        return Err(ActionError::Finished);
    }
    let scope = DossierScope {
        point_code: &state.point_code,
        agency_code: &state.agency_code,
        involved_agencies: ctx.involved_agencies,
    };
    if !permission::can_read(ctx.actor, &scope) {
        return Err(Denied::NotInScope.into());
    }
    permission::can_act(ctx.actor, kind, status, &scope)?;

    let cal = ctx.calendar;
    let now = ctx.now;
    let steps = ctx.procedure.effective_steps();
    let mut next = state.clone();
    let mut event = EventDraft {
        action: kind,
        from_status: Some(status),
        to_status: status,
        step_name: steps.get(state.step_index as usize).map(|s| s.name.clone()),
        step_due_at: state.step_due_at,
        step_outcome: None,
        handed_to: None,
        note: String::new(),
        details: serde_json::Value::Null,
    };
    let finish_step = |next: &mut DossierState, event: &mut EventDraft| {
        let (name, due, outcome) = advance_step(next, &steps, cal, now);
        event.step_name = name;
        event.step_due_at = due;
        event.step_outcome = outcome;
    };

    match action {
        Action::Receive { note } => {
            if status != Status::Submitted {
                return Err(invalid(kind, status));
            }
            let limit = ctx
                .procedure
                .channel(state.channel)
                .and_then(|c| c.time_limit)
                .ok_or_else(|| ActionError::Invalid("Thủ tục chưa có thời hạn giải quyết cho kênh này".into()))?;
            start_clock(&mut next, limit, cal, now);
            event.note = optional(note)?;
            event.step_due_at = next.step_due_at;
            event.handed_to = Some(next.agency_code.clone());
            event.details = serde_json::json!({ "due_at": next.due_at, "time_limit": limit });
        }
        Action::RefuseReceipt { reasons } => {
            if status != Status::Submitted {
                return Err(invalid(kind, status));
            }
            next.status = Status::Refused;
            next.handled_at = Some(now);
            next.finished_at = Some(now);
            event.note = required(reasons, "lý do từ chối tiếp nhận")?;
            event.details = serde_json::json!({ "form": "03", "reasons": event.note });
        }
        Action::RequestSupplement { items, reason } => {
            if !matches!(status, Status::Submitted | Status::Received | Status::InProgress) {
                return Err(invalid(kind, status));
            }
            let items: Vec<String> = items.iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect();
            if items.is_empty() {
                return Err(ActionError::Invalid(
                    "Phiếu yêu cầu bổ sung phải nêu đầy đủ, một lần các giấy tờ cần bổ sung".into(),
                ));
            }
            next.resume_status = Some(status);
            next.status = Status::SupplementRequested;
            if state.received_at.is_some() {
                next.clock_stopped_at = Some(now);
                next.supplement_requests += 1;
            }
            event.note = optional(reason)?;
            event.details =
                serde_json::json!({ "form": "02", "items": items, "request_number": next.supplement_requests });
        }
        Action::ReceiveSupplement { note } => {
            if status != Status::SupplementRequested {
                return Err(invalid(kind, status));
            }
            next.status = state.resume_status.unwrap_or(Status::Received);
            next.resume_status = None;
            let mut details = serde_json::json!({});
            if let Some(stopped) = state.clock_stopped_at {
                let paused = cal.working_minutes_between(stopped, now);
                next.clock_stopped_at = None;
                match ctx.procedure.clock_policy {
                    ClockPolicy::Pause => {
                        next.due_at = shift(state.due_at, paused, cal);
                        next.step_due_at = shift(state.step_due_at, paused, cal);
                    }
                    ClockPolicy::Restart => {
                        let limit = ctx.procedure.channel(state.channel).and_then(|c| c.time_limit);
                        if let Some(limit) = limit {
                            let due = cal.due_at(now, limit);
                            next.due_at = Some(due);
                            next.budget_minutes = cal.working_minutes_between(cal.clock_start(now), due);
                            next.step_started_at = Some(now);
                            next.step_due_at = Some(step_due(&next, &steps, next.step_index, now, cal));
                        }
                    }
                }
                details = serde_json::json!({
                    "clock_policy": ctx.procedure.clock_policy,
                    "stopped_working_minutes": paused,
                    "old_due_at": state.due_at,
                    "new_due_at": next.due_at,
                });
            }
            event.note = optional(note)?;
            event.details = details;
        }
        Action::Assign { assignee, note } => {
            if !matches!(status, Status::Received | Status::InProgress) {
                return Err(invalid(kind, status));
            }
            if !matches!(assignee.role, Role::Specialist | Role::Leader)
                || assignee.agency.as_deref() != Some(&state.agency_code)
            {
                return Err(ActionError::Invalid(format!(
                    "{} không phải chuyên viên hoặc lãnh đạo của cơ quan đang giải quyết hồ sơ",
                    assignee.username
                )));
            }
            if status == Status::Received {
                // The agency takes the dossier over: the reception step ends here.
                finish_step(&mut next, &mut event);
            }
            next.status = Status::InProgress;
            next.assignee = Some(assignee.user_id);
            event.handed_to = Some(assignee.username.clone());
            event.note = optional(note)?;
        }
        Action::Forward { agency_code, note } => {
            if !matches!(status, Status::Received | Status::InProgress) {
                return Err(invalid(kind, status));
            }
            if *agency_code == state.agency_code {
                return Err(ActionError::Invalid("Hồ sơ đang ở chính cơ quan này".into()));
            }
            if status == Status::Received {
                finish_step(&mut next, &mut event);
            }
            next.status = Status::InProgress;
            next.agency_code = agency_code.clone();
            next.assignee = None;
            event.handed_to = Some(agency_code.clone());
            event.note = required(note, "nội dung chuyển xử lý")?;
        }
        Action::CompleteStep { note } => {
            if status != Status::InProgress {
                return Err(invalid(kind, status));
            }
            let role = steps.get(state.step_index as usize).map(|s| s.role);
            if role == Some(crate::catalog::StepRole::Leader) && ctx.actor.role != Role::Leader {
                return Err(ActionError::Invalid("Bước này do lãnh đạo phê duyệt".into()));
            }
            if state.approved {
                return Err(ActionError::Invalid(
                    "Kết quả đã được phê duyệt; chuyển kết quả về bộ phận trả kết quả".into(),
                ));
            }
            finish_step(&mut next, &mut event);
            event.note = optional(note)?;
        }
        Action::Approve { note } | Action::RefuseToSettle { reasons: note, .. } => {
            if status != Status::InProgress || state.approved {
                return Err(invalid(kind, status));
            }
            // Approval finishes every step up to and including the sign-off.
            let sign_off = steps
                .iter()
                .rposition(|s| s.role == crate::catalog::StepRole::Leader)
                .map_or(state.step_index, |i| i as u32);
            while next.step_index < sign_off {
                advance_step(&mut next, &steps, cal, now);
            }
            finish_step(&mut next, &mut event);
            next.approved = true;
            next.handled_at = Some(now);
            if let Action::RefuseToSettle { reasons, legal_basis } = action {
                next.status = Status::NotSettled;
                event.note = required(reasons, "lý do không giải quyết")?;
                let basis = required(legal_basis, "căn cứ pháp lý")?;
                event.details = serde_json::json!({ "reasons": event.note, "legal_basis": basis });
            } else {
                event.note = optional(note)?;
            }
        }
        Action::Pause { kind: pause_kind, reason } => {
            if !matches!(status, Status::Received | Status::InProgress) {
                return Err(invalid(kind, status));
            }
            next.resume_status = Some(status);
            next.status = Status::Paused;
            next.clock_stopped_at = Some(now);
            event.note = required(reason, "lý do tạm dừng")?;
            event.details = serde_json::json!({ "pause_kind": pause_kind });
        }
        Action::Resume { note } => {
            if status != Status::Paused {
                return Err(invalid(kind, status));
            }
            let stopped = state.clock_stopped_at.unwrap_or(now);
            let paused = cal.working_minutes_between(stopped, now);
            next.status = state.resume_status.unwrap_or(Status::InProgress);
            next.resume_status = None;
            next.clock_stopped_at = None;
            next.due_at = shift(state.due_at, paused, cal);
            next.step_due_at = shift(state.step_due_at, paused, cal);
            event.note = optional(note)?;
            event.details = serde_json::json!({
                "stopped_working_minutes": paused,
                "old_due_at": state.due_at,
                "new_due_at": next.due_at,
            });
        }
        Action::Extend { limit, reason } => {
            let open =
                matches!(status, Status::Received | Status::InProgress | Status::Paused | Status::SupplementRequested);
            if !open || state.received_at.is_none() {
                return Err(invalid(kind, status));
            }
            let cap = ctx.procedure.extension_cap.ok_or_else(|| {
                ActionError::Invalid("Thủ tục này không cho phép gia hạn thời gian giải quyết".into())
            })?;
            let per_day = cal.office_hours().minutes_per_day();
            let minutes_of = |l: &TimeLimit| match l.unit {
                TimeUnit::Days => Some(u64::from(l.tenths) * u64::from(per_day) / 10),
                _ => l.working_minutes(per_day),
            };
            let (Some(add), Some(cap_minutes)) = (minutes_of(limit), minutes_of(&cap)) else {
                return Err(ActionError::Invalid("Thời gian gia hạn tính theo ngày hoặc giờ làm việc".into()));
            };
            if add == 0 || state.extension_minutes + add > cap_minutes {
                return Err(ActionError::Invalid(format!(
                    "Tổng thời gian gia hạn vượt mức tối đa của thủ tục ({cap})"
                )));
            }
            next.extension_minutes += add;
            next.due_at = shift(state.due_at, add, cal);
            next.original_due_at = next.due_at;
            event.note = required(reason, "lý do gia hạn")?;
            event.details =
                serde_json::json!({ "extension": limit, "old_due_at": state.due_at, "new_due_at": next.due_at });
        }
        Action::Apologize { new_due_at, reason } => {
            if status.handling_ended() || state.received_at.is_none() {
                return Err(invalid(kind, status));
            }
            if state.new_appointments >= ctx.procedure.max_new_appointments {
                return Err(ActionError::Invalid(format!(
                    "Đã hẹn lại ngày trả kết quả {} lần, không được hẹn lại thêm",
                    state.new_appointments
                )));
            }
            if state.due_at.is_some_and(|d| *new_due_at <= d) || *new_due_at <= now {
                return Err(ActionError::Invalid(
                    "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm này".into(),
                ));
            }
            next.new_appointments += 1;
            next.due_at = Some(*new_due_at);
            event.note = required(reason, "lý do chậm trễ")?;
            event.details = serde_json::json!({
                "form": "04",
                "old_due_at": state.due_at,
                "new_due_at": new_due_at,
                "issued_before_due": state.due_at.is_none_or(|d| now <= d),
            });
        }
        Action::MarkResultReady { note } => {
            if status != Status::InProgress || !state.approved {
                return Err(invalid(kind, status));
            }
            next.status = Status::ResultReady;
            event.handed_to = Some(state.point_code.clone());
            event.note = optional(note)?;
        }
        Action::ReturnResult { method, note } => {
            if !matches!(status, Status::ResultReady | Status::NotSettled) {
                return Err(invalid(kind, status));
            }
            finish_step(&mut next, &mut event);
            next.status = Status::Returned;
            next.finished_at = Some(now);
            event.note = optional(note)?;
            event.details = serde_json::json!({ "method": method });
        }
        Action::Withdraw { reason } => {
            if status.handling_ended() {
                return Err(invalid(kind, status));
            }
            next.status = Status::Withdrawn;
            next.clock_stopped_at = None;
            next.handled_at = Some(now);
            next.finished_at = Some(now);
            event.note = required(reason, "lý do rút hồ sơ")?;
        }
        Action::Stop { reasons } => {
            // Only a received dossier can be stopped: before receipt the agency never had it.
            let open =
                matches!(status, Status::Received | Status::InProgress | Status::SupplementRequested | Status::Paused);
            if !open || state.received_at.is_none() {
                return Err(invalid(kind, status));
            }
            next.status = Status::Stopped;
            next.clock_stopped_at = None;
            next.handled_at = Some(now);
            next.finished_at = Some(now);
            event.note = required(reasons, "lý do dừng giải quyết")?;
            event.details = serde_json::json!({ "form": "05", "reasons": event.note });
        }
    }
    event.to_status = next.status;
    Ok(Transition { state: next, event })
}

/// Where a dossier stands against its appointment (DOMAIN.md §Deadlines, outcome classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Finished: handled on a day before the appointment.
    Early,
    /// Finished on time.
    OnTime,
    /// Finished late (or asked for a supplement more than once: the index counts it late).
    Late,
    /// Open, not due yet.
    NotDue,
    /// Open, due within the warning window.
    DueSoon,
    /// Open, past its appointment.
    Overdue,
    /// Open, clock stopped (supplement, pause).
    Stopped,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Early => "early",
            Progress::OnTime => "on_time",
            Progress::Late => "late",
            Progress::NotDue => "not_due",
            Progress::DueSoon => "due_soon",
            Progress::Overdue => "overdue",
            Progress::Stopped => "stopped",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Progress::Early => "Trước hạn",
            Progress::OnTime => "Đúng hạn",
            Progress::Late => "Quá hạn",
            Progress::NotDue => "Trong hạn",
            Progress::DueSoon => "Sắp đến hạn",
            Progress::Overdue => "Đã quá hạn",
            Progress::Stopped => "Tạm dừng tính thời gian",
        }
    }
}

/// The warning window of "due soon": one working day by default (configurable).
pub const DUE_SOON_MINUTES: u64 = 480;

/// Classifies a dossier at `now`. A finished dossier is judged at the end of its handling against
/// its first appointment (a new date set with an apology does not excuse the delay; a legal
/// extension does, since it moves the first appointment too). `None` before receipt.
pub fn progress(
    state: &DossierState,
    now: Timestamp,
    cal: &WorkingCalendar,
    due_soon_minutes: u64,
) -> Option<Progress> {
    let due = state.due_at?;
    state.received_at?;
    if let Some(done) = state.handled_at {
        let judged_against = state.original_due_at.unwrap_or(due);
        if state.supplement_requests > 1 {
            return Some(Progress::Late);
        }
        return Some(match Timeliness::judge(done, judged_against, cal) {
            Timeliness::Early => Progress::Early,
            Timeliness::OnTime => Progress::OnTime,
            Timeliness::Late => Progress::Late,
        });
    }
    if state.status.clock_stopped() {
        return Some(Progress::Stopped);
    }
    if now > due {
        Some(Progress::Overdue)
    } else if cal.working_minutes_between(now, due) <= due_soon_minutes {
        Some(Progress::DueSoon)
    } else {
        Some(Progress::NotDue)
    }
}
