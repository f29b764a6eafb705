//! One ticket with everything the ticket view shows: inbox, customer, assignee, labels, the
//! thread in order, and the audit trail.

use hako_domain::{
    Action, Actor, Agent, AgentId, Attachment, Contact, ContentHash, Direction, Event, EventId,
    Inbox, Label, Message, MessageId, Participant, Ticket, TicketId, TicketNumber,
};
use rusqlite::{Connection, Row};
use serde::Serialize;

use super::load_ticket;
use crate::codec::{bad_value, from_json, from_ms, opt_from_ms};
use crate::ops::number_of;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub inbox: Inbox,
    pub contact: Contact,
    pub assignee: Option<Agent>,
    pub labels: Vec<Label>,
    pub messages: Vec<Message>,
    /// Each event with the email of the agent who made it (`None` for the system).
    pub events: Vec<(Event, Option<String>)>,
    pub merged_into: Option<TicketNumber>,
    pub split_from: Option<TicketNumber>,
}

fn message_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let from = r
        .get::<_, Option<String>>(7)?
        .map(|address| -> rusqlite::Result<Participant> {
            Ok(Participant {
                name: r.get(6)?,
                address,
            })
        })
        .transpose()?;
    Ok(Message {
        id: MessageId(r.get(0)?),
        ticket: TicketId(r.get(1)?),
        direction: Direction::parse(&r.get::<_, String>(2)?)
            .ok_or_else(|| bad_value(2, "unknown direction"))?,
        raw: r.get::<_, Option<String>>(3)?.map(ContentHash::from_hex),
        message_id: r.get(4)?,
        in_reply_to: from_json(5, &r.get::<_, String>(5)?)?,
        references: from_json(8, &r.get::<_, String>(8)?)?,
        from,
        to: from_json(9, &r.get::<_, String>(9)?)?,
        cc: from_json(10, &r.get::<_, String>(10)?)?,
        date: opt_from_ms(r.get(11)?),
        subject: r.get(12)?,
        text: r.get(13)?,
        html: r.get(14)?,
        attachments: from_json::<Vec<Attachment>>(15, &r.get::<_, String>(15)?)?,
        author: r.get::<_, Option<i64>>(16)?.map(AgentId),
        created_at: from_ms(r.get(17)?),
    })
}

pub(crate) fn messages_of(conn: &Connection, ticket: TicketId) -> Result<Vec<Message>> {
    let mut st = conn
        .prepare_cached(
            "SELECT id, ticket_id, direction, raw_hash, message_id, in_reply_to, from_name,
                    from_address, refs, to_json, cc_json, date, subject, body_text, body_html,
                    attachments_json, author_id, created_at
             FROM messages WHERE ticket_id = ?1 ORDER BY received_at, id",
        )
        .map_err(StoreError::sql("read messages"))?;
    st.query_map([ticket.0], message_row)
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("read messages"))
}

fn events_of(conn: &Connection, ticket: TicketId) -> Result<Vec<(Event, Option<String>)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT e.id, e.actor_kind, e.actor_id, e.action, e.before, e.after, e.at, a.email
             FROM events e LEFT JOIN agents a ON a.id = e.actor_id
             WHERE e.ticket_id = ?1 ORDER BY e.id",
        )
        .map_err(StoreError::sql("read the audit trail"))?;
    st.query_map([ticket.0], |r| {
        let actor = match (r.get::<_, String>(1)?.as_str(), r.get::<_, Option<i64>>(2)?) {
            ("agent", Some(id)) => Actor::Agent(AgentId(id)),
            _ => Actor::System,
        };
        Ok((
            Event {
                id: EventId(r.get(0)?),
                ticket: Some(ticket),
                actor,
                action: Action::parse(&r.get::<_, String>(3)?)
                    .ok_or_else(|| bad_value(3, "unknown action"))?,
                before: r.get(4)?,
                after: r.get(5)?,
                at: from_ms(r.get(6)?),
            },
            r.get(7)?,
        ))
    })
    .and_then(|rows| rows.collect())
    .map_err(StoreError::sql("read the audit trail"))
}

impl Store {
    /// Everything about one ticket. A merged ticket is returned as it is (a pointer with no
    /// messages), with `merged_into` set so callers can redirect.
    pub fn ticket_detail(&self, number: TicketNumber) -> Result<TicketDetail> {
        let conn = self.read();
        let ticket = load_ticket(conn, number)?;
        let inbox = self
            .inboxes()?
            .into_iter()
            .find(|i| i.id == ticket.inbox)
            .ok_or_else(|| StoreError::not_found(format!("inbox of ticket {number}")))?;
        let labels = self
            .labels()?
            .into_iter()
            .filter(|l| ticket.labels.contains(&l.id))
            .collect();
        Ok(TicketDetail {
            contact: self.contact(ticket.contact)?,
            assignee: ticket.assignee.map(|a| self.agent(a)).transpose()?,
            messages: messages_of(conn, ticket.id)?,
            events: events_of(conn, ticket.id)?,
            merged_into: ticket.merged_into.map(|t| number_of(conn, t)).transpose()?,
            split_from: ticket
                .split_from
                .map(|s| number_of(conn, s.ticket))
                .transpose()?,
            inbox,
            labels,
            ticket,
        })
    }
}
