//! Rules the admin sets, applied to each new ticket made from a mail: "if the sender's domain
//! is example.jp and the subject has 請求書, add the label 請求 and assign sato".
//!
//! - A rule has one or more **conditions, all of which must match** (AND); a condition lists
//!   one or more **values, any of which may match** (OR).
//! - Matching is case-insensitive, and full-width letters and digits match their ASCII forms
//!   (ＩＮＶＯＩＣＥ matches invoice). Subject and body conditions match substrings, so
//!   Japanese needs no word breaks: 請求書 matches 請求書の再発行 (and `bill` matches
//!   `billing`). Sender and recipient conditions match whole addresses; a domain condition
//!   matches the sender's domain and its subdomains; an inbox condition the inbox's name.
//! - Actions: add labels, assign to an agent, set the status (pending, closed, spam, trash).
//! - **Rules run top to bottom and every matching rule acts.** Labels add up. For the
//!   assignee and the status, **the first matching rule that sets one wins**: the list is in
//!   order of importance, and a later rule cannot undo an earlier one (its action is reported
//!   as overridden). Disabled rules are skipped.
//!
//! [`evaluate`] is the pure core; the store loads the rules, applies the effects inside the
//! ingest transaction and writes the audit events.

mod matching;

pub use matching::{ConditionCheck, Effect, MailFacts, evaluate};

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AgentId, DomainError, LabelId, RuleId, StatusKind};

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The sender's address (From), whole.
    Sender,
    /// The sender's domain, or a subdomain of it.
    Domain,
    /// Any address in To, Cc or Delivered-To, whole.
    Recipient,
    /// Words or phrases in the subject.
    Subject,
    /// Words or phrases in the body text.
    Body,
    /// The name of the inbox the ticket is in.
    Inbox,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Sender => "sender",
            Field::Domain => "domain",
            Field::Recipient => "recipient",
            Field::Subject => "subject",
            Field::Body => "body",
            Field::Inbox => "inbox",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One test on the mail: matches when any of `values` matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: Field,
    pub values: Vec<String>,
}

/// What a matching rule does to the new ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    AddLabel(LabelId),
    Assign(AgentId),
    /// Pending, closed, spam or trash ("mark spam" is this with spam).
    SetStatus(StatusKind),
}

/// A rule as the admin writes it. `id` is `None` until it is saved; its place in the list is
/// the store's business (the order of the slice given to [`evaluate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: Option<RuleId>,
    pub name: String,
    pub enabled: bool,
    pub conditions: Vec<Condition>,
    pub actions: Vec<RuleAction>,
}

/// Statuses a rule may set: open is where every ticket starts, snoozed needs a time.
pub const RULE_STATUSES: [StatusKind; 4] = [
    StatusKind::Pending,
    StatusKind::Closed,
    StatusKind::Spam,
    StatusKind::Trash,
];

impl Rule {
    /// The rule as it is saved: names and values trimmed, addresses and domains lowercased,
    /// repeated values and labels dropped. Refuses a rule that could never match or would
    /// do nothing, or that contradicts itself (two assignees, two statuses).
    pub fn normalized(&self) -> Result<Rule, DomainError> {
        let name = self.name.trim().to_string();
        let err = |why: String| DomainError::InvalidRule {
            rule: if name.is_empty() {
                self.name.clone()
            } else {
                name.clone()
            },
            why,
        };
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(err("a rule's name has 1-100 printable characters".into()));
        }
        if self.conditions.is_empty() {
            return Err(err("needs at least one condition".into()));
        }
        let conditions = self
            .conditions
            .iter()
            .map(|c| normalize_condition(c).map_err(&err))
            .collect::<Result<Vec<_>, _>>()?;
        if self.actions.is_empty() {
            return Err(err("needs at least one action".into()));
        }
        let mut actions: Vec<RuleAction> = vec![];
        for a in &self.actions {
            let clash = actions.iter().any(|b| match (a, b) {
                (RuleAction::Assign(x), RuleAction::Assign(y)) => x != y,
                (RuleAction::SetStatus(x), RuleAction::SetStatus(y)) => x != y,
                _ => false,
            });
            if clash {
                return Err(err("sets two assignees or two statuses".into()));
            }
            if let RuleAction::SetStatus(s) = a
                && !RULE_STATUSES.contains(s)
            {
                return Err(err(format!(
                    "cannot set status {s}: use pending, closed, spam or trash"
                )));
            }
            if !actions.contains(a) {
                actions.push(*a);
            }
        }
        Ok(Rule {
            id: self.id,
            name,
            enabled: self.enabled,
            conditions,
            actions,
        })
    }
}

fn normalize_condition(c: &Condition) -> Result<Condition, String> {
    let mut values: Vec<String> = vec![];
    for raw in &c.values {
        let v = raw.trim();
        let v = match c.field {
            Field::Sender | Field::Recipient => {
                if !v.contains('@') || v.chars().any(char::is_whitespace) {
                    return Err(format!("{} {raw:?} is not an email address", c.field));
                }
                v.to_lowercase()
            }
            Field::Domain => {
                let d = v.trim_start_matches('@').to_lowercase();
                if d.is_empty() || d.contains('@') || d.chars().any(char::is_whitespace) {
                    return Err(format!("domain {raw:?} is not a domain such as example.jp"));
                }
                d
            }
            Field::Subject | Field::Body | Field::Inbox => v.to_string(),
        };
        if v.is_empty() || v.chars().any(char::is_control) {
            return Err(format!("{} condition has an empty value", c.field));
        }
        if !values.contains(&v) {
            values.push(v);
        }
    }
    if values.is_empty() {
        return Err(format!("{} condition has no value", c.field));
    }
    Ok(Condition {
        field: c.field,
        values,
    })
}

#[cfg(test)]
mod tests;
