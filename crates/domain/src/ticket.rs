//! Tickets (one per customer conversation) and contacts (the customers behind them).

use chrono::Duration;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{
    AgentId, ContactId, DomainError, EmailAddress, InboxId, LabelId, MessageId, Status, TicketId,
    TicketNumber, Timestamp,
};

/// How the conversation reached us. Tickets created by hand record a phone call or a LINE
/// chat so that the report counts every inquiry, not only mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Phone,
    Line,
    Chat,
    Other,
}

impl Channel {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_lowercase().as_str() {
            "email" | "mail" => Ok(Channel::Email),
            "phone" | "tel" => Ok(Channel::Phone),
            "line" => Ok(Channel::Line),
            "chat" => Ok(Channel::Chat),
            "other" => Ok(Channel::Other),
            _ => Err(DomainError::UnknownChannel(s.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Line => "line",
            Channel::Chat => "chat",
            Channel::Other => "other",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a split ticket came from: the ticket and the message the split started at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitOrigin {
    pub ticket: TicketId,
    pub message: MessageId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub number: TicketNumber,
    pub inbox: InboxId,
    pub subject: String,
    pub contact: ContactId,
    pub status: Status,
    pub assignee: Option<AgentId>,
    pub labels: Vec<LabelId>,
    pub channel: Channel,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Last message of any kind, or any change: the default sort of the inbox view.
    pub last_activity_at: Timestamp,
    pub last_customer_message_at: Option<Timestamp>,
    /// Since when the customer has been waiting for us (their oldest unanswered message);
    /// `None` once we have answered. "Oldest waiting" sorts by this.
    pub waiting_since: Option<Timestamp>,
    pub first_response_at: Option<Timestamp>,
    /// Set when this ticket was merged into another; it then only points there.
    pub merged_into: Option<TicketId>,
    pub split_from: Option<SplitOrigin>,
    /// Bumped by every change; a change made against an older version is a conflict.
    pub version: i64,
}

impl Ticket {
    /// Time from the ticket's creation to the team's first reply.
    pub fn first_response_time(&self) -> Option<Duration> {
        self.first_response_at.map(|at| at - self.created_at)
    }

    pub fn is_merged(&self) -> bool {
        self.merged_into.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub name: Option<String>,
    /// A customer may write from work and from home; history follows all of them.
    pub addresses: Vec<EmailAddress>,
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn first_response_time_is_from_creation() {
        let created = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let mut t = Ticket {
            id: TicketId(1),
            number: TicketNumber(1001),
            inbox: InboxId(1),
            subject: "請求書の件".into(),
            contact: ContactId(1),
            status: Status::Open,
            assignee: None,
            labels: vec![],
            channel: Channel::Email,
            created_at: created,
            updated_at: created,
            last_activity_at: created,
            last_customer_message_at: Some(created),
            waiting_since: Some(created),
            first_response_at: None,
            merged_into: None,
            split_from: None,
            version: 1,
        };
        assert_eq!(t.first_response_time(), None);
        t.first_response_at = Some(created + Duration::minutes(95));
        assert_eq!(t.first_response_time(), Some(Duration::minutes(95)));
        assert_eq!(Channel::parse("LINE").unwrap(), Channel::Line);
    }
}
