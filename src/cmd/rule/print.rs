//! Rules as people read them: a table, one rule in full, a test's verdict, and JSON with the
//! actions also in words.

use anyhow::Result;
use hako_domain::rules::{Condition, Field, Rule};
use hako_store::{RuleEntry, RuleTest};
use serde_json::Value;

use crate::context::Ctx;
use crate::output;

/// `subject has 請求書 or invoice`.
fn condition(c: &Condition) -> String {
    let verb = match c.field {
        Field::Subject | Field::Body => "has",
        Field::Domain => "in",
        _ => "is",
    };
    let field = match c.field {
        Field::Recipient => "to",
        f => f.as_str(),
    };
    format!("{field} {verb} {}", c.values.join(" or "))
}

fn conditions(r: &Rule) -> String {
    r.conditions
        .iter()
        .map(condition)
        .collect::<Vec<_>>()
        .join(" and ")
}

fn actions(ctx: &Ctx, r: &Rule) -> Result<Vec<String>> {
    Ok(r.actions
        .iter()
        .map(|a| ctx.store.describe_action(a))
        .collect::<Result<_, _>>()?)
}

pub fn table(ctx: &Ctx, rules: &[RuleEntry]) -> Result<()> {
    let mut rows = vec![];
    for e in rules {
        rows.push(vec![
            e.position.to_string(),
            e.id().to_string(),
            e.rule.name.clone(),
            if e.rule.enabled { "on" } else { "off" }.into(),
            conditions(&e.rule),
            actions(ctx, &e.rule)?.join(", "),
        ]);
    }
    output::table(&["POS", "ID", "NAME", "ON", "IF", "THEN"], &rows);
    Ok(())
}

pub fn show(ctx: &Ctx, e: &RuleEntry) -> Result<()> {
    let state = if e.rule.enabled {
        "enabled"
    } else {
        "disabled"
    };
    println!(
        "rule {} ({}): position {}, {state}",
        e.id(),
        e.rule.name,
        e.position
    );
    println!("if   {}", conditions(&e.rule));
    println!("then {}", actions(ctx, &e.rule)?.join(", "));
    println!(
        "saved {}, changed {}",
        output::time(e.created_at, ctx.tz()),
        output::time(e.updated_at, ctx.tz())
    );
    Ok(())
}

/// The saved rule as JSON, with `does`: its actions in words (`label 請求`).
pub fn json(ctx: &Ctx, e: &RuleEntry) -> Result<Value> {
    let mut v = serde_json::to_value(e)?;
    v["does"] = serde_json::to_value(actions(ctx, &e.rule)?)?;
    Ok(v)
}

pub fn test(rule: &Rule, t: &RuleTest) {
    let name = match rule.id {
        Some(id) => format!("rule {id} ({})", rule.name),
        None => "the rule".into(),
    };
    let verdict = if t.matched {
        "matches"
    } else {
        "does not match"
    };
    println!(
        "{name} {verdict} ticket {} (message {})",
        t.ticket, t.message
    );
    for c in &t.checks {
        let mark = match &c.matched {
            Some(v) => format!("yes ({v})"),
            None => "no".into(),
        };
        println!("  {}: {mark}", condition(&c.condition));
    }
    for a in &t.actions {
        match &a.skipped {
            Some(why) => println!("  would {}: skipped, {why}", a.description),
            None => println!("  would {}", a.description),
        }
    }
}
