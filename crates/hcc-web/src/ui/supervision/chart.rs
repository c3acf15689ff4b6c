//! Charts drawn on the server as SVG: no script, no library, nothing fetched. Text is escaped
//! here, since the page inserts the drawing as is.

/// One bar: settled early or on time, settled late, and open now.
pub struct Bar {
    pub label: String,
    pub ok: i64,
    pub late: i64,
    pub open: i64,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

/// Horizontal stacked bars (on time · late · open), one per row, scaled to the largest total;
/// each bar carries its numbers in words too (a `<title>` and the text at its end), so colour
/// never carries the meaning alone.
pub fn bars(title: &str, rows: &[Bar]) -> String {
    const LABEL_W: i64 = 330;
    const BAR_W: i64 = 560;
    const ROW_H: i64 = 26;
    let height = 56 + ROW_H * rows.len().max(1) as i64;
    let width = LABEL_W + BAR_W + 170;
    let max = rows.iter().map(|r| r.ok + r.late + r.open).max().unwrap_or(0).max(1);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="chart-title" font-family="Segoe UI, Roboto, Noto Sans, Arial, sans-serif" font-size="13"><title id="chart-title">{}</title><text x="0" y="16" font-weight="700" font-size="14">{}</text>"##,
        esc(title),
        esc(title)
    );
    let legend = [("#0b6b2b", "Đúng, trước hạn"), ("#a4000f", "Quá hạn"), ("#8a8fa3", "Đang giải quyết")];
    for (i, (color, name)) in legend.iter().enumerate() {
        let x = LABEL_W + i as i64 * 170;
        svg.push_str(&format!(
            r##"<rect x="{x}" y="26" width="12" height="12" fill="{color}"/><text x="{}" y="37">{}</text>"##,
            x + 17,
            esc(name)
        ));
    }
    if rows.is_empty() {
        svg.push_str(r##"<text x="0" y="70">Không có số liệu trong kỳ.</text>"##);
    }
    for (i, r) in rows.iter().enumerate() {
        let y = 48 + i as i64 * ROW_H;
        svg.push_str(&format!(
            r##"<g><title>{}: {} đúng hạn, {} quá hạn, {} đang giải quyết</title><text x="{}" y="{}" text-anchor="end">{}</text>"##,
            esc(&r.label),
            r.ok,
            r.late,
            r.open,
            LABEL_W - 8,
            y + 16,
            esc(&short(&r.label, 44))
        ));
        let mut x = LABEL_W;
        for (n, color) in [(r.ok, "#0b6b2b"), (r.late, "#a4000f"), (r.open, "#8a8fa3")] {
            let w = n * BAR_W / max;
            if w > 0 {
                svg.push_str(&format!(r##"<rect x="{x}" y="{}" width="{w}" height="18" fill="{color}"/>"##, y + 3));
            }
            x += w;
        }
        svg.push_str(&format!(r##"<text x="{}" y="{}">{} / {} / {}</text></g>"##, x + 6, y + 16, r.ok, r.late, r.open));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_bars_scale() {
        let svg = bars(
            "<T>",
            &[
                Bar { label: "Sở <Xây> & \"dựng\"".into(), ok: 10, late: 10, open: 0 },
                Bar { label: "B".into(), ok: 5, late: 0, open: 0 },
            ],
        );
        assert!(svg.contains("&lt;T&gt;") && !svg.contains("<T>"));
        assert!(svg.contains("Sở &lt;Xây&gt; &amp; &quot;dựng&quot;"));
        assert!(svg.contains(r#"width="280""#), "half the largest bar");
        assert!(svg.contains(r#"width="140""#), "a quarter");
        assert!(bars("x", &[]).contains("Không có số liệu"));
    }
}
