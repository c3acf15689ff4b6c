//! A realistic history of dossiers for the demo city: received at every kind of point and channel
//! since 1 October 2024, handled step by step through the same lifecycle rules as live dossiers
//! (some supplemented, paused, forwarded, refused, withdrawn or late, the recent ones still open).

use super::city::{City, LAND_OFFICE, ONLINE_POINT, Staff};
use super::names;
use anyhow::Context as _;
use hcc_domain::actor::Actor;
use hcc_domain::calendar::WorkingCalendar;
use hcc_domain::catalog::{Channel, Procedure};
use hcc_domain::lifecycle::{
    self, Action, Context, CopyKind, DocumentFacts, DossierState, EventDraft, PauseKind, ReturnMethod, StaffRef,
};
use hcc_domain::org;
use hcc_domain::status::Status;
use hcc_store::{Applicant, ApplicantKind, ChecklistItem, DocumentKind, EventActor, NewDocument, NewDossier, Store};
use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const BATCH: usize = 1000;

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn event_actor(a: &Actor) -> EventActor {
    EventActor {
        user_id: Some(a.user_id),
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        role: a.role.as_str().into(),
        unit: a.unit().into(),
    }
}

fn cccd(rng: &mut StdRng) -> String {
    let born: u32 = rng.random_range(1950..2006);
    let female = rng.random_bool(0.5);
    let century_digit = if born >= 2000 { 2 } else { 0 } + u32::from(female);
    format!("001{century_digit}{:02}{:06}", born % 100, rng.random_range(0..1_000_000))
}

fn tax_code(rng: &mut StdRng) -> String {
    const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    loop {
        let digits: Vec<u32> =
            std::iter::once(0).chain(std::iter::once(1)).chain((0..7).map(|_| rng.random_range(0..10))).collect();
        let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        let check = 10 - sum % 11;
        if check < 10 {
            return digits
                .iter()
                .map(|d| char::from(b'0' + *d as u8))
                .chain(std::iter::once(char::from(b'0' + check as u8)))
                .collect();
        }
    }
}

fn applicant(rng: &mut StdRng, city: &City) -> Applicant {
    let commune = pick(rng, &city.communes);
    let address =
        format!("Số {} {}, {}, Hà Nội", rng.random_range(1..300), pick(rng, names::STREETS), commune.full_name);
    let phone = format!("09{:08}", rng.random_range(0..100_000_000));
    if rng.random_bool(0.18) {
        return Applicant {
            kind: ApplicantKind::Organization,
            name: format!("{} {}", pick(rng, names::COMPANY_KIND), pick(rng, names::COMPANY_NAME)),
            id_number: tax_code(rng),
            phone: Some(phone),
            email: Some("lienhe@example.vn".into()),
            address,
            commune_code: Some(commune.code.clone()),
        };
    }
    let female = rng.random_bool(0.5);
    let (middle, given) =
        if female { (names::MIDDLE_FEMALE, names::GIVEN_FEMALE) } else { (names::MIDDLE_MALE, names::GIVEN_MALE) };
    Applicant {
        kind: ApplicantKind::Person,
        name: format!("{} {} {}", pick(rng, names::FAMILY), pick(rng, middle), pick(rng, given)),
        id_number: cccd(rng),
        phone: Some(phone),
        email: None,
        address,
        commune_code: Some(commune.code.clone()),
    }
}

/// A receipt instant: mostly in office hours on working days; online ones at any hour.
fn receipt_instant(
    rng: &mut StdRng,
    cal: &WorkingCalendar,
    start: Timestamp,
    end: Timestamp,
    online: bool,
) -> Timestamp {
    loop {
        let span = (end.as_second() - start.as_second()).max(1);
        let t = Timestamp::from_second(start.as_second() + rng.random_range(0..span)).unwrap_or(start);
        if online {
            return t;
        }
        let local = cal.local(t);
        let minutes = i32::from(local.hour()) * 60 + i32::from(local.minute());
        let in_hours = (480..720).contains(&minutes) || (780..1020).contains(&minutes);
        if cal.is_working_day(local.date()) && in_hours {
            return t;
        }
    }
}

