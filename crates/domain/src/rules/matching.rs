//! Matching rules against a mail and folding the matches into effects: which rule does what,
//! and which of its actions an earlier rule overrides.

use serde::Serialize;

use super::{Condition, Field, Rule, RuleAction};

/// The mail as rules see it: the ticket's first message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailFacts<'a> {
    /// The name of the ticket's inbox.
    pub inbox: &'a str,
    /// The sender's address; `None` for the null sender (bounces).
    pub sender: Option<&'a str>,
    /// To, Cc and Delivered-To addresses.
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
}

/// One action of one matching rule. `rule` is the index of the rule in the slice given to
/// [`evaluate`]; `overridden_by` the index of an earlier rule that already set the assignee
/// or the status, in which case this action does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Effect {
    pub rule: usize,
    pub action: RuleAction,
    pub overridden_by: Option<usize>,
}

/// How one condition fared against a mail: the value that matched, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionCheck {
    pub condition: Condition,
    pub matched: Option<String>,
}

/// Every action of every enabled rule that matches `mail`, in rule order then action order.
pub fn evaluate(rules: &[Rule], mail: &MailFacts<'_>) -> Vec<Effect> {
    let mut out: Vec<Effect> = vec![];
    for (i, rule) in rules.iter().enumerate() {
        if !rule.enabled || !rule.matches(mail) {
            continue;
        }
        for action in &rule.actions {
            let earlier = out.iter().find(|e| {
                e.overridden_by.is_none()
                    && matches!(
                        (e.action, action),
                        (RuleAction::Assign(_), RuleAction::Assign(_))
                            | (RuleAction::SetStatus(_), RuleAction::SetStatus(_))
                    )
            });
            out.push(Effect {
                rule: i,
                action: *action,
                overridden_by: earlier.map(|e| e.rule),
            });
        }
    }
    out
}

impl Rule {
    /// Whether every condition matches (ignores `enabled`: testing a disabled rule works).
    pub fn matches(&self, mail: &MailFacts<'_>) -> bool {
        self.conditions
            .iter()
            .all(|c| first_match(c, mail).is_some())
    }

    /// Each condition with the value that matched it, for "why did (not) this rule match".
    pub fn check(&self, mail: &MailFacts<'_>) -> Vec<ConditionCheck> {
        self.conditions
            .iter()
            .map(|c| ConditionCheck {
                condition: c.clone(),
                matched: first_match(c, mail).map(str::to_string),
            })
            .collect()
    }
}

fn first_match<'c>(c: &'c Condition, mail: &MailFacts<'_>) -> Option<&'c str> {
    let sender = mail.sender.map(fold);
    let text = match c.field {
        Field::Subject => Some(fold(mail.subject)),
        Field::Body => Some(fold(mail.body)),
        _ => None,
    };
    c.values
        .iter()
        .find(|v| {
            let v = fold(v);
            match c.field {
                Field::Sender => sender.as_deref() == Some(v.as_str()),
                Field::Domain => sender
                    .as_deref()
                    .and_then(|s| s.rsplit_once('@'))
                    .is_some_and(|(_, d)| d == v || d.ends_with(&format!(".{v}"))),
                Field::Recipient => mail.recipients.iter().any(|r| fold(r) == v),
                Field::Subject | Field::Body => text.as_deref().is_some_and(|t| t.contains(&v)),
                Field::Inbox => fold(mail.inbox) == v,
            }
        })
        .map(String::as_str)
}

/// Case-insensitive form for matching: lowercase, full-width ASCII (ＡＢＣ１２３) as ASCII and
/// the ideographic space as a space — what Japanese input methods produce for Latin text.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}
