//! Persisting incoming mail exactly once. One call takes a batch of fetched mails and, in one
//! write transaction, for each: stores the raw bytes (first), records the source UID, skips
//! what was seen before, quarantines what could not be parsed, threads the rest
//! (`hako_domain::threading`) into a new or existing ticket, and advances the mailbox cursor.
//! A crash anywhere leaves either all of it or none of it; the IMAP side may then flag or move
//! the mail, after the commit.

mod candidates;
pub(crate) mod mailbox;
mod persist;
mod quarantine;

pub use mailbox::{Lease, Mailbox, MailboxId};
pub use quarantine::QuarantineItem;

use hako_domain::{InboxId, MessageId, TicketNumber, Timestamp};
use serde::Serialize;

use crate::NewMessage;

/// Where a mail came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An IMAP UID in a mailbox at a UIDVALIDITY.
    Imap {
        mailbox: MailboxId,
        uidvalidity: u32,
        uid: u32,
    },
    /// A file imported with `hako import` (path, and position for mbox).
    Import { label: String },
    /// `hako reprocess` of a quarantined mail.
    Quarantine { id: i64 },
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::Imap {
                mailbox,
                uidvalidity,
                uid,
            } => format!("mailbox {} uidvalidity {uidvalidity} uid {uid}", mailbox.0),
            Source::Import { label } => format!("import {label}"),
            Source::Quarantine { id } => format!("quarantine {id}"),
        }
    }
}

/// What the parser made of a mail, reduced to what the store and threading need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMail {
    /// The message to store (direction is decided here: mail from our own addresses is
    /// outgoing).
    pub message: NewMessage,
    /// Lowercased sender address; `None` for the null sender.
    pub sender: Option<String>,
    pub sender_name: Option<String>,
    pub normalized_subject: String,
    pub ticket_tags: Vec<i64>,
    /// Lowercased To, then Cc, then Delivered-To addresses: the first of ours picks the inbox.
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Parsed(Box<ParsedMail>),
    /// The parser refused it (too large, too many parts): kept raw, quarantined.
    Unparseable {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingMail {
    pub source: Source,
    /// The inbox of the mailbox it was fetched from (or imported into).
    pub inbox: InboxId,
    pub raw: Vec<u8>,
    pub received_at: Timestamp,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Created {
        ticket: TicketNumber,
        message: MessageId,
    },
    Appended {
        ticket: TicketNumber,
        message: MessageId,
        reopened: bool,
    },
    /// The same mail is already stored (another of our addresses, a re-created mailbox).
    Duplicate {
        message: MessageId,
    },
    /// This UID was processed before (a restart after the commit, before the flag).
    AlreadySeen,
    Quarantined {
        id: i64,
        reason: String,
    },
    /// Our own mail, sent from outside hako, that belongs to no ticket.
    Skipped {
        reason: String,
    },
}
