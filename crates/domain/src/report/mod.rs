//! The weekly label-count report: for each ISO week in a range (weeks start Monday 00:00 in
//! the team's timezone), how many tickets created that week carry each label, how many carry
//! none, and how many were created in all.
//!
//! Counting rule (also in the README): a ticket counts once, in the week its `created_at`
//! falls in, under every label it carries when the report runs; a ticket with no label counts
//! under "no label"; the total is the number of tickets, so it can be less than the sum of
//! the label columns. Spam, trash and tickets merged into another are not counted.
//!
//! The store computes the numbers; this module owns the week arithmetic and the renderings,
//! so the CLI and the web page print the same table.

mod render;
mod week;

pub use week::{DEFAULT_WEEKS, IsoWeek, MAX_WEEKS, WeekRange, WeekSpan};

use serde::Serialize;

/// Counts for a week range. `counts[label][week]`, labels in the order of `labels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelReport {
    pub timezone: String,
    pub inbox: Option<String>,
    pub weeks: Vec<WeekSpan>,
    pub labels: Vec<String>,
    pub counts: Vec<Vec<u64>>,
    pub no_label: Vec<u64>,
    pub totals: Vec<u64>,
}

impl LabelReport {
    /// An all-zero report with a column per week and a row per label.
    pub fn empty(
        weeks: Vec<WeekSpan>,
        labels: Vec<String>,
        timezone: &str,
        inbox: Option<String>,
    ) -> Self {
        let n = weeks.len();
        LabelReport {
            timezone: timezone.to_string(),
            inbox,
            counts: vec![vec![0; n]; labels.len()],
            no_label: vec![0; n],
            totals: vec![0; n],
            weeks,
            labels,
        }
    }

    /// Sum of a row over all weeks.
    pub fn label_total(&self, label: usize) -> u64 {
        self.counts[label].iter().sum()
    }

    pub fn grand_total(&self) -> u64 {
        self.totals.iter().sum()
    }

    pub fn no_label_total(&self) -> u64 {
        self.no_label.iter().sum()
    }
}

#[cfg(test)]
mod tests;
