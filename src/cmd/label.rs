//! `hako label add|list` and `hako inbox list|assignment`: the small directories.

use anyhow::{Context, Result};
use clap::Subcommand;
use hako_domain::Colour;
use hako_domain::assignment::Strategy;
use serde_json::json;

use crate::context::Ctx;
use crate::output;

#[derive(Subcommand)]
pub enum LabelCmd {
    /// Add a label (names may be Japanese: 請求, 配送).
    Add {
        name: String,
        /// #rrggbb; picked from a palette when omitted.
        #[arg(long)]
        colour: Option<String>,
    },
    /// List labels.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum InboxCmd {
    /// List inboxes, with where their settings come from: the config file, or the web UI's
    /// settings page (which wins over the file for that inbox).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Drop the settings saved for an inbox in the web UI: the config file's apply again
    /// (`hako serve` picks the change up within seconds).
    Revert {
        /// Inbox name.
        name: String,
    },
    /// Show or set how new tickets are assigned: manual (nobody, the default), round-robin or
    /// least-loaded, among the inbox's members who are active and not away.
    Assignment {
        /// Inbox name.
        name: String,
        /// manual, round-robin or least-loaded.
        #[arg(long)]
        strategy: Option<String>,
        /// An agent holding N or more open and pending tickets gets no more.
        #[arg(long, value_name = "N", conflicts_with = "no_cap")]
        cap: Option<u32>,
        /// Remove the cap.
        #[arg(long)]
        no_cap: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &mut Ctx, c: LabelCmd) -> Result<()> {
    match c {
        LabelCmd::Add { name, colour } => {
            let colour = colour
                .map(|c| Colour::parse(&c))
                .transpose()
                .with_context(|| format!("label {name}"))?;
            let l = ctx.store.add_label(ctx.actor(), &name, colour)?;
            println!("label {}: added ({})", l.name, l.colour);
        }
        LabelCmd::List { json } => {
            let labels = ctx.store.labels()?;
            if json {
                return output::json(&labels);
            }
            let rows: Vec<Vec<String>> = labels
                .iter()
                .map(|l| vec![l.name.clone(), l.colour.to_string()])
                .collect();
            output::table(&["NAME", "COLOUR"], &rows);
        }
    }
    Ok(())
}

pub fn run_inbox(ctx: &mut Ctx, c: InboxCmd) -> Result<()> {
    let json = match c {
        InboxCmd::List { json } => json,
        InboxCmd::Revert { name } => return revert(ctx, &name),
        InboxCmd::Assignment {
            name,
            strategy,
            cap,
            no_cap,
            json,
        } => return assignment(ctx, &name, strategy, cap, no_cap, json),
    };
    let inboxes = ctx.store.inboxes()?;
    let saved = crate::context::edited_inboxes(&ctx.store)?;
    let sources = hako_config::overlay_with_sources(&ctx.file.inbox, &saved);
    let source = |name: &str| {
        sources
            .iter()
            .find(|(i, _)| i.name == name)
            // Kept from an earlier config (tickets still point at it); nothing fetches or sends.
            .map_or("none", |(_, s)| s.as_str())
    };
    if json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            inbox: &'a hako_domain::Inbox,
            settings: &'static str,
        }
        let rows: Vec<Row> = inboxes
            .iter()
            .map(|i| Row {
                inbox: i,
                settings: source(&i.name),
            })
            .collect();
        return output::json(&rows);
    }
    let rows: Vec<Vec<String>> = inboxes
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.address.to_string(),
                i.display_name.clone(),
                source(&i.name).to_owned(),
            ]
        })
        .collect();
    output::table(&["NAME", "ADDRESS", "DISPLAY NAME", "SETTINGS"], &rows);
    Ok(())
}

/// `hako inbox revert NAME`.
fn revert(ctx: &mut Ctx, name: &str) -> Result<()> {
    ctx.store.inbox_by_name(name)?;
    let file = ctx
        .file
        .inbox(name)
        .map(hako_web::inbox_row)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let actor = ctx.actor();
    if ctx.store.revert_edited_inbox(actor, name, file.as_ref())? {
        match file {
            Some(_) => println!("inbox {name}: the config file's settings apply again"),
            None => println!(
                "inbox {name}: web UI settings dropped; it is not in the config file, so it \
                 no longer fetches or sends (its tickets stay)"
            ),
        }
    } else {
        println!("inbox {name}: has no settings saved in the web UI; nothing to revert");
    }
    Ok(())
}

/// `hako inbox assignment NAME`: changes what is given, then prints the setting and who takes
/// part now.
fn assignment(
    ctx: &mut Ctx,
    name: &str,
    strategy: Option<String>,
    cap: Option<u32>,
    no_cap: bool,
    json: bool,
) -> Result<()> {
    let inbox = ctx.store.inbox_by_name(name)?;
    let mut s = ctx.store.assignment(inbox.id)?;
    if strategy.is_some() || cap.is_some() || no_cap {
        let strategy = match strategy {
            Some(raw) => Strategy::parse(&raw).with_context(|| format!("inbox {name}"))?,
            None => s.strategy,
        };
        let cap = if no_cap { None } else { cap.or(s.cap) };
        s = ctx
            .store
            .set_assignment(ctx.actor(), inbox.id, strategy, cap)?;
    }
    let candidates = ctx.store.assignment_candidates(inbox.id)?;
    let last = s
        .last_agent
        .map(|a| ctx.store.agent(a).map(|a| a.email.to_string()))
        .transpose()?;
    if json {
        return output::json(&json!({
            "inbox": inbox.name, "strategy": s.strategy, "cap": s.cap,
            "last_agent": last, "candidates": candidates,
        }));
    }
    let cap = s.cap.map_or("no cap".into(), |c| format!("cap {c}"));
    println!("inbox {}: {}, {cap}", inbox.name, s.strategy);
    let who: Vec<String> = candidates
        .iter()
        .map(|c| format!("{} ({})", c.email, c.load))
        .collect();
    match who.is_empty() {
        true => println!("takes part: nobody (members who are active and not away)"),
        false => println!("takes part (open + pending held): {}", who.join(", ")),
    }
    if let Some(last) = last {
        println!("last assigned: {last}");
    }
    Ok(())
}
