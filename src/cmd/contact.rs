//! `hako contact show|link`: a customer, their addresses and their tickets.

use anyhow::{Context, Result};
use clap::Subcommand;
use hako_domain::EmailAddress;
use hako_store::{Page, Sort, TicketFilter};
use serde_json::json;

use crate::context::Ctx;
use crate::output;

#[derive(Subcommand)]
pub enum ContactCmd {
    /// A customer: name, addresses, and every ticket, newest first.
    Show {
        address: String,
        #[arg(long)]
        json: bool,
    },
    /// Make OTHER an address of ADDRESS's contact (folding two contacts into one if needed).
    Link { address: String, other: String },
    /// Send replies to this contact in CHARSET: utf-8 (the default) or iso-2022-jp, for
    /// older Japanese mail clients (a reply that needs characters ISO-2022-JP lacks, such
    /// as emoji, still goes out in UTF-8).
    Charset { address: String, charset: String },
}

fn address(s: &str) -> Result<EmailAddress> {
    EmailAddress::parse(s).with_context(|| format!("contact {s}"))
}

pub fn run(ctx: &mut Ctx, c: ContactCmd) -> Result<()> {
    match c {
        ContactCmd::Show { address: a, json } => {
            let contact = ctx.store.contact_by_address(&address(&a)?)?;
            let filter = TicketFilter {
                contact: Some(contact.id),
                ..Default::default()
            };
            let all = Page {
                limit: u32::MAX,
                offset: 0,
            };
            let tickets = ctx.store.list_tickets(&filter, Sort::Newest, all)?.items;
            if json {
                return output::json(&json!({ "contact": contact, "tickets": tickets }));
            }
            let addrs: Vec<String> = contact.addresses.iter().map(|a| a.to_string()).collect();
            println!(
                "{} <{}>",
                contact.name.as_deref().unwrap_or("-"),
                addrs.join(", ")
            );
            println!(
                "first contact {}, {} ticket(s)",
                output::time(contact.created_at, ctx.tz()),
                tickets.len()
            );
            let rows: Vec<Vec<String>> = tickets
                .iter()
                .map(|t| {
                    vec![
                        t.number.to_string(),
                        t.status.kind().to_string(),
                        t.inbox.clone(),
                        t.subject.clone(),
                        output::time(t.created_at, ctx.tz()),
                    ]
                })
                .collect();
            output::table(&["TICKET", "STATUS", "INBOX", "SUBJECT", "CREATED"], &rows);
        }
        ContactCmd::Link { address: a, other } => {
            let c = ctx
                .store
                .link_address(ctx.actor(), &address(&a)?, &address(&other)?)?;
            let addrs: Vec<String> = c.addresses.iter().map(|a| a.to_string()).collect();
            println!("contact {a}: addresses {}", addrs.join(", "));
        }
        ContactCmd::Charset {
            address: a,
            charset,
        } => {
            let actor = ctx.actor();
            ctx.store
                .set_contact_charset(actor, &address(&a)?, &charset)?;
            println!("contact {a}: replies in {}", charset.to_ascii_lowercase());
        }
    }
    Ok(())
}
