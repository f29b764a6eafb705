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
        /// First week, e.g. 2026-W40 [default: 7 weeks before --to].
        #[arg(long)]
        from: Option<String>,
        /// Last week, inclusive [default: this week].
        #[arg(long)]
        to: Option<String>,
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
        inbox,
        format,
    } = c;
    let tz = ctx.tz();
    let default = WeekRange::last_n(ctx.store.now(), tz, 8);
    let week = |s: Option<String>, d: IsoWeek, flag: &str| -> Result<IsoWeek> {
        match s {
            Some(s) => IsoWeek::parse(&s).with_context(|| format!("--{flag}")),
            None => Ok(d),
        }
    };
    let to = week(to, default.to, "to")?;
    let from = match from {
        Some(_) => week(from, default.from, "from")?,
        None => WeekRange::last_n(to.monday().and_hms_opt(12, 0, 0).unwrap().and_utc(), tz, 8).from,
    };
    let range = WeekRange::new(from, to).context("report labels")?;
    let inbox = inbox
        .map(|n| ctx.store.inbox_by_name(&n).map(|i| (i.id, i.name)))
        .transpose()?;
    let report = ctx.store.label_report(range, tz, inbox)?;
    match format {
        Format::Table => print!("{}", report.to_table()),
        Format::Csv => print!("{}", report.to_csv()),
        Format::Json => output::json(&report.to_json_rows())?,
    }
    Ok(())
}
