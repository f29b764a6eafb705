//! Agents: the team members who hold tickets, with a role that decides what they may see.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AgentId, Colour, DomainError, EmailAddress, InboxId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works the tickets of the inboxes they belong to.
    Agent,
    /// Also sees every inbox, the board and reports, approves replies.
    Supervisor,
    /// Also sets the team up.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_lowercase().as_str() {
            "agent" => Ok(Role::Agent),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            _ => Err(DomainError::UnknownRole(s.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    pub name: String,
    pub email: EmailAddress,
    pub role: Role,
    pub colour: Colour,
    /// Inboxes this agent belongs to (supervisors and admins see all inboxes regardless).
    pub inboxes: Vec<InboxId>,
    /// Deactivated agents keep their history but cannot sign in or be assigned.
    pub active: bool,
    /// False for agents whose replies must be approved before they go out.
    pub can_send: bool,
    /// Away (holiday, sick, off shift): still works their tickets if they like, but automatic
    /// assignment passes them by.
    #[serde(default)]
    pub away: bool,
}

impl Agent {
    /// The visibility rule every query and page applies.
    pub fn may_see(&self, inbox: InboxId) -> bool {
        matches!(self.role, Role::Supervisor | Role::Admin) || self.inboxes.contains(&inbox)
    }

    /// `None` means every inbox; otherwise the inboxes this agent may see.
    pub fn visible_inboxes(&self) -> Option<&[InboxId]> {
        match self.role {
            Role::Supervisor | Role::Admin => None,
            Role::Agent => Some(&self.inboxes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(role: Role) -> Agent {
        Agent {
            id: AgentId(1),
            name: "Sato".into(),
            email: EmailAddress::parse("sato@example.test").unwrap(),
            role,
            colour: Colour::nth_default(0),
            inboxes: vec![InboxId(1)],
            active: true,
            can_send: true,
            away: false,
        }
    }

    #[test]
    fn agents_see_their_inboxes_supervisors_see_all() {
        assert!(agent(Role::Agent).may_see(InboxId(1)));
        assert!(!agent(Role::Agent).may_see(InboxId(2)));
        assert!(agent(Role::Supervisor).may_see(InboxId(2)));
        assert!(agent(Role::Admin).may_see(InboxId(2)));
        assert_eq!(Role::parse("Admin").unwrap(), Role::Admin);
        assert!(Role::parse("root").is_err());
    }
}
