//! `/giam-sat/chi-so`: the service index of Decision 766/QĐ-TTg for one agency (or the whole
//! city, for a supervisor) and one month — every indicator with its counts, rate, score and
//! formula, and links to the dossiers behind it. The counts come from the statistics rollups
//! (procedures offered online: among the procedures with dossiers received that month, from the
//! catalog);
//! the scoring is `hcc_domain::index`. What the installation cannot count yet (disclosure,
//! online payment, feedback; the applicants' ratings while none is given for the month) is shown as
//! "chưa có dữ liệu" and scores nothing.

use super::{Params, STUCK_DAYS, agency_opts, agency_scope, enc};
use crate::AppState;
use crate::error::AppResult;
use crate::ui::{WebUser, render};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hcc_domain::catalog::Channel;
use hcc_domain::index::{self, Group, IndexCounts, IndexWeights, Indicator, Share};
use hcc_store::{StatDim, StatsQuery};
use hcc_templates::supervision::{HandlingRow, IndexGroup, IndexLine, IndexPage};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::HashMap;

/// The page's parameters.
#[derive(Deserialize, Default)]
pub struct IndexQuery {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub agency: String,
}

/// The first day of `YYYY-MM`, if it is a month from 2000 to the current one.
pub fn parse_month(s: &str, today: Date) -> Option<Date> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let d = jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()?;
    (d.year() >= 2000 && d <= today.first_of_month()).then_some(d)
}

/// `GET /giam-sat/chi-so`.
pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    q: Result<Query<IndexQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match build(&state, &user, &q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(e) => user.error_page(e),
    }
}