struct Sim<'a> {
    procedure: &'a Procedure,
    cal: &'a WorkingCalendar,
    state: DossierState,
    involved: Vec<String>,
    events: Vec<(EventDraft, EventActor, Timestamp)>,
    t: Timestamp,
    now: Timestamp,
    /// The papers handed in, and whose they are: what gets scanned.
    checklist: Vec<ChecklistItem>,
    applicant: Applicant,
    /// Documents recorded by `events` (index of the recording event), and their bytes to store.
    files: Vec<(usize, NewDocument)>,
    blobs: Vec<Vec<u8>>,
}

impl Sim<'_> {
    /// Advances the clock by `minutes` of working time and applies `action`; false when that
    /// moment is still in the future or the rules refuse (the history stops there).
    fn act(&mut self, minutes: u64, actor: &Actor, action: Action) -> bool {
        let at = self.cal.add_working_minutes(self.t, minutes.max(1));
        if at > self.now {
            return false;
        }
        let ctx = Context {
            procedure: self.procedure,
            calendar: self.cal,
            actor,
            involved_agencies: &self.involved,
            now: at,
        };
        match lifecycle::decide(&self.state, &action, &ctx) {
            Ok(tr) => {
                if let Action::Forward { agency_code, .. } = &action {
                    self.involved.push(agency_code.clone());
                }
                self.state = tr.state;
                self.events.push((tr.event, event_actor(actor), at));
                self.t = at;
                true
            }
            Err(e) => {
                tracing::debug!("demo history stopped: {e}");
                false
            }
        }
    }

    /// Makes a paper's file and records it with `action` (digitize or attach the result).
    fn file(&mut self, minutes: u64, actor: &Actor, kind: DocumentKind, item: Option<&ChecklistItem>) -> bool {
        let (title, copy_kind) = match (kind, item) {
            (DocumentKind::Input, Some(i)) => {
                let copy = if self.state.channel == Channel::Online {
                    CopyKind::Electronic
                } else if i.originals > 0 {
                    CopyKind::Original
                } else {
                    CopyKind::Copy
                };
                (format!("{}. {}", i.no, i.name), copy)
            }
            _ => (format!("Ket qua: {}", self.procedure.name), CopyKind::Electronic),
        };
        let code_hint = self.events.len() + self.blobs.len();
        let bytes = super::scans::pdf(&[
            title.clone(),
            format!("Nguoi nop: {} ({})", self.applicant.name, self.applicant.id_number),
            format!("Thu tuc {}: {}", self.procedure.code, self.procedure.name),
            format!("Ban so hoa {code_hint} - {}", self.t),
        ]);
        let sha256 = super::scans::sha256_hex(&bytes);
        let file_name = if kind == DocumentKind::Result {
            format!("ket-qua-{}.pdf", self.procedure.code)
        } else {
            format!("giay-to-{}.pdf", item.map_or(0, |i| i.no))
        };
        let facts = DocumentFacts {
            id: None,
            item_no: item.map(|i| i.no),
            sha256: sha256.clone(),
            file_name: file_name.clone(),
            media_type: "application/pdf".into(),
            size: bytes.len() as u64,
            pages: Some(1),
            copy_kind,
            reused_from: None,
        };
        let action = match kind {
            DocumentKind::Input => Action::Digitize { document: facts },
            DocumentKind::Result => Action::AttachResult { document: facts },
            // The demo's recipients sign on paper; nothing files a signature alone.
            DocumentKind::Signature => return false,
        };
        if !self.act(minutes, actor, action) {
            return false;
        }
        self.files.push((
            self.events.len() - 1,
            NewDocument {
                kind,
                item_no: item.map(|i| i.no),
                sha256,
                file_name,
                media_type: "application/pdf".into(),
                size: bytes.len() as u64,
                pages: Some(1),
                copy_kind,
                owner_id: self.applicant.id_number.clone(),
                valid_until: None,
                reused_from: None,
            },
        ));
        self.blobs.push(bytes);
        true
    }

    /// Scans every paper handed in, as the reception point does before handing the dossier over.
    fn scan_papers(&mut self, rng: &mut StdRng, reception: &Actor) -> bool {
        let items: Vec<ChecklistItem> = self.checklist.iter().filter(|i| i.provided).cloned().collect();
        items.iter().all(|i| self.file(rng.random_range(2..15), reception, DocumentKind::Input, Some(i)))
    }

    fn step_budget(&self, share: u32) -> u64 {
        (self.state.budget_minutes * u64::from(share) / 100).max(30)
    }
}

