//! Trying a rule on an existing ticket before saving it (or after, to see why it did not
//! fire): the rule is checked against the ticket's first message from the customer, as if
//! that mail had just arrived. Nothing is written.

use hako_domain::rules::{ConditionCheck, MailFacts, Rule, RuleAction, evaluate};
use hako_domain::{MessageId, Participant, TicketNumber};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::apply::plan;
use super::edit::{checked, validate_refs};
use crate::codec::from_json;
use crate::queries::load_ticket;
use crate::{Result, Store, StoreError};

/// One action of a rule, in words, and why it would be skipped if it would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedAction {
    pub action: RuleAction,
    /// `label 請求`, `assign sato@example.test`, `status spam`.
    pub description: String,
    /// `is deactivated and cannot hold tickets`, `overridden by rule 1 (VIP)`.
    pub skipped: Option<String>,
}

impl PlannedAction {
    pub(super) fn text(&self) -> String {
        match &self.skipped {
            Some(why) => format!("{} (skipped: {why})", self.description),
            None => self.description.clone(),
        }
    }
}

/// What a rule makes of a ticket's first customer message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTest {
    pub ticket: TicketNumber,
    /// The message the rule was checked against.
    pub message: MessageId,
    pub matched: bool,
    /// Each condition with the value that matched it (`None`: this one failed).
    pub checks: Vec<ConditionCheck>,
    /// What the rule would do; empty when it does not match.
    pub actions: Vec<PlannedAction>,
}

/// The columns of a ticket's first customer message that rules look at.
struct FirstMessage {
    id: MessageId,
    sender: Option<String>,
    to: String,
    cc: String,
    subject: String,
    body: String,
    inbox: String,
}

impl Store {
    /// Checks `rule` (saved or not, enabled or not) against ticket `number`'s first message
    /// from the customer. Refuses a rule that could not be saved, with the same error.
    pub fn test_rule(&self, rule: &Rule, number: TicketNumber) -> Result<RuleTest> {
        let rule = checked(rule)?;
        let conn = self.read();
        validate_refs(conn, &rule)?;
        let t = load_ticket(conn, number)?;
        let first = conn
            .query_row(
                "SELECT m.id, lower(m.from_address), m.to_json, m.cc_json, m.subject,
                        m.body_text, i.name
                 FROM messages m JOIN tickets t ON t.id = m.ticket_id
                 JOIN inboxes i ON i.id = t.inbox_id
                 WHERE m.ticket_id = ?1 AND m.direction = 'incoming'
                 ORDER BY m.received_at, m.id LIMIT 1",
                [t.id.0],
                |r| {
                    Ok(FirstMessage {
                        id: MessageId(r.get(0)?),
                        sender: r.get(1)?,
                        to: r.get(2)?,
                        cc: r.get(3)?,
                        subject: r.get(4)?,
                        body: r.get(5)?,
                        inbox: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::sql("read a ticket's first message"))?;
        let Some(FirstMessage {
            id,
            sender,
            to,
            cc,
            subject,
            body,
            inbox,
        }) = first
        else {
            return Err(StoreError::invalid(
                format!("ticket {number}"),
                "has no message from the customer to test a rule on",
            ));
        };
        let parse = |json: &str| -> Result<Vec<Participant>> {
            from_json(0, json).map_err(StoreError::sql("read a message's recipients"))
        };
        // Delivered-To is not kept per message; To and Cc are what the customer addressed.
        let recipients: Vec<String> = parse(&to)?
            .into_iter()
            .chain(parse(&cc)?)
            .map(|p| p.address.to_lowercase())
            .collect();
        let facts = MailFacts {
            inbox: &inbox,
            sender: sender.as_deref(),
            recipients: &recipients,
            subject: if subject.is_empty() {
                &t.subject
            } else {
                &subject
            },
            body: &body,
        };
        let enabled = [Rule {
            enabled: true,
            ..rule.clone()
        }];
        let actions = evaluate(&enabled, &facts)
            .iter()
            .map(|e| plan(conn, &t, &enabled, e))
            .collect::<Result<Vec<_>>>()?;
        Ok(RuleTest {
            ticket: t.number,
            message: id,
            matched: !actions.is_empty(),
            checks: rule.check(&facts),
            actions,
        })
    }
}
