//! `hako audit`: the newest changes across the team — tickets, users, labels, inboxes.

use anyhow::Result;
use clap::Args;

use crate::context::Ctx;
use crate::output;

#[derive(Args)]
pub struct AuditArgs {
    /// How many events, newest first.
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &mut Ctx, a: &AuditArgs) -> Result<()> {
    let log = ctx.store.audit_log(a.limit)?;
    if a.json {
        return output::json(&log);
    }
    let tz = ctx.tz();
    let rows: Vec<Vec<String>> = log
        .iter()
        .map(|e| {
            let change = match (&e.event.before, &e.event.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(x)) | (Some(x), None) => x.clone(),
                (None, None) => String::new(),
            };
            vec![
                output::time(e.event.at, tz),
                e.actor_email.clone().unwrap_or_else(|| "system".into()),
                e.number
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.event.action.to_string(),
                change,
            ]
        })
        .collect();
    output::table(&["TIME", "ACTOR", "TICKET", "ACTION", "CHANGE"], &rows);
    Ok(())
}
