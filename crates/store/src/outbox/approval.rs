//! Approval (承認): a reply from an inbox that requires it, or by an agent marked "cannot
//! send", waits in `approval` until a supervisor approves it (possibly edited: the author's
//! text is kept for the diff) or returns it to its author with a comment; the author may
//! edit a returned reply and submit it again. Every step is an audit event on the ticket.

use hako_domain::diff::{diff_lines, render};
use hako_domain::{Action, Actor, AgentId, InboxId, Role, TicketId};
use rusqlite::{Transaction, params};

use super::{OutboxItem, event};
use crate::codec::ms;
use crate::ops::bump;
use crate::ops::message::put_blob;
use crate::{Result, Store, StoreError};

/// A new version of a waiting reply: composed again by the caller with the same Message-ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub body: String,
    pub text: String,
    pub subject: String,
    pub raw: Vec<u8>,
    pub draft: String,
}

/// Why a reply by `author` from `inbox` must wait for a supervisor, if it must. Replies
/// without an author (the operator's CLI) and automatic ones never wait.
pub(super) fn needed(
    tx: &Transaction<'_>,
    inbox: InboxId,
    author: Option<AgentId>,
    automatic: bool,
) -> Result<Option<&'static str>> {
    let Some(author) = author.filter(|_| !automatic) else {
        return Ok(None);
    };
    let (role, can_send) = role_of(tx, author)?;
    if !can_send {
        return Ok(Some("its author may not send replies"));
    }
    let required: bool = tx
        .query_row(
            "SELECT requires_approval FROM inboxes WHERE id = ?1",
            [inbox.0],
            |r| r.get(0),
        )
        .map_err(StoreError::sql("read an inbox's approval rule"))?;
    Ok((required && role == Role::Agent).then_some("the inbox requires approval"))
}

fn role_of(tx: &Transaction<'_>, agent: AgentId) -> Result<(Role, bool)> {
    let (role, can_send): (String, bool) = tx
        .query_row(
            "SELECT role, can_send FROM agents WHERE id = ?1",
            [agent.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(StoreError::sql("read an agent's role"))?;
    let role = Role::parse(&role).map_err(StoreError::domain(format!("agent {agent}")))?;
    Ok((role, can_send))
}

/// The outbox entry's state and author, checking it is in `state`.
fn waiting(tx: &Transaction<'_>, id: i64, state: &str) -> Result<(TicketId, Option<AgentId>)> {
    let (ticket, author, current): (i64, Option<i64>, String) = tx
        .query_row(
            "SELECT ticket_id, author_id, state FROM outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                StoreError::not_found(format!("outbox entry {id}"))
            }
            e => StoreError::Sql {
                context: "read an outbox entry",
                source: e,
            },
        })?;
    if current != state {
        return Err(StoreError::invalid(
            format!("outbox entry {id}"),
            format!("is {current}, not {state}"),
        ));
    }
    Ok((TicketId(ticket), author.map(AgentId)))
}

/// A supervisor or admin, other than the author (four eyes).
fn reviewer(
    tx: &Transaction<'_>,
    id: i64,
    actor: Actor,
    author: Option<AgentId>,
) -> Result<AgentId> {
    let refuse = |why: &str| StoreError::NotAllowed {
        what: format!("outbox entry {id}"),
        why: why.to_string(),
    };
    let Actor::Agent(me) = actor else {
        return Err(refuse("approving needs a named supervisor (--as)"));
    };
    if author == Some(me) {
        return Err(refuse(
            "a reply is approved by someone other than its author",
        ));
    }
    if role_of(tx, me)?.0 == Role::Agent {
        return Err(refuse("only supervisors and admins approve replies"));
    }
    Ok(me)
}

/// Writes `edit` over the entry, keeping the author's first text for the diff; returns the
/// diff as text (empty when the text did not change).
fn apply_edit(
    tx: &Transaction<'_>,
    id: i64,
    edit: &Edit,
    now: hako_domain::Timestamp,
) -> Result<String> {
    let before: String = tx
        .query_row("SELECT body FROM outbox WHERE id = ?1", [id], |r| r.get(0))
        .map_err(StoreError::sql("read an outbox entry"))?;
    let raw = put_blob(tx, &edit.raw, now)?;
    tx.execute(
        "UPDATE outbox SET original_body = COALESCE(original_body, body), body = ?2,
             body_text = ?3, subject = ?4, raw_hash = ?5, draft = ?6
         WHERE id = ?1",
        params![
            id,
            edit.body,
            edit.text,
            edit.subject,
            raw.as_str(),
            edit.draft
        ],
    )
    .map_err(StoreError::sql("save an edited reply"))?;
    Ok(if before == edit.body {
        String::new()
    } else {
        render(&diff_lines(&before, &edit.body))
    })
}

