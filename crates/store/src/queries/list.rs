//! The inbox view's list (filters, sort, paging), the counts on its tabs, and how many open
//! tickets each agent holds.

use hako_domain::{
    AgentId, ContactId, InboxId, LabelId, Status, StatusKind, TicketNumber, Timestamp,
};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;
use std::collections::HashMap;

use crate::codec::{self, from_ms, opt_from_ms};
use crate::memo::Memo;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Any,
    Unassigned,
    /// One agent's tickets ("mine" is this with the asker's id).
    Agent(AgentId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest activity first: what changed lately is on top.
    #[default]
    LastActivity,
    /// The customer who has waited longest first; tickets nobody waits on come last.
    OldestWaiting,
    /// Newest tickets first.
    Newest,
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// The inboxes the asker may see; `None` for all (supervisors, admins, the CLI).
    pub visible: Option<Vec<InboxId>>,
    pub inbox: Option<InboxId>,
    /// Empty means every status.
    pub statuses: Vec<StatusKind>,
    pub label: Option<LabelId>,
    pub assignee: AssigneeFilter,
    pub contact: Option<ContactId>,
    /// Only tickets whose customer has waited since before this instant (the board's
    /// "unanswered for N hours").
    pub waiting_before: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 50,
            offset: 0,
        }
    }
}

/// One row of the inbox view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketSummary {
    pub number: TicketNumber,
    pub inbox: String,
    pub subject: String,
    #[serde(flatten)]
    pub status: Status,
    pub customer_name: Option<String>,
    pub customer_address: Option<String>,
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    pub assignee_colour: Option<String>,
    pub labels: Vec<String>,
    pub channel: String,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    pub waiting_since: Option<Timestamp>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketPage {
    /// All tickets matching the filter, not only this page.
    pub total: u64,
    pub items: Vec<TicketSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxCount {
    pub inbox: String,
    pub status: StatusKind,
    pub count: u64,
}

/// What one agent holds: the supervisor's "who has what".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentLoad {
    pub agent: String,
    pub name: String,
    pub colour: String,
    pub open: u64,
    pub pending: u64,
    pub snoozed: u64,
    /// Since when the longest-waiting customer among their open tickets waits.
    pub oldest_waiting: Option<Timestamp>,
}

/// WHERE clause and parameters for a filter. Merged tickets are only pointers: never listed.
///
/// Ids go into the SQL as literals (integers, never text a user typed), and so does the
/// list's LIMIT. With `ANALYZE` statistics (STAT4), SQLite plans with the value bound to a
/// parameter that leads an index (an inbox, an assignee) or to a LIMIT, and marks the
/// statement to be compiled again whenever that parameter is bound — at every use of a cached
/// statement, since rusqlite also clears the bindings when one goes back to its cache
/// (`sqlite3VdbeReprepareOnBind`). A literal gives the plan the recompiled statement had,
/// compiled once per filter (the statement cache holds enough of them, `STATEMENT_CACHE`).
///
/// Statuses stay parameters: where they follow the inbox in an index, SQLite does not look at
/// a bound status, but it does at a literal one, and then knows that most tickets are closed
/// and counts one inbox's closed tickets with a full table scan (100k tickets: 8.4 ms instead
/// of 1.4 ms through the partial index; `hako bench`, page 21 of a closed tab). So does the
/// instant of `waiting_before`.
pub(super) fn where_clause(f: &TicketFilter) -> (String, Vec<Value>) {
    let mut sql = vec!["t.merged_into IS NULL".to_string()];
    let mut params: Vec<Value> = vec![];
    if let Some(v) = &f.visible {
        sql.push(format!("t.inbox_id IN ({})", ids(v.iter().map(|i| i.0))));
    }
    if let Some(i) = f.inbox {
        sql.push(format!("t.inbox_id = {}", i.0));
    }
    if !f.statuses.is_empty() {
        let marks = vec!["?"; f.statuses.len()].join(", ");
        sql.push(format!("t.status IN ({marks})"));
        params.extend(f.statuses.iter().map(|s| Value::Text(s.as_str().into())));
    }
    if let Some(l) = f.label {
        sql.push(format!(
            "EXISTS (SELECT 1 FROM ticket_labels tl WHERE tl.ticket_id = t.id AND tl.label_id = {})",
            l.0
        ));
    }
    match f.assignee {
        AssigneeFilter::Any => {}
        AssigneeFilter::Unassigned => sql.push("t.assignee_id IS NULL".into()),
        AssigneeFilter::Agent(a) => sql.push(format!("t.assignee_id = {}", a.0)),
    }
    if let Some(c) = f.contact {
        sql.push(format!("t.contact_id = {}", c.0));
    }
    if let Some(w) = f.waiting_before {
        // Without an inbox condition, `IN (every inbox)` lets SQLite walk the (inbox, status,
        // waiting_since) index range by range instead of every ticket of the status.
        if f.visible.is_none() && f.inbox.is_none() {
            sql.push("t.inbox_id IN (SELECT id FROM inboxes)".into());
        }
        sql.push("t.waiting_since < ?".into());
        params.push(Value::Integer(codec::ms(w)));
    }
    (sql.join(" AND "), params)
}

