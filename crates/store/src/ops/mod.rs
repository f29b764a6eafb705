//! Write operations on tickets. Each public operation is one transaction that changes the
//! ticket, bumps its version and writes one audit event per change, so the log can never
//! disagree with the data.

pub(crate) mod change;
pub(crate) mod create;
pub(crate) mod message;
mod split;

pub use change::Change;
pub use create::{CustomerRef, NewTicket};
pub use message::NewMessage;

use hako_domain::{Action, Actor, Ticket, TicketId, TicketNumber, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::ms;
use crate::queries::load_ticket;
use crate::{Result, StoreError};

/// What the caller believes the ticket's version is. The web UI passes the version it
/// rendered; scripts that mean "whatever it is now" pass `Any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Any,
    Version(i64),
}

/// Loads a ticket for changing: it must exist, must not be merged away, and must still be at
/// the version the caller saw.
pub(crate) fn ticket_for_change(
    conn: &Connection,
    number: TicketNumber,
    expect: Expect,
) -> Result<Ticket> {
    let t = load_ticket(conn, number)?;
    if let Some(into) = t.merged_into {
        let into = number_of(conn, into)?;
        return Err(StoreError::Merged {
            ticket: number,
            into,
        });
    }
    if let Expect::Version(v) = expect
        && v != t.version
    {
        return Err(StoreError::Conflict {
            ticket: number,
            expected: v,
            actual: t.version,
            by: last_actor(conn, t.id)?,
        });
    }
    Ok(t)
}

pub(crate) fn number_of(conn: &Connection, id: TicketId) -> Result<TicketNumber> {
    conn.query_row("SELECT number FROM tickets WHERE id = ?1", [id.0], |r| {
        Ok(TicketNumber(r.get(0)?))
    })
    .map_err(StoreError::sql("read a ticket number"))
}

/// Who made the latest change, for conflict messages ("changed by sato@example.test").
fn last_actor(conn: &Connection, ticket: TicketId) -> Result<String> {
    let who: Option<Option<String>> = conn
        .query_row(
            "SELECT a.email FROM events e LEFT JOIN agents a ON a.id = e.actor_id
             WHERE e.ticket_id = ?1 ORDER BY e.id DESC LIMIT 1",
            [ticket.0],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::sql("read the last change"))?;
    Ok(who.flatten().unwrap_or_else(|| "the system".to_string()))
}

/// Marks a ticket changed: a new version and `updated_at`, and queues it for the search
/// index in the same transaction (the index is derived data; see migration 0003).
pub(crate) fn bump(conn: &Connection, ticket: TicketId, now: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET version = version + 1, updated_at = ?2 WHERE id = ?1",
        params![ticket.0, ms(now)],
    )
    .map_err(StoreError::sql("bump a ticket version"))?;
    conn.execute(
        "INSERT INTO index_queue (ticket_id, at) VALUES (?1, ?2)",
        params![ticket.0, ms(now)],
    )
    .map_err(StoreError::sql("queue a ticket for the search index"))?;
    Ok(())
}

pub(crate) struct EventRecord<'a> {
    pub ticket: Option<TicketId>,
    pub actor: Actor,
    pub action: Action,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

pub(crate) fn record(conn: &Connection, e: EventRecord<'_>, now: Timestamp) -> Result<()> {
    let (kind, id) = match e.actor {
        Actor::Agent(a) => ("agent", Some(a.0)),
        Actor::System => ("system", None),
    };
    conn.execute(
        "INSERT INTO events (ticket_id, actor_kind, actor_id, action, before, after, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.ticket.map(|t| t.0),
            kind,
            id,
            e.action.as_str(),
            e.before,
            e.after,
            ms(now)
        ],
    )
    .map_err(StoreError::sql("write an audit event"))?;
    Ok(())
}

/// Recomputes the times derived from a ticket's messages after messages arrive or move:
/// last activity, the customer's last message, since when they wait for us (their first
/// message after our last reply), and our first response.
pub(crate) fn recompute_timeline(conn: &Connection, ticket: TicketId) -> Result<()> {
    conn.execute(
        "UPDATE tickets SET
           last_activity_at = COALESCE(
             (SELECT MAX(received_at) FROM messages WHERE ticket_id = ?1), created_at),
           last_customer_message_at = (SELECT MAX(received_at) FROM messages
             WHERE ticket_id = ?1 AND direction = 'incoming'),
           first_response_at = (SELECT MIN(received_at) FROM messages
             WHERE ticket_id = ?1 AND direction = 'outgoing'),
           waiting_since = (SELECT MIN(received_at) FROM messages
             WHERE ticket_id = ?1 AND direction = 'incoming'
               AND received_at > COALESCE((SELECT MAX(received_at) FROM messages
                   WHERE ticket_id = ?1 AND direction = 'outgoing'), -1))
         WHERE id = ?1",
        [ticket.0],
    )
    .map_err(StoreError::sql("recompute a ticket's timeline"))?;
    Ok(())
}
