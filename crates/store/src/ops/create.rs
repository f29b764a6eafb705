//! Creating a ticket: by ingest for a new conversation, or by hand for a phone call or a LINE
//! message, so every inquiry is counted and answered in one place.

use hako_domain::{
    Action, Actor, AgentId, Channel, ContactId, EmailAddress, InboxId, LabelId, MessageId, Status,
    Ticket, TicketId, TicketNumber, Timestamp,
};
use rusqlite::{Connection, params};

use super::change::{Change, apply_in_tx};
use super::message::{NewMessage, add_in_tx};
use super::{EventRecord, record};
use crate::assignment::auto_assign_in_tx;
use crate::codec::ms;
use crate::directory::find_or_create_contact;
use crate::queries::load_ticket_by_id;
use crate::{Result, Store, StoreError};

/// Who the ticket is with: an address, a name, or both (a phone caller may give only a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRef {
    pub address: Option<EmailAddress>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub inbox: InboxId,
    pub customer: CustomerRef,
    pub subject: String,
    pub channel: Channel,
    /// The first message: the customer's mail, or the agent's record of the call.
    pub message: NewMessage,
    pub assignee: Option<AgentId>,
    pub labels: Vec<LabelId>,
    pub status: Status,
}

/// The row-level facts of a new ticket, shared by creation and split.
pub(crate) struct TicketSpec<'a> {
    pub inbox: InboxId,
    pub contact: ContactId,
    pub subject: &'a str,
    pub channel: Channel,
    pub split_from: Option<(TicketId, MessageId)>,
    /// The first message's normalised subject (ingest's same-subject rule).
    pub thread_subject: Option<&'a str>,
    /// The old closed ticket a late reply came to.
    pub linked_to: Option<TicketId>,
}

impl Store {
    pub fn create_ticket(&mut self, actor: Actor, new: &NewTicket) -> Result<Ticket> {
        if new.customer.address.is_none()
            && new.customer.name.as_deref().unwrap_or("").trim().is_empty()
        {
            return Err(StoreError::invalid(
                "new ticket",
                "needs a customer address or name",
            ));
        }
        self.write(|tx, now| {
            let contact = find_or_create_contact(
                tx,
                new.customer.address.as_ref(),
                new.customer.name.as_deref(),
                now,
            )?;
            let spec = TicketSpec {
                inbox: new.inbox,
                contact,
                subject: &new.subject,
                channel: new.channel,
                split_from: None,
                thread_subject: None,
                linked_to: None,
            };
            let id = create_in_tx(tx, actor, &spec, now)?;
            add_in_tx(tx, actor, &load_ticket_by_id(tx, id)?, &new.message, now)?;
            let mut changes: Vec<Change> =
                new.labels.iter().map(|l| Change::AddLabel(*l)).collect();
            if let Some(a) = new.assignee {
                changes.push(Change::Assign(Some(a)));
            }
            if new.status != Status::Open {
                changes.push(Change::SetStatus(new.status.clone()));
            }
            for c in &changes {
                apply_in_tx(tx, actor, &load_ticket_by_id(tx, id)?, c, now)?;
            }
            // Nobody named: the inbox's strategy picks, as for a new mail. Rules are not run:
            // they look at mail, and whoever records a call has read it.
            let t = load_ticket_by_id(tx, id)?;
            if t.assignee.is_none() && t.status.kind().is_active() {
                auto_assign_in_tx(tx, &t, now)?;
            }
            load_ticket_by_id(tx, id)
        })
    }
}

/// Inserts the ticket row with the next number and writes its `created` event.
pub(crate) fn create_in_tx(
    tx: &Connection,
    actor: Actor,
    spec: &TicketSpec<'_>,
    now: Timestamp,
) -> Result<TicketId> {
    let number: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(number), ?1) + 1 FROM tickets",
            [TicketNumber::FIRST.0 - 1],
            |r| r.get(0),
        )
        .map_err(StoreError::sql("number a new ticket"))?;
    let subject = match spec.subject.trim() {
        "" => "(no subject)",
        s => s,
    };
    tx.execute(
        "INSERT INTO tickets (number, inbox_id, subject, contact_id, status, channel,
             created_at, updated_at, last_activity_at, split_from_ticket, split_from_message,
             thread_subject, linked_to)
         VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?6, ?6, ?7, ?8, ?9, ?10)",
        params![
            number,
            spec.inbox.0,
            subject,
            spec.contact.0,
            spec.channel.as_str(),
            ms(now),
            spec.split_from.map(|s| s.0.0),
            spec.split_from.map(|s| s.1.0),
            spec.thread_subject,
            spec.linked_to.map(|t| t.0),
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            StoreError::not_found(format!("inbox {}", spec.inbox))
        }
        _ => StoreError::Sql {
            context: "create a ticket",
            source: e,
        },
    })?;
    let id = TicketId(tx.last_insert_rowid());
    let created = format!("#{number} via {}", spec.channel);
    record(
        tx,
        EventRecord {
            ticket: Some(id),
            actor,
            action: Action::Created,
            before: None,
            after: Some(&created),
        },
        now,
    )?;
    Ok(id)
}
