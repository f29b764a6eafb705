//! The audit log across the whole team, newest first: ticket changes and team changes
//! (inboxes, users, passwords, labels, contacts), for admins.

use hako_domain::{Action, Actor, AgentId, Event, EventId, TicketId, TicketNumber};
use serde::Serialize;

use crate::codec::{bad_value, from_ms};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    #[serde(flatten)]
    pub event: Event,
    /// The ticket's number, for ticket events.
    pub number: Option<TicketNumber>,
    /// The acting agent's email; `None` for the system.
    pub actor_email: Option<String>,
}

impl Store {
    /// The newest `limit` events, all tickets and team changes together.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.audit_log_before(None, limit)
    }

    /// The newest `limit` events older than event `before` (all of them without it): the
    /// pages of the web UI's audit log.
    pub fn audit_log_before(&self, before: Option<EventId>, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut st = self
            .read()
            .prepare_cached(
                "SELECT e.id, e.ticket_id, e.actor_kind, e.actor_id, e.action, e.before, e.after,
                        e.at, t.number, a.email
                 FROM events e
                 LEFT JOIN tickets t ON t.id = e.ticket_id
                 LEFT JOIN agents a ON a.id = e.actor_id
                 WHERE e.id < ?2
                 ORDER BY e.id DESC LIMIT ?1",
            )
            .map_err(StoreError::sql("read the audit log"))?;
        let before = before.map_or(i64::MAX, |e| e.0);
        st.query_map(rusqlite::params![limit, before], |r| {
            let actor = match (r.get::<_, String>(2)?.as_str(), r.get::<_, Option<i64>>(3)?) {
                ("agent", Some(id)) => Actor::Agent(AgentId(id)),
                _ => Actor::System,
            };
            Ok(AuditEntry {
                event: Event {
                    id: EventId(r.get(0)?),
                    ticket: r.get::<_, Option<i64>>(1)?.map(TicketId),
                    actor,
                    action: Action::parse(&r.get::<_, String>(4)?)
                        .ok_or_else(|| bad_value(4, "unknown action"))?,
                    before: r.get(5)?,
                    after: r.get(6)?,
                    at: from_ms(r.get(7)?),
                },
                number: r.get::<_, Option<i64>>(8)?.map(TicketNumber),
                actor_email: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("read the audit log"))
    }
}
