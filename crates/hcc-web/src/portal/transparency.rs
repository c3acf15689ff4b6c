//! `/cong-khai`: live public figures per agency and per field — received, settled on time, late,
//! in progress, apologies — with server-rendered SVG bar charts and no personal data. The
//! figures come from one store call (`Store::public_stats`) and are reused for a minute.

use super::citizen_session::MaybeSignedIn;
use super::{public_layout, render};
use crate::AppState;
use crate::error::AppError;
use crate::pages::esc;
use crate::time::{display, local_date, start_of_local_day};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hcc_domain::citizen::RatingCounts;
use hcc_store::public::{PublicFigures, PublicStats, StatsPeriod};
use hcc_templates::portal::{FigureRow, FigureSection, SatisfactionRow, Section, TransparencyPage};
use hcc_templates::portal_text::PortalText;
use jiff::civil::Date;
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct PeriodParams {
    /// First day, `YYYY-MM-DD` (default 1 January of the current year).
    #[serde(default)]
    tu: String,
    /// Last day, included (default today).
    #[serde(default)]
    den: String,
}

/// The figures of a period, computed at most once a minute per process.
pub async fn figures(state: &AppState, period: StatsPeriod) -> Result<Arc<PublicStats>, AppError> {
    if let Some(s) = state.portal.stats.get(&period) {
        return Ok(s);
    }
    let stats = Arc::new(state.store.public_stats(period, hcc_store::model::now()).await?);
    state.portal.stats.put(period, stats.clone());
    Ok(stats)
}

/// `GET /cong-khai[?tu=YYYY-MM-DD&den=YYYY-MM-DD]`.
pub async fn page(
    State(state): State<AppState>,
    who: MaybeSignedIn,
    params: Result<Query<PeriodParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let t = PortalText::of(who.1);
    let p = params.map(|Query(p)| p).unwrap_or_default();
    let today = local_date(hcc_store::model::now());
    let default_from = Date::new(today.year(), 1, 1).unwrap_or(today);
    let mut from = p.tu.parse::<Date>().unwrap_or(default_from);
    let mut to = p.den.parse::<Date>().unwrap_or(today);
    if to < from {
        std::mem::swap(&mut from, &mut to);
    }
    let period = StatsPeriod { from: start_of_local_day(from), to: start_of_local_day(to.tomorrow().unwrap_or(to)) };
    let stats = match figures(&state, period).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let (satisfaction, satisfaction_total) = match satisfaction(&state, from, to, t).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let page = TransparencyPage {
        l: public_layout(&who, t.transparency_title, Section::Transparency),
        from: from.to_string(),
        to: to.to_string(),
        period_hint: t
            .period_hint
            .replace("{from}", &from.strftime("%d/%m/%Y").to_string())
            .replace("{to}", &to.strftime("%d/%m/%Y").to_string())
            .replace("{updated}", &display(hcc_store::model::now())),
        sections: vec![
            section("theo-co-quan", t.by_agency, t.agency, &stats.by_agency, t),
            section("theo-linh-vuc", t.by_field, t.field, &stats.by_field, t),
        ],
        satisfaction,
        satisfaction_total,
    };
    render(StatusCode::OK, &page, who.0.is_some())
}

fn permille_text(permille: u64) -> String {
    format!("{},{} %", permille / 10, permille % 10)
}

fn hundredths_text(h: u64) -> String {
    format!("{},{:02}", h / 100, h % 100)
}

