//! The flags that describe a rule on the command line, shared by add, edit and test.

use anyhow::{Context, Result};
use clap::Args;
use hako_domain::StatusKind;
use hako_domain::rules::{Condition, Field, Rule, RuleAction};

use crate::context::Ctx;

/// Repeating a condition flag gives alternatives (OR); different flags must all match (AND).
#[derive(Args, Debug, Default)]
pub struct RuleFlags {
    /// The sender's address is one of these.
    #[arg(long = "if-sender", value_name = "ADDRESS")]
    sender: Vec<String>,
    /// The sender's domain (or a subdomain of it) is one of these.
    #[arg(long = "if-domain", value_name = "DOMAIN")]
    domain: Vec<String>,
    /// One of these addresses is in To, Cc or Delivered-To.
    #[arg(long = "if-to", value_name = "ADDRESS")]
    to: Vec<String>,
    /// The subject contains one of these (case-insensitive; 請求書 matches 請求書の再発行).
    #[arg(long = "if-subject", value_name = "TEXT")]
    subject: Vec<String>,
    /// The body contains one of these.
    #[arg(long = "if-body", value_name = "TEXT")]
    body: Vec<String>,
    /// The ticket is in one of these inboxes.
    #[arg(long = "if-inbox", value_name = "NAME")]
    inbox: Vec<String>,
    /// Add this label (repeat for several).
    #[arg(long = "label", value_name = "NAME")]
    labels: Vec<String>,
    /// Assign to this agent.
    #[arg(long, value_name = "EMAIL")]
    assign: Option<String>,
    /// Set the status: pending, closed, spam or trash (保留, 対応完了, 迷惑メール, ゴミ箱).
    #[arg(long, value_name = "STATUS", conflicts_with = "spam")]
    status: Option<String>,
    /// Mark as spam (the same as --status spam).
    #[arg(long)]
    spam: bool,
}

impl RuleFlags {
    pub fn is_empty(&self) -> bool {
        let conditions = [
            &self.sender,
            &self.domain,
            &self.to,
            &self.subject,
            &self.body,
            &self.inbox,
        ];
        conditions.iter().all(|v| v.is_empty())
            && self.labels.is_empty()
            && self.assign.is_none()
            && self.status.is_none()
            && !self.spam
    }

    /// The rule these flags describe, with labels and agents looked up by name.
    pub fn rule(&self, ctx: &Ctx, name: &str, enabled: bool) -> Result<Rule> {
        let what = || format!("rule {name}");
        let conditions = [
            (Field::Sender, &self.sender),
            (Field::Domain, &self.domain),
            (Field::Recipient, &self.to),
            (Field::Subject, &self.subject),
            (Field::Body, &self.body),
            (Field::Inbox, &self.inbox),
        ]
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(field, values)| Condition {
            field,
            values: values.clone(),
        })
        .collect();
        let mut actions = vec![];
        for l in &self.labels {
            let label = ctx.store.label_by_name(l).with_context(what)?;
            actions.push(RuleAction::AddLabel(label.id));
        }
        if let Some(email) = &self.assign {
            let agent = ctx.store.agent_by_email(email).with_context(what)?;
            actions.push(RuleAction::Assign(agent.id));
        }
        if let Some(s) = &self.status {
            let kind = StatusKind::parse(s).with_context(what)?;
            actions.push(RuleAction::SetStatus(kind));
        }
        if self.spam {
            actions.push(RuleAction::SetStatus(StatusKind::Spam));
        }
        Ok(Rule {
            id: None,
            name: name.to_string(),
            enabled,
            conditions,
            actions,
        })
    }
}
