//! The weekly label-count report's query. The counting rule lives with the report type in
//! `hako_domain::report`; this module only counts, in SQL, per week span.

use chrono_tz::Tz;
use hako_domain::InboxId;
use hako_domain::report::{LabelReport, WeekRange};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::codec::ms;
use crate::{Result, Store, StoreError};

impl Store {
    /// Counts tickets created in each week of `range` (weeks in timezone `tz`) per label, with
    /// no label, and in total; optionally for one inbox.
    pub fn label_report(
        &self,
        range: WeekRange,
        tz: Tz,
        inbox: Option<(InboxId, String)>,
    ) -> Result<LabelReport> {
        let spans = range.spans(tz);
        let labels = self.labels()?;
        let mut report = LabelReport::empty(
            spans.clone(),
            labels.iter().map(|l| l.name.clone()).collect(),
            tz.name(),
            inbox.as_ref().map(|i| i.1.clone()),
        );
        // The weeks as a VALUES table: SQLite then walks the created_at index once per week.
        let mut params: Vec<Value> = vec![];
        let weeks: Vec<String> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                params.push(Value::Integer(i as i64));
                params.push(Value::Integer(ms(s.starts_at)));
                params.push(Value::Integer(ms(s.ends_at)));
                "(?, ?, ?)".to_string()
            })
            .collect();
        let inbox_cond = match &inbox {
            Some((id, _)) => {
                params.push(Value::Integer(id.0));
                "AND t.inbox_id = ?"
            }
            None => "",
        };
        let sql = format!(
            "WITH weeks(idx, s, e) AS (VALUES {weeks})
             SELECT w.idx, tl.label_id, COUNT(*)
             FROM weeks w
             JOIN tickets t ON t.created_at >= w.s AND t.created_at < w.e
             LEFT JOIN ticket_labels tl ON tl.ticket_id = t.id
             WHERE t.merged_into IS NULL AND t.status NOT IN ('spam', 'trash') {inbox_cond}
             GROUP BY w.idx, tl.label_id",
            weeks = weeks.join(", ")
        );
        let rows: Vec<(i64, Option<i64>, i64)> = self
            .read()
            .prepare(&sql)
            .and_then(|mut st| {
                st.query_map(params_from_iter(params.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect()
            })
            .map_err(StoreError::sql("count tickets per week and label"))?;
        for (week, label, n) in rows {
            let w = week as usize;
            match label {
                None => report.no_label[w] += n as u64,
                Some(id) => {
                    if let Some(l) = labels.iter().position(|l| l.id.0 == id) {
                        report.counts[l][w] += n as u64;
                    }
                }
            }
        }
        // Totals count tickets, not label rows: a ticket with two labels is one inquiry.
        let total_sql = format!(
            "WITH weeks(idx, s, e) AS (VALUES {weeks})
             SELECT w.idx, COUNT(*) FROM weeks w
             JOIN tickets t ON t.created_at >= w.s AND t.created_at < w.e
             WHERE t.merged_into IS NULL AND t.status NOT IN ('spam', 'trash') {inbox_cond}
             GROUP BY w.idx",
            weeks = weeks.join(", ")
        );
        let totals: Vec<(i64, i64)> = self
            .read()
            .prepare(&total_sql)
            .and_then(|mut st| {
                st.query_map(params_from_iter(params.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect()
            })
            .map_err(StoreError::sql("count tickets per week"))?;
        for (week, n) in totals {
            report.totals[week as usize] = n as u64;
        }
        Ok(report)
    }
}
