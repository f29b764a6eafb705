//! `hako rule …`: the admin's rules for new mail — add, list, show, edit, move, enable,
//! disable, delete, and test on an existing ticket before (or after) saving.

use anyhow::{Result, bail};
use clap::Subcommand;

use crate::context::Ctx;
use crate::output;

mod flags;
mod print;

use flags::RuleFlags;

#[derive(Subcommand)]
pub enum RuleCmd {
    /// Add a rule: all --if-… conditions must match (repeat a flag for alternatives).
    Add {
        name: String,
        #[command(flatten)]
        flags: RuleFlags,
        /// Where it runs in the list (1 is first); default: last.
        #[arg(long, value_name = "N")]
        position: Option<u32>,
        /// Save it switched off.
        #[arg(long)]
        disabled: bool,
    },
    /// List rules in the order they run.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one rule (by id or name).
    Show {
        rule: String,
        #[arg(long)]
        json: bool,
    },
    /// Replace a rule's conditions and actions (its place and on/off stay).
    Edit {
        rule: String,
        #[command(flatten)]
        flags: RuleFlags,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Move a rule to another place in the list.
    Move {
        rule: String,
        #[arg(long, value_name = "POSITION")]
        to: u32,
    },
    Enable {
        rule: String,
    },
    Disable {
        rule: String,
    },
    Delete {
        rule: String,
    },
    /// Check a saved rule, or one given by flags, against a ticket's first customer message.
    /// Changes nothing.
    Test {
        /// A saved rule (id or name); without it, the rule the flags describe.
        rule: Option<String>,
        #[arg(long, value_name = "TICKET")]
        ticket: String,
        #[command(flatten)]
        flags: RuleFlags,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &mut Ctx, c: RuleCmd) -> Result<()> {
    let actor = ctx.actor();
    match c {
        RuleCmd::Add {
            name,
            flags,
            position,
            disabled,
        } => {
            let rule = flags.rule(ctx, &name, !disabled)?;
            let e = ctx.store.add_rule(actor, &rule, position)?;
            println!("rule {} ({}): added at {}", e.id(), e.rule.name, e.position);
        }
        RuleCmd::List { json } => {
            let rules = ctx.store.rules()?;
            if json {
                let all = rules
                    .iter()
                    .map(|e| print::json(ctx, e))
                    .collect::<Result<Vec<_>>>()?;
                return output::json(&all);
            }
            print::table(ctx, &rules)?;
        }
        RuleCmd::Show { rule, json } => {
            let e = ctx.store.rule_by_ref(&rule)?;
            if json {
                return output::json(&print::json(ctx, &e)?);
            }
            print::show(ctx, &e)?;
        }
        RuleCmd::Edit { rule, flags, name } => {
            let e = ctx.store.rule_by_ref(&rule)?;
            let name = name.unwrap_or(e.rule.name.clone());
            let new = flags.rule(ctx, &name, e.rule.enabled)?;
            let saved = ctx.store.update_rule(actor, e.id(), &new)?;
            println!("rule {} ({}): saved", saved.id(), saved.rule.name);
        }
        RuleCmd::Move { rule, to } => {
            let id = ctx.store.rule_by_ref(&rule)?.id();
            let e = ctx.store.move_rule(actor, id, to)?;
            println!("rule {} ({}): now at {}", e.id(), e.rule.name, e.position);
        }
        RuleCmd::Enable { rule } => enable(ctx, &rule, true)?,
        RuleCmd::Disable { rule } => enable(ctx, &rule, false)?,
        RuleCmd::Delete { rule } => {
            let e = ctx.store.rule_by_ref(&rule)?;
            ctx.store.delete_rule(actor, e.id())?;
            println!("rule {} ({}): deleted", e.id(), e.rule.name);
        }
        RuleCmd::Test {
            rule,
            ticket,
            flags,
            json,
        } => {
            let number = super::numbers(&[ticket])?[0];
            let rule = match rule {
                Some(r) if flags.is_empty() => ctx.store.rule_by_ref(&r)?.rule,
                Some(r) => bail!("rule {r}: give a saved rule or --if-… flags, not both"),
                None => flags.rule(ctx, "(unsaved)", true)?,
            };
            let test = ctx.store.test_rule(&rule, number)?;
            if json {
                return output::json(&test);
            }
            print::test(&rule, &test);
        }
    }
    Ok(())
}

fn enable(ctx: &mut Ctx, rule: &str, on: bool) -> Result<()> {
    let id = ctx.store.rule_by_ref(rule)?.id();
    let e = ctx.store.set_rule_enabled(ctx.actor(), id, on)?;
    let state = if on { "enabled" } else { "disabled" };
    println!("rule {} ({}): {state}", e.id(), e.rule.name);
    Ok(())
}
