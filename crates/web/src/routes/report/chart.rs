//! The weekly label report as an inline SVG bar chart, drawn on the server: one stacked bar
//! per week (a segment per label in the label's colour, then "no label" in grey), the week's
//! ticket total written above it, a few grid lines, and a legend. No script, no external
//! resource, no `style` attribute (the Content-Security-Policy forbids inline styles; SVG
//! presentation attributes are not styles). Every text is XML-escaped here, because the page
//! inserts the markup as it is.

use hako_domain::report::LabelReport;

/// Grey for tickets without a label (Tailwind gray-400, as elsewhere in the UI).
const NO_LABEL_COLOUR: &str = "#9ca3af";
const WIDTH: f64 = 760.0;
const PLOT_TOP: f64 = 24.0;
const PLOT_HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const LEGEND_ROW: f64 = 20.0;

/// The words the chart shows, in the page's language.
pub(crate) struct Words<'a> {
    pub title: &'a str,
    pub no_label: &'a str,
    pub total: &'a str,
}

pub(crate) use crate::sanitize::escape as esc;

/// A round step for about four grid lines up to `max`: 1, 2 or 5 times a power of ten.
fn grid_step(max: u64) -> u64 {
    let rough = (max as f64 / 4.0).max(1.0);
    let p = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * p);
    step as u64
}

/// The chart. `colours[i]` is the colour of `report.labels[i]` (`#rrggbb`, validated by
/// `hako_domain::Colour`).
pub(crate) fn svg(report: &LabelReport, colours: &[String], w: &Words<'_>) -> String {
    let n = report.weeks.len().max(1);
    // Each week's stack: (colour, name, count) from the bottom up.
    let stacks: Vec<Vec<(&str, &str, u64)>> = (0..report.weeks.len())
        .map(|i| {
            let mut s: Vec<(&str, &str, u64)> = report
                .labels
                .iter()
                .enumerate()
                .map(|(l, name)| {
                    let c = colours.get(l).map_or(NO_LABEL_COLOUR, String::as_str);
                    (c, name.as_str(), report.counts[l][i])
                })
                .collect();
            s.push((NO_LABEL_COLOUR, w.no_label, report.no_label[i]));
            s.retain(|seg| seg.2 > 0);
            s
        })
        .collect();
    let tallest = stacks
        .iter()
        .map(|s| s.iter().map(|x| x.2).sum::<u64>())
        .chain(report.totals.iter().copied())
        .max()
        .unwrap_or(0);
    let step = grid_step(tallest);
    let top = tallest.div_ceil(step).max(1) * step;
    let scale = PLOT_HEIGHT / top as f64;
    let slot = (WIDTH - LEFT - RIGHT) / n as f64;
    let bar = (slot * 0.6).min(48.0);
    let base = PLOT_TOP + PLOT_HEIGHT;
    let legend_items = report.labels.len() + 1;
    let legend_per_row = 5;
    let legend_rows = legend_items.div_ceil(legend_per_row);
    let height = base + 36.0 + legend_rows as f64 * LEGEND_ROW + 6.0;

    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="chart-title"><title id="chart-title">{}</title>"##,
        esc(w.title)
    );
    // Grid lines with their values.
    let mut v = 0;
    while v <= top {
        let y = base - v as f64 * scale;
        out.push_str(&format!(
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e5e7eb" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#646c76">{v}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        ));
        v += step;
    }
    for (i, (week, stack)) in report.weeks.iter().zip(&stacks).enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = base;
        for (colour, name, count) in stack {
            let h = *count as f64 * scale;
            y -= h;
            out.push_str(&format!(
                r##"<rect x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" fill="{colour}"><title>{} {}: {count}</title></rect>"##,
                esc(&week.week.to_string()),
                esc(name)
            ));
        }
        let total = report.totals[i];
        let label_y = y.min(base - total as f64 * scale) - 4.0;
        out.push_str(&format!(
            r##"<text x="{:.1}" y="{label_y:.1}" font-size="11" text-anchor="middle" fill="#1f2328"><title>{}: {total}</title>{total}</text>"##,
            x + bar / 2.0,
            esc(w.total)
        ));
        let week_no = week.week.to_string();
        let short = week_no.split('-').nth(1).unwrap_or(&week_no);
        out.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#646c76"><title>{} ({})</title>{}</text>"##,
            x + bar / 2.0,
            base + 16.0,
            esc(&week_no),
            week.monday,
            esc(short)
        ));
    }
    // The legend: a swatch and a name per label, "no label" last.
    let names = report
        .labels
        .iter()
        .enumerate()
        .map(|(l, name)| {
            (
                colours.get(l).map_or(NO_LABEL_COLOUR, String::as_str),
                name.as_str(),
            )
        })
        .chain(std::iter::once((NO_LABEL_COLOUR, w.no_label)));
    let col = (WIDTH - LEFT) / legend_per_row as f64;
    for (k, (colour, name)) in names.enumerate() {
        let x = LEFT + col * (k % legend_per_row) as f64;
        let y = base + 46.0 + LEGEND_ROW * (k / legend_per_row) as f64;
        out.push_str(&format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1f2328">{}</text>"##,
            y - 10.0,
            x + 17.0,
            y,
            esc(name)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hako_domain::report::{IsoWeek, WeekRange};

    fn report() -> LabelReport {
        let r = WeekRange::new(
            IsoWeek::parse("2026-W40").unwrap(),
            IsoWeek::parse("2026-W41").unwrap(),
        )
        .unwrap();
        let mut rep = LabelReport::empty(
            r.spans(chrono_tz::Asia::Tokyo),
            vec!["請求".into(), "<b>&".into()],
            "Asia/Tokyo",
            None,
        );
        rep.counts = vec![vec![3, 0], vec![1, 0]];
        rep.no_label = vec![2, 0];
        rep.totals = vec![5, 0];
        rep
    }

    const WORDS: Words<'static> = Words {
        title: "Tickets per week",
        no_label: "no label",
        total: "total",
    };

    #[test]
    fn bars_stack_per_label_with_totals_and_a_legend() {
        let s = svg(&report(), &["#2563eb".into(), "#dc2626".into()], &WORDS);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        // Three segments in week 40 (3 請求, 1 other, 2 without), none in week 41.
        assert_eq!(
            s.matches("<rect").count(),
            3 + 3,
            "segments + legend swatches"
        );
        assert!(s.contains("2026-W40 請求: 3"));
        assert!(s.contains(r##"fill="#2563eb""##) && s.contains(r##"fill="#9ca3af""##));
        assert!(
            s.contains(">5</text>") && s.contains(">0</text>"),
            "totals above the bars"
        );
        assert!(s.contains(">W40</text>") && s.contains(">W41</text>"));
        // Names are escaped; nothing executable, no styles, nothing fetched.
        assert!(s.contains("&lt;b&gt;&amp;") && !s.contains("<b>"));
        for bad in ["<script", "style=", "href", "url("] {
            assert!(!s.contains(bad), "{bad}");
        }
        // The tallest stack (6) fits: grid up to 6 in steps of 2.
        assert!(s.contains(">6</text>"));
    }

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(grid_step(0), 1);
        assert_eq!(grid_step(6), 2);
        assert_eq!(grid_step(37), 10);
        assert_eq!(grid_step(180), 50);
        assert_eq!(grid_step(1234), 500);
    }
}
