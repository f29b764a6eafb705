//! `hako ticket show`: the ticket, its thread and its audit trail, in the team's timezone.

use anyhow::Result;
use hako_domain::text::truncate_width;
use hako_domain::{Direction, TicketNumber};
use serde_json::json;

use crate::context::Ctx;
use crate::output::{self, duration, opt_time, time};

pub fn run(ctx: &mut Ctx, n: TicketNumber, as_json: bool) -> Result<()> {
    let d = ctx.store.ticket_detail(n)?;
    let tz = ctx.tz();
    if as_json {
        let mut v = serde_json::to_value(&d)?;
        v["events"] = json!(
            d.events
                .iter()
                .map(|(e, who)| json!({
                    "action": e.action, "actor": who.clone().unwrap_or_else(|| "system".into()),
                    "before": e.before, "after": e.after, "at": e.at,
                }))
                .collect::<Vec<_>>()
        );
        return output::json(&v);
    }
    let t = &d.ticket;
    println!("{}  {}", t.number, t.subject);
    if let Some(into) = d.merged_into {
        println!("merged into {into}: its messages are there");
    }
    println!(
        "status:    {} ({})",
        t.status.describe(),
        t.status.kind().label_ja()
    );
    println!(
        "inbox:     {} <{}>   channel: {}",
        d.inbox.name, d.inbox.address, t.channel
    );
    let addrs: Vec<String> = d.contact.addresses.iter().map(|a| a.to_string()).collect();
    println!(
        "customer:  {} {}",
        d.contact.name.as_deref().unwrap_or(""),
        addrs.join(", ")
    );
    println!(
        "assignee:  {}",
        d.assignee
            .as_ref()
            .map(|a| format!("{} <{}>", a.name, a.email))
            .unwrap_or_else(|| "(unassigned)".into())
    );
    let labels: Vec<&str> = d.labels.iter().map(|l| l.name.as_str()).collect();
    println!(
        "labels:    {}",
        if labels.is_empty() {
            "-".into()
        } else {
            labels.join(", ")
        }
    );
    println!(
        "created:   {}   last activity: {}   waiting since: {}",
        time(t.created_at, tz),
        time(t.last_activity_at, tz),
        opt_time(t.waiting_since, tz)
    );
    if let Some(frt) = t.first_response_time() {
        println!("first response after {}", duration(frt));
    }
    if let Some(from) = d.split_from {
        println!("split from {from}");
    }
    println!("version:   {}", t.version);
    println!("\nmessages:");
    for m in &d.messages {
        let who = match (&m.direction, &m.from) {
            (_, Some(p)) => p.to_string(),
            (Direction::Note | Direction::Outgoing, None) => m
                .author
                .and_then(|a| ctx.store.agent(a).ok())
                .map(|a| a.email.to_string())
                .unwrap_or_default(),
            (_, None) => String::new(),
        };
        println!(
            "  [{}] {} {} {}",
            m.id,
            m.direction,
            time(m.created_at, tz),
            who
        );
        for line in m.text.lines().filter(|l| !l.trim().is_empty()).take(3) {
            println!("      {}", truncate_width(line, 76));
        }
    }
    println!("\nhistory:");
    for (e, who) in &d.events {
        let change = match (&e.before, &e.after) {
            (Some(b), Some(a)) => format!("{b} → {a}"),
            (None, Some(a)) => a.clone(),
            (Some(b), None) => b.clone(),
            (None, None) => String::new(),
        };
        println!(
            "  {}  {:<24} {:<14} {}",
            time(e.at, tz),
            who.as_deref().unwrap_or("system"),
            e.action.as_str(),
            change
        );
    }
    Ok(())
}
