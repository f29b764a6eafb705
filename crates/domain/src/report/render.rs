//! Renderings of a [`LabelReport`]: an aligned text table, CSV, and JSON rows. The web page
//! and the CLI both use these, so their numbers cannot drift apart.

use serde_json::{Map, Value, json};

use super::LabelReport;
use crate::text::display_width;

const NO_LABEL: &str = "no label";
const TOTAL: &str = "total";

impl LabelReport {
    fn header(&self) -> Vec<String> {
        let mut h = vec!["week".to_string(), "week_start".to_string()];
        h.extend(self.labels.iter().cloned());
        h.push(NO_LABEL.to_string());
        h.push(TOTAL.to_string());
        h
    }

    /// One row per week, then a `total` row summing each column.
    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = self
            .weeks
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut r = vec![w.week.to_string(), w.monday.to_string()];
                r.extend(self.counts.iter().map(|c| c[i].to_string()));
                r.push(self.no_label[i].to_string());
                r.push(self.totals[i].to_string());
                r
            })
            .collect();
        let mut sum = vec![TOTAL.to_string(), String::new()];
        sum.extend((0..self.labels.len()).map(|l| self.label_total(l).to_string()));
        sum.push(self.no_label_total().to_string());
        sum.push(self.grand_total().to_string());
        rows.push(sum);
        rows
    }

    /// RFC 4180 CSV with CRLF line ends (what spreadsheet programs expect).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(self.header()).chain(self.rows()) {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A plain table for terminals; Japanese label names take two columns per character.
    pub fn to_table(&self) -> String {
        let header = self.header();
        let rows = self.rows();
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                std::iter::once(&header)
                    .chain(rows.iter())
                    .map(|r| display_width(&r[c]))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |r: &Vec<String>| {
            let cells: Vec<String> = r
                .iter()
                .enumerate()
                .map(|(c, s)| {
                    let pad = " ".repeat(widths[c] - display_width(s));
                    // Numbers right-aligned, the week columns left-aligned.
                    if c < 2 {
                        format!("{s}{pad}")
                    } else {
                        format!("{pad}{s}")
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        };
        let mut out = String::new();
        out.push_str(&line(&header));
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for r in &rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }

    /// One JSON object per week: `{week, week_start, starts_at, ends_at, labels: {name: n},
    /// no_label, total}`.
    pub fn to_json_rows(&self) -> Value {
        let rows: Vec<Value> = self
            .weeks
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let labels: Map<String, Value> = self
                    .labels
                    .iter()
                    .zip(&self.counts)
                    .map(|(l, c)| (l.clone(), json!(c[i])))
                    .collect();
                json!({
                    "week": w.week,
                    "week_start": w.monday,
                    "starts_at": w.starts_at,
                    "ends_at": w.ends_at,
                    "timezone": self.timezone,
                    "inbox": self.inbox,
                    "labels": labels,
                    "no_label": self.no_label[i],
                    "total": self.totals[i],
                })
            })
            .collect();
        Value::Array(rows)
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