/// Integers as a JSON array, for `IN (SELECT value FROM json_each(?))`: `[1,3]`.
pub(crate) fn json_ids(values: &[i64]) -> String {
    format!("[{}]", ids(values.iter().copied()).replace(' ', ""))
}

/// Integers as an SQL list: `1, 3`. An empty `IN ()` matches nothing, which is right for an
/// agent with no inboxes.
pub(crate) fn ids(values: impl Iterator<Item = i64>) -> String {
    values.map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// How many tickets match the filter: a list's total without its page (a tab's count).
    /// Kept while the database is unchanged (see `memo`): the inbox view counts its tabs and
    /// its list on every page.
    pub fn count_tickets(&self, f: &TicketFilter) -> Result<u64> {
        let (cond, params) = where_clause(f);
        let sql = format!("SELECT COUNT(*) FROM tickets t WHERE {cond}");
        let key = format!("{sql}\n{params:?}");
        self.memoized(
            |m| m.counts.get(&key).copied(),
            || {
                let total: i64 = self
                    .read()
                    .prepare_cached(&sql)
                    .and_then(|mut st| st.query_row(params_from_iter(params.iter()), |r| r.get(0)))
                    .map_err(StoreError::sql("count tickets"))?;
                Ok(total as u64)
            },
            |m, v| Memo::keep(&mut m.counts, key.clone(), v),
        )
    }

    pub fn list_tickets(&self, f: &TicketFilter, sort: Sort, page: Page) -> Result<TicketPage> {
        let conn = self.read();
        let total = self.count_tickets(f)?;
        let (cond, params) = where_clause(f);
        let order = match sort {
            Sort::LastActivity => "t.last_activity_at DESC, t.id DESC",
            Sort::OldestWaiting => "t.waiting_since IS NULL, t.waiting_since ASC, t.id ASC",
            Sort::Newest => "t.created_at DESC, t.id DESC",
        };
        let sql = format!(
            "SELECT t.id, t.number, i.name, t.subject, t.status, t.pending_reason,
                    t.snoozed_until, a.email, a.name, a.colour, c.name,
                    (SELECT address FROM contact_addresses ca WHERE ca.contact_id = t.contact_id
                     ORDER BY ca.created_at LIMIT 1),
                    t.channel, t.created_at, t.last_activity_at, t.waiting_since, t.version
             FROM tickets t
             JOIN inboxes i ON i.id = t.inbox_id
             JOIN contacts c ON c.id = t.contact_id
             LEFT JOIN agents a ON a.id = t.assignee_id
             WHERE {cond} ORDER BY {order} LIMIT {} OFFSET ?",
            page.limit
        );
        // LIMIT as a literal too: a bound LIMIT also recompiles the statement at every use.
        let mut all = params.clone();
        all.push(Value::Integer(page.offset as i64));
        let mut ids = vec![];
        let mut items: Vec<TicketSummary> = conn
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_map(params_from_iter(all.iter()), |r| {
                    ids.push(r.get::<_, i64>(0)?);
                    Ok(TicketSummary {
                        number: TicketNumber(r.get(1)?),
                        inbox: r.get(2)?,
                        subject: r.get(3)?,
                        status: codec::status(4, &r.get::<_, String>(4)?, r.get(5)?, r.get(6)?)?,
                        assignee: r.get(7)?,
                        assignee_name: r.get(8)?,
                        assignee_colour: r.get(9)?,
                        customer_name: r.get(10)?,
                        customer_address: r.get(11)?,
                        labels: vec![],
                        channel: r.get(12)?,
                        created_at: from_ms(r.get(13)?),
                        last_activity_at: from_ms(r.get(14)?),
                        waiting_since: opt_from_ms(r.get(15)?),
                        version: r.get(16)?,
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("list tickets"))?;
        let labels = self.label_names_for(&ids)?;
        for (item, id) in items.iter_mut().zip(&ids) {
            item.labels = labels.get(id).cloned().unwrap_or_default();
        }
        Ok(TicketPage { total, items })
    }

    /// Label names per ticket id, for one page of tickets. The ids go in as one JSON array,
    /// so the statement is the same for every page and stays compiled.
    fn label_names_for(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = self
            .read()
            .prepare_cached(
                "SELECT tl.ticket_id, l.name FROM ticket_labels tl JOIN labels l ON l.id = tl.label_id
                 WHERE tl.ticket_id IN (SELECT value FROM json_each(?1)) ORDER BY l.name",
            )
            .and_then(|mut st| {
                st.query_map([json_ids(ids)], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(StoreError::sql("read labels"))?;
        for (id, name) in rows {
            out.entry(id).or_default().push(name);
        }
        Ok(out)
    }

    /// Tickets per inbox and status, within the visible inboxes.
    pub fn counts(&self, visible: Option<&[InboxId]>) -> Result<Vec<InboxCount>> {
        self.counts_of(visible, &[])
    }

    /// Tickets per inbox and status (the tab counts), within the visible inboxes, of these
    /// statuses only (every status when empty).
    pub fn counts_of(
        &self,
        visible: Option<&[InboxId]>,
        statuses: &[StatusKind],
    ) -> Result<Vec<InboxCount>> {
        let f = TicketFilter {
            visible: visible.map(|v| v.to_vec()),
            statuses: statuses.to_vec(),
            ..Default::default()
        };
        let (cond, params) = where_clause(&f);
        // Inboxes first (CROSS JOIN keeps that order): each inbox × status is then a range of
        // an (inbox_id, status, …) index, counted without reading a ticket. Left to itself,
        // SQLite leads with the status index for a status filter and reads every counted
        // ticket's row for its inbox (100k tickets, tab counts: 3.1 ms against 0.2 ms).
        let sql = format!(
            "SELECT i.name, t.status, COUNT(*) FROM inboxes i CROSS JOIN tickets t
                 ON t.inbox_id = i.id
             WHERE {cond} GROUP BY i.name, t.status ORDER BY i.name, t.status"
        );
        let key = format!("{sql}\n{params:?}");
        self.memoized(
            |m| m.inbox_counts.get(&key).cloned(),
            || {
                let rows: Vec<(String, String, i64)> = self
                    .read()
                    .prepare_cached(&sql)
                    .and_then(|mut st| {
                        st.query_map(params_from_iter(params.iter()), |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                        })?
                        .collect()
                    })
                    .map_err(StoreError::sql("count tickets per inbox"))?;
                rows.into_iter()
                    .map(|(inbox, status, count)| {
                        Ok(InboxCount {
                            inbox,
                            status: StatusKind::parse(&status)
                                .map_err(StoreError::domain("stored status"))?,
                            count: count as u64,
                        })
                    })
                    .collect()
            },
            |m, v| Memo::keep(&mut m.inbox_counts, key.clone(), v),
        )
    }

    /// The newest `last_activity_at` among the live tickets of the visible inboxes (`None`:
    /// there are none). The inbox view asks on every request, so this is one probe of the
    /// (inbox_id, status, last_activity_at) index per inbox and status, whatever the number
    /// of tickets (`ORDER BY last_activity_at DESC LIMIT 1` walks the activity index until a
    /// visible ticket turns up: 29 ms at 100k for an inbox with no tickets).
    pub fn latest_activity(&self, visible: Option<&[InboxId]>) -> Result<Option<Timestamp>> {
        let key = visible.map(<[InboxId]>::to_vec);
        self.memoized(
            |m| m.latest.get(&key).copied(),
            || {
                let scope = match visible {
                    Some(v) => format!("WHERE i.id IN ({})", ids(v.iter().map(|i| i.0))),
                    None => String::new(),
                };
                let statuses = StatusKind::ALL
                    .iter()
                    .map(|s| format!("('{}')", s.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "SELECT MAX((SELECT MAX(t.last_activity_at) FROM tickets t
                                 WHERE t.merged_into IS NULL AND t.inbox_id = i.id
                                   AND t.status = s.column1))
                     FROM inboxes i, (VALUES {statuses}) s {scope}"
                );
                let at: Option<i64> = self
                    .read()
                    .prepare_cached(&sql)
                    .and_then(|mut st| st.query_row([], |r| r.get(0)))
                    .map_err(StoreError::sql("read the latest activity"))?;
                Ok(at.map(from_ms))
            },
            |m, v| Memo::keep(&mut m.latest, key.clone(), v),
        )
    }

    /// Open, pending and snoozed tickets held by each active agent, busiest first.
    pub fn agent_load(&self) -> Result<Vec<AgentLoad>> {
        let mut loads: Vec<AgentLoad> = self
            .read()
            .prepare_cached(
                "SELECT a.id, a.email, a.name, a.colour,
                    SUM(t.status = 'open'), SUM(t.status = 'pending'), SUM(t.status = 'snoozed'),
                    MIN(CASE WHEN t.status = 'open' THEN t.waiting_since END)
                 FROM agents a
                 LEFT JOIN tickets t ON t.assignee_id = a.id AND t.merged_into IS NULL
                      AND t.status IN ('open', 'pending', 'snoozed')
                 WHERE a.active
                 GROUP BY a.id ORDER BY a.name",
            )
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok(AgentLoad {
                        agent: r.get(1)?,
                        name: r.get(2)?,
                        colour: r.get(3)?,
                        open: r.get::<_, Option<i64>>(4)?.unwrap_or(0) as u64,
                        pending: r.get::<_, Option<i64>>(5)?.unwrap_or(0) as u64,
                        snoozed: r.get::<_, Option<i64>>(6)?.unwrap_or(0) as u64,
                        oldest_waiting: opt_from_ms(r.get(7)?),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("count tickets per agent"))?;
        loads.sort_by_key(|l| std::cmp::Reverse(l.open + l.pending));
        Ok(loads)
    }
}
