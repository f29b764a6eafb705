//! Automatic assignment per inbox ([`hako_domain::assignment`] chooses; this module finds the
//! candidates, keeps the settings and the round-robin turn, and assigns inside the
//! transaction that creates the ticket).
//!
//! **Who takes part:** members of the inbox with the role agent who are active and not marked
//! away. Supervisors and admins are left out even when they are members: they oversee and
//! approve rather than work the queue, and `hako init` makes the first admin a member of
//! every inbox, so including them would hand the admin account a share of every inbox's
//! mail. A rule (or a person) can still assign them. **Load** is the open and pending tickets
//! an agent holds in every inbox (snoozed ones are out of the way until they wake).

use hako_domain::assignment::{AssignmentSettings, Candidate, Strategy, choose};
use hako_domain::{Action, Actor, Agent, AgentId, InboxId, Ticket, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::codec::{ms, opt_from_ms};
use crate::directory::team_event;
use crate::ops::change::{agent_email, assign_in_tx};
use crate::{Result, Store, StoreError};

/// A candidate as the settings page shows it: who would take part now, with their load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentCandidate {
    pub agent: AgentId,
    pub email: String,
    pub name: String,
    /// Open + pending tickets held, in every inbox.
    pub load: u32,
    pub last_assigned_at: Option<Timestamp>,
}

impl Store {
    /// The inbox's setting (`manual` when never set).
    pub fn assignment(&self, inbox: InboxId) -> Result<AssignmentSettings> {
        settings_in(self.read(), inbox)
    }

    /// Sets the strategy and the cap (`None`: no cap). The round-robin turn is kept.
    pub fn set_assignment(
        &mut self,
        actor: Actor,
        inbox: InboxId,
        strategy: Strategy,
        cap: Option<u32>,
    ) -> Result<AssignmentSettings> {
        self.write(|tx, now| {
            let name = inbox_name(tx, inbox)?;
            if cap == Some(0) {
                return Err(StoreError::invalid(
                    format!("inbox {name}"),
                    "the cap must be at least 1 (or none)",
                ));
            }
            tx.execute(
                "INSERT INTO inbox_assignment (inbox_id, strategy, cap, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (inbox_id) DO UPDATE SET strategy = excluded.strategy,
                     cap = excluded.cap, updated_at = excluded.updated_at",
                params![inbox.0, strategy.as_str(), cap, ms(now)],
            )
            .map_err(StoreError::sql("save an inbox's assignment"))?;
            let cap_text = cap.map_or("no cap".to_string(), |c| format!("cap {c}"));
            let saved = format!("{name}: {strategy}, {cap_text}");
            team_event(tx, actor, Action::AssignmentSaved, &saved, now)?;
            settings_in(tx, inbox)
        })
    }

    /// Who takes part in the inbox's automatic assignment now, by id.
    pub fn assignment_candidates(&self, inbox: InboxId) -> Result<Vec<AssignmentCandidate>> {
        let mut st = self
            .read()
            .prepare_cached(&format!(
                "SELECT a.id, a.email, a.name, {LOAD}, a.last_assigned_at {CANDIDATES}"
            ))
            .map_err(StoreError::sql("list assignment candidates"))?;
        st.query_map([inbox.0], |r| {
            Ok(AssignmentCandidate {
                agent: AgentId(r.get(0)?),
                email: r.get(1)?,
                name: r.get(2)?,
                load: r.get(3)?,
                last_assigned_at: opt_from_ms(r.get(4)?),
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("list assignment candidates"))
    }

    /// Marks an agent away (automatic assignment passes them by) or back.
    pub fn set_away(&mut self, actor: Actor, agent: AgentId, away: bool) -> Result<Agent> {
        self.write(|tx, now| {
            let email = agent_email(tx, agent)?;
            tx.execute(
                "UPDATE agents SET away = ?2 WHERE id = ?1",
                params![agent.0, away],
            )
            .map_err(StoreError::sql("mark a user away"))?;
            let state = if away { "away" } else { "available" };
            team_event(
                tx,
                actor,
                Action::UserUpdated,
                &format!("{email}: {state}"),
                now,
            )
        })?;
        self.agent(agent)
    }
}

/// Open and pending tickets held by agent `a`, in every inbox.
const LOAD: &str = "(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = a.id
    AND t.status IN ('open', 'pending') AND t.merged_into IS NULL)";

/// Agents (not supervisors or admins) of inbox ?1 who are active and not away.
const CANDIDATES: &str = "FROM agents a JOIN agent_inboxes ai ON ai.agent_id = a.id
    WHERE ai.inbox_id = ?1 AND a.role = 'agent' AND a.active AND NOT a.away ORDER BY a.id";

pub(crate) fn settings_in(conn: &Connection, inbox: InboxId) -> Result<AssignmentSettings> {
    let row: Option<(String, Option<u32>, Option<i64>)> = conn
        .query_row(
            "SELECT strategy, cap, last_agent_id FROM inbox_assignment WHERE inbox_id = ?1",
            [inbox.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(StoreError::sql("read an inbox's assignment"))?;
    let Some((strategy, cap, last)) = row else {
        return Ok(AssignmentSettings::default());
    };
    Ok(AssignmentSettings {
        strategy: Strategy::parse(&strategy).map_err(StoreError::domain("stored strategy"))?,
        cap,
        last_agent: last.map(AgentId),
    })
}

/// Assigns the new ticket `t` by its inbox's strategy, if the strategy chooses anyone, and
/// moves the round-robin turn. The event reads `sato@example.test (round-robin)`.
pub(crate) fn auto_assign_in_tx(tx: &Connection, t: &Ticket, now: Timestamp) -> Result<()> {
    let settings = settings_in(tx, t.inbox)?;
    if settings.strategy == Strategy::Manual || t.assignee.is_some() {
        return Ok(());
    }
    let candidates: Vec<Candidate> = tx
        .prepare_cached(&format!(
            "SELECT a.id, {LOAD}, a.last_assigned_at {CANDIDATES}"
        ))
        .and_then(|mut st| {
            st.query_map([t.inbox.0], |r| {
                Ok(Candidate {
                    agent: AgentId(r.get(0)?),
                    load: r.get(1)?,
                    last_assigned_at: opt_from_ms(r.get(2)?),
                })
            })?
            .collect()
        })
        .map_err(StoreError::sql("find assignment candidates"))?;
    let Some(agent) = choose(&settings, &candidates) else {
        return Ok(());
    };
    assign_in_tx(
        tx,
        Actor::System,
        t,
        Some(agent),
        Some(settings.strategy.as_str()),
        now,
    )?;
    tx.execute(
        "UPDATE inbox_assignment SET last_agent_id = ?2 WHERE inbox_id = ?1",
        params![t.inbox.0, agent.0],
    )
    .map_err(StoreError::sql("move the round-robin turn"))?;
    Ok(())
}

fn inbox_name(conn: &Connection, inbox: InboxId) -> Result<String> {
    conn.query_row("SELECT name FROM inboxes WHERE id = ?1", [inbox.0], |r| {
        r.get(0)
    })
    .optional()
    .map_err(StoreError::sql("read an inbox"))?
    .ok_or_else(|| StoreError::not_found(format!("inbox {inbox}")))
}
