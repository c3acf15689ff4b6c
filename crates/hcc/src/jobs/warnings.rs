//! The early-warning and escalation job: finds open dossiers whose current step is due soon or
//! late, and notifies the officer and the agency's leaders, then the supervisors once the step has
//! been late for longer than the policy allows. When the dossier's appointment itself is at risk,
//! the warning carries the new date HCC proposes for the apology (Form 04) the leader signs.
//!
//! One process at a time scans (a database lease, judged by the database's clock); each warning is
//! recorded once per (dossier, step, kind) with its notices in the same transaction, so a round
//! after downtime catches up without repeating anything.

use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::warning::{self, Audience, WarningPolicy};
use hcc_store::Store;
use hcc_store::notify::{NewWarning, StaffContact, WarningCandidate};
use jiff::Timestamp;
use std::time::Duration;

/// The lease the scanning process holds.
pub const LEASE: &str = "early_warnings";
/// Long enough for a round over a city's open dossiers; renewed after every page.
const LEASE_TTL: Duration = Duration::from_secs(600);
const PAGE: u32 = 500;

/// What a round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarningReport {
    /// Another process holds the lease: this one did nothing.
    pub skipped: bool,
    /// Warnings given now.
    pub given: u32,
    /// Warnings found already given (by an earlier round or another process).
    pub already: u32,
}

/// One round at `now` as `holder`.
pub async fn run_once(
    store: &Store,
    cal: &WorkingCalendar,
    policy: &WarningPolicy,
    holder: &str,
    now: Timestamp,
) -> anyhow::Result<WarningReport> {
    if !store.try_lease(LEASE, holder, LEASE_TTL).await? {
        return Ok(WarningReport { skipped: true, ..WarningReport::default() });
    }
    let result = scan(store, cal, policy, holder, now).await;
    // Released even after a failure, so the next round (here or elsewhere) need not wait it out.
    let released = store.release_lease(LEASE, holder).await;
    let report = result?;
    released?;
    Ok(report)
}

async fn scan(
    store: &Store,
    cal: &WorkingCalendar,
    policy: &WarningPolicy,
    holder: &str,
    now: Timestamp,
) -> anyhow::Result<WarningReport> {
    let staff = store.staff_contacts().await?;
    let horizon = warning::horizon(now, cal, policy);
    let mut report = WarningReport::default();
    let mut step_names = StepNames::default();
    let mut after = 0;
    loop {
        let page = store.warning_candidates(horizon, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.dossier_id;
        for c in &page {
            for kind in warning::earned(c.step_due_at, now, cal, policy) {
                let w = NewWarning {
                    dossier_id: c.dossier_id,
                    step_index: c.step_index,
                    kind: kind.as_str().to_owned(),
                    due_at: c.step_due_at,
                    recipients: recipients(&staff, c, kind.audience()),
                    payload: payload(c, kind, step_names.get(store, c).await?, cal, policy, now),
                };
                if store.record_warning(&w, now).await? {
                    report.given += 1;
                } else {
                    report.already += 1;
                }
            }
        }
        if !store.try_lease(LEASE, holder, LEASE_TTL).await? {
            anyhow::bail!("the early-warning lease was lost mid-round");
        }
    }
    Ok(report)
}

/// Who answers for the step: while the reception point still holds a received dossier (the
/// hand-over step), its counter staff; once the agency has it, the assigned officer; in both cases
/// the leaders of the agency that settles it. Escalations go to the supervisors.
fn recipients(staff: &[StaffContact], c: &WarningCandidate, audience: Audience) -> Vec<i64> {
    let at_the_counter = c.status == "received";
    staff
        .iter()
        .filter(|s| match audience {
            Audience::Handlers => {
                let leader = s.role == "leader" && s.agency_code.as_deref() == Some(c.agency_code.as_str());
                let holder = if at_the_counter {
                    matches!(s.role.as_str(), "reception" | "postal") && s.point_code.as_deref() == Some(&c.point_code)
                } else {
                    Some(s.id) == c.assignee_id
                };
                leader || holder
            }
            Audience::Supervisors => s.role == "supervisor",
        })
        .map(|s| s.id)
        .collect()
}

/// The names of procedure steps, read once per procedure version in a round.
#[derive(Default)]
struct StepNames(std::collections::HashMap<(String, i64), Vec<String>>);

impl StepNames {
    async fn get(&mut self, store: &Store, c: &WarningCandidate) -> anyhow::Result<Option<String>> {
        let key = (c.procedure_code.clone(), c.procedure_version);
        if !self.0.contains_key(&key) {
            let version = u32::try_from(c.procedure_version).ok();
            let procedure = store.get_procedure(&c.procedure_code, version).await?;
            let names =
                procedure.map(|p| p.effective_steps().into_iter().map(|s| s.name).collect()).unwrap_or_default();
            self.0.insert(key.clone(), names);
        }
        let index = usize::try_from(c.step_index).ok();
        Ok(index.and_then(|i| self.0.get(&key)?.get(i).cloned()))
    }
}

fn payload(
    c: &WarningCandidate,
    kind: warning::WarningKind,
    step_name: Option<String>,
    cal: &WorkingCalendar,
    policy: &WarningPolicy,
    now: Timestamp,
) -> serde_json::Value {
    let mut p = serde_json::json!({
        "warning": kind.as_str(),
        "step_index": c.step_index,
        "step_due_at": c.step_due_at,
        "step_name": step_name,
        "due_at": c.due_at,
    });
    if let Some(due) = c.due_at.filter(|d| warning::appointment_at_risk(*d, now, cal, policy)) {
        p["proposed_new_due_at"] = serde_json::json!(warning::proposed_new_appointment(due, now, cal, policy));
    }
    p
}