/// Fraction of a budget a step takes: usually within it, sometimes well over (late steps).
fn spend(rng: &mut StdRng, budget: u64) -> u64 {
    let factor = if rng.random_bool(0.07) { rng.random_range(1.2..2.5) } else { rng.random_range(0.15..0.95) };
    (budget as f64 * factor) as u64
}

/// Generates `count` dossiers and writes them in batches; returns how many were written.
pub async fn generate(
    store: &Store,
    files: &hcc_files::FileStore,
    city: &City,
    staff: &Staff,
    cal: &WorkingCalendar,
    count: u32,
) -> anyhow::Result<u64> {
    let mut procedures = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list_procedures(None, None, after.as_deref(), 200).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.code.clone());
        procedures.extend(page.into_iter().filter(|p| p.channels.iter().any(|c| c.time_limit.is_some())));
    }
    if procedures.is_empty() {
        anyhow::bail!("không có thủ tục nào có thời hạn để tạo hồ sơ mẫu");
    }
    // The fields the center watches most get most of the traffic, as in the city.
    let weights: Vec<u32> = procedures
        .iter()
        .map(|p| match p.field.as_str() {
            "Đất đai" => 12,
            "Hoạt động xây dựng" | "Nhà ở và công sở" => 6,
            "Đầu tư tại Việt nam" | "Quy hoạch đô thị và nông thôn" | "Kiến trúc" => 4,
            _ => 2,
        })
        .collect();
    let total_weight: u32 = weights.iter().sum();
    let rules = &city.routing_rules;
    let mut rng = StdRng::seed_from_u64(20241001);
    let start = cal.instant(jiff::civil::datetime(2024, 10, 1, 8, 0, 0, 0));
    let now = Timestamp::now();
    let post_offices: Vec<&str> = city
        .points
        .iter()
        .filter(|p| p.kind == hcc_domain::org::PointKind::PostOffice)
        .map(|p| p.code.as_str())
        .collect();
    let counters: Vec<&str> = city
        .points
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                hcc_domain::org::PointKind::HeadOffice
                    | hcc_domain::org::PointKind::Branch
                    | hcc_domain::org::PointKind::Commune
            )
        })
        .map(|p| p.code.as_str())
        .collect();

    let head_office = city
        .points
        .iter()
        .find(|p| p.kind == hcc_domain::org::PointKind::HeadOffice)
        .map(|p| p.code.as_str())
        .context("the demo city has no head office")?;

    // Receipts in time order, so each point's daily numbering follows the clock.
    let mut plans: Vec<(Timestamp, Channel)> = (0..count)
        .map(|_| {
            let channel = match rng.random_range(0..100) {
                0..45 => Channel::Online,
                45..90 => Channel::Counter,
                _ => Channel::Post,
            };
            (receipt_instant(&mut rng, cal, start, now, channel == Channel::Online), channel)
        })
        .collect();
    plans.sort_by_key(|p| p.0);

    let mut batch = Vec::with_capacity(BATCH);
    let mut pending_files: Vec<Vec<u8>> = Vec::new();
    let mut written = 0u64;
    for (received, wanted_channel) in plans {
        let mut roll = rng.random_range(0..total_weight);
        let procedure = procedures
            .iter()
            .zip(&weights)
            .find(|(_, w)| {
                if roll < **w {
                    true
                } else {
                    roll -= **w;
                    false
                }
            })
            .map_or(&procedures[0], |(p, _)| p);
        let channel = if procedure.channel(wanted_channel).and_then(|c| c.time_limit).is_some() {
            wanted_channel
        } else {
            match procedure.channels.iter().find(|c| c.time_limit.is_some()) {
                Some(c) => c.kind,
                None => continue,
            }
        };
        let point = match channel {
            Channel::Online => ONLINE_POINT,
            Channel::Post => *pick(&mut rng, &post_offices),
            // The demo's counter accounts work at the head office: give it the busiest counter, as
            // the real center's head office is, so they find results to hand over on any day.
            Channel::Counter if rng.random_bool(0.3) => head_office,
            Channel::Counter => *pick(&mut rng, &counters),
        };
        let applicant = applicant(&mut rng, city);
        let subject = pick(&mut rng, &city.communes).code.clone();
        let Ok(routing) = org::route(procedure, Some(&subject), rules, &city.agencies) else { continue };
        let receive_now = channel != Channel::Online;
        let Ok((mut state, mut first)) =
            lifecycle::open(procedure, channel, point, &routing.agency_code, receive_now, cal, received)
        else {
            continue;
        };
        // The applicant is in the procedure's first case, if it has cases: the common papers and
        // that case's are handed in, the other cases' are not; conditional papers at random.
        let case = hcc_domain::catalog::cases(procedure).first().map(|c| (*c).to_owned());
        let documents = ChecklistItem::for_procedure(procedure, |d| {
            if d.mandatory { d.group.is_none() || d.group == case } else { rng.random_bool(0.4) }
        });
        state.unscanned_items = documents.iter().filter(|i| i.provided).map(|i| i.no).collect();
        first.details["routing"] = serde_json::json!({ "rule": routing.rule, "reason": routing.reason });
        let Some(reception) = staff.reception.get(point) else { continue };
        let mut sim = Sim {
            procedure,
            cal,
            state,
            involved: vec![routing.agency_code.clone()],
            events: vec![(first, event_actor(reception), received)],
            t: received,
            now,
            checklist: documents.clone(),
            applicant: applicant.clone(),
            files: Vec::new(),
            blobs: Vec::new(),
        };
        simulate(&mut sim, &mut rng, staff, reception);
        pending_files.append(&mut sim.blobs);
        batch.push(NewDossier {
            procedure_code: procedure.code.clone(),
            procedure_version: i64::from(procedure.version),
            procedure_name: procedure.name.clone(),
            field: procedure.field.clone(),
            applicant,
            subject_commune: Some(subject),
            request_summary: String::new(),
            documents,
            return_method: if channel == Channel::Post { "post".into() } else { "counter".into() },
            routing_rule: routing.rule.into(),
            idempotency_key: None,
            secret: hcc_web::api::receive::new_secret(),
            state: sim.state,
            events: sim.events,
            code_date: cal.local(received).date(),
            files: sim.files,
        });
        if batch.len() == BATCH {
            store_files(files, &mut pending_files).await?;
            written += batch.len() as u64;
            store.import_dossiers(std::mem::take(&mut batch), now).await?;
        }
    }
    if !batch.is_empty() {
        store_files(files, &mut pending_files).await?;
        written += batch.len() as u64;
        store.import_dossiers(batch, now).await?;
    }
    Ok(written)
}

