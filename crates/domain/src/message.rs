//! Messages on a ticket: mail from the customer, our replies, and internal notes. The parsed
//! fields are what the UI shows; the raw bytes (by content hash) are what was received.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AgentId, ContentHash, MessageId, TicketId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the customer (or anyone outside the team).
    Incoming,
    /// From us to the customer.
    Outgoing,
    /// Internal note: never leaves hako.
    Note,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
            Direction::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "incoming" => Some(Direction::Incoming),
            "outgoing" => Some(Direction::Outgoing),
            "note" => Some(Direction::Note),
            _ => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name and address as found in a header. The address is kept as received, not as an
/// [`crate::EmailAddress`]: malformed mail must still be stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub name: Option<String>,
    pub address: String,
}

impl fmt::Display for Participant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) if !n.is_empty() => write!(f, "{n} <{}>", self.address),
            _ => f.write_str(&self.address),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: Option<String>,
    pub content_type: String,
    pub size: u64,
    /// For inline images referenced as `cid:` from the HTML body.
    pub content_id: Option<String>,
    /// Where the bytes are stored; `None` when only the metadata was kept.
    pub blob: Option<ContentHash>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub ticket: TicketId,
    pub direction: Direction,
    /// The message as received or sent; `None` for notes and hand-entered messages.
    pub raw: Option<ContentHash>,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from: Option<Participant>,
    pub to: Vec<Participant>,
    pub cc: Vec<Participant>,
    /// The Date: header; `created_at` is when hako stored it.
    pub date: Option<Timestamp>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// The agent who wrote an outgoing message or a note.
    pub author: Option<AgentId>,
    pub created_at: Timestamp,
}
