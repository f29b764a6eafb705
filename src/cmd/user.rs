//! `hako user add|list|away|back|passwd`: the team's members, their roles and inboxes.

use anyhow::{Context, Result};
use clap::Subcommand;
use hako_domain::{Colour, EmailAddress, Role};
use hako_store::NewAgent;
use serde_json::json;

use crate::context::Ctx;
use crate::output;

#[derive(Subcommand)]
pub enum UserCmd {
    /// Add a team member. Password from HAKO_USER_PASSWORD or --password-stdin; without one
    /// the user exists (can be assigned) but cannot sign in yet.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// agent, supervisor or admin.
        #[arg(long, default_value = "agent")]
        role: String,
        /// An inbox this user works in (repeat for several).
        #[arg(long = "inbox", value_name = "NAME")]
        inboxes: Vec<String>,
        /// #rrggbb; picked from a palette when omitted.
        #[arg(long)]
        colour: Option<String>,
        /// Replies by this user need a supervisor's approval.
        #[arg(long)]
        cannot_send: bool,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Mark a user away (holiday, off shift): automatic assignment passes them by.
    Away { email: String },
    /// Mark a user back from being away.
    Back { email: String },
    /// Set a user's password (from HAKO_USER_PASSWORD or --password-stdin).
    Passwd {
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

pub fn run(ctx: &mut Ctx, c: UserCmd) -> Result<()> {
    match c {
        UserCmd::Add {
            email,
            name,
            role,
            inboxes,
            colour,
            cannot_send,
            password_stdin,
        } => {
            let what = format!("user {email}");
            let email = EmailAddress::parse(&email).context(what.clone())?;
            let role = Role::parse(&role).context(what.clone())?;
            let colour = colour
                .map(|c| Colour::parse(&c))
                .transpose()
                .context(what.clone())?;
            let inboxes = inboxes
                .iter()
                .map(|n| ctx.store.inbox_by_name(n).map(|i| i.id))
                .collect::<Result<Vec<_>, _>>()
                .context(what.clone())?;
            let password = super::password_from("HAKO_USER_PASSWORD", password_stdin)?;
            let a = ctx.store.add_agent(
                ctx.actor(),
                &NewAgent {
                    name,
                    email,
                    role,
                    colour,
                    inboxes,
                    password,
                    can_send: !cannot_send,
                },
            )?;
            println!("user {}: added as {} ({})", a.email, a.role, a.colour);
        }
        UserCmd::List { json } => {
            let inboxes = ctx.store.inboxes()?;
            let name_of = |id| {
                inboxes
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| i.name.clone())
                    .unwrap_or_default()
            };
            let agents = ctx.store.agents()?;
            if json {
                let rows: Vec<_> = agents
                    .iter()
                    .map(|a| {
                        json!({
                            "email": a.email, "name": a.name, "role": a.role,
                            "colour": a.colour, "active": a.active, "can_send": a.can_send,
                            "away": a.away,
                            "inboxes": a.inboxes.iter().map(|i| name_of(*i)).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                return output::json(&rows);
            }
            let rows: Vec<Vec<String>> = agents
                .iter()
                .map(|a| {
                    vec![
                        a.email.to_string(),
                        a.name.clone(),
                        a.role.to_string(),
                        a.inboxes
                            .iter()
                            .map(|i| name_of(*i))
                            .collect::<Vec<_>>()
                            .join(","),
                        a.colour.to_string(),
                        match (a.active, a.away) {
                            (false, _) => "inactive",
                            (true, true) => "away",
                            (true, false) => "active",
                        }
                        .into(),
                    ]
                })
                .collect();
            output::table(
                &["EMAIL", "NAME", "ROLE", "INBOXES", "COLOUR", "STATE"],
                &rows,
            );
        }
        UserCmd::Away { email } => {
            let a = ctx.store.agent_by_email(&email)?;
            ctx.store.set_away(ctx.actor(), a.id, true)?;
            println!("user {}: away (no automatic assignment)", a.email);
        }
        UserCmd::Back { email } => {
            let a = ctx.store.agent_by_email(&email)?;
            ctx.store.set_away(ctx.actor(), a.id, false)?;
            println!("user {}: available", a.email);
        }
        UserCmd::Passwd {
            email,
            password_stdin,
        } => {
            let a = ctx.store.agent_by_email(&email)?;
            let p =
                super::password_from("HAKO_USER_PASSWORD", password_stdin)?.with_context(|| {
                    format!(
                        "user {email}: no password; set HAKO_USER_PASSWORD or pass --password-stdin"
                    )
                })?;
            ctx.store.set_password(ctx.actor(), a.id, &p)?;
            println!("user {}: password changed", a.email);
        }
    }
    Ok(())
}