impl Store {
    /// Replies waiting for a supervisor, oldest first.
    pub fn approvals(&self) -> Result<Vec<OutboxItem>> {
        let mut items = self.outbox(false)?;
        items.retain(|o| o.state == super::OutboxState::Approval);
        items.reverse();
        Ok(items)
    }

    /// Approves a waiting reply, with the supervisor's edit if any: it is sent at once (or at
    /// its scheduled time, if that is later).
    pub fn outbox_approve(
        &mut self,
        actor: Actor,
        id: i64,
        edit: Option<&Edit>,
        comment: Option<&str>,
    ) -> Result<OutboxItem> {
        self.write(|tx, now| {
            let (ticket, author) = waiting(tx, id, "approval")?;
            let me = reviewer(tx, id, actor, author)?;
            let diff = match edit {
                Some(e) => apply_edit(tx, id, e, now)?,
                None => String::new(),
            };
            // The retry window moves with the send time.
            tx.execute(
                "UPDATE outbox SET state = 'queued', reviewer_id = ?2, review_comment = ?3,
                     give_up_at = give_up_at + MAX(send_at, ?4) - send_at,
                     send_at = MAX(send_at, ?4), next_attempt_at = MAX(send_at, ?4)
                 WHERE id = ?1",
                params![id, me.0, comment, ms(now)],
            )
            .map_err(StoreError::sql("approve a reply"))?;
            let mut note = format!("outbox {id} approved");
            if let Some(c) = comment.filter(|c| !c.trim().is_empty()) {
                note.push_str(&format!(": {c}"));
            }
            if !diff.is_empty() {
                note.push_str(&format!("\nedited:\n{diff}"));
            }
            event(tx, ticket, actor, Action::ReplyApproved, &note, now)?;
            bump(tx, ticket, now)
        })?;
        self.outbox_item(id)
    }

    /// Sends a waiting reply back to its author with the supervisor's comment.
    pub fn outbox_return(&mut self, actor: Actor, id: i64, comment: &str) -> Result<OutboxItem> {
        if comment.trim().is_empty() {
            return Err(StoreError::invalid(
                format!("outbox entry {id}"),
                "say why it is returned (a comment)",
            ));
        }
        self.write(|tx, now| {
            let (ticket, author) = waiting(tx, id, "approval")?;
            let me = reviewer(tx, id, actor, author)?;
            tx.execute(
                "UPDATE outbox SET state = 'returned', reviewer_id = ?2, review_comment = ?3
                 WHERE id = ?1",
                params![id, me.0, comment],
            )
            .map_err(StoreError::sql("return a reply"))?;
            let note = format!("outbox {id} returned: {comment}");
            event(tx, ticket, actor, Action::ReplyReturned, &note, now)?;
            bump(tx, ticket, now)
        })?;
        self.outbox_item(id)
    }

    /// The author submits a returned reply again, edited or not; it waits for approval.
    pub fn outbox_resubmit(
        &mut self,
        actor: Actor,
        id: i64,
        edit: Option<&Edit>,
    ) -> Result<OutboxItem> {
        self.write(|tx, now| {
            let (ticket, author) = waiting(tx, id, "returned")?;
            if matches!(actor, Actor::Agent(_)) && Some(actor) != author.map(Actor::Agent) {
                return Err(StoreError::NotAllowed {
                    what: format!("outbox entry {id}"),
                    why: "only its author submits a returned reply again".into(),
                });
            }
            let diff = match edit {
                Some(e) => apply_edit(tx, id, e, now)?,
                None => String::new(),
            };
            tx.execute("UPDATE outbox SET state = 'approval' WHERE id = ?1", [id])
                .map_err(StoreError::sql("submit a reply again"))?;
            let mut note = format!("outbox {id} submitted again");
            if !diff.is_empty() {
                note.push_str(&format!("\nedited:\n{diff}"));
            }
            event(tx, ticket, actor, Action::ReplySubmitted, &note, now)?;
            bump(tx, ticket, now)
        })?;
        self.outbox_item(id)
    }
}
