//! `hako history ADDRESS|DOMAIN`: everything a customer (or a whole domain) ever sent, across
//! all inboxes, newest first.

use anyhow::{Context, Result};
use clap::Args;
use hako_domain::EmailAddress;
use hako_domain::text::truncate_width;
use hako_store::HistoryOf;

use crate::context::Ctx;
use crate::output;

#[derive(Args)]
pub struct HistoryArgs {
    /// An address (taro@example.jp; the contact's other addresses count too) or a domain
    /// (example.jp or @example.jp).
    sender: String,
    /// At most this many messages [default: 50 for the table, all for --json].
    #[arg(long)]
    limit: Option<u32>,
    /// With --json: one object with first contact, counts and the messages, instead of the
    /// array of messages.
    #[arg(long)]
    summary: bool,
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &mut Ctx, a: &HistoryArgs) -> Result<()> {
    let of = match a.sender.split_once('@') {
        Some((local, _)) if !local.is_empty() => HistoryOf::Address(
            EmailAddress::parse(&a.sender).with_context(|| format!("history {}", a.sender))?,
        ),
        _ => HistoryOf::Domain(a.sender.clone()),
    };
    let limit = a.limit.unwrap_or(if a.json { u32::MAX } else { 50 });
    let h = ctx.store.history(&of, None, limit)?;
    if a.json {
        return if a.summary {
            output::json(&h)
        } else {
            output::json(&h.entries)
        };
    }
    let tz = ctx.tz();
    let who = h
        .contact
        .as_ref()
        .and_then(|c| c.name.clone())
        .unwrap_or_default();
    println!("{who} <{}>", h.senders.join(", "));
    println!(
        "first contact {}, {}{} ticket(s), {}{} message(s)",
        output::opt_time(h.first_contact, tz),
        h.ticket_count,
        if h.counts_capped { "+" } else { "" },
        h.message_count,
        if h.counts_capped { "+" } else { "" }
    );
    let rows: Vec<Vec<String>> = h
        .entries
        .iter()
        .map(|e| {
            vec![
                output::time(e.date, tz),
                e.ticket.to_string(),
                e.status.to_string(),
                e.inbox.clone(),
                truncate_width(&e.subject, 36),
                e.labels.join(","),
                truncate_width(&e.excerpt, 40),
            ]
        })
        .collect();
    output::table(
        &[
            "DATE", "TICKET", "STATUS", "INBOX", "SUBJECT", "LABELS", "EXCERPT",
        ],
        &rows,
    );
    Ok(())
}
