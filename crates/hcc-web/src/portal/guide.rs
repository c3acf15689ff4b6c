//! `/thu-tuc` and `/thu-tuc/{code}`: the procedure guide. Browse and search the catalog without
//! minding diacritics, filter by field and level, page with a cursor; each procedure shows its
//! papers grouped by case, time limit and fee per channel, the reception points that take it
//! and how far it can be done online.

use super::citizen_session::MaybeSignedIn;
use super::{public_layout, render};
use crate::AppState;
use crate::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hcc_domain::catalog::{Channel, Level, OnlineLevel, Procedure};
use hcc_domain::org::PointKind;
use hcc_domain::time_limit::TimeUnit;
use hcc_store::public::ProcedureFilter;
use hcc_templates::portal::{
    Choice, GuideChannel, GuideDetailPage, GuideItem, GuideListPage, GuidePaper, GuideProcedure, NotFoundPage,
    PaperGroup, PointGroup, Section,
};
use hcc_templates::portal_text::PortalText;
use serde::Deserialize;

/// Procedures per page.
const PAGE: u32 = 20;
const LEVELS: [&str; 3] = ["Cấp tỉnh", "Cấp xã", "Cấp bộ"];

#[derive(Deserialize, Default)]
pub struct GuideParams {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "linh-vuc")]
    field: String,
    #[serde(default)]
    cap: String,
    /// Cursor: the last code of the previous page, base64url.
    #[serde(default)]
    sau: String,
}

fn online_label(l: OnlineLevel, t: &PortalText) -> &'static str {
    match l {
        OnlineLevel::Full => t.online_full,
        OnlineLevel::Partial => t.online_partial,
        OnlineLevel::None => t.online_none,
    }
}

fn level_label(l: Level, t: &PortalText) -> &'static str {
    match l {
        Level::Province => t.level_province,
        Level::Commune => t.level_commune,
        Level::Ministry => t.level_ministry,
    }
}

/// The published level ("Cấp tỉnh, Cấp xã") in the page's language; unknown parts as published.
fn level_text(published: &str, t: &PortalText) -> String {
    published
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| Level::from_label(part).map_or(part, |l| level_label(l, t)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn channel_label(c: Channel, t: &PortalText) -> &'static str {
    match c {
        Channel::Counter => t.channel_counter,
        Channel::Online => t.channel_online,
        Channel::Post => t.channel_post,
    }
}

fn unit_label(u: TimeUnit, t: &PortalText) -> &'static str {
    match u {
        TimeUnit::WorkingDays => t.unit_working_days,
        TimeUnit::Days => t.unit_days,
        TimeUnit::WorkingHours => t.unit_working_hours,
        TimeUnit::Months => t.unit_months,
    }
}

fn query_string(p: &GuideParams, after: Option<&str>) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for (k, v) in [("q", p.q.as_str()), ("linh-vuc", p.field.as_str()), ("cap", p.cap.as_str())] {
        if !v.is_empty() {
            pairs.push((k, v));
        }
    }
    if let Some(a) = after {
        pairs.push(("sau", a));
    }
    let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", percent(v))).collect();
    if encoded.is_empty() { "/thu-tuc".into() } else { format!("/thu-tuc?{}", encoded.join("&")) }
}

fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /thu-tuc`.
pub async fn list(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    params: Result<Query<GuideParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let p = params.map(|Query(p)| p).unwrap_or_default();
    match list_page(&state, &who, &p).await {
        Ok(page) => render(StatusCode::OK, &page, who.0.is_some()),
        Err(e) => e.into_response(),
    }
}

async fn list_page(state: &AppState, who: &MaybeSignedIn, p: &GuideParams) -> Result<GuideListPage, AppError> {
    let t = PortalText::of(who.1);
    let q: String = p.q.chars().take(200).collect();
    let after = if p.sau.is_empty() {
        None
    } else {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&p.sau)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .filter(|s| s.len() <= 40)
    };
    let level = LEVELS.iter().find(|l| **l == p.cap).map(|l| (*l).to_owned());
    let fields = state.fields().await?;
    let field = fields.iter().find(|f| **f == p.field).cloned();
    let filter = ProcedureFilter {
        text: Some(q.clone()).filter(|s| !s.trim().is_empty()),
        field: field.clone(),
        level: level.clone(),
        after_code: after.clone(),
        limit: PAGE + 1,
    };
    let mut found = state.store.search_procedures(&filter).await?;
    let more = found.len() > PAGE as usize;
    found.truncate(PAGE as usize);
    let next_href = match (more, found.last()) {
        (true, Some(last)) => {
            query_string(p, Some(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&last.code)))
        }
        _ => String::new(),
    };
    Ok(GuideListPage {
        l: public_layout(
            who,
            if q.trim().is_empty() { t.guide_title.to_owned() } else { format!("{} {q}", t.guide_search_title) },
            Section::Guide,
        ),
        q,
        fields: fields
            .iter()
            .map(|f| Choice { value: f.clone(), label: f.clone(), selected: field.as_deref() == Some(f) })
            .collect(),
        levels: LEVELS
            .iter()
            .map(|l| Choice { value: (*l).into(), label: level_text(l, t), selected: level.as_deref() == Some(l) })
            .collect(),
        items: found
            .iter()
            .map(|p| GuideItem {
                code: p.code.clone(),
                name: p.name.clone(),
                field: p.field.clone(),
                level: level_text(&p.level, t),
                online: online_label(p.online_level, t).into(),
            })
            .collect(),
        next_href,
        first_href: if after.is_some() { query_string(p, None) } else { String::new() },
    })
}

/// `GET /thu-tuc/{code}`.
pub async fn detail(State(state): State<AppState>, who: MaybeSignedIn, Path(code): Path<String>) -> Response {
    let t = PortalText::of(who.1);
    let procedure = if hcc_domain::catalog::is_procedure_code(&code) {
        match state.procedure(&code, None).await {
            Ok(p) => p,
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        None
    };
    let Some(procedure) = procedure else {
        return render(
            StatusCode::NOT_FOUND,
            &NotFoundPage {
                l: public_layout(&who, t.procedure_not_found_heading, Section::Guide),
                heading: t.procedure_not_found_heading.into(),
                message: t.procedure_not_found_message.into(),
                back_href: "/thu-tuc".into(),
                back_label: t.procedure_list.into(),
            },
            who.0.is_some(),
        );
    };
    let points = match state.point_list().await {
        Ok(p) => p,
        Err(e) => return AppError::from(e).into_response(),
    };
    let page = GuideDetailPage {
        l: public_layout(&who, procedure.name.clone(), Section::Guide),
        p: guide_procedure(&procedure, &points, t),
    };
    render(StatusCode::OK, &page, who.0.is_some())
}

/// Only a ministry carries it out: the city's points do not receive it (the catalog says where).
fn ministry_only(p: &Procedure) -> bool {
    !p.levels.is_empty() && p.levels.iter().all(|l| *l == hcc_domain::catalog::Level::Ministry)
}

/// Which reception points take the procedure: any point takes any procedure (phi địa giới),
/// through the channel it serves — counters where the procedure has a counter channel, post
/// offices where it can be sent by post, the online portal where it is offered online — except a
/// procedure only a ministry carries out.
fn takes(kind: PointKind, p: &Procedure) -> bool {
    if ministry_only(p) {
        return false;
    }
    match kind {
        PointKind::HeadOffice | PointKind::Branch | PointKind::Commune => p.channel(Channel::Counter).is_some(),
        PointKind::PostOffice => p.channel(Channel::Post).is_some(),
        PointKind::Online => p.channel(Channel::Online).is_some() && p.online_level != OnlineLevel::None,
    }
}

fn guide_procedure(p: &Procedure, points: &[hcc_domain::org::ReceptionPoint], t: &PortalText) -> GuideProcedure {
    let mut paper_groups: Vec<PaperGroup> = Vec::new();
    for d in &p.documents {
        let heading = d.group.clone().unwrap_or_default();
        let paper = GuidePaper {
            no: d.no,
            name: d.name.clone(),
            template: d.template.clone().unwrap_or_default(),
            originals: d.originals,
            copies: d.copies,
            mandatory: d.mandatory,
        };
        match paper_groups.iter_mut().find(|g| g.heading == heading) {
            Some(g) => g.papers.push(paper),
            None => paper_groups.push(PaperGroup { heading, papers: vec![paper] }),
        }
    }
    // The common papers first, then each case in the published order.
    paper_groups.sort_by_key(|g| !g.heading.is_empty());
    if paper_groups.len() > 1
        && let Some(common) = paper_groups.first_mut().filter(|g| g.heading.is_empty())
    {
        common.heading = t.common_papers.into();
    }
    let kinds = [
        (PointKind::HeadOffice, t.points_head_office, true),
        (PointKind::Branch, t.points_branches, true),
        (PointKind::Commune, t.points_communes, false),
        (PointKind::PostOffice, t.points_post, false),
        (PointKind::Online, t.points_online, true),
    ];
    let point_groups = kinds
        .iter()
        .filter(|(kind, _, _)| takes(*kind, p))
        .map(|(kind, heading, open)| PointGroup {
            heading: (*heading).into(),
            open: *open,
            points: points
                .iter()
                .filter(|pt| pt.kind == *kind)
                .map(|pt| (pt.name.clone(), pt.address.clone()))
                .collect(),
        })
        .filter(|g| !g.points.is_empty())
        .collect();
    GuideProcedure {
        code: p.code.clone(),
        name: p.name.clone(),
        field: p.field.clone(),
        level: level_text(&p.level, t),
        online: online_label(p.online_level, t).into(),
        applicants: p.applicants.clone(),
        competent_agency: p.competent_agency.clone(),
        executing_agency: p.executing_agency.clone(),
        channels: p
            .channels
            .iter()
            .map(|c| GuideChannel {
                kind: channel_label(c.kind, t).into(),
                online: c.kind == Channel::Online,
                time_limit: c
                    .time_limit
                    .map(|l| {
                        let v = l.value();
                        let n = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}").replace('.', ",") };
                        format!("{n} {}", unit_label(l.unit, t))
                    })
                    .unwrap_or_else(|| t.not_published.into()),
                fee: if c.fee.trim().is_empty() { t.no_fee.into() } else { c.fee.clone() },
            })
            .collect(),
        paper_groups,
        results: p
            .results
            .iter()
            .map(|r| match &r.code {
                Some(c) => format!("{} ({c})", r.name),
                None => r.name.clone(),
            })
            .collect(),
        conditions: p.conditions.clone(),
        points_note: if ministry_only(p) {
            let agency = if p.executing_agency.is_empty() { &p.competent_agency } else { &p.executing_agency };
            t.ministry_only.replace("{agency}", agency)
        } else {
            String::new()
        },
        point_groups,
        legal_basis: p
            .legal_basis
            .iter()
            .map(|b| if b.number.is_empty() { b.title.clone() } else { format!("{} — {}", b.number, b.title) })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcc_domain::org::ReceptionPoint;

    fn procedure(level: &str, levels: &str, channels: &[&str]) -> Option<Procedure> {
        let channels: Vec<serde_json::Value> = channels
            .iter()
            .map(|k| serde_json::json!({"kind": k, "time_limit": null, "fee": "", "fee_vnd": null}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "code": "1.000001", "name": "Thủ tục thử", "field": "Đất đai", "level": level,
            "levels": [levels], "channels": channels, "competent_agency": "Bộ Xây dựng"
        }))
        .ok()
    }

    fn points() -> Vec<ReceptionPoint> {
        [(PointKind::HeadOffice, "Trụ sở"), (PointKind::PostOffice, "Bưu điện Hà Nội"), (PointKind::Online, "Cổng")]
            .into_iter()
            .map(|(kind, name)| ReceptionPoint {
                code: name.into(),
                name: name.into(),
                kind,
                address: String::new(),
                commune_code: None,
            })
            .collect()
    }

    #[test]
    fn points_follow_the_channels_and_ministry_procedures_go_elsewhere() {
        let Some(city) = procedure("Cấp tỉnh", "province", &["counter", "post"]) else { panic!("procedure") };
        let g = guide_procedure(&city, &points(), &hcc_templates::portal_text::VI);
        let names: Vec<&str> = g.point_groups.iter().flat_map(|g| g.points.iter().map(|p| p.0.as_str())).collect();
        assert_eq!(names, ["Trụ sở", "Bưu điện Hà Nội"], "no online channel, no online point");
        assert!(g.points_note.is_empty());

        let Some(ministry) = procedure("Cấp bộ", "ministry", &["counter"]) else { panic!("procedure") };
        let g = guide_procedure(&ministry, &points(), &hcc_templates::portal_text::VI);
        assert!(g.point_groups.is_empty());
        assert!(g.points_note.contains("Bộ Xây dựng"), "{}", g.points_note);
        let en = guide_procedure(&ministry, &points(), &hcc_templates::portal_text::EN);
        assert!(
            en.points_note.starts_with("A ministry-level procedure: file it with Bộ Xây dựng"),
            "{}",
            en.points_note
        );
    }

    #[test]
    fn published_levels_read_in_the_page_language() {
        use hcc_templates::portal_text::{EN, VI};
        assert_eq!(level_text("Cấp tỉnh, Cấp xã", &EN), "Province level, Commune level");
        assert_eq!(level_text("Cấp tỉnh;Cấp huyện", &EN), "Province level, Cấp huyện", "unknown parts as published");
        assert_eq!(level_text("Cấp bộ", &VI), "Cấp bộ");
        assert_eq!(level_text("", &EN), "");
    }
}
