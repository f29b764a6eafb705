//! What happens to a new ticket made from a mail, inside the ingest transaction that creates
//! it — so a crash never leaves a ticket half-ruled:
//!
//! 1. every enabled rule, in order ([`hako_domain::rules::evaluate`]); each matching rule
//!    writes a `rule_applied` event naming it and what it did, followed by the events of its
//!    changes (`label_added`, `assigned` "… (rule 請求書)", `status_changed`);
//! 2. then the inbox's assignment strategy, if no rule assigned the ticket, the mail is from
//!    a person, and the ticket is still open or pending.
//!
//! Imported and old mail (`hako import`, a first sync) triggers neither. Automatic mail
//! (bounces, auto-replies, lists) goes through the rules — sorting it is what many rules are
//! for — but is never assigned by the strategy. An action that cannot be applied any more (a
//! deactivated agent, a deleted label) is skipped and said so in the event; it never fails
//! the ingest.

use hako_domain::rules::{Effect, MailFacts, Rule, RuleAction, evaluate};
use hako_domain::{Action, Actor, Status, StatusKind, Ticket, TicketId, Timestamp};
use rusqlite::Connection;

use super::test::PlannedAction;
use super::{all_rules, describe, naming};
use crate::assignment::auto_assign_in_tx;
use crate::ops::change::{Change, apply_in_tx, assign_in_tx, check_assignable};
use crate::ops::{EventRecord, record};
use crate::queries::load_ticket_by_id;
use crate::{Result, StoreError};

/// Who a new ticket's first mail came from, which decides what runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A person wrote: rules, then the strategy.
    Person,
    /// Bounces, auto-replies, lists, the null sender: rules only.
    Automatic,
    /// Old mail from an import or a first sync: nothing.
    Imported,
}

/// The first mail of a new ticket.
pub(crate) struct NewMail<'a> {
    pub sender: Option<&'a str>,
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub origin: Origin,
}

/// Runs the rules and the strategy on the new ticket; returns its status afterwards (a
/// ticket a rule closed or marked spam gets no automatic reply either).
pub(crate) fn on_new_ticket(
    tx: &Connection,
    ticket: TicketId,
    mail: &NewMail<'_>,
    now: Timestamp,
) -> Result<StatusKind> {
    if mail.origin == Origin::Imported {
        return Ok(load_ticket_by_id(tx, ticket)?.status.kind());
    }
    let t = load_ticket_by_id(tx, ticket)?;
    let inbox: String = tx
        .query_row("SELECT name FROM inboxes WHERE id = ?1", [t.inbox.0], |r| {
            r.get(0)
        })
        .map_err(StoreError::sql("read a ticket's inbox"))?;
    let facts = MailFacts {
        inbox: &inbox,
        sender: mail.sender,
        recipients: mail.recipients,
        subject: mail.subject,
        body: mail.body,
    };
    let rules: Vec<Rule> = all_rules(tx)?.into_iter().map(|e| e.rule).collect();
    let effects = evaluate(&rules, &facts);
    for group in effects.chunk_by(|a, b| a.rule == b.rule) {
        apply_rule(tx, ticket, &rules, group, now)?;
    }
    let t = load_ticket_by_id(tx, ticket)?;
    if mail.origin == Origin::Person && t.status.kind().is_active() {
        auto_assign_in_tx(tx, &t, now)?;
    }
    Ok(t.status.kind())
}

/// One matching rule's event, then its changes.
fn apply_rule(
    tx: &Connection,
    ticket: TicketId,
    rules: &[Rule],
    effects: &[Effect],
    now: Timestamp,
) -> Result<()> {
    let rule = &rules[effects[0].rule];
    let t = load_ticket_by_id(tx, ticket)?;
    let plans = effects
        .iter()
        .map(|e| plan(tx, &t, rules, e))
        .collect::<Result<Vec<_>>>()?;
    let did: Vec<String> = plans.iter().map(PlannedAction::text).collect();
    let after = format!("{}: {}", naming(rule), did.join("; "));
    record(
        tx,
        EventRecord {
            ticket: Some(ticket),
            actor: Actor::System,
            action: Action::RuleApplied,
            before: None,
            after: Some(&after),
        },
        now,
    )?;
    for p in plans.iter().filter(|p| p.skipped.is_none()) {
        let t = load_ticket_by_id(tx, ticket)?;
        match p.action {
            RuleAction::AddLabel(l) => {
                apply_in_tx(tx, Actor::System, &t, &Change::AddLabel(l), now)?
            }
            RuleAction::Assign(a) => {
                let why = format!("rule {}", rule.name);
                assign_in_tx(tx, Actor::System, &t, Some(a), Some(&why), now)?
            }
            RuleAction::SetStatus(k) => {
                let status = rule_status(k);
                apply_in_tx(tx, Actor::System, &t, &Change::SetStatus(status), now)?
            }
        }
    }
    Ok(())
}

/// An effect in words, and why it will not be applied, if it will not.
pub(super) fn plan(
    tx: &Connection,
    t: &Ticket,
    rules: &[Rule],
    e: &Effect,
) -> Result<PlannedAction> {
    let description = describe(tx, &e.action)?;
    let skipped = match (e.overridden_by, e.action) {
        (Some(by), _) => Some(format!("overridden by {}", naming(&rules[by]))),
        (None, RuleAction::AddLabel(l)) => {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM labels WHERE id = ?1)",
                    [l.0],
                    |r| r.get(0),
                )
                .map_err(StoreError::sql("check a rule's label"))?;
            (!exists).then(|| "the label no longer exists".to_string())
        }
        (None, RuleAction::Assign(a)) => match check_assignable(tx, a, t) {
            Ok(()) => None,
            Err(StoreError::Invalid { why, .. }) => Some(why),
            Err(StoreError::NotFound { .. }) => Some("the user no longer exists".into()),
            Err(other) => return Err(other),
        },
        (None, _) => None,
    };
    Ok(PlannedAction {
        action: e.action,
        description,
        skipped,
    })
}

/// The status a rule sets; pending has no reason (the rule's event says why).
fn rule_status(k: StatusKind) -> Status {
    match k {
        StatusKind::Pending => Status::Pending { reason: None },
        StatusKind::Closed => Status::Closed,
        StatusKind::Spam => Status::Spam,
        StatusKind::Trash => Status::Trash,
        // Refused when the rule is saved; open is where a new ticket already is.
        StatusKind::Open | StatusKind::Snoozed => Status::Open,
    }
}
