//! The store's unit tests' shared set-up: an inbox and an agent made the way the CLI and
//! the settings make them (the integration tests have their own in `tests/common`).

use hako_domain::{Actor, Agent, EmailAddress, Inbox, InboxId, Role};

use crate::{NewAgent, NewInbox, Store};

/// Inbox `name` at `name@example.test`.
pub(crate) fn inbox(s: &mut Store, name: &str) -> Inbox {
    s.sync_inbox(&NewInbox {
        name: name.into(),
        address: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
        display_name: name.into(),
        signature: String::new(),
        requires_approval: false,
        auto_reply: None,
    })
    .unwrap()
}

/// Agent `name` at `<name in lower case>@example.test`, without a password.
pub(crate) fn agent(s: &mut Store, name: &str, role: Role, inboxes: Vec<InboxId>) -> Agent {
    s.add_agent(
        Actor::System,
        &NewAgent {
            name: name.into(),
            email: EmailAddress::parse(&format!("{}@example.test", name.to_lowercase())).unwrap(),
            role,
            colour: None,
            inboxes,
            password: None,
            can_send: true,
        },
    )
    .unwrap()
}
