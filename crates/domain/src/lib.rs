//! hako's domain model: the nouns of a support team's day (inboxes, tickets, messages,
//! contacts, agents, labels, audit events) and the pure rules over them (status changes,
//! snooze, split and merge, ISO-week report arithmetic, rules applied to new mail, automatic
//! assignment).
//!
//! Nothing here does I/O: the store persists these types, the web and CLI present them.

pub mod agent;
pub mod assignment;
pub mod colour;
pub mod content;
pub mod diff;
pub mod email;
pub mod error;
pub mod event;
pub mod ids;
pub mod inbox;
pub mod label;
pub mod message;
pub mod password;
pub mod report;
pub mod rules;
pub mod split;
pub mod status;
pub mod text;
pub mod threading;
pub mod ticket;
pub mod when;

pub use agent::{Agent, Role};
pub use colour::Colour;
pub use content::ContentHash;
pub use email::EmailAddress;
pub use error::DomainError;
pub use event::{Action, Actor, Event};
pub use ids::{
    AgentId, ContactId, EventId, InboxId, LabelId, MessageId, RuleId, TicketId, TicketNumber,
};
pub use inbox::Inbox;
pub use label::Label;
pub use message::{Attachment, Direction, Message, Participant};
pub use status::{Status, StatusKind};
pub use ticket::{Channel, Contact, Ticket};

/// Every instant in hako is UTC; the team's timezone only matters for display and reports.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
