//! `hako report labels`: the weekly label-count report (counting rule in the README and in
//! `hako_domain::report`).

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use hako_domain::report::{IsoWeek, WeekRange};

use crate::context::Ctx;
use crate::output;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// Tickets created per ISO week per label, with "no label" and totals.
    Labels {
        /// First week, e.g. 2026-W40 [default: --weeks weeks ending with --to].
        #[arg(long)]
        from: Option<String>,
        /// Last week, inclusive [default: this week].
        #[arg(long)]
        to: Option<String>,
        /// Without --from: how many weeks, ending with --to [default: 8].
        #[arg(long, conflicts_with = "from")]
        weeks: Option<usize>,
        /// Only tickets of this inbox.
        #[arg(long)]
        inbox: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

pub fn run(ctx: &mut Ctx, c: ReportCmd) -> Result<()> {
    let ReportCmd::Labels {
        from,
        to,
        weeks,
        inbox,
        format,
    } = c;
    let week = |s: Option<String>, flag: &str| -> Result<Option<IsoWeek>> {
        s.map(|s| IsoWeek::parse(&s).with_context(|| format!("--{flag}")))
            .transpose()
    };
    // The same resolution as the web page's, so equal parameters mean equal weeks.
    let range = WeekRange::resolve(
        week(from, "from")?,
        week(to, "to")?,
        weeks,
        ctx.store.now(),
        ctx.tz(),
    )
    .context("report labels")?;
    let inbox = inbox
        .map(|n| ctx.store.inbox_by_name(&n).map(|i| (i.id, i.name)))
        .transpose()?;
    let report = ctx.store.label_report(range, ctx.tz(), inbox)?;
    match format {
        Format::Table => print!("{}", report.to_table()),
        Format::Csv => print!("{}", report.to_csv()),
        Format::Json => output::json(&report.to_json_rows())?,
    }
    Ok(())
}