fn number(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

async fn build(state: &AppState, user: &WebUser, q: &IndexQuery) -> AppResult<IndexPage> {
    let agency = agency_scope(&user.actor, &q.agency)?;
    let today = state.calendar().local(hcc_store::model::now()).date();
    let mut error = String::new();
    let from = if q.month.trim().is_empty() {
        today.first_of_month()
    } else {
        match parse_month(&q.month, today) {
            Some(d) => d,
            None => {
                error = format!("Tháng không hợp lệ: {} (dạng YYYY-MM, từ 2000 đến tháng hiện tại)", q.month);
                today.first_of_month()
            }
        }
    };
    let to = from.last_of_month().min(today);
    let query = StatsQuery { from, to, agency: agency.clone(), fields: vec![] };
    let mut totals: HashMap<String, i64> = HashMap::new();
    for r in state.store.stats_by(&query, StatDim::Total).await? {
        *totals.entry(r.measure).or_default() += r.n;
    }
    let mut online_received = 0;
    for r in state.store.stats_by(&query, StatDim::Channel).await? {
        if r.value == "online" && r.measure == "received" {
            online_received += r.n;
        }
    }
    // The procedures that had dossiers received in the month (in the scope), and how many of
    // them are offered online: the catalog says per channel (cached per process).
    let mut procedures = 0;
    let mut offered_online = 0;
    let by_procedure = state.store.stats_by(&query, StatDim::Procedure).await?;
    for r in &by_procedure {
        if r.measure != "received" || r.n <= 0 {
            continue;
        }
        procedures += 1;
        if let Some(p) = state.procedure(&r.value, None).await?
            && p.channels.iter().any(|c| c.kind == Channel::Online)
        {
            offered_online += 1;
        }
    }
    let minutes_per_day = state.calendar().office_hours().minutes_per_day();
    let handling = handling_rows(state, &by_procedure, minutes_per_day).await?;
    // The applicants' ratings of the dossiers finished this month (one per dossier, kept per
    // agency and month): none yet reads as "no data", not as 0 %.
    let month = format!("{:04}-{:02}", from.year(), from.month());
    let mut rated = index::Ratings::default();
    for (rated_agency, c) in state.store.rating_counts(&month, &month).await? {
        if agency.as_ref().is_none_or(|a| *a == rated_agency) {
            let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
            rated.very_satisfied += n(c.very_satisfied);
            rated.satisfied += n(c.satisfied);
            rated.dissatisfied += n(c.dissatisfied);
        }
    }
    // Feedback due in the month, judged once answered or past due: none yet reads as "no data".
    let month_start = crate::time::start_of_local_day(from);
    let month_end = crate::time::start_of_local_day(from.last_of_month().tomorrow().unwrap_or(to));
    let (answered_on_time, judged) =
        state.store.feedback_counts(month_start, month_end, &agency, hcc_store::model::now()).await?;
    let get = |m: &str| totals.get(m).copied().unwrap_or(0);
    let ok = get("settled_early") + get("settled_on_time");
    // The dossiers still being handled when the month ends (or now, in the current month) and
    // already late then are judged late with the month's settled ones (DOMAIN §Index).
    let judged_at = month_end.min(hcc_store::model::now());
    let late_open = state.store.late_open_count(judged_at, &agency).await?;
    let counts = IndexCounts {
        on_time: Some(Share::new(ok, ok + get("settled_late") + late_open)),
        online_procedures: Some(Share::new(offered_online, procedures)),
        online_dossiers: Some(Share::new(online_received, get("received"))),
        digitized_dossiers: Some(Share::new(get("digitized_at_receipt"), get("handed_over"))),
        reused_data: Some(Share::new(get("reused_at_receipt"), get("handed_over"))),
        electronic_results: Some(Share::new(get("results_online"), get("results_returned"))),
        ratings: (rated.total() > 0).then_some(rated),
        feedback_on_time: (judged > 0).then(|| Share::new(answered_on_time, judged)),
        ..Default::default()
    };
    let score = index::compute(&counts, &IndexWeights::default());

    let p = Params {
        from,
        to,
        agency: agency.clone(),
        watched: false,
        stuck_days: STUCK_DAYS,
        phase: None,
        error: String::new(),
    };
    let base = p.query();
    let drill = |what: &str, extra: &str| format!("/giam-sat/ho-so?{base}&what={what}{extra}");
    let links = |i: Indicator| -> Vec<(String, String)> {
        match i {
            Indicator::OnTime => vec![
                ("Đúng, trước hạn".to_owned(), drill("settled_ok", "")),
                ("Quá hạn".to_owned(), drill("settled_late", "")),
                ("Đang giải quyết, quá hạn cuối kỳ".to_owned(), drill("late_open", "")),
            ],
            Indicator::OnlineDossiers => vec![
                ("Nộp trực tuyến".to_owned(), drill("received", "&channel=online")),
                ("Tất cả hồ sơ tiếp nhận".to_owned(), drill("received", "")),
            ],
            Indicator::DigitizedDossiers | Indicator::OnlineProcedures | Indicator::ReusedData => {
                vec![("Hồ sơ tiếp nhận".to_owned(), drill("received", ""))]
            }
            Indicator::HandlingSatisfaction => vec![("Quá hạn".to_owned(), drill("settled_late", ""))],
            Indicator::ElectronicResults => vec![("Đã trả kết quả".to_owned(), drill("returned", ""))],
            Indicator::FeedbackOnTime => vec![(
                "Phản ánh, kiến nghị".to_owned(),
                format!("/giam-sat/phan-anh?show=all&agency={}", crate::ui::enc(agency.as_deref().unwrap_or_default())),
            )],
            _ => Vec::new(),
        }
    };
    let no_data = "chưa có dữ liệu";
    let groups = score
        .groups
        .iter()
        .map(|g| IndexGroup {
            label: g.group.label_vi().to_owned(),
            score: format!("{} / {} điểm", number(g.score), number(g.group.points())),
            note: if g.judged_points + 1e-9 < g.group.points() {
                format!(
                    "Tính được {} / {} điểm; phần còn lại chưa có dữ liệu.",
                    number(g.judged_points),
                    number(g.group.points())
                )
            } else {
                String::new()
            },
            lines: g
                .indicators
                .iter()
                .map(|i| IndexLine {
                    id: i.indicator.id(),
                    label: i.indicator.label_vi().to_owned(),
                    counts: i
                        .share
                        .filter(|_| i.rate.is_some())
                        .map(|s| format!("{} / {}", s.part, s.whole))
                        .unwrap_or_default(),
                    rate: i.rate.map_or_else(|| no_data.to_owned(), |r| format!("{}%", number(r))),
                    score: i.score.map_or_else(
                        || format!("— / {}", number(i.points)),
                        |s| format!("{} / {}", number(s), number(i.points)),
                    ),
                    formula: i.indicator.formula_vi().to_owned(),
                    links: links(i.indicator),
                })
                .collect(),
        })
        .collect();
    let agencies = state.agency_list().await?;
    let name = match &agency {
        Some(a) => agencies.iter().find(|x| &x.code == a).map_or_else(|| a.clone(), |x| x.name.clone()),
        None => "toàn Thành phố".to_owned(),
    };
    let month = from.strftime("%Y-%m").to_string();
    let heading = format!("Chỉ số phục vụ người dân, doanh nghiệp — {name}, tháng {}", from.strftime("%m/%Y"));
    Ok(IndexPage {
        l: user.layout(&heading, "/giam-sat"),
        heading,
        month: month.clone(),
        agencies: agency_opts(state, user, &agency).await?,
        error,
        total: number(score.total),
        total_note: format!(
            "tính được {} / 100 điểm; nhóm chưa có dữ liệu: {}",
            number(score.judged_points),
            Group::ALL
                .iter()
                .filter(|g| score.groups.iter().any(|x| x.group == **g && x.judged_points == 0.0))
                .map(|g| g.label_vi())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        groups,
        handling_total: average_days(get("handling_minutes"), ok + get("settled_late"), minutes_per_day),
        handling,
        drill_base: base.clone(),
        back: match &agency {
            Some(a) => format!("/giam-sat?from={from}&to={to}&agency={}", enc(a)),
            None => format!("/giam-sat?from={from}&to={to}"),
        },
    })
}

/// An average handling time in working days (one decimal), or "—" when nothing was settled.
fn average_days(minutes: i64, settled: i64, minutes_per_day: u32) -> String {
    if settled <= 0 || minutes_per_day == 0 {
        return "—".to_owned();
    }
    let days = minutes as f64 / f64::from(minutes_per_day) / settled as f64;
    format!("{days:.1}").replace('.', ",")
}

/// The average handling time of each procedure with dossiers settled in the period (Decision 766,
/// progress group), most settled first, beside the procedure's published time limits.
async fn handling_rows(
    state: &AppState,
    by_procedure: &[hcc_store::StatSum],
    minutes_per_day: u32,
) -> AppResult<Vec<HandlingRow>> {
    let mut per: HashMap<&str, (i64, i64)> = HashMap::new();
    for r in by_procedure {
        let e = per.entry(r.value.as_str()).or_default();
        match r.measure.as_str() {
            "settled_early" | "settled_on_time" | "settled_late" => e.0 += r.n,
            "handling_minutes" => e.1 += r.n,
            _ => {}
        }
    }
    let mut settled: Vec<(&str, i64, i64)> =
        per.into_iter().filter(|(_, (n, _))| *n > 0).map(|(code, (n, m))| (code, n, m)).collect();
    settled.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut rows = Vec::with_capacity(settled.len());
    for (code, n, minutes) in settled {
        let p = state.procedure(code, None).await?;
        let mut limits: Vec<String> = p
            .iter()
            .flat_map(|p| p.channels.iter())
            .filter_map(|c| c.time_limit.map(|l| format!("{} {}", l.value(), l.unit.label_vi())))
            .collect();
        limits.dedup();
        rows.push(HandlingRow {
            code: code.to_owned(),
            name: p.map_or_else(String::new, |p| p.name.clone()),
            settled: n,
            average_days: average_days(minutes, n, minutes_per_day),
            time_limit: limits.join("; "),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_checked() {
        let today = jiff::civil::date(2026, 11, 29);
        assert_eq!(parse_month("2026-03", today), Some(jiff::civil::date(2026, 3, 1)));
        assert_eq!(parse_month("2026-11", today), Some(jiff::civil::date(2026, 11, 1)));
        assert_eq!(parse_month("2026-12", today), None);
        assert_eq!(parse_month("1999-12", today), None);
        assert_eq!(parse_month("2026-13", today), None);
        assert_eq!(parse_month("2026-3", today), None);
        assert_eq!(parse_month("x", today), None);
    }

    #[test]
    fn averages_are_in_working_days() {
        assert_eq!(average_days(3 * 480 + 240, 1, 480), "3,5");
        assert_eq!(average_days(960, 4, 480), "0,5");
        assert_eq!(average_days(0, 0, 480), "—");
    }
}
