//! `hako reply` and `hako outbox list|cancel|retry|flush`: replies through the durable
//! outbox. A reply is composed here, queued in one transaction with its ticket change, and
//! sent by `hako serve` (or `hako outbox flush`) once its undo window or scheduled time is
//! over. Reply templates are not here yet: the body comes from --body or --body-file.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use hako_domain::when::parse_when;
use hako_domain::{Direction, Status, TicketNumber};
use hako_outbound::compose::{Charset, Quote, Reply, compose};
use hako_outbound::worker::OutboxWorker;
use hako_store::Store;
use hako_store::outbox::NewReply;
use std::io::Read;

use crate::context::{Ctx, db_path};
use crate::output;

#[derive(Clone, Copy, ValueEnum)]
pub enum Then {
    Open,
    Pending,
    Closed,
}

#[derive(Args)]
pub struct ReplyArgs {
    ticket: String,
    /// A reply template (`hako template list`); --body/--body-file fill its `body`.
    #[arg(long, value_name = "NAME")]
    template: Option<String>,
    #[arg(long, conflicts_with = "body_file")]
    body: Option<String>,
    #[arg(long, value_name = "FILE")]
    body_file: Option<std::path::PathBuf>,
    /// Send at this time instead of after the undo window: +2h, tomorrow, 2026-12-01 09:00 …
    #[arg(long, value_name = "TIME")]
    send_at: Option<String>,
    /// Also to the others in To/Cc of the customer's message (never our own addresses).
    #[arg(long)]
    reply_all: bool,
    /// The ticket's status once the reply is sent (send and close, send and keep pending).
    #[arg(long, value_enum)]
    then: Option<Then>,
    /// Put the ticket tag [#N] in the subject.
    #[arg(long)]
    tag: bool,
    /// Quote the message replied to under the reply.
    #[arg(long)]
    quote: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum OutboxCmd {
    /// Replies waiting, retrying or failed (all, with --all).
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Stop a reply that has not gone out yet (scheduled, in its undo window, retrying).
    Cancel { id: i64 },
    /// Queue a failed reply again, due now.
    Retry { id: i64 },
    /// Send every reply that is due now, then exit.
    Flush {
        #[arg(long)]
        json: bool,
    },
}

/// 16 random hex digits for a Message-ID.
fn nonce() -> Result<String> {
    let mut b = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .context("read /dev/urandom")?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub fn reply(ctx: &mut Ctx, a: &ReplyArgs) -> Result<()> {
    let n = TicketNumber::parse(&a.ticket).with_context(|| format!("ticket {}", a.ticket))?;
    let text = match (&a.body, &a.body_file) {
        (Some(b), _) => b.clone(),
        (None, Some(f)) => std::fs::read_to_string(f)
            .with_context(|| format!("body file {}: cannot read", f.display()))?,
        (None, None) if a.template.is_some() => String::new(),
        (None, None) => bail!("reply {n}: give the text with --template, --body or --body-file"),
    };
    let body = match &a.template {
        Some(name) => render_for(ctx, name, n, &text)?,
        None => text,
    };
    let d = ctx.store.ticket_detail(n)?;
    let inbox = &d.inbox;
    let ours: Vec<String> = ctx
        .store
        .inboxes()?
        .iter()
        .map(|i| i.address.normalized())
        .collect();
    let last_in = d
        .messages
        .iter()
        .rev()
        .find(|m| m.direction == Direction::Incoming);
    let customer = last_in
        .and_then(|m| m.from.as_ref().map(|f| f.address.clone()))
        .or_else(|| d.contact.addresses.first().map(|x| x.to_string()))
        .with_context(|| format!("ticket {n}: the customer has no address to reply to"))?;
    let others: Vec<String> = last_in
        .map(|m| {
            m.to.iter()
                .chain(&m.cc)
                .map(|p| p.address.clone())
                .collect()
        })
        .unwrap_or_default();
    let key = ctx.store.signing_key()?;
    let nonce = nonce()?;
    let now = ctx.store.now();
    let quoted = last_in.filter(|_| a.quote).map(|m| Quote {
        who: m
            .from
            .as_ref()
            .map_or("", |f| f.name.as_deref().unwrap_or(&f.address)),
        date: m.date.unwrap_or(m.created_at),
        text: &m.text,
    });
    let composed = compose(&Reply {
        inbox_address: inbox.address.as_str(),
        inbox_display_name: &inbox.display_name,
        signature: &inbox.signature,
        ticket: d.ticket.id,
        subject_tag: a.tag.then_some(n.0),
        customer: &customer,
        customer_name: d.contact.name.as_deref(),
        others: &others,
        reply_all: a.reply_all,
        original_subject: last_in.map_or(d.ticket.subject.as_str(), |m| m.subject.as_str()),
        in_reply_to: last_in.and_then(|m| m.message_id.as_deref()),
        references: last_in.map_or(&[][..], |m| m.references.as_slice()),
        quote: quoted,
        body: &body,
        our_addresses: &ours,
        key: &key,
        nonce: &nonce,
        date: now,
        attachments: &[],
        charset: Charset::Utf8,
    })
    .with_context(|| format!("reply to ticket {n}"))?;
    let send_at = match &a.send_at {
        Some(t) => parse_when(t, now, ctx.tz()).context("--send-at")?,
        None => now + chrono::Duration::seconds(i64::from(ctx.config.outbox.undo_seconds)),
    };
    let mut recipients = vec![composed.to.to_string()];
    recipients.extend(composed.cc.iter().map(|c| c.to_string()));
    let item = ctx.store.queue_reply(
        ctx.actor(),
        &NewReply {
            ticket: n,
            author: ctx.agent.as_ref().map(|g| g.id),
            message_id: composed.message_id.clone(),
            raw: composed.raw,
            envelope_from: inbox.address.to_string(),
            recipients,
            subject: composed.subject,
            text: composed.text,
            send_at,
            retry_for: chrono::Duration::hours(i64::from(ctx.config.outbox.retry_hours)),
            status_after: a.then.map(|t| match t {
                Then::Open => Status::Open,
                Then::Pending => Status::Pending { reason: None },
                Then::Closed => Status::Closed,
            }),
        },
        hako_store::Expect::Any,
    )?;
    if a.json {
        return output::json(&item);
    }
    println!(
        "ticket {n}: reply queued as outbox {} to {}; sends at {} (cancel: hako outbox cancel {})",
        item.id,
        item.recipients.join(", "),
        output::time(item.send_at, ctx.tz()),
        item.id
    );
    Ok(())
}

pub fn outbox(ctx: &mut Ctx, c: OutboxCmd) -> Result<()> {
    match c {
        OutboxCmd::List { all, json } => {
            let items = ctx.store.outbox(all)?;
            if json {
                return output::json(&items);
            }
            let tz = ctx.tz();
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|o| {
                    vec![
                        o.id.to_string(),
                        o.ticket.to_string(),
                        serde_json::to_value(o.state)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        o.recipients.join(","),
                        output::time(o.send_at, tz),
                        o.attempts.to_string(),
                        o.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output::table(
                &[
                    "ID",
                    "TICKET",
                    "STATE",
                    "TO",
                    "SEND AT",
                    "ATTEMPTS",
                    "LAST ERROR",
                ],
                &rows,
            );
        }
        OutboxCmd::Cancel { id } => {
            ctx.store.outbox_cancel(ctx.actor(), id)?;
            println!("outbox {id}: cancelled");
        }
        OutboxCmd::Retry { id } => {
            let window = chrono::Duration::hours(i64::from(ctx.config.outbox.retry_hours));
            ctx.store.outbox_retry(ctx.actor(), id, window)?;
            println!("outbox {id}: queued again");
        }
        OutboxCmd::Flush { json } => {
            let store = Store::open(&db_path(&ctx.config))?;
            let mut worker = OutboxWorker::new(store, ctx.config.clone());
            let report = crate::cmd::sync::runtime()?.block_on(worker.flush())?;
            for e in &report.errors {
                eprintln!("{e}");
            }
            if json {
                return output::json(&report);
            }
            println!(
                "outbox: {} sent, {} to retry, {} failed",
                report.sent, report.retrying, report.failed
            );
        }
    }
    Ok(())
}

/// Renders template `name` for ticket `n` with the agent's `text` as its `body`.
pub fn render_for(ctx: &Ctx, name: &str, n: TicketNumber, text: &str) -> Result<String> {
    use hako_outbound::template::{
        AgentVars, CustomerVars, InboxVars, TemplateContext, TicketVars, render,
    };
    let t = ctx.store.template(name)?;
    let d = ctx.store.ticket_detail(n)?;
    let address = d
        .contact
        .addresses
        .first()
        .map(|x| x.to_string())
        .unwrap_or_default();
    let history = match hako_domain::EmailAddress::parse(&address) {
        Ok(a) => Some(
            ctx.store
                .history(&hako_store::HistoryOf::Address(a), None, 50)?,
        ),
        Err(_) => None,
    };
    let tz = ctx.tz();
    let first = history
        .as_ref()
        .and_then(|h| h.first_contact)
        .unwrap_or(d.contact.created_at);
    let count = history.as_ref().map_or(1, |h| h.ticket_count.max(1));
    let last_other = history.as_ref().and_then(|h| {
        h.entries
            .iter()
            .find(|e| e.ticket != n)
            .map(|e| e.ticket_subject.clone())
    });
    let vars = TemplateContext {
        customer: CustomerVars {
            name: d.contact.name.clone(),
            address,
            first_contact: first.with_timezone(&tz).format("%Y-%m-%d").to_string(),
            ticket_count: count,
            // Another ticket before this one, or first contact well before this ticket.
            is_repeat: count > 1 || first < d.ticket.created_at - chrono::Duration::days(1),
            last_ticket_subject: last_other,
        },
        ticket: TicketVars {
            number: n.0,
            subject: d.ticket.subject.clone(),
            labels: d.labels.iter().map(|l| l.name.clone()).collect(),
            inbox: d.inbox.name.clone(),
        },
        agent: AgentVars {
            name: ctx
                .agent
                .as_ref()
                .map(|g| g.name.clone())
                .unwrap_or_else(|| d.inbox.display_name.clone()),
            signature: d.inbox.signature.clone(),
        },
        inbox: InboxVars {
            name: d.inbox.name.clone(),
            address: d.inbox.address.to_string(),
            display_name: d.inbox.display_name.clone(),
        },
        body: text.to_string(),
    };
    Ok(render(&t.name, &t.body, &vars)?)
}
