//! Mail commands: `hako import` (mbox, Maildir, .eml folder), `hako quarantine list` and
//! `hako reprocess` (mail kept aside, replayed after a fix or a raised limit).

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use hako_ingest::import::{ImportSource, Progress, import};
use hako_ingest::{Ingestor, prepare};
use hako_store::Store;
use hako_store::ingest::Source;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::context::{Ctx, db_path};
use crate::output;

#[derive(Args)]
pub struct ImportArgs {
    /// An mbox file, a Maildir (with cur/ and new/), or a folder of .eml files.
    path: PathBuf,
    /// The inbox the mail belongs to.
    #[arg(long)]
    inbox: String,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum QuarantineCmd {
    /// Mail that could not be processed, with the reason (unresolved only, unless --all).
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ReprocessArgs {
    /// Quarantine ids (see `hako quarantine list`).
    ids: Vec<i64>,
    /// Every unresolved quarantined mail.
    #[arg(long, conflicts_with = "ids")]
    all: bool,
}

/// A progress line on stderr: redrawn in place on a terminal, every 10% otherwise.
fn progress_printer(what: &'static str) -> impl FnMut(Progress) {
    let tty = std::io::stderr().is_terminal();
    let mut last_decile = 0;
    move |p: Progress| {
        let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
        if tty {
            eprint!("\r{what}: {pct:>3}% ({} of {})", p.done, p.total);
            let _ = std::io::stderr().flush();
        } else if pct / 10 > last_decile {
            last_decile = pct / 10;
            eprintln!("{what}: {pct}%");
        }
    }
}

fn ingestor(ctx: &Ctx) -> Result<Ingestor> {
    let (policy, limits) = hako_ingest::settings(&ctx.config);
    // A second connection: the pipeline owns its store while the command keeps ctx's.
    Ok(Ingestor::new(
        Store::open(&db_path(&ctx.config))?,
        policy,
        limits,
    ))
}

pub fn import_cmd(ctx: &mut Ctx, a: &ImportArgs) -> Result<()> {
    let inbox = ctx.store.inbox_by_name(&a.inbox)?;
    let source = ImportSource::detect(&a.path)?;
    let mut ing = ingestor(ctx)?;
    let mut progress = progress_printer("import");
    let summary = import(&mut ing, &source, inbox.id, &mut progress)
        .with_context(|| format!("import {}", a.path.display()))?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    if a.json {
        return output::json(&summary);
    }
    println!(
        "import {}: {} read, {}",
        a.path.display(),
        summary.read,
        summary.tally
    );
    Ok(())
}

pub fn quarantine_cmd(ctx: &mut Ctx, c: QuarantineCmd) -> Result<()> {
    let QuarantineCmd::List { all, json } = c;
    let items = ctx.store.quarantine(all)?;
    if json {
        return output::json(&items);
    }
    let tz = ctx.tz();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|q| {
            vec![
                q.id.to_string(),
                output::time(q.created_at, tz),
                q.source.clone(),
                q.reason.clone(),
                output::opt_time(q.resolved_at, tz),
            ]
        })
        .collect();
    output::table(&["ID", "RECEIVED", "SOURCE", "REASON", "RESOLVED"], &rows);
    Ok(())
}

pub fn reprocess_cmd(ctx: &mut Ctx, a: &ReprocessArgs) -> Result<()> {
    let open = ctx.store.quarantine(false)?;
    let chosen: Vec<_> = if a.all {
        open
    } else {
        a.ids
            .iter()
            .map(|id| {
                open.iter()
                    .find(|q| q.id == *id)
                    .cloned()
                    .with_context(|| format!("quarantine {id}: not found or already resolved"))
            })
            .collect::<Result<_>>()?
    };
    let mut ing = ingestor(ctx)?;
    let now = chrono::Utc::now();
    for q in chosen {
        let raw = ctx.store.blob(&q.raw)?;
        let mail = prepare(
            raw,
            Source::Quarantine { id: q.id },
            q.inbox,
            Some(q.created_at),
            false,
            &ing.limits,
            now,
        );
        let outcome = ing
            .persist(std::slice::from_ref(&mail))
            .with_context(|| format!("quarantine {}", q.id))?;
        println!(
            "quarantine {}: {}",
            q.id,
            serde_json::to_string(&outcome[0])?
        );
    }
    Ok(())
}
