//! Changes to one or many tickets: assign, take, labels, status, snooze, and waking snoozed
//! tickets whose time has come.

use hako_domain::{
    Action, Actor, AgentId, LabelId, Status, StatusKind, Ticket, TicketId, TicketNumber, Timestamp,
};
use rusqlite::{Connection, params};

use super::{EventRecord, Expect, bump, record, ticket_for_change};
use crate::codec::{ms, opt_ms};
use crate::queries::load_ticket_by_id;
use crate::{Result, Store, StoreError};

/// A change that can be applied to one ticket or, in bulk, to many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Assign to an agent, or unassign with `None`.
    Assign(Option<AgentId>),
    /// Assign to oneself, refused if another agent holds the ticket.
    Take(AgentId),
    AddLabel(LabelId),
    RemoveLabel(LabelId),
    /// Any status, including `Snoozed { until }` (which must be in the future).
    SetStatus(Status),
}

impl Store {
    /// Applies one change to one ticket and returns the ticket as it is now. A change that
    /// changes nothing (assigning the current assignee) writes no event.
    pub fn apply(
        &mut self,
        actor: Actor,
        number: TicketNumber,
        change: &Change,
        expect: Expect,
    ) -> Result<Ticket> {
        self.write(|tx, now| {
            let t = ticket_for_change(tx, number, expect)?;
            apply_in_tx(tx, actor, &t, change, now)?;
            load_ticket_by_id(tx, t.id)
        })
    }

    /// Applies one change to many tickets, all or nothing: if one ticket refuses (merged,
    /// held by someone else), none is changed and the error names that ticket.
    pub fn apply_bulk(
        &mut self,
        actor: Actor,
        numbers: &[TicketNumber],
        change: &Change,
    ) -> Result<Vec<Ticket>> {
        self.write(|tx, now| {
            let mut out = Vec::with_capacity(numbers.len());
            for n in numbers {
                let t = ticket_for_change(tx, *n, Expect::Any)?;
                apply_in_tx(tx, actor, &t, change, now)?;
                out.push(load_ticket_by_id(tx, t.id)?);
            }
            Ok(out)
        })
    }

