//! The dossier lifecycle: which action is allowed for this dossier, this actor, now, and what it
//! changes. One function, [`decide`], answers both; the store only writes what it returns.

mod action;
mod progress;
mod state;

pub use action::{Action, ActionKind, CopyKind, DocumentFacts, PauseKind, ReturnMethod, StaffRef};
pub use progress::{DUE_SOON_MINUTES, Progress, Timing, progress};
pub use state::{ActionError, Context, DossierState, EventDraft, HANDOVER_CUTOFF, Timeliness, Transition};

use crate::actor::Role;
use crate::calendar::WorkingCalendar;
use crate::catalog::{Channel, ClockPolicy, Procedure, ProcedureStep};
use crate::permission::{self, Denied, DossierScope};
use crate::status::Status;
use crate::time_limit::{TimeLimit, TimeUnit};
use jiff::Timestamp;

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
    let mut state = DossierState::submitted(channel, point_code, agency_code);
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

/// Refuses to hand a dossier over for handling while a handed-in paper has no digitized file,
/// unless a supervisor recorded an exception.
fn require_scanned(state: &DossierState) -> Result<(), ActionError> {
    if state.unscanned_items.is_empty() || state.scan_waived {
        Ok(())
    } else {
        Err(ActionError::NotDigitized { items: state.unscanned_items.clone() })
    }
}

/// Whether `s` is a SHA-256 written as 64 lower-case hex digits (how the store names files).
fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn check_document(d: &DocumentFacts) -> Result<(), ActionError> {
    if !is_sha256_hex(&d.sha256) || d.size == 0 || d.file_name.trim().is_empty() {
        return Err(ActionError::Invalid("Tài liệu điện tử không hợp lệ".into()));
    }
    Ok(())
}

fn document_details(d: &DocumentFacts, replaces: Option<&str>) -> Result<serde_json::Value, ActionError> {
    let mut v = serde_json::to_value(d).map_err(|e| ActionError::Invalid(e.to_string()))?;
    if let Some(old) = replaces {
        v["replaces_sha256"] = serde_json::json!(old);
    }
    Ok(v)
}

/// Decides whether `action` is allowed on a dossier in `state` for `ctx.actor` at `ctx.now`, and
/// what it changes. Pure: the same inputs always give the same answer.
pub fn decide(state: &DossierState, action: &Action, ctx: &Context) -> Result<Transition, ActionError> {
    let kind = action.kind();
    let status = state.status;
    if status.is_final() {
        match action {
            // After the archive period a finished dossier's documents may go; nothing else changes.
            Action::DeleteDocument { retention_over: true, .. } => {}
            Action::DeleteDocument { .. } => {
                return Err(ActionError::Invalid(
                    "Tài liệu của hồ sơ đã kết thúc được lưu trữ theo thời hạn bảo quản, chưa được xóa".into(),
                ));
            }
            _ => return Err(ActionError::Finished),
        }
    }
    let scope = DossierScope {
        point_code: &state.point_code,
        agency_code: &state.agency_code,
        involved_agencies: ctx.involved_agencies,
    };
    if !permission::can_read(ctx.actor, &scope) && !permission::acts_without_reading(ctx.actor, kind) {
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
                        // Waiting for the applicant is not the agency's time: the appointment
                        // it is judged against moves by as much as the one in force.
                        next.due_at = shift(state.due_at, paused, cal);
                        next.original_due_at = shift(state.original_due_at, paused, cal);
                        next.step_due_at = shift(state.step_due_at, paused, cal);
                    }
                    ClockPolicy::Restart => {
                        let limit = ctx.procedure.channel(state.channel).and_then(|c| c.time_limit);
                        if let Some(limit) = limit {
                            let due = cal.due_at(now, limit);
                            next.due_at = Some(due);
                            next.original_due_at = Some(due);
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
                    "new_original_due_at": next.original_due_at,
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
                require_scanned(state)?;
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
                require_scanned(state)?;
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
            // A pause the law excludes from the time limit moves the judged appointment too.
            next.original_due_at = shift(state.original_due_at, paused, cal);
            next.step_due_at = shift(state.step_due_at, paused, cal);
            event.note = optional(note)?;
            event.details = serde_json::json!({
                "stopped_working_minutes": paused,
                "old_due_at": state.due_at,
                "new_due_at": next.due_at,
                "new_original_due_at": next.original_due_at,
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
            if state.result_sha256.is_none() {
                return Err(ActionError::ResultNotDigitized);
            }
            next.status = Status::ResultReady;
            event.handed_to = Some(state.point_code.clone());
            event.note = optional(note)?;
        }
        Action::ReturnResult { method, note, signature_sha256 } => {
            if !matches!(status, Status::ResultReady | Status::NotSettled) {
                return Err(invalid(kind, status));
            }
            if status == Status::ResultReady && state.result_sha256.is_none() {
                return Err(ActionError::ResultNotDigitized);
            }
            finish_step(&mut next, &mut event);
            next.status = Status::Returned;
            next.finished_at = Some(now);
            event.note = optional(note)?;
            event.details = match signature_sha256 {
                Some(sha) if is_sha256_hex(sha) => {
                    serde_json::json!({ "method": method, "signature_sha256": sha })
                }
                Some(_) => return Err(ActionError::Invalid("Chữ ký của người nhận không hợp lệ".into())),
                None => serde_json::json!({ "method": method }),
            };
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
        Action::Digitize { document } => {
            if let Some(no) = document.item_no {
                if !ctx.procedure.documents.iter().any(|d| d.no == no) {
                    return Err(ActionError::Invalid(format!(
                        "Thủ tục {} không có thành phần hồ sơ số {no}",
                        ctx.procedure.code
                    )));
                }
                next.unscanned_items.retain(|i| *i != no);
            }
            check_document(document)?;
            event.details = document_details(document, None)?;
        }
        Action::WaiveDigitization { reason } => {
            if state.unscanned_items.is_empty() || state.scan_waived || status != Status::Received {
                return Err(ActionError::Invalid(
                    "Chỉ miễn số hóa cho hồ sơ đã tiếp nhận, chưa chuyển xử lý và còn giấy tờ chưa số hóa".into(),
                ));
            }
            next.scan_waived = true;
            event.note = required(reason, "lý do miễn số hóa")?;
            event.details = serde_json::json!({ "items": state.unscanned_items, "reason": event.note });
        }
        Action::AttachResult { document } => {
            if !matches!(status, Status::InProgress | Status::NotSettled) {
                return Err(invalid(kind, status));
            }
            check_document(document)?;
            next.result_sha256 = Some(document.sha256.clone());
            event.details = document_details(document, state.result_sha256.as_deref())?;
        }
        Action::DeleteDocument { document, reason, item_keeps_a_file, .. } => {
            event.note = required(reason, "lý do xóa tài liệu")?;
            if let Some(no) = document.item_no {
                // Only a still-open dossier gets here, so the paper must be scanned again.
                let handed_in = status == Status::Received || status == Status::Submitted;
                if !item_keeps_a_file && handed_in && !next.unscanned_items.contains(&no) {
                    next.unscanned_items.push(no);
                    next.unscanned_items.sort_unstable();
                }
            }
            if state.result_sha256.as_deref() == Some(document.sha256.as_str()) && !status.is_final() {
                next.result_sha256 = None;
            }
            event.details = document_details(document, None)?;
        }
    }
    event.to_status = next.status;
    Ok(Transition { state: next, event })
}
