//! Changing the team after it is set up (the admin settings): a user's role, inboxes, active
//! and can-send flags; a label's name and colour; a reply template. Each change is one
//! transaction with its audit event, `before` and `after` in words.
//!
//! Nobody locks the team out: an admin may not deactivate or demote themselves, and no change
//! may leave the team without an active admin.

use hako_domain::label::validate_label_name;
use hako_domain::{
    Action, Actor, Agent, AgentId, Colour, InboxId, Label, LabelId, Role, TicketId, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::ms;
use crate::directory::{set_memberships, team_change};
use crate::ops::change::{assign_in_tx, check_assignable};
use crate::queries::load_ticket_by_id;
use crate::{Result, Store, StoreError};

/// What an admin sets on a user; every field is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentUpdate {
    pub role: Role,
    pub inboxes: Vec<InboxId>,
    /// Deactivated users keep their history but cannot sign in or be assigned.
    pub active: bool,
    /// False: every reply of theirs waits for approval (承認).
    pub can_send: bool,
}

/// `sato@example.test: agent; inboxes info, support; active; can send`.
fn describe(tx: &Connection, email: &str, u: &AgentUpdate) -> Result<String> {
    let mut names = vec![];
    for i in &u.inboxes {
        let name: String = tx
            .query_row("SELECT name FROM inboxes WHERE id = ?1", [i.0], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::sql("read an inbox name"))?
            .ok_or_else(|| StoreError::not_found(format!("inbox {i}")))?;
        names.push(name);
    }
    names.sort();
    let inboxes = if names.is_empty() {
        "no inboxes".to_string()
    } else {
        format!("inboxes {}", names.join(", "))
    };
    Ok(format!(
        "{email}: {}; {inboxes}; {}; {}",
        u.role,
        if u.active { "active" } else { "deactivated" },
        if u.can_send {
            "can send"
        } else {
            "cannot send"
        }
    ))
}

impl Store {
    /// Sets a user's role, inboxes and flags. Refused when the actor would deactivate or
    /// demote themselves, or when no active admin would be left.
    pub fn update_agent(&mut self, actor: Actor, id: AgentId, u: &AgentUpdate) -> Result<Agent> {
        let before = self.agent(id)?;
        let what = format!("user {}", before.email);
        let not_allowed = |why: &str| StoreError::NotAllowed {
            what: what.clone(),
            why: why.to_string(),
        };
        if actor == Actor::Agent(id) && !u.active {
            return Err(not_allowed(
                "you cannot deactivate yourself: you would be signed out and could not undo it; \
                 ask another admin",
            ));
        }
        if actor == Actor::Agent(id) && before.role == Role::Admin && u.role != Role::Admin {
            return Err(not_allowed(
                "you cannot take the admin role from yourself: you would lose these settings \
                 and could not undo it; ask another admin",
            ));
        }
        let was = AgentUpdate {
            role: before.role,
            inboxes: before.inboxes.clone(),
            active: before.active,
            can_send: before.can_send,
        };
        if &was == u {
            return Ok(before);
        }
        self.write(|tx, now| {
            let before_text = describe(tx, before.email.as_str(), &was)?;
            let after_text = describe(tx, before.email.as_str(), u)?;
            tx.execute(
                "UPDATE agents SET role = ?1, active = ?2, can_send = ?3 WHERE id = ?4",
                params![u.role.as_str(), u.active, u.can_send, id.0],
            )
            .map_err(StoreError::sql("update a user"))?;
            set_memberships(tx, id, &u.inboxes)?;
            let admins: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM agents WHERE role = 'admin' AND active",
                    [],
                    |r| r.get(0),
                )
                .map_err(StoreError::sql("count admins"))?;
            if admins == 0 {
                return Err(not_allowed(
                    "the team would have no active admin left to change its settings",
                ));
            }
            give_back(tx, actor, id, now)?;
            team_change(
                tx,
                actor,
                Action::UserUpdated,
                Some(&before_text),
                &after_text,
                now,
            )
        })?;
        self.agent(id)
    }

    /// Renames and/or recolours a label. Tickets keep it (they refer to its id); the audit log
    /// and the weekly report show the new name from now on.
    pub fn update_label(
        &mut self,
        actor: Actor,
        id: LabelId,
        name: &str,
        colour: Colour,
    ) -> Result<Label> {
        let name = validate_label_name(name).map_err(StoreError::domain("label"))?;
        let old = self
            .labels()?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| StoreError::not_found(format!("label {id}")))?;
        if old.name == name && old.colour == colour {
            return Ok(old);
        }
        self.write(|tx, now| {
            tx.execute(
                "UPDATE labels SET name = ?1, colour = ?2 WHERE id = ?3",
                params![name, colour.as_str(), id.0],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::AlreadyExists {
                    what: format!("label {name}"),
                },
                _ => StoreError::Sql {
                    context: "update a label",
                    source: e,
                },
            })?;
            team_change(
                tx,
                actor,
                Action::LabelUpdated,
                Some(&format!("{} {}", old.name, old.colour)),
                &format!("{name} {colour}"),
                now,
            )
        })?;
        Ok(Label { id, name, colour })
    }

    /// Saves a reply template (new or changed) with an audit event. The caller checks that it
    /// renders first: the store does not know the template language.
    pub fn set_template(&mut self, actor: Actor, name: &str, body: &str) -> Result<()> {
        let before = self.template(name).ok();
        if before.as_ref().is_some_and(|t| t.body == body) {
            return Ok(());
        }
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO reply_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at",
                params![name, body, ms(now)],
            )
            .map_err(StoreError::sql("save a template"))?;
            let before = match &before {
                Some(t) => format!("{name} ({} characters)", t.body.chars().count()),
                None => "(new)".to_string(),
            };
            let after = format!("{name} ({} characters)", body.chars().count());
            team_change(tx, actor, Action::TemplateSaved, Some(&before), &after, now)
        })
    }
}

#[cfg(test)]
mod tests;

/// Unassigns the open, pending and snoozed tickets `agent` may no longer hold (deactivated, or
/// no longer in the ticket's inbox), each with its audit event: left assigned, they would wait
/// unseen under a name nobody answers for. Closed tickets keep who handled them.
fn give_back(tx: &Connection, actor: Actor, agent: AgentId, now: Timestamp) -> Result<()> {
    let held: Vec<i64> = tx
        .prepare(
            "SELECT id FROM tickets WHERE assignee_id = ?1 AND merged_into IS NULL
               AND status IN ('open', 'pending', 'snoozed')",
        )
        .and_then(|mut st| st.query_map([agent.0], |r| r.get(0))?.collect())
        .map_err(StoreError::sql("list a user's tickets"))?;
    for id in held {
        let t = load_ticket_by_id(tx, TicketId(id))?;
        if check_assignable(tx, agent, &t).is_err() {
            assign_in_tx(tx, actor, &t, None, None, now)?;
        }
    }
    Ok(())
}
