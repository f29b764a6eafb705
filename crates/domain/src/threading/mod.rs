//! Which ticket an incoming message belongs to, as a pure function of the message and the
//! candidate tickets the store found for it. In order:
//!
//! 1. our own Message-IDs in In-Reply-To/References, verified by their signature ([`token`]);
//! 2. earlier messages' Message-IDs in In-Reply-To/References — only when the sender is the
//!    ticket's customer or took part in the referenced message, so knowing a Message-ID is
//!    not enough to write into someone else's ticket;
//! 3. a `[#1042]` tag in the subject, only from that ticket's customer;
//! 4. (configurable, on by default) the same sender's not-closed ticket in the same inbox
//!    with the same normalised subject, active within the last 14 days — customers write
//!    twice before we answer, and reply to answers sent from outside hako;
//! 5. otherwise a new ticket.
//!
//! A match on a closed ticket reopens it within the reopen window; after that the message
//! starts a new ticket linked to the old one. Spam and trash tickets take the message and
//! stay where they are. Replies from many customers to one newsletter never merge: each
//! sender only ever reaches their own tickets by rules 2–4, and a newsletter sent from outside
//! hako is not a stored message.

pub mod token;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{InboxId, StatusKind, TicketId, Timestamp};

/// The knobs of the rules above, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadingPolicy {
    /// Rule 4 on or off.
    pub subject_match: bool,
    /// How recent the sender's ticket must be for rule 4.
    pub subject_window: Duration,
    /// How long after closing a reply reopens the ticket instead of starting a new one.
    pub reopen_window: Duration,
}

impl Default for ThreadingPolicy {
    fn default() -> Self {
        ThreadingPolicy {
            subject_match: true,
            subject_window: Duration::days(14),
            reopen_window: Duration::days(30),
        }
    }
}

/// What the rules need to know about a candidate ticket. The store resolves merged tickets
/// to the ticket they were merged into before handing them over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: TicketId,
    pub number: i64,
    pub inbox: InboxId,
    pub status: StatusKind,
    /// Lowercased addresses of the ticket's customer.
    pub customer: Vec<String>,
    pub last_activity_at: Timestamp,
    pub normalized_subject: String,
}

/// A ticket reached through an earlier message's Message-ID, with the lowercased addresses
/// that took part in that message (From, To, Cc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referenced {
    pub ticket: Candidate,
    pub participants: Vec<String>,
}

/// The incoming message, reduced to what threading looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFacts<'a> {
    pub inbox: InboxId,
    /// Lowercased sender address; `None` for the null sender.
    pub sender: Option<&'a str>,
    /// Sent from one of our own addresses (an answer written in a mail client): the team
    /// takes part in every ticket, so references from it always count.
    pub from_team: bool,
    pub normalized_subject: &'a str,
    pub ticket_tags: &'a [i64],
    pub now: Timestamp,
}

/// Everything the store found that the message might belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Tickets named by verified signatures of our own Message-IDs.
    pub signed: Vec<Candidate>,
    /// Tickets holding messages whose Message-IDs the new message references.
    pub referenced: Vec<Referenced>,
    /// Tickets whose numbers appear as `[#N]` tags in the subject.
    pub tagged: Vec<Candidate>,
    /// The sender's tickets in the same inbox (rule 4 filters them further).
    pub senders_recent: Vec<Candidate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Signature,
    Reference,
    SubjectTag,
    Subject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ThreadDecision {
    /// Add to this ticket; `reopen` when it was closed (within the window).
    Append {
        ticket: TicketId,
        via: Via,
        reopen: bool,
    },
    /// Start a new ticket, linked to an old closed one when the reply came too late.
    New { linked_to: Option<TicketId> },
}

pub fn decide(msg: &IncomingFacts<'_>, found: &Found, policy: &ThreadingPolicy) -> ThreadDecision {
    let is_customer = |c: &Candidate| {
        msg.sender
            .is_some_and(|s| c.customer.iter().any(|a| a == s))
    };
    let pick = |c: &Candidate, via| attach(c, via, msg.now, policy);

    if let Some(c) = found.signed.first() {
        return pick(c, Via::Signature);
    }
    if let Some(r) = found.referenced.iter().find(|r| {
        msg.from_team
            || is_customer(&r.ticket)
            || msg
                .sender
                .is_some_and(|s| r.participants.iter().any(|p| p == s))
    }) {
        return pick(&r.ticket, Via::Reference);
    }
    if let Some(c) = found
        .tagged
        .iter()
        .find(|c| msg.ticket_tags.contains(&c.number) && is_customer(c))
    {
        return pick(c, Via::SubjectTag);
    }
    if policy.subject_match && !msg.normalized_subject.is_empty() {
        let recent = found
            .senders_recent
            .iter()
            .filter(|c| {
                c.inbox == msg.inbox
                    && is_customer(c)
                    && c.status.is_active()
                    && c.normalized_subject == msg.normalized_subject
                    && msg.now - c.last_activity_at <= policy.subject_window
            })
            .max_by_key(|c| c.last_activity_at);
        if let Some(c) = recent {
            return pick(c, Via::Subject);
        }
    }
    ThreadDecision::New { linked_to: None }
}

fn attach(c: &Candidate, via: Via, now: Timestamp, policy: &ThreadingPolicy) -> ThreadDecision {
    match c.status {
        StatusKind::Closed if now - c.last_activity_at > policy.reopen_window => {
            ThreadDecision::New {
                linked_to: Some(c.id),
            }
        }
        StatusKind::Closed => ThreadDecision::Append {
            ticket: c.id,
            via,
            reopen: true,
        },
        _ => ThreadDecision::Append {
            ticket: c.id,
            via,
            reopen: false,
        },
    }
}

#[cfg(test)]
mod tests;