/// Writes a batch's scans to the document store in bulk (before the dossiers that refer
/// to them, so no record ever points at a missing file).
async fn store_files(files: &hcc_files::FileStore, pending: &mut Vec<Vec<u8>>) -> anyhow::Result<()> {
    let batch: Vec<bytes::Bytes> = pending.drain(..).map(bytes::Bytes::from).collect();
    files.put_many(batch, &hcc_files::UploadLimits::default()).await?;
    Ok(())
}

/// Plays one dossier's life forward from its receipt until it ends or reaches the present.
fn simulate(sim: &mut Sim, rng: &mut StdRng, staff: &Staff, reception: &Actor) {
    if sim.state.status == Status::Submitted {
        if rng.random_bool(0.03) {
            sim.act(
                rng.random_range(30..480),
                reception,
                Action::RefuseReceipt {
                    reasons: "Hồ sơ không thuộc thẩm quyền tiếp nhận theo quy định".into()
                },
            );
            return;
        }
        if !sim.act(rng.random_range(30..600), reception, Action::Receive { note: String::new() }) {
            return;
        }
    }
    if rng.random_bool(0.015) {
        sim.act(
            rng.random_range(60..2000),
            reception,
            Action::Withdraw { reason: "Công dân đề nghị rút hồ sơ".into() },
        );
        return;
    }
    if !sim.scan_papers(rng, reception) {
        return;
    }
    let agency = sim.state.agency_code.clone();
    let (Some(specialist), Some(leader)) = (staff.specialist.get(&agency), staff.leader.get(&agency)) else { return };
    let handover = sim.state.step_due_at.map_or(240, |d| sim.cal.working_minutes_between(sim.t, d));
    let assignee = StaffRef {
        user_id: specialist.user_id,
        username: specialist.username.clone(),
        role: specialist.role,
        agency: specialist.agency.clone(),
    };
    if !sim.act(spend(rng, handover.max(60)), leader, Action::Assign { assignee, note: String::new() }) {
        return;
    }
    // Land dossiers are sometimes passed to the land registration office (liên thông).
    let mut handler = (specialist, leader);
    if sim.procedure.field == "Đất đai" && agency != LAND_OFFICE && rng.random_bool(0.05) {
        if !sim.act(
            rng.random_range(60..960),
            specialist,
            Action::Forward {
                agency_code: LAND_OFFICE.into(),
                note: "Chuyển Văn phòng Đăng ký đất đai cập nhật hồ sơ địa chính".into(),
            },
        ) {
            return;
        }
        let (Some(s), Some(l)) = (staff.specialist.get(LAND_OFFICE), staff.leader.get(LAND_OFFICE)) else { return };
        let to = StaffRef { user_id: s.user_id, username: s.username.clone(), role: s.role, agency: s.agency.clone() };
        if !sim.act(rng.random_range(60..480), l, Action::Assign { assignee: to, note: String::new() }) {
            return;
        }
        handler = (s, l);
    }
    let (specialist, leader) = handler;
    let work = sim.step_budget(70);
    if rng.random_bool(0.08) {
        if !sim.act(
            spend(rng, work / 3),
            specialist,
            Action::RequestSupplement {
                items: vec!["Bản sao giấy tờ chứng minh quyền sử dụng đất có chứng thực".into()],
                reason: "Thành phần hồ sơ chưa đầy đủ theo quy định".into(),
            },
        ) {
            return;
        }
        if rng.random_bool(0.1) {
            sim.act(
                30 * 480,
                leader,
                Action::Stop {
                    reasons: "Quá thời hạn bổ sung hồ sơ mà người nộp không bổ sung".into()
                },
            );
            return;
        }
        if !sim.act(
            rng.random_range(480..8 * 480),
            reception,
            Action::ReceiveSupplement { note: "Đã nhận đủ giấy tờ bổ sung".into() },
        ) {
            return;
        }
    }
    if rng.random_bool(0.05) {
        if !sim.act(
            spend(rng, work / 3),
            specialist,
            Action::Pause {
                kind: PauseKind::FinancialObligation,
                reason: "Chờ người sử dụng đất thực hiện nghĩa vụ tài chính".into(),
            },
        ) {
            return;
        }
        if !sim.act(
            rng.random_range(480..10 * 480),
            specialist,
            Action::Resume { note: "Đã có chứng từ nộp nghĩa vụ tài chính".into() },
        ) {
            return;
        }
    }
    let spent = spend(rng, work);
    // When the work will overrun the appointment, the agency apologises with a new date first.
    if let Some(due) = sim.state.due_at {
        let would_finish = sim.cal.add_working_minutes(sim.t, spent + sim.step_budget(20));
        if would_finish > due && rng.random_bool(0.5) && sim.state.new_appointments == 0 {
            let new_due = sim.cal.add_working_minutes(would_finish, 2 * 480);
            if !sim.act(
                spent / 2,
                leader,
                Action::Apologize {
                    new_due_at: new_due,
                    reason: "Hồ sơ cần xác minh thêm nên chưa giải quyết kịp thời hạn".into(),
                },
            ) {
                return;
            }
        }
    }
    if !sim.act(spent / 2 + 1, specialist, Action::CompleteStep { note: "Đã thẩm định, trình lãnh đạo".into() })
    {
        return;
    }
    let sign = spend(rng, sim.step_budget(20));
    if rng.random_bool(0.03) {
        sim.act(
            sign,
            leader,
            Action::RefuseToSettle {
                reasons: "Không đủ điều kiện theo quy định".into(),
                legal_basis: "Luật Đất đai số 31/2024/QH15".into(),
            },
        );
    } else if !sim.act(sign, leader, Action::Approve { note: "Đồng ý".into() })
        || !sim.file(rng.random_range(30..240), specialist, DocumentKind::Result, None)
        || !sim.act(rng.random_range(30..240), reception, Action::MarkResultReady { note: String::new() })
    {
        return;
    }
    let method = if sim.state.channel == Channel::Post { ReturnMethod::Post } else { ReturnMethod::Counter };
    sim.act(
        rng.random_range(60..3 * 480),
        reception,
        Action::ReturnResult { method, note: String::new(), signature_sha256: None },
    );
}
