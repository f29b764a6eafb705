//! Typed row identifiers, so a label id can never be passed where a ticket id belongs, and
//! the human-facing ticket number (#1042), which is not the row id.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// Row id of a ticket; users see [`TicketNumber`] instead.
    TicketId,
    InboxId,
    AgentId,
    ContactId,
    LabelId,
    /// Row id of a stored message (not the RFC 5322 Message-ID).
    MessageId,
    EventId,
    /// An admin's rule applied to new mail.
    RuleId,
);

/// The number agents say aloud and customers see in subjects: `#1042`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketNumber(pub i64);

impl TicketNumber {
    /// The first number handed out: four digits look like a ticket, not like a count.
    pub const FIRST: TicketNumber = TicketNumber(1001);

    /// Accepts `1042` and `#1042` (what people paste from subjects and chat).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let digits = s.trim().trim_start_matches('#');
        match digits.parse::<i64>() {
            Ok(n) if n > 0 => Ok(TicketNumber(n)),
            _ => Err(DomainError::InvalidTicketNumber(s.to_string())),
        }
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_parse_with_or_without_hash() {
        assert_eq!(TicketNumber::parse("#1042").unwrap(), TicketNumber(1042));
        assert_eq!(TicketNumber::parse(" 1042 ").unwrap(), TicketNumber(1042));
        assert_eq!(TicketNumber(1042).to_string(), "#1042");
        assert!(TicketNumber::parse("0").is_err());
        assert!(TicketNumber::parse("#abc").is_err());
        assert!(TicketNumber::parse("").is_err());
    }
}
