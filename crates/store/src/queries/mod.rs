//! Read queries for the inbox view, the ticket view, counts and the per-agent load. Every
//! list takes the set of inboxes the asker may see and never returns anything outside it.

mod audit;
mod board;
#[cfg(test)]
mod compiled;
mod detail;
mod history;
mod list;

pub use audit::AuditEntry;
pub use board::{UnassignedCount, WaitingTicket};
pub use detail::TicketDetail;
pub use history::{History, HistoryEntry, HistoryOf};
pub(crate) use list::json_ids;
pub use list::{
    AgentLoad, AssigneeFilter, InboxCount, Page, Sort, TicketFilter, TicketPage, TicketSummary,
};

use hako_domain::ticket::SplitOrigin;
use hako_domain::{
    AgentId, Channel, ContactId, InboxId, LabelId, MessageId, Ticket, TicketId, TicketNumber,
};
use rusqlite::{Connection, OptionalExtension, Row};

use crate::codec::{self, from_ms, opt_from_ms};
use crate::{Result, StoreError};

const TICKET_COLS: &str = "id, number, inbox_id, subject, contact_id, status, pending_reason,
    snoozed_until, assignee_id, channel, created_at, updated_at, last_activity_at,
    last_customer_message_at, waiting_since, first_response_at, merged_into,
    split_from_ticket, split_from_message, version";

fn ticket_row(r: &Row<'_>) -> rusqlite::Result<Ticket> {
    let split_from = match (r.get::<_, Option<i64>>(17)?, r.get::<_, Option<i64>>(18)?) {
        (Some(t), Some(m)) => Some(SplitOrigin {
            ticket: TicketId(t),
            message: MessageId(m),
        }),
        _ => None,
    };
    Ok(Ticket {
        id: TicketId(r.get(0)?),
        number: TicketNumber(r.get(1)?),
        inbox: InboxId(r.get(2)?),
        subject: r.get(3)?,
        contact: ContactId(r.get(4)?),
        status: codec::status(5, &r.get::<_, String>(5)?, r.get(6)?, r.get(7)?)?,
        assignee: r.get::<_, Option<i64>>(8)?.map(AgentId),
        labels: vec![],
        channel: Channel::parse(&r.get::<_, String>(9)?)
            .map_err(|_| codec::bad_value(9, "unknown channel"))?,
        created_at: from_ms(r.get(10)?),
        updated_at: from_ms(r.get(11)?),
        last_activity_at: from_ms(r.get(12)?),
        last_customer_message_at: opt_from_ms(r.get(13)?),
        waiting_since: opt_from_ms(r.get(14)?),
        first_response_at: opt_from_ms(r.get(15)?),
        merged_into: r.get::<_, Option<i64>>(16)?.map(TicketId),
        split_from,
        version: r.get(19)?,
    })
}

fn with_labels(conn: &Connection, mut t: Ticket) -> Result<Ticket> {
    let mut st = conn
        .prepare_cached(
            "SELECT tl.label_id FROM ticket_labels tl JOIN labels l ON l.id = tl.label_id
             WHERE tl.ticket_id = ?1 ORDER BY l.name",
        )
        .map_err(StoreError::sql("read ticket labels"))?;
    t.labels = st
        .query_map([t.id.0], |r| Ok(LabelId(r.get(0)?)))
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("read ticket labels"))?;
    Ok(t)
}

/// A ticket by its number, merged or not.
pub(crate) fn load_ticket(conn: &Connection, number: TicketNumber) -> Result<Ticket> {
    let t = conn
        .prepare_cached(&format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE number = ?1"
        ))
        .and_then(|mut st| st.query_row([number.0], ticket_row).optional())
        .map_err(StoreError::sql("read a ticket"))?
        .ok_or_else(|| StoreError::not_found(format!("ticket {number}")))?;
    with_labels(conn, t)
}

pub(crate) fn load_ticket_by_id(conn: &Connection, id: TicketId) -> Result<Ticket> {
    let t = conn
        .prepare_cached(&format!("SELECT {TICKET_COLS} FROM tickets WHERE id = ?1"))
        .and_then(|mut st| st.query_row([id.0], ticket_row).optional())
        .map_err(StoreError::sql("read a ticket"))?
        .ok_or_else(|| StoreError::not_found(format!("ticket id {id}")))?;
    with_labels(conn, t)
}

/// A ticket's message ids in thread order: when they reached us, then insertion order.
pub(crate) fn thread_ids(conn: &Connection, ticket: TicketId) -> Result<Vec<MessageId>> {
    let mut st = conn
        .prepare_cached("SELECT id FROM messages WHERE ticket_id = ?1 ORDER BY received_at, id")
        .map_err(StoreError::sql("read a thread"))?;
    st.query_map([ticket.0], |r| Ok(MessageId(r.get(0)?)))
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("read a thread"))
}

impl crate::Store {
    pub fn ticket(&self, number: TicketNumber) -> Result<Ticket> {
        load_ticket(self.read(), number)
    }
}