/// The ratings of the dossiers finished in the months `from`..`to` touch, per agency and in all.
async fn satisfaction(
    state: &AppState,
    from: Date,
    to: Date,
    t: &PortalText,
) -> Result<(Vec<SatisfactionRow>, String), AppError> {
    let counts =
        state.store.rating_counts(&from.strftime("%Y-%m").to_string(), &to.strftime("%Y-%m").to_string()).await?;
    let agencies = state.agency_list().await?;
    let mut total = RatingCounts::default();
    let rows = counts
        .iter()
        .map(|(code, c)| {
            total.very_satisfied += c.very_satisfied;
            total.satisfied += c.satisfied;
            total.dissatisfied += c.dissatisfied;
            SatisfactionRow {
                label: agencies.iter().find(|a| &a.code == code).map_or_else(|| code.clone(), |a| a.name.clone()),
                very_satisfied: c.very_satisfied,
                satisfied: c.satisfied,
                dissatisfied: c.dissatisfied,
                share: c.satisfied_permille().map_or_else(|| "—".into(), permille_text),
                average: c.average_hundredths().map_or_else(|| "—".into(), hundredths_text),
            }
        })
        .collect();
    let summary = match (total.satisfied_permille(), total.average_hundredths()) {
        (Some(share), Some(avg)) => t
            .satisfaction_summary
            .replace("{share}", &permille_text(share))
            .replace("{count}", &total.total().to_string())
            .replace("{average}", &hundredths_text(avg)),
        _ => t.no_ratings.to_owned(),
    };
    Ok((rows, summary))
}

fn rate(f: &PublicFigures) -> String {
    let settled = f.on_time + f.late;
    if settled == 0 {
        return "—".into();
    }
    let permille = (f.on_time * 1000 + settled / 2) / settled;
    format!("{},{} %", permille / 10, permille % 10)
}

fn section(id: &str, heading: &str, key_heading: &str, rows: &[PublicFigures], t: &PortalText) -> FigureSection {
    FigureSection {
        id: id.into(),
        heading: heading.into(),
        key_heading: key_heading.into(),
        chart: bar_chart(&format!("{} {heading}", t.chart), rows),
        rows: rows
            .iter()
            .map(|f| FigureRow {
                label: if f.label.is_empty() { t.unclassified.into() } else { f.label.clone() },
                received: f.received,
                on_time: f.on_time,
                late: f.late,
                in_progress: f.in_progress,
                overdue: f.overdue,
                apologies: f.apologies,
                rate: rate(f),
            })
            .collect(),
    }
}

/// Most rows a chart draws (the table lists them all).
const CHART_ROWS: usize = 15;

/// A horizontal stacked bar per row: on time, late, in progress, scaled to the largest total.
/// Labels are escaped; everything else is numbers.
pub fn bar_chart(title: &str, rows: &[PublicFigures]) -> String {
    let rows = &rows[..rows.len().min(CHART_ROWS)];
    let (label_w, bar_w, row_h) = (260.0_f64, 420.0_f64, 26.0_f64);
    let width = label_w + bar_w + 60.0;
    let height = row_h * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.on_time + r.late + r.in_progress).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"><title>{t}</title>",
        t = esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let mut label: String = r.label.chars().take(38).collect();
        if r.label.chars().count() > 38 {
            label.push('…');
        }
        let _ =
            write!(svg, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6.0, y + 16.0, esc(&label));
        let mut x = label_w;
        for (value, colour) in [(r.on_time, "#0b6b2b"), (r.late, "#a4000f"), (r.in_progress, "#9aa5b1")] {
            let w = bar_w * value as f64 / max;
            if w > 0.0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{colour}\"/>",
                    y + 3.0,
                    row_h - 8.0
                );
            }
            x += w;
        }
        let _ =
            write!(svg, "<text x=\"{:.1}\" y=\"{}\">{}</text>", x + 6.0, y + 16.0, r.on_time + r.late + r.in_progress);
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_escapes_labels_and_the_rate_rounds() {
        let row = PublicFigures {
            key: "x".into(),
            label: "<Sở & Ban>".into(),
            received: 3,
            on_time: 2,
            late: 1,
            in_progress: 0,
            overdue: 0,
            apologies: 0,
        };
        let svg = bar_chart("Theo cơ quan", std::slice::from_ref(&row));
        assert!(svg.contains("&lt;Sở &amp; Ban&gt;") && !svg.contains("<Sở"));
        assert_eq!(svg.matches("<rect").count(), 2, "on time and late; nothing in progress");
        assert_eq!(rate(&row), "66,7 %");
        assert_eq!(rate(&PublicFigures::default()), "—");
    }
}
