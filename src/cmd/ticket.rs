//! `hako ticket …`: one ticket (or, for assign/label/unlabel/status/snooze, many at once).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use hako_domain::split::SplitMode;
use hako_domain::when::parse_when;
use hako_domain::{
    Channel, Direction, EmailAddress, MessageId, Participant, Status, StatusKind, TicketNumber,
};
use hako_store::{Change, CustomerRef, Expect, NewMessage, NewTicket};

use super::numbers;
use crate::context::Ctx;
use crate::output;

mod show;

#[derive(Subcommand)]
pub enum TicketCmd {
    /// Record a ticket by hand: a phone call, a LINE message, a walk-in.
    New {
        /// Inbox name (from the config).
        #[arg(long)]
        inbox: String,
        /// The customer's email address.
        #[arg(long, value_name = "EMAIL")]
        customer: Option<String>,
        /// The customer's name (enough on its own for a phone call).
        #[arg(long, value_name = "NAME")]
        customer_name: Option<String>,
        #[arg(long)]
        subject: String,
        /// What the customer said.
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        #[arg(long, value_name = "FILE")]
        body_file: Option<std::path::PathBuf>,
        /// email, phone, line, chat or other.
        #[arg(long, default_value = "phone")]
        channel: String,
        /// Assign to this agent (email).
        #[arg(long, value_name = "EMAIL")]
        assign: Option<String>,
        /// Add a label (repeat for several).
        #[arg(long = "label", value_name = "NAME")]
        labels: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show a ticket with its messages and audit trail.
    Show {
        ticket: String,
        #[arg(long)]
        json: bool,
    },
    /// Assign tickets to an agent, or unassign them with --none.
    Assign {
        #[arg(required = true)]
        tickets: Vec<String>,
        #[arg(
            long,
            value_name = "EMAIL",
            conflicts_with = "none",
            required_unless_present = "none"
        )]
        to: Option<String>,
        #[arg(long)]
        none: bool,
        /// Fail with a conflict unless the ticket is still at this version.
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Take a ticket yourself (--as); refused if another agent holds it.
    Take {
        ticket: String,
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Add labels to tickets.
    Label {
        #[arg(required = true)]
        tickets: Vec<String>,
        #[arg(long = "label", short = 'l', value_name = "NAME", required = true)]
        labels: Vec<String>,
    },
    /// Remove labels from tickets.
    Unlabel {
        #[arg(required = true)]
        tickets: Vec<String>,
        #[arg(long = "label", short = 'l', value_name = "NAME", required = true)]
        labels: Vec<String>,
    },
    /// Set the status: open, pending (with --reason), closed, spam, trash (or 未対応, 保留, 対応完了).
    Status {
        #[arg(required = true)]
        tickets: Vec<String>,
        #[arg(long, value_name = "STATUS")]
        to: String,
        /// Why it is pending (保留の理由).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Snooze until a time: +2h, +3d, tomorrow, next-week, "2026-12-01 09:30" (team timezone).
    Snooze {
        #[arg(required = true)]
        tickets: Vec<String>,
        #[arg(long, value_name = "TIME")]
        until: String,
    },
    /// Move a message (and, with --with-later, every later one) into a new ticket.
    Split {
        ticket: String,
        /// The message id (shown by `hako ticket show`).
        #[arg(long, value_name = "ID")]
        message: i64,
        #[arg(long)]
        with_later: bool,
        #[arg(long)]
        json: bool,
    },
    /// Merge a ticket into another: all its messages move, it stays as a pointer.
    Merge {
        ticket: String,
        #[arg(long, value_name = "TICKET")]
        into: String,
    },
    /// Add an internal note (needs --as).
    Note {
        ticket: String,
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        #[arg(long, value_name = "FILE")]
        body_file: Option<std::path::PathBuf>,
    },
}

fn expect(v: Option<i64>) -> Expect {
    v.map(Expect::Version).unwrap_or(Expect::Any)
}

fn one(raw: &str) -> Result<TicketNumber> {
    TicketNumber::parse(raw).with_context(|| format!("ticket {raw}"))
}

fn body(body: Option<String>, file: Option<std::path::PathBuf>) -> Result<String> {
    match (body, file) {
        (Some(b), _) => Ok(b),
        (None, Some(f)) => std::fs::read_to_string(&f)
            .with_context(|| format!("body file {}: cannot read", f.display())),
        (None, None) => Ok(String::new()),
    }
}

/// Applies one change to the listed tickets: a single ticket honours --expect-version, many
/// go through the all-or-nothing bulk operation.
fn apply(ctx: &mut Ctx, tickets: &[String], change: Change, v: Option<i64>) -> Result<()> {
    let ns = numbers(tickets)?;
    let actor = ctx.actor();
    let changed = if ns.len() == 1 {
        vec![ctx.store.apply(actor, ns[0], &change, expect(v))?]
    } else {
        if v.is_some() {
            bail!("--expect-version: only with a single ticket");
        }
        ctx.store.apply_bulk(actor, &ns, &change)?
    };
    for t in changed {
        println!(
            "ticket {}: {} (version {})",
            t.number,
            t.status.describe(),
            t.version
        );
    }
    Ok(())
}

pub fn run(ctx: &mut Ctx, c: TicketCmd) -> Result<()> {
    match c {
        TicketCmd::New {
            inbox,
            customer,
            customer_name,
            subject,
            body: b,
            body_file,
            channel,
            assign,
            labels,
            json,
        } => {
            let inbox = ctx.store.inbox_by_name(&inbox)?;
            let channel = Channel::parse(&channel).context("--channel")?;
            let address = customer
                .map(|c| EmailAddress::parse(&c).with_context(|| format!("customer {c}")))
                .transpose()?;
            let text = body(b, body_file)?;
            let from = address.as_ref().map(|a| Participant {
                name: customer_name.clone(),
                address: a.to_string(),
            });
            let assignee = assign
                .map(|e| ctx.store.agent_by_email(&e).map(|a| a.id))
                .transpose()?;
            let labels = labels
                .iter()
                .map(|l| ctx.store.label_by_name(l).map(|l| l.id))
                .collect::<Result<Vec<_>, _>>()?;
            let new = NewTicket {
                inbox: inbox.id,
                customer: CustomerRef {
                    address,
                    name: customer_name,
                },
                subject: subject.clone(),
                channel,
                message: NewMessage::text(Direction::Incoming, from, &subject, &text),
                assignee,
                labels,
                status: Status::Open,
            };
            let t = ctx.store.create_ticket(ctx.actor(), &new)?;
            if json {
                return output::json(&t);
            }
            println!(
                "ticket {}: created in {} ({})",
                t.number, inbox.name, t.channel
            );
        }
        TicketCmd::Show { ticket, json } => show::run(ctx, one(&ticket)?, json)?,
        TicketCmd::Assign {
            tickets,
            to,
            none: _,
            expect_version,
        } => {
            let to = to
                .map(|e| ctx.store.agent_by_email(&e).map(|a| a.id))
                .transpose()?;
            apply(ctx, &tickets, Change::Assign(to), expect_version)?;
        }
        TicketCmd::Take {
            ticket,
            expect_version,
        } => {
            let me = ctx.require_agent("ticket take")?.id;
            apply(ctx, &[ticket], Change::Take(me), expect_version)?;
        }
        TicketCmd::Label { tickets, labels } | TicketCmd::Unlabel { tickets, labels }
            if labels.is_empty() =>
        {
            bail!("tickets {}: no --label given", tickets.join(" "))
        }
        TicketCmd::Label { tickets, labels } => {
            for l in labels {
                let id = ctx.store.label_by_name(&l)?.id;
                apply(ctx, &tickets, Change::AddLabel(id), None)?;
            }
        }
        TicketCmd::Unlabel { tickets, labels } => {
            for l in labels {
                let id = ctx.store.label_by_name(&l)?.id;
                apply(ctx, &tickets, Change::RemoveLabel(id), None)?;
            }
        }
        TicketCmd::Status {
            tickets,
            to,
            reason,
            expect_version,
        } => {
            let status = match StatusKind::parse(&to).context("--to")? {
                StatusKind::Open => Status::Open,
                StatusKind::Pending => Status::Pending { reason },
                StatusKind::Closed => Status::Closed,
                StatusKind::Spam => Status::Spam,
                StatusKind::Trash => Status::Trash,
                StatusKind::Snoozed => bail!("--to snoozed: use `hako ticket snooze --until TIME`"),
            };
            apply(ctx, &tickets, Change::SetStatus(status), expect_version)?;
        }
        TicketCmd::Snooze { tickets, until } => {
            let until = parse_when(&until, ctx.store.now(), ctx.tz()).context("--until")?;
            apply(
                ctx,
                &tickets,
                Change::SetStatus(Status::Snoozed { until }),
                None,
            )?;
        }
        TicketCmd::Split {
            ticket,
            message,
            with_later,
            json,
        } => {
            let mode = if with_later {
                SplitMode::WithLater
            } else {
                SplitMode::Only
            };
            let n = one(&ticket)?;
            let t = ctx
                .store
                .split(ctx.actor(), n, MessageId(message), mode, Expect::Any)?;
            if json {
                return output::json(&t);
            }
            println!("ticket {}: split from {n} (message {message})", t.number);
        }
        TicketCmd::Merge { ticket, into } => {
            let (src, dst) = (one(&ticket)?, one(&into)?);
            let t = ctx.store.merge(ctx.actor(), src, dst, Expect::Any)?;
            println!(
                "ticket {src}: merged into {} (version {})",
                t.number, t.version
            );
        }
        TicketCmd::Note {
            ticket,
            body: b,
            body_file,
        } => {
            let me = ctx.require_agent("ticket note")?.id;
            let n = one(&ticket)?;
            let id = ctx.store.add_note(me, n, &body(b, body_file)?)?;
            println!("ticket {n}: note {id} added");
        }
    }
    Ok(())
}
