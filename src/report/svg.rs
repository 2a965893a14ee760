//! Inline SVG charts for the HTML report: no script, no fonts to fetch;
//! colours come from the page's CSS (so dark mode and print restyle them).

use std::fmt::Write as _;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// One bar of a horizontal bar chart.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Printed after the bar.
    pub note: String,
}

const W: f64 = 640.0;
const LABEL: f64 = 130.0;
const NOTE: f64 = 190.0;

/// Horizontal bars, one `<rect class="{class}">` per row, scaled to the largest.
pub fn bars(class: &str, title: &str, rows: &[Bar]) -> String {
    let row_h = 28.0;
    let h = row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let span = W - LABEL - NOTE;
    let mut s = format!(
        r#"<svg class="chart {class}-chart" viewBox="0 0 {W} {h}" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = if max > 0.0 {
            (r.value / max * span).max(1.0)
        } else {
            1.0
        };
        let _ = write!(
            s,
            r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text><rect class="{class}" x="{LABEL}" y="{}" width="{w:.1}" height="{}" rx="3"><title>{}: {}</title></rect><text class="note" x="{:.1}" y="{}">{}</text>"#,
            LABEL - 8.0,
            y + 17.0,
            esc(&r.label),
            y + 3.0,
            row_h - 8.0,
            esc(&r.label),
            esc(&r.note),
            LABEL + w + 6.0,
            y + 17.0,
            esc(&r.note)
        );
    }
    s.push_str("</svg>");
    s
}

/// A line over months (`None`: no figure that month, the line breaks), with
/// the y axis from 0 to `max`, labelled by `fmt`.
pub fn trend(
    class: &str,
    title: &str,
    months: &[String],
    ys: &[Option<f64>],
    max: f64,
    fmt: &dyn Fn(f64) -> String,
) -> String {
    // Narrower than the bar charts: two trends sit side by side.
    let (w, h, left, bottom, top, right) = (440.0, 200.0, 48.0, 28.0, 12.0, 32.0);
    let plot_h = h - bottom - top;
    let n = months.len().max(1);
    let step = (w - left - right) / (n.max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| top + plot_h - if max > 0.0 { v / max * plot_h } else { 0.0 };
    let mut s = format!(
        r#"<svg class="chart trend {class}" viewBox="0 0 {w} {h}" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for frac in [0.0, 0.5, 1.0] {
        let v = max * frac;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            w - right + 8.0,
            y(v),
            y(v),
            left - 6.0,
            y(v) + 4.0,
            esc(&fmt(v))
        );
    }
    let mut path = String::new();
    let mut pen_down = false;
    for (i, v) in ys.iter().enumerate() {
        match v {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = write!(s, r#"<path class="line" d="{}"/>"#, path.trim_end());
    for (i, v) in ys.iter().enumerate() {
        if let Some(v) = v {
            let _ = write!(
                s,
                r#"<circle class="dot" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {}</title></circle>"#,
                x(i),
                y(*v),
                esc(&months[i]),
                esc(&fmt(*v))
            );
        }
    }
    for (i, m) in months.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x(i),
            h - 8.0,
            esc(m)
        );
    }
    s.push_str("</svg>");
    s
}

/// One period of the forecast chart.
pub struct Range {
    pub label: String,
    pub mid: f64,
    pub low: f64,
    pub high: f64,
}

/// The forecast: a bar for the expected (weighted) figure of each period and
/// a whisker for its 80% interval.
pub fn intervals(title: &str, rows: &[Range], fmt: &dyn Fn(f64) -> String) -> String {
    let row_h = 34.0;
    let h = row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|r| r.high.max(r.mid)).fold(0.0, f64::max);
    // The note here is longer: the figure and its interval.
    let span = W - LABEL - NOTE - 40.0;
    let sx = |v: f64| LABEL + if max > 0.0 { v / max * span } else { 0.0 };
    let mut s = format!(
        r#"<svg class="chart forecast-chart" viewBox="0 0 {W} {h}" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let mid_y = y + row_h / 2.0 - 2.0;
        let _ = write!(
            s,
            r#"<text class="label" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="expected" x="{LABEL}" y="{:.1}" width="{:.1}" height="14" rx="3"/><line class="whisker" x1="{:.1}" x2="{:.1}" y1="{mid_y:.1}" y2="{mid_y:.1}"/><line class="whisker" x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><line class="whisker" x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><text class="note" x="{:.1}" y="{:.1}">{} ({} – {})</text>"#,
            LABEL - 8.0,
            mid_y + 4.0,
            esc(&r.label),
            mid_y - 7.0,
            (sx(r.mid) - LABEL).max(1.0),
            sx(r.low),
            sx(r.high),
            sx(r.low),
            sx(r.low),
            mid_y - 8.0,
            mid_y + 8.0,
            sx(r.high),
            sx(r.high),
            mid_y - 8.0,
            mid_y + 8.0,
            sx(r.high.max(r.mid)) + 8.0,
            mid_y + 4.0,
            esc(&fmt(r.mid)),
            esc(&fmt(r.low)),
            esc(&fmt(r.high))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::{Bar, bars, esc, trend};

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn one_rect_per_bar() {
        let rows: Vec<Bar> = (0..3)
            .map(|i| Bar {
                label: format!("s{i}"),
                value: i as f64,
                note: String::new(),
            })
            .collect();
        assert_eq!(
            bars("funnel-bar", "t", &rows)
                .matches("<rect class=\"funnel-bar\"")
                .count(),
            3
        );
    }

    #[test]
    fn a_trend_breaks_at_gaps() {
        let months: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let s = trend(
            "t",
            "t",
            &months,
            &[Some(1.0), None, Some(2.0)],
            2.0,
            &|v| v.to_string(),
        );
        assert_eq!(s.matches('M').count() - s.matches("M ").count(), 2, "{s}");
    }
}
