//! One module per command group; each parses its arguments with clap and calls the store.

pub mod audit;
pub mod contact;
pub mod history;
pub mod init;
pub mod label;
pub mod mail;
pub mod reply;
pub mod report;
pub mod rule;
pub mod search;
pub mod stats;
pub mod sync;
pub mod template;
pub mod ticket;
pub mod tickets;
pub mod user;

use anyhow::{Context, Result};
use hako_domain::TicketNumber;

/// Ticket numbers as typed: `1042` or `#1042`.
pub fn numbers(raw: &[String]) -> Result<Vec<TicketNumber>> {
    raw.iter()
        .map(|s| TicketNumber::parse(s).with_context(|| format!("ticket {s}")))
        .collect()
}

/// A password from an environment variable, or one line of standard input.
pub fn password_from(env_var: &str, stdin: bool) -> Result<Option<String>> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("read a password from standard input")?;
        return Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var(env_var).ok().filter(|p| !p.is_empty()))
}
