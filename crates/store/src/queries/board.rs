//! The supervisor board's queries, beside [`Store::agent_load`]: open tickets nobody holds,
//! per inbox; the open tickets whose customer has waited since before a cutoff; and each
//! agent's longest-waiting open ticket. The board is for supervisors and admins, who see every
//! inbox, so these take no visibility list.
//!
//! Each one walks an index of migration 0001, never the whole tickets table (the tests check
//! SQLite's EXPLAIN QUERY PLAN with and without `ANALYZE` statistics).

use hako_domain::{AgentId, InboxId, TicketNumber, Timestamp};
use rusqlite::params;
use serde::Serialize;

use crate::codec::{from_ms, ms, opt_from_ms};
use crate::{Result, Store, StoreError};

/// Open tickets of one inbox that nobody holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnassignedCount {
    pub inbox: InboxId,
    pub name: String,
    pub display_name: String,
    pub open: u64,
    /// Since when the longest-waiting of them waits.
    pub oldest_waiting: Option<Timestamp>,
}

/// An open ticket whose customer waits for us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitingTicket {
    pub number: TicketNumber,
    pub inbox: String,
    pub subject: String,
    /// The customer's name, else their first address.
    pub customer: Option<String>,
    pub assignee: Option<AgentId>,
    pub waiting_since: Timestamp,
    pub version: i64,
}

/// Counted per inbox through `tickets_inbox_status_activity` (inbox, 'open'): only the open
/// tickets of each inbox are visited.
const UNASSIGNED: &str = "
    SELECT i.id, i.name, i.display_name, COUNT(t.id), MIN(t.waiting_since)
    FROM inboxes i
    LEFT JOIN tickets t
         ON t.inbox_id = i.id AND t.status = 'open' AND t.merged_into IS NULL
        AND t.assignee_id IS NULL
    GROUP BY i.id ORDER BY i.name";

/// `inbox_id IN (every inbox)` says nothing, but it lets SQLite walk the
/// (inbox, status, waiting_since) index range by range, without statistics or a skip-scan.
/// `INDEXED BY` because with `ANALYZE` statistics SQLite prefers (inbox, status,
/// last_activity_at) and reads every open ticket's row to check its waiting time.
const WAITING_FROM: &str = "tickets t INDEXED BY tickets_inbox_status_waiting";
const WAITING_WHERE: &str = "
    t.inbox_id IN (SELECT id FROM inboxes) AND t.status = 'open' AND t.merged_into IS NULL
    AND t.waiting_since < ?1";

const WAITING_COLS: &str = "
    t.number, i.name, t.subject,
    COALESCE(c.name, (SELECT address FROM contact_addresses ca WHERE ca.contact_id = t.contact_id
                      ORDER BY ca.created_at LIMIT 1)),
    t.assignee_id, t.waiting_since, t.version";

/// Per agent, through `tickets_assignee_status_activity` (agent, 'open').
const OLDEST_PER_AGENT: &str = "
    SELECT a.id,
        (SELECT t.id FROM tickets t
         WHERE t.assignee_id = a.id AND t.status = 'open' AND t.merged_into IS NULL
           AND t.waiting_since IS NOT NULL
         ORDER BY t.waiting_since, t.id LIMIT 1)
    FROM agents a WHERE a.active";

fn waiting_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WaitingTicket> {
    Ok(WaitingTicket {
        number: TicketNumber(r.get(0)?),
        inbox: r.get(1)?,
        subject: r.get(2)?,
        customer: r.get(3)?,
        assignee: r.get::<_, Option<i64>>(4)?.map(AgentId),
        waiting_since: from_ms(r.get(5)?),
        version: r.get(6)?,
    })
}

impl Store {
    /// Every inbox (also those with none) with its open, unassigned tickets.
    pub fn unassigned_per_inbox(&self) -> Result<Vec<UnassignedCount>> {
        self.read()
            .prepare_cached(UNASSIGNED)
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok(UnassignedCount {
                        inbox: InboxId(r.get(0)?),
                        name: r.get(1)?,
                        display_name: r.get(2)?,
                        open: r.get::<_, i64>(3)? as u64,
                        oldest_waiting: opt_from_ms(r.get(4)?),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("count unassigned tickets per inbox"))
    }

    /// Open tickets whose customer has waited since before `cutoff`, longest first: how many
    /// in all, and the first `limit`.
    pub fn waiting_before(
        &self,
        cutoff: Timestamp,
        limit: u32,
    ) -> Result<(u64, Vec<WaitingTicket>)> {
        let conn = self.read();
        let total: i64 = conn
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM {WAITING_FROM} WHERE {WAITING_WHERE}"
            ))
            .and_then(|mut st| st.query_row([ms(cutoff)], |r| r.get(0)))
            .map_err(StoreError::sql("count waiting tickets"))?;
        let items = conn
            .prepare_cached(&format!(
                "SELECT {WAITING_COLS} FROM {WAITING_FROM}
                 JOIN inboxes i ON i.id = t.inbox_id JOIN contacts c ON c.id = t.contact_id
                 WHERE {WAITING_WHERE} ORDER BY t.waiting_since, t.id LIMIT ?2"
            ))
            .and_then(|mut st| {
                st.query_map(params![ms(cutoff), limit], waiting_row)?
                    .collect()
            })
            .map_err(StoreError::sql("list waiting tickets"))?;
        Ok((total as u64, items))
    }

    /// Each active agent's open ticket whose customer has waited longest (agents with none
    /// are left out).
    pub fn oldest_waiting_per_agent(&self) -> Result<Vec<(AgentId, WaitingTicket)>> {
        let conn = self.read();
        let pairs: Vec<(i64, Option<i64>)> = conn
            .prepare_cached(OLDEST_PER_AGENT)
            .and_then(|mut st| st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(StoreError::sql("find each agent's oldest ticket"))?;
        let mut st = conn
            .prepare_cached(&format!(
                "SELECT {WAITING_COLS} FROM tickets t
                 JOIN inboxes i ON i.id = t.inbox_id JOIN contacts c ON c.id = t.contact_id
                 WHERE t.id = ?1"
            ))
            .map_err(StoreError::sql("read a waiting ticket"))?;
        pairs
            .into_iter()
            .filter_map(|(agent, ticket)| ticket.map(|t| (agent, t)))
            .map(|(agent, ticket)| {
                let t = st
                    .query_row([ticket], waiting_row)
                    .map_err(StoreError::sql("read a waiting ticket"))?;
                Ok((AgentId(agent), t))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
