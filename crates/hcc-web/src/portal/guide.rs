//! `/thu-tuc` and `/thu-tuc/{code}`: the procedure guide. Browse and search the catalog without
//! minding diacritics, filter by field and level, page with a cursor; each procedure shows its
//! papers grouped by case, time limit and fee per channel, the reception points that take it
//! and how far it can be done online.

use super::render;
use crate::AppState;
use crate::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hcc_domain::catalog::{Channel, OnlineLevel, Procedure};
use hcc_domain::org::PointKind;
use hcc_store::public::ProcedureFilter;
use hcc_templates::portal::{
    Choice, GuideChannel, GuideDetailPage, GuideItem, GuideListPage, GuidePaper, GuideProcedure, NotFoundPage,
    PaperGroup, PointGroup, PortalLayout, Section,
};
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

fn online_label(l: OnlineLevel) -> &'static str {
    match l {
        OnlineLevel::Full => "Trực tuyến toàn trình",
        OnlineLevel::Partial => "Trực tuyến một phần",
        OnlineLevel::None => "Không trực tuyến",
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
    params: Result<Query<GuideParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let p = params.map(|Query(p)| p).unwrap_or_default();
    match list_page(&state, &p).await {
        Ok(page) => render(StatusCode::OK, &page, false),
        Err(e) => e.into_response(),
    }
}

async fn list_page(state: &AppState, p: &GuideParams) -> Result<GuideListPage, AppError> {
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
        l: PortalLayout::new(
            if q.trim().is_empty() { "Thủ tục hành chính".to_owned() } else { format!("Tìm thủ tục: {q}") },
            Section::Guide,
        ),
        q,
        fields: fields
            .iter()
            .map(|f| Choice { value: f.clone(), label: f.clone(), selected: field.as_deref() == Some(f) })
            .collect(),
        levels: LEVELS
            .iter()
            .map(|l| Choice { value: (*l).into(), label: (*l).into(), selected: level.as_deref() == Some(l) })
            .collect(),
        items: found
            .iter()
            .map(|p| GuideItem {
                code: p.code.clone(),
                name: p.name.clone(),
                field: p.field.clone(),
                level: p.level.clone(),
                online: online_label(p.online_level).into(),
            })
            .collect(),
        next_href,
        first_href: if after.is_some() { query_string(p, None) } else { String::new() },
    })
}

/// `GET /thu-tuc/{code}`.
pub async fn detail(State(state): State<AppState>, Path(code): Path<String>) -> Response {
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
                l: PortalLayout::new("Không tìm thấy thủ tục", Section::Guide),
                heading: "Không tìm thấy thủ tục".into(),
                message: "Không có thủ tục hành chính với mã này.".into(),
                back_href: "/thu-tuc".into(),
                back_label: "Xem danh sách thủ tục".into(),
            },
            false,
        );
    };
    let points = match state.point_list().await {
        Ok(p) => p,
        Err(e) => return AppError::from(e).into_response(),
    };
    let page = GuideDetailPage {
        l: PortalLayout::new(procedure.name.clone(), Section::Guide),
        p: guide_procedure(&procedure, &points),
    };
    render(StatusCode::OK, &page, false)
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

fn guide_procedure(p: &Procedure, points: &[hcc_domain::org::ReceptionPoint]) -> GuideProcedure {
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
        common.heading = "Giấy tờ chung cho mọi trường hợp".into();
    }
    let kinds = [
        (PointKind::HeadOffice, "Trụ sở Trung tâm", true),
        (PointKind::Branch, "Các chi nhánh", true),
        (PointKind::Commune, "Điểm phục vụ cấp xã", false),
        (PointKind::PostOffice, "Bưu điện (nộp và nhận kết quả qua bưu chính)", false),
        (PointKind::Online, "Trực tuyến", true),
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
        level: p.level.clone(),
        online: online_label(p.online_level).into(),
        applicants: p.applicants.clone(),
        competent_agency: p.competent_agency.clone(),
        executing_agency: p.executing_agency.clone(),
        channels: p
            .channels
            .iter()
            .map(|c| GuideChannel {
                kind: c.kind.label_vi().into(),
                time_limit: c
                    .time_limit
                    .map(|l| {
                        let v = l.value();
                        let n = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}").replace('.', ",") };
                        format!("{n} {}", l.unit.label_vi())
                    })
                    .unwrap_or_else(|| "Chưa công bố".into()),
                fee: if c.fee.trim().is_empty() { "Không".into() } else { c.fee.clone() },
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
            format!("Thủ tục cấp bộ: nộp hồ sơ tại {agency}; các điểm của Trung tâm không tiếp nhận thủ tục này.")
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
        let g = guide_procedure(&city, &points());
        let names: Vec<&str> = g.point_groups.iter().flat_map(|g| g.points.iter().map(|p| p.0.as_str())).collect();
        assert_eq!(names, ["Trụ sở", "Bưu điện Hà Nội"], "no online channel, no online point");
        assert!(g.points_note.is_empty());

        let Some(ministry) = procedure("Cấp bộ", "ministry", &["counter"]) else { panic!("procedure") };
        let g = guide_procedure(&ministry, &points());
        assert!(g.point_groups.is_empty());
        assert!(g.points_note.contains("Bộ Xây dựng"), "{}", g.points_note);
    }
}
