//! Shared set-up for the store's integration tests: an in-memory store with a movable clock,
//! two inboxes (`support`, `info`) and three agents (sato in support, suzuki in both, boss a
//! supervisor).

#![allow(dead_code)]

use chrono::{Duration, TimeZone, Utc};
use hako_domain::{
    Actor, Channel, Direction, EmailAddress, InboxId, Participant, Role, Status, TicketNumber,
    Timestamp,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use hako_domain::threading::ThreadingPolicy;
use hako_store::ingest::{Content, IncomingMail, Outcome, ParsedMail, Source};
use hako_store::{CustomerRef, Expect, NewAgent, NewInbox, NewMessage, NewTicket, Store};

pub struct Fixture {
    pub store: Store,
    pub now: Arc<Mutex<Timestamp>>,
    pub support: InboxId,
    pub info: InboxId,
    pub sato: hako_domain::AgentId,
    pub suzuki: hako_domain::AgentId,
    pub boss: hako_domain::AgentId,
}

pub fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap()
}

impl Fixture {
    pub fn new() -> Fixture {
        Self::on(Store::open_in_memory().unwrap())
    }

    pub fn on(mut store: Store) -> Fixture {
        let now = Arc::new(Mutex::new(t0()));
        let n = now.clone();
        store.set_clock(Arc::new(move || *n.lock().unwrap()));
        let inbox = |store: &mut Store, name: &str| {
            store
                .sync_inbox(&NewInbox {
                    name: name.into(),
                    address: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
                    display_name: name.into(),
                    signature: String::new(),
                    requires_approval: false,
                    auto_reply: None,
                })
                .unwrap()
                .id
        };
        let support = inbox(&mut store, "support");
        let info = inbox(&mut store, "info");
        let agent = |store: &mut Store, name: &str, role, inboxes: Vec<InboxId>| {
            store
                .add_agent(
                    Actor::System,
                    &NewAgent {
                        name: name.into(),
                        email: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
                        role,
                        colour: None,
                        inboxes,
                        password: None,
                        can_send: true,
                    },
                )
                .unwrap()
                .id
        };
        let sato = agent(&mut store, "sato", Role::Agent, vec![support]);
        let suzuki = agent(&mut store, "suzuki", Role::Agent, vec![support, info]);
        let boss = agent(&mut store, "boss", Role::Supervisor, vec![]);
        Fixture {
            store,
            now,
            support,
            info,
            sato,
            suzuki,
            boss,
        }
    }

    /// Sets the clock to an RFC 3339 time.
    pub fn at(&self, rfc3339: &str) {
        *self.now.lock().unwrap() = chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .into();
    }

    pub fn advance(&self, d: Duration) {
        *self.now.lock().unwrap() += d;
    }

    pub fn ticket(&mut self, inbox: InboxId, customer: &str, subject: &str) -> TicketNumber {
        self.store
            .create_ticket(Actor::System, &new_ticket(inbox, customer, subject))
            .unwrap()
            .number
    }

    pub fn incoming(&mut self, n: TicketNumber, text: &str) -> hako_domain::MessageId {
        self.advance(Duration::minutes(1));
        let from = Some(Participant {
            name: None,
            address: "taro@customer.test".into(),
        });
        self.store
            .add_message(
                Actor::System,
                n,
                &NewMessage::text(Direction::Incoming, from, text, text),
                Expect::Any,
            )
            .unwrap()
    }

    /// Ingests a batch of mail in one transaction, as a sync pass would.
    pub fn ingest(&mut self, mails: Vec<IncomingMail>) -> Vec<Outcome> {
        self.store
            .ingest(&mails, &ThreadingPolicy::default())
            .unwrap()
    }

    /// Ingests one mail that must start a new ticket; returns its number.
    pub fn ingest_new(&mut self, mail: IncomingMail) -> TicketNumber {
        match self.ingest(vec![mail]).remove(0) {
            Outcome::Created { ticket, .. } => ticket,
            other => panic!("expected a new ticket, got {other:?}"),
        }
    }

    pub fn reply(&mut self, n: TicketNumber, text: &str) -> hako_domain::MessageId {
        self.advance(Duration::minutes(1));
        let mut m = NewMessage::text(Direction::Outgoing, None, "Re", text);
        m.author = Some(self.sato);
        self.store
            .add_message(Actor::Agent(self.sato), n, &m, Expect::Any)
            .unwrap()
    }
}

pub fn new_ticket(inbox: InboxId, customer: &str, subject: &str) -> NewTicket {
    let address = EmailAddress::parse(customer).unwrap();
    NewTicket {
        inbox,
        customer: CustomerRef {
            address: Some(address.clone()),
            name: None,
        },
        subject: subject.into(),
        channel: Channel::Email,
        message: NewMessage::text(
            Direction::Incoming,
            Some(Participant {
                name: None,
                address: address.to_string(),
            }),
            subject,
            "本文",
        ),
        assignee: None,
        labels: vec![],
        status: Status::Open,
    }
}

/// A person's mail to support@, as the parser hands it to ingest (fetched now, not old mail).
/// Every call gets its own Message-ID, so no two are duplicates.
pub fn mail(from: &str, subject: &str, body: &str) -> IncomingMail {
    mail_to("support@example.test", from, subject, body)
}

/// [`mail`] to another of our addresses (the inbox follows the first of ours in To).
pub fn mail_to(to: &str, from: &str, subject: &str, body: &str) -> IncomingMail {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let p = |a: &str| Participant {
        name: None,
        address: a.into(),
    };
    let id = format!("m{n}@customer.test");
    let mut m = NewMessage::text(Direction::Incoming, Some(p(from)), subject, body);
    m.message_id = Some(id.clone());
    m.to = vec![p(to)];
    m.dedupe_key = Some(format!("{id}/body"));
    IncomingMail {
        source: Source::Import {
            label: format!("test {n}"),
        },
        inbox: InboxId(1),
        raw: format!("Message-ID: <{id}>\r\n\r\n{body}").into_bytes(),
        received_at: t0(),
        content: Content::Parsed(Box::new(ParsedMail {
            message: m,
            sender: Some(from.to_lowercase()),
            sender_name: None,
            normalized_subject: subject.to_lowercase(),
            ticket_tags: vec![],
            recipients: vec![to.to_lowercase()],
        })),
    }
}

/// Changes the parsed message of a mail built by [`mail`] (automatic, imported, …).
pub fn with_message(mut mail: IncomingMail, f: impl FnOnce(&mut NewMessage)) -> IncomingMail {
    if let Content::Parsed(p) = &mut mail.content {
        f(&mut p.message);
    }
    mail
}
