//! `hako label add|list` and `hako inbox list`: the small directories.

use anyhow::{Context, Result};
use clap::Subcommand;
use hako_domain::Colour;

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
    /// List inboxes (they are defined in the config file).
    List {
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
    let InboxCmd::List { json } = c;
    let inboxes = ctx.store.inboxes()?;
    if json {
        return output::json(&inboxes);
    }
    let rows: Vec<Vec<String>> = inboxes
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.address.to_string(),
                i.display_name.clone(),
            ]
        })
        .collect();
    output::table(&["NAME", "ADDRESS", "DISPLAY NAME"], &rows);
    Ok(())
}
