//! `hako search`, `hako reindex` and `hako index check`: full-text search over every message,
//! results as tickets; the index rebuilt from the database; a consistency check.

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use hako_domain::text::truncate_width;
use hako_search::{Page, Scope, SortBy, parse_query};
use std::io::{IsTerminal, Write};

use crate::context::Ctx;
use crate::{indexer, output};

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Newest,
    Relevance,
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words, "phrases" and operators: from: to: subject: label: status: assignee: inbox:
    /// before: after: has:attachment (several arguments are joined with spaces).
    #[arg(required = true)]
    query: Vec<String>,
    #[arg(long, value_enum, default_value = "newest")]
    sort: SortArg,
    /// At most this many tickets [default: 25 for the table, all for --json].
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ReindexArgs {}

#[derive(Subcommand)]
pub enum IndexCmd {
    /// Report stored messages missing from the index (and indexed ones no longer stored).
    Check {
        #[arg(long)]
        json: bool,
    },
}

pub fn search(ctx: &mut Ctx, a: &SearchArgs) -> Result<()> {
    let index = indexer::open(&ctx.config)?;
    // Bring the index up to date first, unless `hako serve` runs: it holds the index writer
    // and does this itself. (The lock is only looked at, not kept: a serve starting now must
    // not be refused because of a search.)
    let serve_running = crate::data_lock::try_hold(&ctx.config)?.is_none();
    if !serve_running && let Err(e) = indexer::drain(&mut ctx.store, &index, u64::MAX) {
        eprintln!("note: search index not updated by this command ({e:#})");
    }
    let text = a.query.join(" ");
    let query = parse_query(&text, ctx.tz()).with_context(|| format!("search {text:?}"))?;
    // An agent (--as) searches only the inboxes they may see.
    let scope = match ctx.agent.as_ref().and_then(|ag| ag.visible_inboxes()) {
        Some(ids) => Scope {
            inboxes: Some(ids.iter().map(|i| i.0).collect()),
        },
        None => Scope { inboxes: None },
    };
    let sort = match a.sort {
        SortArg::Newest => SortBy::Newest,
        SortArg::Relevance => SortBy::Relevance,
    };
    let limit = a.limit.unwrap_or(if a.json { usize::MAX / 2 } else { 25 });
    let page = index.search(
        &query,
        &scope,
        sort,
        Page {
            limit,
            offset: a.offset,
        },
    )?;
    // A hit carries the matching message's subject (a note has none): show the ticket's.
    let subjects: Vec<String> = page
        .hits
        .iter()
        .map(|h| {
            ctx.store
                .ticket(hako_domain::TicketNumber(h.ticket_number))
                .map(|t| t.subject)
                .unwrap_or_else(|_| h.subject.clone())
        })
        .collect();
    if a.json {
        let hits: Vec<serde_json::Value> = page
            .hits
            .iter()
            .zip(&subjects)
            .map(|(h, subject)| {
                serde_json::json!({
                    "number": h.ticket_number, "inbox": h.inbox, "subject": subject,
                    "status": h.status, "labels": h.labels, "assignee": h.assignee,
                    "from_address": h.from_address, "date": h.date,
                    "message_id": h.message_id, "matching_messages": h.matching_messages,
                    "snippet_html": h.snippet_html, "score": h.score,
                })
            })
            .collect();
        return output::json(&hits);
    }
    let tz = ctx.tz();
    for (h, subject) in page.hits.iter().zip(&subjects) {
        println!(
            "#{}  {}  {}  {}  {}",
            h.ticket_number,
            output::time(h.date, tz),
            h.status,
            h.inbox,
            truncate_width(subject, 60)
        );
        println!("      {}", strip_tags(&h.snippet_html));
    }
    println!("{} of {} ticket(s)", page.hits.len(), page.total);
    Ok(())
}

/// The snippet for a terminal: `<b>` marks become the text itself, entities are decoded.
fn strip_tags(html: &str) -> String {
    html.replace("<b>", "")
        .replace("</b>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn reindex(ctx: &mut Ctx, _: &ReindexArgs) -> Result<()> {
    let tty = std::io::stderr().is_terminal();
    let mut last = 0;
    let mut progress = |done: u64, total: u64| {
        let pct = (done * 100).checked_div(total).unwrap_or(100);
        if tty {
            eprint!("\rreindex: {pct:>3}% ({done} of {total} tickets)");
            let _ = std::io::stderr().flush();
        } else if pct / 10 > last {
            last = pct / 10;
            eprintln!("reindex: {pct}%");
        }
    };
    // Held through the rebuild: a `hako serve` started meanwhile waits for nothing and stops.
    let Some(_lock) = crate::data_lock::try_hold(&ctx.config)? else {
        // `hako serve` holds the index: deleting it under serve would leave serve writing to
        // the old files. Queue every ticket for serve's indexer instead — if serve can index:
        // an index that does not open (the usual reason to reindex) stops its indexer too.
        indexer::open(&ctx.config).context(
            "reindex: hako serve is running but cannot use the search index either; \
             stop hako serve, then run hako reindex",
        )?;
        let n = ctx.store.queue_all_for_index()?;
        println!(
            "reindex: hako serve is running, so it re-indexes the {n} tickets in the background \
             (its log shows progress; `hako index check` shows what is left)"
        );
        return Ok(());
    };
    let n = indexer::rebuild(&mut ctx.store, &ctx.config, &mut progress).context("reindex")?;
    if tty {
        eprintln!();
    }
    println!("reindex: {n} tickets indexed");
    Ok(())
}

pub fn index_cmd(ctx: &mut Ctx, c: IndexCmd) -> Result<()> {
    let IndexCmd::Check { json } = c;
    let index = indexer::open(&ctx.config)?;
    let check = indexer::check(&ctx.store, &index)?;
    if json {
        return output::json(&check);
    }
    println!(
        "{} messages stored, {} indexed, {} missing, {} no longer stored, {} tickets queued",
        check.stored,
        check.indexed,
        check.missing.len(),
        check.extra.len(),
        check.queued_tickets
    );
    if !check.missing.is_empty() {
        let some: Vec<String> = check
            .missing
            .iter()
            .take(20)
            .map(|m| m.to_string())
            .collect();
        println!(
            "missing message ids: {}{}",
            some.join(" "),
            if check.missing.len() > 20 { " …" } else { "" }
        );
        println!("run `hako reindex` (or let `hako serve` drain its queue)");
    }
    Ok(())
}
