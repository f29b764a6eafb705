//! `hako stats`: counts for admins and monitoring, and who holds what.

use anyhow::Result;
use clap::Args;
use serde_json::json;

use crate::context::Ctx;
use crate::output;

#[derive(Args)]
pub struct StatsArgs {
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &mut Ctx, a: &StatsArgs) -> Result<()> {
    let s = ctx.store.stats()?;
    let load = ctx.store.agent_load()?;
    if a.json {
        let mut v = serde_json::to_value(&s)?;
        v["agents_load"] = json!(load);
        return output::json(&v);
    }
    println!("inboxes   {}", s.inboxes);
    println!("users     {}", s.agents);
    println!("labels    {}", s.labels);
    println!("contacts  {}", s.contacts);
    println!("messages  {} ({} bytes raw)", s.messages, s.raw_bytes);
    println!("tickets   {}", s.tickets);
    for (status, n) in &s.tickets_by_status {
        println!("  {status:<8}{n}");
    }
    if !load.is_empty() {
        println!();
        let tz = ctx.tz();
        let rows: Vec<Vec<String>> = load
            .iter()
            .map(|l| {
                vec![
                    l.agent.clone(),
                    l.open.to_string(),
                    l.pending.to_string(),
                    l.snoozed.to_string(),
                    output::opt_time(l.oldest_waiting, tz),
                ]
            })
            .collect();
        output::table(
            &["AGENT", "OPEN", "PENDING", "SNOOZED", "OLDEST WAITING"],
            &rows,
        );
    }
    Ok(())
}