    /// Opens every snoozed ticket whose time has passed; returns their numbers. Run by the
    /// server every minute and by the CLI before it reads.
    pub fn wake_due(&mut self) -> Result<Vec<TicketNumber>> {
        self.write(|tx, now| {
            let due: Vec<(i64, i64, i64)> = {
                let mut st = tx
                    .prepare_cached(
                        "SELECT id, number, snoozed_until FROM tickets
                         WHERE snoozed_until IS NOT NULL AND snoozed_until <= ?1",
                    )
                    .map_err(StoreError::sql("find due snoozes"))?;
                st.query_map([ms(now)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .and_then(|rows| rows.collect())
                    .map_err(StoreError::sql("find due snoozes"))?
            };
            for (id, _, until) in &due {
                write_status(tx, TicketId(*id), &Status::Open)?;
                bump(tx, TicketId(*id), now)?;
                let before = format!(
                    "snoozed until {}",
                    crate::codec::from_ms(*until).to_rfc3339()
                );
                record(
                    tx,
                    EventRecord {
                        ticket: Some(TicketId(*id)),
                        actor: Actor::System,
                        action: Action::Woken,
                        before: Some(&before),
                        after: Some("open"),
                    },
                    now,
                )?;
            }
            Ok(due.into_iter().map(|d| TicketNumber(d.1)).collect())
        })
    }
}

/// Applies `change` to ticket `t` inside an open transaction; shared by single, bulk and
/// ticket creation.
pub(crate) fn apply_in_tx(
    tx: &Connection,
    actor: Actor,
    t: &Ticket,
    change: &Change,
    now: Timestamp,
) -> Result<()> {
    let ev = |action, before: Option<&str>, after: Option<&str>| {
        record(
            tx,
            EventRecord {
                ticket: Some(t.id),
                actor,
                action,
                before,
                after,
            },
            now,
        )
    };
    match change {
        Change::Take(agent) => {
            if let Some(holder) = t.assignee.filter(|h| h != agent) {
                return Err(StoreError::HeldByOther {
                    ticket: t.number,
                    holder: agent_email(tx, holder)?,
                });
            }
            apply_in_tx(tx, actor, t, &Change::Assign(Some(*agent)), now)?;
        }
        Change::Assign(to) => assign_in_tx(tx, actor, t, *to, None, now)?,
        Change::AddLabel(label) | Change::RemoveLabel(label) => {
            let name = label_name(tx, *label)?;
            let adding = matches!(change, Change::AddLabel(_));
            let n = if adding {
                tx.execute(
                    "INSERT OR IGNORE INTO ticket_labels (ticket_id, label_id, added_at)
                     VALUES (?1, ?2, ?3)",
                    params![t.id.0, label.0, ms(now)],
                )
            } else {
                tx.execute(
                    "DELETE FROM ticket_labels WHERE ticket_id = ?1 AND label_id = ?2",
                    params![t.id.0, label.0],
                )
            }
            .map_err(StoreError::sql("change a ticket's labels"))?;
            if n > 0 {
                if adding {
                    ev(Action::LabelAdded, None, Some(&name))?;
                } else {
                    ev(Action::LabelRemoved, Some(&name), None)?;
                }
                bump(tx, t.id, now)?;
            }
        }
        Change::SetStatus(new) => {
            if let Status::Snoozed { until } = new {
                Status::snooze(*until, now)
                    .map_err(StoreError::domain(format!("ticket {}", t.number)))?;
            }
            if t.status == *new {
                return Ok(());
            }
            write_status(tx, t.id, new)?;
            let action = if new.kind() == StatusKind::Snoozed {
                Action::Snoozed
            } else {
                Action::StatusChanged
            };
            ev(action, Some(&t.status.describe()), Some(&new.describe()))?;
            bump(tx, t.id, now)?;
        }
    }
    Ok(())
}

/// Assigns `t` to `to` (or nobody). `why` is added to the event after the assignee's address
/// when something other than a person chose them: `sato@example.test (round-robin)`.
pub(crate) fn assign_in_tx(
    tx: &Connection,
    actor: Actor,
    t: &Ticket,
    to: Option<AgentId>,
    why: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    if t.assignee == to {
        return Ok(());
    }
    if let Some(agent) = to {
        check_assignable(tx, agent, t)?;
        // Least-loaded assignment breaks ties by who waited longest for a ticket.
        tx.execute(
            "UPDATE agents SET last_assigned_at = ?2 WHERE id = ?1",
            params![agent.0, ms(now)],
        )
        .map_err(StoreError::sql("note an assignment"))?;
    }
    tx.execute(
        "UPDATE tickets SET assignee_id = ?2 WHERE id = ?1",
        params![t.id.0, to.map(|a| a.0)],
    )
    .map_err(StoreError::sql("assign a ticket"))?;
    let before = t.assignee.map(|a| agent_email(tx, a)).transpose()?;
    let after = to
        .map(|a| agent_email(tx, a))
        .transpose()?
        .map(|email| match why {
            Some(why) => format!("{email} ({why})"),
            None => email,
        });
    let action = if to.is_some() {
        Action::Assigned
    } else {
        Action::Unassigned
    };
    record(
        tx,
        EventRecord {
            ticket: Some(t.id),
            actor,
            action,
            before: before.as_deref(),
            after: after.as_deref(),
        },
        now,
    )?;
    bump(tx, t.id, now)
}

pub(crate) fn write_status(tx: &Connection, ticket: TicketId, s: &Status) -> Result<()> {
    tx.execute(
        "UPDATE tickets SET status = ?2, pending_reason = ?3, snoozed_until = ?4 WHERE id = ?1",
        params![
            ticket.0,
            s.kind().as_str(),
            s.pending_reason(),
            opt_ms(s.snoozed_until())
        ],
    )
    .map_err(StoreError::sql("change a ticket's status"))?;
    Ok(())
}

/// Only active agents who may see the ticket's inbox can hold it.
pub(crate) fn check_assignable(tx: &Connection, agent: AgentId, t: &Ticket) -> Result<()> {
    let (email, active, role, member): (String, bool, String, bool) = tx
        .query_row(
            "SELECT email, active, role,
                    EXISTS(SELECT 1 FROM agent_inboxes WHERE agent_id = ?1 AND inbox_id = ?2)
             FROM agents WHERE id = ?1",
            params![agent.0, t.inbox.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|_| StoreError::not_found(format!("user {agent}")))?;
    if !active {
        return Err(StoreError::invalid(
            format!("user {email}"),
            "is deactivated and cannot hold tickets",
        ));
    }
    if role == "agent" && !member {
        return Err(StoreError::invalid(
            format!("user {email}"),
            format!("is not a member of the inbox of ticket {}", t.number),
        ));
    }
    Ok(())
}

pub(crate) fn agent_email(tx: &Connection, agent: AgentId) -> Result<String> {
    tx.query_row("SELECT email FROM agents WHERE id = ?1", [agent.0], |r| {
        r.get(0)
    })
    .map_err(|_| StoreError::not_found(format!("user {agent}")))
}

fn label_name(tx: &Connection, label: LabelId) -> Result<String> {
    tx.query_row("SELECT name FROM labels WHERE id = ?1", [label.0], |r| {
        r.get(0)
    })
    .map_err(|_| StoreError::not_found(format!("label {label}")))
}
