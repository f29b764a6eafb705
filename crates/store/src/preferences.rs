//! What each agent chose for themselves in the web UI — language and timezone — and when they
//! last looked at each ticket, so the inbox view can mark tickets with new activity.

use hako_domain::{AgentId, TicketNumber, Timestamp};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

use crate::codec::{from_ms, ms};
use crate::queries::json_ids;
use crate::{Result, Store, StoreError};

/// An agent's own settings; `None` means "not chosen" (the browser's language, the team's
/// timezone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    pub language: Option<String>,
    pub timezone: Option<String>,
}

impl Store {
    pub fn preferences(&self, agent: AgentId) -> Result<Preferences> {
        self.read()
            .prepare_cached("SELECT language, timezone FROM agents WHERE id = ?1")
            .and_then(|mut st| {
                st.query_row([agent.0], |r| {
                    Ok(Preferences {
                        language: r.get(0)?,
                        timezone: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(StoreError::sql("read preferences"))?
            .ok_or_else(|| StoreError::not_found(format!("user {agent}")))
    }

    /// Saves the agent's choices (the web layer validates the values).
    pub fn set_preferences(&mut self, agent: AgentId, p: &Preferences) -> Result<()> {
        self.write(|tx, _| {
            let n = tx
                .execute(
                    "UPDATE agents SET language = ?2, timezone = ?3 WHERE id = ?1",
                    params![agent.0, p.language, p.timezone],
                )
                .map_err(StoreError::sql("save preferences"))?;
            if n == 0 {
                return Err(StoreError::not_found(format!("user {agent}")));
            }
            Ok(())
        })
    }

    /// Records that the agent has just seen the ticket.
    pub fn mark_viewed(&mut self, agent: AgentId, number: TicketNumber) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO ticket_views (agent_id, ticket_id, viewed_at)
                 SELECT ?1, id, ?3 FROM tickets WHERE number = ?2
                 ON CONFLICT (agent_id, ticket_id) DO UPDATE SET viewed_at = excluded.viewed_at",
                params![agent.0, number.0, ms(now)],
            )
            .map_err(StoreError::sql("record a ticket view"))?;
            Ok(())
        })
    }

    /// When the agent last saw each of these tickets (tickets never seen are absent).
    pub fn viewed(
        &self,
        agent: AgentId,
        numbers: &[TicketNumber],
    ) -> Result<HashMap<TicketNumber, Timestamp>> {
        if numbers.is_empty() {
            return Ok(HashMap::new());
        }
        let numbers: Vec<i64> = numbers.iter().map(|n| n.0).collect();
        // The numbers go in as a JSON array, so one statement serves any page; the agent's id
        // as a literal, so the statement is not compiled again at each use (see `list`).
        // Led by the numbers (CROSS JOIN keeps the order): two index probes per ticket of
        // the page, however many tickets the agent has viewed over the years. (SQLite's own
        // plan walked all of the agent's views.)
        self.read()
            .prepare_cached(&format!(
                "SELECT t.number, v.viewed_at FROM json_each(?1) j
                 CROSS JOIN tickets t ON t.number = j.value
                 CROSS JOIN ticket_views v ON v.agent_id = {} AND v.ticket_id = t.id",
                agent.0
            ))
            .and_then(|mut st| {
                st.query_map([json_ids(&numbers)], |r| {
                    Ok((TicketNumber(r.get(0)?), from_ms(r.get(1)?)))
                })?
                .collect()
            })
            .map_err(StoreError::sql("read ticket views"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{agent, inbox};
    use crate::{CustomerRef, NewMessage, NewTicket};
    use hako_domain::{Actor, Channel, Direction, Role, Status};

    #[test]
    fn preferences_and_ticket_views_round_trip() {
        let mut s = Store::open_in_memory().unwrap();
        let inbox = inbox(&mut s, "support");
        let a = agent(&mut s, "Sato", Role::Agent, vec![inbox.id]);
        assert_eq!(s.preferences(a.id).unwrap(), Preferences::default());
        let p = Preferences {
            language: Some("ja".into()),
            timezone: Some("Asia/Tokyo".into()),
        };
        s.set_preferences(a.id, &p).unwrap();
        assert_eq!(s.preferences(a.id).unwrap(), p);
        let t = s
            .create_ticket(
                Actor::System,
                &NewTicket {
                    inbox: inbox.id,
                    customer: CustomerRef {
                        address: None,
                        name: Some("鈴木様".into()),
                    },
                    subject: "電話".into(),
                    channel: Channel::Phone,
                    message: NewMessage::text(Direction::Incoming, None, "電話", "折り返し"),
                    assignee: None,
                    labels: vec![],
                    status: Status::Open,
                },
            )
            .unwrap();
        assert!(s.viewed(a.id, &[t.number]).unwrap().is_empty());
        s.mark_viewed(a.id, t.number).unwrap();
        s.mark_viewed(a.id, t.number).unwrap();
        assert_eq!(s.viewed(a.id, &[t.number]).unwrap().len(), 1);
    }
}
