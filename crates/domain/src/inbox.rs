//! An inbox: one representative address (support@, info@) that customers write to.

use serde::{Deserialize, Serialize};

use crate::{EmailAddress, InboxId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub id: InboxId,
    /// Short, stable name used in URLs, filters and config (`support`).
    pub name: String,
    pub address: EmailAddress,
    /// What customers see in From: (`Example Support`).
    pub display_name: String,
    pub signature: String,
    /// Every reply from this inbox waits for a supervisor's approval (承認).
    pub requires_approval: bool,
    /// The reply template sent automatically when a customer starts a ticket.
    pub auto_reply: Option<String>,
}

/// Names appear in URLs, CLI flags and env variable names, so keep them plain.
pub fn validate_name(name: &str) -> Result<(), crate::DomainError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(crate::DomainError::InvalidName(
            name.to_string(),
            "use 1-64 letters, digits, - or _",
        ))
    }
}
