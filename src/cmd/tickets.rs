//! `hako tickets list`: the inbox view on the command line.

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use hako_domain::StatusKind;
use hako_domain::text::truncate_width;
use hako_store::{AssigneeFilter, Page, Sort, TicketFilter};

use crate::context::Ctx;
use crate::output;

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Newest activity first.
    Activity,
    /// The customer waiting longest first.
    Waiting,
    /// Newest tickets first.
    Newest,
}

#[derive(Subcommand)]
pub enum TicketsCmd {
    /// List tickets. With --json, prints every match as one JSON array unless --limit is given.
    List {
        #[arg(long)]
        inbox: Option<String>,
        /// Comma-separated statuses, or `all` [default: open].
        #[arg(long, default_value = "open")]
        status: String,
        #[arg(long)]
        label: Option<String>,
        /// `me` (needs --as), `none` for unassigned, or an agent's email.
        #[arg(long, value_name = "WHO")]
        assignee: Option<String>,
        #[arg(long, value_enum, default_value = "activity")]
        sort: SortArg,
        /// At most this many [default: 50 for the table, all for --json].
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &mut Ctx, c: TicketsCmd) -> Result<()> {
    let TicketsCmd::List {
        inbox,
        status,
        label,
        assignee,
        sort,
        limit,
        offset,
        json,
    } = c;
    let statuses = if status.trim() == "all" {
        vec![]
    } else {
        status
            .split(',')
            .map(StatusKind::parse)
            .collect::<Result<Vec<_>, _>>()
            .context("--status")?
    };
    let assignee = match assignee.as_deref() {
        None => AssigneeFilter::Any,
        Some("none") => AssigneeFilter::Unassigned,
        Some("me") => AssigneeFilter::Agent(ctx.require_agent("--assignee me")?.id),
        Some(email) => AssigneeFilter::Agent(ctx.store.agent_by_email(email)?.id),
    };
    let filter = TicketFilter {
        visible: None,
        inbox: inbox
            .map(|n| ctx.store.inbox_by_name(&n).map(|i| i.id))
            .transpose()?,
        statuses,
        label: label
            .map(|l| ctx.store.label_by_name(&l).map(|l| l.id))
            .transpose()?,
        assignee,
        contact: None,
        waiting_before: None,
    };
    let sort = match sort {
        SortArg::Activity => Sort::LastActivity,
        SortArg::Waiting => Sort::OldestWaiting,
        SortArg::Newest => Sort::Newest,
    };
    let limit = limit.unwrap_or(if json { u32::MAX } else { 50 });
    let page = ctx
        .store
        .list_tickets(&filter, sort, Page { limit, offset })?;
    if json {
        return output::json(&page.items);
    }
    let tz = ctx.tz();
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|t| {
            vec![
                t.number.to_string(),
                t.status.kind().to_string(),
                t.inbox.clone(),
                truncate_width(&t.subject, 40),
                t.customer_address
                    .clone()
                    .or_else(|| t.customer_name.clone())
                    .unwrap_or_default(),
                t.assignee.clone().unwrap_or_else(|| "-".into()),
                t.labels.join(","),
                output::time(t.last_activity_at, tz),
            ]
        })
        .collect();
    output::table(
        &[
            "TICKET", "STATUS", "INBOX", "SUBJECT", "CUSTOMER", "ASSIGNEE", "LABELS", "ACTIVITY",
        ],
        &rows,
    );
    println!(
        "{} of {} ticket(s){}",
        page.items.len(),
        page.total,
        if (page.items.len() as u64) < page.total {
            "; use --offset/--limit for more"
        } else {
            ""
        }
    );
    Ok(())
}
