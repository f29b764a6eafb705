//! `hako template list|show|preview|set`: reply templates in the database (seeded from the
//! built-in defaults in templates/replies/).

use anyhow::{Context, Result};
use clap::Subcommand;
use hako_domain::TicketNumber;

use crate::context::Ctx;
use crate::output;

#[derive(Subcommand)]
pub enum TemplateCmd {
    /// List reply templates.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a template's source.
    Show { name: String },
    /// Render a template with a real ticket's data, as `hako reply --template` would.
    Preview {
        name: String,
        #[arg(long)]
        ticket: String,
        /// The text that fills `body`.
        #[arg(long, default_value = "")]
        body: String,
    },
    /// Save a template from a file (checked by rendering it against the given ticket first).
    Set {
        name: String,
        #[arg(long, value_name = "FILE")]
        file: std::path::PathBuf,
        /// A ticket to check the template against before saving.
        #[arg(long)]
        ticket: String,
    },
}

pub fn run(ctx: &mut Ctx, c: TemplateCmd) -> Result<()> {
    match c {
        TemplateCmd::List { json } => {
            let all = ctx.store.templates()?;
            if json {
                return output::json(&all);
            }
            let tz = ctx.tz();
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|t| vec![t.name.clone(), output::time(t.updated_at, tz)])
                .collect();
            output::table(&["NAME", "UPDATED"], &rows);
        }
        TemplateCmd::Show { name } => print!("{}", ctx.store.template(&name)?.body),
        TemplateCmd::Preview { name, ticket, body } => {
            let n = TicketNumber::parse(&ticket).with_context(|| format!("ticket {ticket}"))?;
            print!("{}", super::reply::render_for(ctx, &name, n, &body)?);
        }
        TemplateCmd::Set { name, file, ticket } => {
            let source = std::fs::read_to_string(&file)
                .with_context(|| format!("template file {}: cannot read", file.display()))?;
            let n = TicketNumber::parse(&ticket).with_context(|| format!("ticket {ticket}"))?;
            // Save under a scratch name first so a broken template never replaces a good one.
            let previous = ctx.store.template(&name).ok();
            ctx.store.save_template(&name, &source)?;
            if let Err(e) = super::reply::render_for(ctx, &name, n, "") {
                match previous {
                    Some(p) => ctx.store.save_template(&name, &p.body)?,
                    None => ctx.store.delete_template(&name)?,
                }
                return Err(e);
            }
            println!("template {name}: saved");
        }
    }
    Ok(())
}
