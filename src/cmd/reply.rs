//! `hako reply` and `hako outbox list|cancel|retry|flush`: replies through the durable
//! outbox. A reply is composed here, queued in one transaction with its ticket change, and
//! sent by `hako serve` (or `hako outbox flush`) once its undo window or scheduled time is
//! over. Reply templates are not here yet: the body comes from --body or --body-file.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use hako_domain::when::parse_when;
use hako_domain::{Status, TicketNumber};
use hako_outbound::compose::Attachment;
use hako_outbound::draft::{self, DraftOptions, ReplyRequest};
use hako_outbound::worker::OutboxWorker;
use hako_store::Store;
use hako_store::outbox::OutboxState;

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
    /// Attach a file (repeat for several); its type is guessed from the extension.
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<std::path::PathBuf>,
    #[arg(long)]
    json: bool,
}

/// A new text for a waiting reply.
#[derive(Args)]
pub struct NewText {
    #[arg(long, conflicts_with = "body_file")]
    body: Option<String>,
    #[arg(long, value_name = "FILE")]
    body_file: Option<std::path::PathBuf>,
}

impl NewText {
    fn read(&self) -> Result<Option<String>> {
        match (&self.body, &self.body_file) {
            (Some(b), _) => Ok(Some(b.clone())),
            (None, Some(f)) => std::fs::read_to_string(f)
                .map(Some)
                .with_context(|| format!("body file {}: cannot read", f.display())),
            (None, None) => Ok(None),
        }
    }
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
    /// One entry: its state, text, the approver's comment and the diff of any edit.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Approve a reply waiting for approval (supervisors, not its author); with
    /// --body/--body-file, send an edited text instead (the author's stays for the diff).
    Approve {
        id: i64,
        #[command(flatten)]
        text: NewText,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Send a waiting reply back to its author with a comment.
    Return {
        id: i64,
        #[arg(long)]
        comment: String,
    },
    /// The author edits a returned reply and submits it for approval again.
    Resubmit {
        id: i64,
        #[command(flatten)]
        text: NewText,
    },
    /// Send every reply that is due now, then exit.
    Flush {
        #[arg(long)]
        json: bool,
    },
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
    let now = ctx.store.now();
    let send_at = match &a.send_at {
        Some(t) => parse_when(t, now, ctx.tz()).context("--send-at")?,
        None => now + chrono::Duration::seconds(i64::from(ctx.config.outbox.undo_seconds)),
    };
    let mut options = DraftOptions {
        reply_all: a.reply_all,
        tag: a.tag,
        quote: a.quote,
        attachments: vec![],
    };
    let files = a
        .attach
        .iter()
        .map(|f| {
            let data = std::fs::read(f)
                .with_context(|| format!("attachment {}: cannot read", f.display()))?;
            let filename = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .with_context(|| format!("attachment {}: no file name", f.display()))?;
            Ok(Attachment {
                content_type: hako_outbound::compose::content_type_for(&filename).to_string(),
                filename,
                data,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    options.attach(&mut ctx.store, files)?;
    let request = ReplyRequest {
        ticket: n,
        author: ctx.agent.as_ref(),
        body,
        options,
        send_at,
        retry_for: chrono::Duration::hours(i64::from(ctx.config.outbox.retry_hours)),
        status_after: a.then.map(|t| match t {
            Then::Open => Status::Open,
            Then::Pending => Status::Pending { reason: None },
            Then::Closed => Status::Closed,
        }),
        automatic: false,
    };
    let new = draft::prepare(&mut ctx.store, &request)?;
    let actor = ctx.actor();
    let item = ctx
        .store
        .queue_reply(actor, &new, hako_store::Expect::Any)?;
    if a.json {
        return output::json(&item);
    }
    if item.state == OutboxState::Approval {
        println!(
            "ticket {n}: reply waits for approval as outbox {} (a supervisor runs: hako outbox approve {})",
            item.id, item.id
        );
        return Ok(());
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
                        state_name(o.state),
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
        OutboxCmd::Show { id, json } => {
            let item = ctx.store.outbox_item(id)?;
            if json {
                return output::json(&item);
            }
            show(&item, ctx.tz());
        }
        OutboxCmd::Approve { id, text, comment } => {
            let edit = edit_of(ctx, id, &text)?;
            let actor = ctx.actor();
            let item = ctx
                .store
                .outbox_approve(actor, id, edit.as_ref(), comment.as_deref())?;
            println!(
                "outbox {id}: approved; sends at {}",
                output::time(item.send_at, ctx.tz())
            );
        }
        OutboxCmd::Return { id, comment } => {
            let actor = ctx.actor();
            ctx.store.outbox_return(actor, id, &comment)?;
            println!("outbox {id}: returned to its author");
        }
        OutboxCmd::Resubmit { id, text } => {
            let edit = edit_of(ctx, id, &text)?;
            let actor = ctx.actor();
            ctx.store.outbox_resubmit(actor, id, edit.as_ref())?;
            println!("outbox {id}: submitted for approval again");
        }
        OutboxCmd::Flush { json } => {
            let store = Store::open(&db_path(&ctx.config))?;
            let config = ctx.config.clone();
            // lettre's connection pool lives on the runtime: build and drop the worker in it.
            let report = crate::cmd::sync::runtime()?.block_on(async move {
                let mut worker = OutboxWorker::new(store, config);
                outbox_pass(&mut worker).await
            })?;
            for e in &report.errors {
                eprintln!("{e}");
            }
            if json {
                return output::json(&report);
            }
            println!(
                "outbox: {} sent, {} to retry, {} failed; {} automatic repl{} queued, {} copied to Sent",
                report.sent,
                report.retrying,
                report.failed,
                report.auto_replies,
                if report.auto_replies == 1 { "y" } else { "ies" },
                report.filed
            );
        }
    }
    Ok(())
}

/// Renders template `name` for ticket `n` with the agent's `text` as its `body`.
pub fn render_for(ctx: &Ctx, name: &str, n: TicketNumber, text: &str) -> Result<String> {
    Ok(draft::render_template(
        &ctx.store,
        name,
        n,
        ctx.agent.as_ref(),
        text,
        ctx.tz(),
    )?)
}

/// The waiting reply composed again around the new text, if one was given.
fn edit_of(ctx: &mut Ctx, id: i64, text: &NewText) -> Result<Option<hako_store::outbox::Edit>> {
    let Some(body) = text.read()? else {
        return Ok(None);
    };
    let item = ctx.store.outbox_item(id)?;
    Ok(Some(draft::recompose(&mut ctx.store, &item, &body)?))
}

fn show(o: &hako_store::outbox::OutboxItem, tz: chrono_tz::Tz) {
    println!(
        "outbox {} · ticket {} · {}",
        o.id,
        o.ticket,
        state_name(o.state)
    );
    println!("To: {}", o.recipients.join(", "));
    println!("Subject: {}", o.subject);
    println!("Send at: {}", output::time(o.send_at, tz));
    if let Some(e) = &o.last_error {
        println!("Last error: {e}");
    }
    if let Some(c) = &o.review_comment {
        println!("Reviewer's comment: {c}");
    }
    println!("\n{}", o.body.trim_end());
    if let Some(before) = &o.original_body {
        println!("\nEdited by the approver (- the author's text, + what is sent):");
        let diff = hako_domain::diff::diff_lines(before, &o.body);
        print!("{}", hako_domain::diff::render(&diff));
    }
}

fn state_name(s: OutboxState) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One pass of the outbox: automatic replies queued, due replies sent, copies filed in the
/// inboxes' Sent folders. `hako serve` runs it every two seconds, `hako outbox flush` once.
pub async fn outbox_pass(worker: &mut OutboxWorker) -> Result<hako_outbound::worker::FlushReport> {
    let mut report = worker.flush().await?;
    let config = worker.config().clone();
    let filed = hako_ingest::sent::file_sent_copies(worker.store_mut(), &config, 100).await;
    report.filed = filed.filed;
    report.errors.extend(filed.errors);
    Ok(report)
}
