//! Shared set-up for the store's integration tests: an in-memory store with a movable clock,
//! two inboxes and one agent.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use hako_domain::{
    Actor, Channel, Direction, EmailAddress, InboxId, Participant, Role, Status, TicketNumber,
};
use hako_store::{CustomerRef, NewAgent, NewInbox, NewMessage, NewTicket, Store};
use std::sync::{Arc, Mutex};

pub struct Env {
    pub store: Store,
    pub now: Arc<Mutex<DateTime<Utc>>>,
    pub support: InboxId,
    pub info: InboxId,
}

impl Env {
    pub fn new() -> Env {
        let mut store = Store::open_in_memory().unwrap();
        let now = Arc::new(Mutex::new(DateTime::<Utc>::UNIX_EPOCH));
        let n = now.clone();
        store.set_clock(Arc::new(move || *n.lock().unwrap()));
        let mut inbox = |name: &str| {
            store
                .sync_inbox(&NewInbox {
                    name: name.into(),
                    address: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
                    display_name: name.into(),
                    signature: String::new(),
                })
                .unwrap()
                .id
        };
        let (support, info) = (inbox("support"), inbox("info"));
        store
            .add_agent(&NewAgent {
                name: "sato".into(),
                email: EmailAddress::parse("sato@example.test").unwrap(),
                role: Role::Supervisor,
                colour: None,
                inboxes: vec![],
                password: None,
                can_send: true,
            })
            .unwrap();
        Env {
            store,
            now,
            support,
            info,
        }
    }

    pub fn at(&self, rfc3339: &str) {
        *self.now.lock().unwrap() = DateTime::parse_from_rfc3339(rfc3339).unwrap().into();
    }

    pub fn ticket(&mut self, inbox: InboxId, customer: &str) -> TicketNumber {
        let address = EmailAddress::parse(customer).unwrap();
        let from = Participant {
            name: None,
            address: customer.into(),
        };
        self.store
            .create_ticket(
                Actor::System,
                &NewTicket {
                    inbox,
                    customer: CustomerRef {
                        address: Some(address),
                        name: None,
                    },
                    subject: "お問い合わせ".into(),
                    channel: Channel::Email,
                    message: NewMessage::text(Direction::Incoming, Some(from), "s", "本文"),
                    assignee: None,
                    labels: vec![],
                    status: Status::Open,
                },
            )
            .unwrap()
            .number
    }
}
