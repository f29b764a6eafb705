//! The outbox: replies waiting to be sent, committed together with their ticket change. A
//! worker takes due rows, sends them, and records the outcome here: on success the reply
//! becomes an outgoing message on the ticket (and the ticket's status changes as the agent
//! chose); a temporary failure is retried later; a permanent one, or the end of the retry
//! window, fails the row — each failure shown on the ticket with the server's answer.
//!
//! A reply that needs approval (承認: the inbox requires it, or its author may not send)
//! starts in `approval` instead of `queued`; see [`approval`].

mod approval;
mod auto_reply;
mod sent_copy;

pub use approval::Edit;
pub use auto_reply::{AutoReplyDue, LOOP_GUARD};
pub use sent_copy::SentCopy;

use chrono::Duration;
use hako_domain::{
    Action, Actor, AgentId, ContentHash, Direction, InboxId, Participant, Status, TicketId,
    TicketNumber, Timestamp,
};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use crate::codec::{from_json, from_ms, ms, opt_from_ms, to_json};
use crate::ops::change::write_status;
use crate::ops::message::{NewMessage, add_in_tx, put_blob};
use crate::ops::{EventRecord, Expect, bump, record, ticket_for_change};
use crate::queries::load_ticket_by_id;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutboxState {
    /// Waits for a supervisor.
    Approval,
    /// Sent back to its author with a comment.
    Returned,
    Queued,
    Sent,
    Failed,
    Cancelled,
}

impl OutboxState {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "approval" => OutboxState::Approval,
            "returned" => OutboxState::Returned,
            "queued" => OutboxState::Queued,
            "sent" => OutboxState::Sent,
            "failed" => OutboxState::Failed,
            "cancelled" => OutboxState::Cancelled,
            _ => return None,
        })
    }
}

/// A composed reply to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReply {
    pub ticket: TicketNumber,
    pub author: Option<AgentId>,
    pub message_id: String,
    pub raw: Vec<u8>,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    pub subject: String,
    /// The text as sent (body, signature, quote).
    pub text: String,
    /// What the author wrote: what an approver may edit.
    pub body: String,
    /// How to compose the message again after an edit (JSON, the composer's; opaque here).
    pub draft: String,
    /// Makes the Message-ID; kept so a recomposed message keeps it.
    pub nonce: String,
    /// An automatic message (auto-reply): never waits for approval.
    pub automatic: bool,
    /// Not before this (a scheduled send, or now plus the undo window).
    pub send_at: Timestamp,
    /// How long temporary failures are retried.
    pub retry_for: Duration,
    /// The ticket's status once sent.
    pub status_after: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    pub id: i64,
    pub ticket: TicketNumber,
    pub ticket_id: TicketId,
    pub inbox: InboxId,
    pub message_id: String,
    pub raw: ContentHash,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub state: OutboxState,
    pub author: Option<AgentId>,
    /// What the author wrote (approvers edit this).
    pub body: String,
    pub draft: String,
    pub nonce: String,
    pub automatic: bool,
    pub reviewer: Option<AgentId>,
    pub review_comment: Option<String>,
    /// The author's text before an approver's edit.
    pub original_body: Option<String>,
    pub send_at: Timestamp,
    pub next_attempt_at: Timestamp,
    pub give_up_at: Timestamp,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

const COLS: &str = "o.id, t.number, o.ticket_id, o.inbox_id, o.message_id, o.raw_hash,
    o.envelope_from, o.recipients, o.subject, o.state, o.send_at, o.next_attempt_at,
    o.give_up_at, o.attempts, o.last_error, o.created_at, o.finished_at, o.author_id, o.body,
    o.draft, o.nonce, o.automatic, o.reviewer_id, o.review_comment, o.original_body";

fn row(r: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.get(0)?,
        ticket: TicketNumber(r.get(1)?),
        ticket_id: TicketId(r.get(2)?),
        inbox: InboxId(r.get(3)?),
        message_id: r.get(4)?,
        raw: ContentHash::from_hex(r.get(5)?),
        envelope_from: r.get(6)?,
        recipients: from_json(7, &r.get::<_, String>(7)?)?,
        subject: r.get(8)?,
        state: OutboxState::parse(&r.get::<_, String>(9)?)
            .ok_or_else(|| crate::codec::bad_value(9, "unknown outbox state"))?,
        send_at: from_ms(r.get(10)?),
        next_attempt_at: from_ms(r.get(11)?),
        give_up_at: from_ms(r.get(12)?),
        attempts: r.get(13)?,
        last_error: r.get(14)?,
        created_at: from_ms(r.get(15)?),
        finished_at: opt_from_ms(r.get(16)?),
        author: r.get::<_, Option<i64>>(17)?.map(AgentId),
        body: r.get(18)?,
        draft: r.get(19)?,
        nonce: r.get(20)?,
        automatic: r.get(21)?,
        reviewer: r.get::<_, Option<i64>>(22)?.map(AgentId),
        review_comment: r.get(23)?,
        original_body: r.get(24)?,
    })
}

fn event(
    tx: &rusqlite::Connection,
    ticket: TicketId,
    actor: Actor,
    action: Action,
    after: &str,
    now: Timestamp,
) -> Result<()> {
    record(
        tx,
        EventRecord {
            ticket: Some(ticket),
            actor,
            action,
            before: None,
            after: Some(after),
        },
        now,
    )
}

impl Store {
    /// Queues a reply, in one transaction with its audit event.
    pub fn queue_reply(
        &mut self,
        actor: Actor,
        r: &NewReply,
        expect: Expect,
    ) -> Result<OutboxItem> {
        let id = self.write(|tx, now| {
            let t = ticket_for_change(tx, r.ticket, expect)?;
            let approval = approval::needed(tx, t.inbox, r.author, r.automatic)?;
            if r.automatic {
                auto_reply::guard(tx, &r.recipients, now)?;
            }
            let raw = put_blob(tx, &r.raw, now)?;
            let state = if approval.is_some() {
                "approval"
            } else {
                "queued"
            };
            tx.execute(
                "INSERT INTO outbox (ticket_id, inbox_id, author_id, message_id, raw_hash,
                     envelope_from, recipients, subject, body_text, state, send_at,
                     next_attempt_at, give_up_at, status_after, created_at, body, draft, nonce,
                     automatic)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?14, ?10, ?10, ?11, ?12, ?13, ?15,
                     ?16, ?17, ?18)",
                params![
                    t.id.0,
                    t.inbox.0,
                    r.author.map(|a| a.0),
                    r.message_id,
                    raw.as_str(),
                    r.envelope_from,
                    to_json(&r.recipients),
                    r.subject,
                    r.text,
                    ms(r.send_at),
                    ms(r.send_at.max(now) + r.retry_for),
                    r.status_after.as_ref().map(to_json),
                    ms(now),
                    state,
                    r.body,
                    r.draft,
                    r.nonce,
                    r.automatic,
                ],
            )
            .map_err(StoreError::sql("queue a reply"))?;
            let id = tx.last_insert_rowid();
            let note = format!(
                "to {}; send at {}",
                r.recipients.join(", "),
                r.send_at.to_rfc3339()
            );
            event(tx, t.id, actor, Action::ReplyQueued, &note, now)?;
            if let Some(why) = approval {
                let note = format!("outbox {id} waits for approval: {why}");
                event(tx, t.id, actor, Action::ReplySubmitted, &note, now)?;
            }
            bump(tx, t.id, now)?;
            Ok(id)
        })?;
        self.outbox_item(id)
    }

    pub fn outbox_item(&self, id: i64) -> Result<OutboxItem> {
        self.read()
            .query_row(
                &format!("SELECT {COLS} FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE o.id = ?1"),
                [id],
                row,
            )
            .optional()
            .map_err(StoreError::sql("read an outbox entry"))?
            .ok_or_else(|| StoreError::not_found(format!("outbox entry {id}")))
    }

    /// Outbox entries, newest first: those still waiting (approval, returned, queued) and the
    /// failed ones, unless `all`.
    pub fn outbox(&self, all: bool) -> Result<Vec<OutboxItem>> {
        self.read()
            .prepare(&format!(
                "SELECT {COLS} FROM outbox o JOIN tickets t ON t.id = o.ticket_id
                 WHERE ?1 OR o.state IN ('approval', 'returned', 'queued', 'failed')
                 ORDER BY o.id DESC"
            ))
            .and_then(|mut st| st.query_map([all], row)?.collect())
            .map_err(StoreError::sql("list the outbox"))
    }

    /// A ticket's replies in the outbox (every state), oldest first: what the ticket view
    /// shows under the thread (waiting, scheduled, approval, returned, failed).
    pub fn outbox_of_ticket(&self, ticket: TicketNumber) -> Result<Vec<OutboxItem>> {
        self.read()
            .prepare_cached(&format!(
                "SELECT {COLS} FROM outbox o JOIN tickets t ON t.id = o.ticket_id
                 WHERE t.number = ?1 ORDER BY o.id"
            ))
            .and_then(|mut st| st.query_map([ticket.0], row)?.collect())
            .map_err(StoreError::sql("read a ticket's outbox"))
    }

    /// Queued replies whose time has come, oldest first.
    pub fn due_outbox(&self, limit: u32) -> Result<Vec<OutboxItem>> {
        let now = self.now();
        self.read()
            .prepare_cached(&format!(
                "SELECT {COLS} FROM outbox o JOIN tickets t ON t.id = o.ticket_id
                 WHERE o.state = 'queued' AND o.next_attempt_at <= ?1 AND o.send_at <= ?1
                 ORDER BY o.next_attempt_at, o.id LIMIT ?2"
            ))
            .and_then(|mut st| st.query_map(params![ms(now), limit], row)?.collect())
            .map_err(StoreError::sql("read due replies"))
    }

    /// Claims a due reply for sending until `until`, so that a second worker (another hako
    /// process) does not send it too. False if someone else claimed it first.
    pub fn claim_outbox(&mut self, id: i64, until: Timestamp) -> Result<bool> {
        self.write(|tx, now| {
            let n = tx
                .execute(
                    "UPDATE outbox SET next_attempt_at = ?2
                     WHERE id = ?1 AND state = 'queued' AND next_attempt_at <= ?3",
                    params![id, ms(until), ms(now)],
                )
                .map_err(StoreError::sql("claim a reply"))?;
            Ok(n == 1)
        })
    }

    /// The server accepted the reply: it becomes an outgoing message on its ticket, and the
    /// ticket takes the status the agent chose; with `keep_copy` a copy for the inbox's Sent
    /// folder is due. Doing this twice changes nothing.
    pub fn outbox_sent(&mut self, id: i64, keep_copy: bool) -> Result<()> {
        let item = self.outbox_item(id)?;
        if item.state != OutboxState::Queued {
            return Ok(());
        }
        let raw = self.blob(&item.raw)?;
        self.write(|tx, now| {
            let (author, text, status_after): (Option<i64>, String, Option<String>) = tx
                .query_row(
                    "SELECT author_id, body_text, status_after FROM outbox WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(StoreError::sql("read an outbox entry"))?;
            tx.execute(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, finished_at = ?2,
                     last_error = NULL, sent_copy = CASE WHEN ?3 THEN 'pending' END
                 WHERE id = ?1",
                params![id, ms(now), keep_copy],
            )
            .map_err(StoreError::sql("mark a reply sent"))?;
            let t = load_ticket_by_id(tx, item.ticket_id)?;
            let mut msg = NewMessage::text(
                Direction::Outgoing,
                Some(Participant {
                    name: None,
                    address: item.envelope_from.clone(),
                }),
                &item.subject,
                &text,
            );
            msg.raw = Some(raw);
            msg.message_id = Some(item.message_id.clone());
            msg.to = item
                .recipients
                .iter()
                .map(|a| Participant {
                    name: None,
                    address: a.clone(),
                })
                .collect();
            msg.author = author.map(AgentId);
            let actor = msg.author.map(Actor::Agent).unwrap_or(Actor::System);
            add_in_tx(tx, actor, &t, &msg, now)?;
            event(tx, t.id, actor, Action::ReplySent, &item.message_id, now)?;
            if let Some(s) = status_after {
                let new: Status = serde_json::from_str(&s).map_err(|e| {
                    StoreError::invalid(format!("outbox entry {id}"), e.to_string())
                })?;
                let current = load_ticket_by_id(tx, t.id)?.status;
                if current != new {
                    write_status(tx, t.id, &new)?;
                    record(
                        tx,
                        EventRecord {
                            ticket: Some(t.id),
                            actor,
                            action: Action::StatusChanged,
                            before: Some(&current.describe()),
                            after: Some(&new.describe()),
                        },
                        now,
                    )?;
                }
            }
            bump(tx, t.id, now)
        })
    }

    /// A send attempt failed with `error` (the server's answer). Retried at `retry_at` unless
    /// the failure is permanent or the retry window is over; either way it shows on the ticket.
    /// Returns the entry's state afterwards.
    pub fn outbox_failed(
        &mut self,
        id: i64,
        error: &str,
        permanent: bool,
        retry_at: Timestamp,
    ) -> Result<OutboxState> {
        let item = self.outbox_item(id)?;
        self.write(|tx, now| {
            let give_up = permanent || retry_at > item.give_up_at;
            let state = if give_up { "failed" } else { "queued" };
            tx.execute(
                "UPDATE outbox SET state = ?2, attempts = attempts + 1, last_error = ?3,
                     next_attempt_at = ?4, finished_at = CASE WHEN ?2 = 'failed' THEN ?5 END
                 WHERE id = ?1",
                params![id, state, error, ms(retry_at), ms(now)],
            )
            .map_err(StoreError::sql("record a failed send"))?;
            let note = if give_up {
                format!("gave up: {error}")
            } else {
                format!("will retry at {}: {error}", retry_at.to_rfc3339())
            };
            event(
                tx,
                item.ticket_id,
                Actor::System,
                Action::ReplyFailed,
                &note,
                now,
            )?;
            bump(tx, item.ticket_id, now)?;
            Ok(if give_up {
                OutboxState::Failed
            } else {
                OutboxState::Queued
            })
        })
    }

    /// Cancels a reply that has not been sent (scheduled, in the undo window, retrying, or
    /// waiting for approval).
    pub fn outbox_cancel(&mut self, actor: Actor, id: i64) -> Result<()> {
        self.outbox_transition(
            actor,
            id,
            "UPDATE outbox SET state = 'cancelled', finished_at = ?2
             WHERE id = ?1 AND state IN ('queued', 'approval', 'returned')",
            Duration::zero(),
            "is not waiting to be sent (already sent, failed or cancelled)",
            (Action::ReplyCancelled, "cancelled"),
        )
    }

    /// Puts a failed reply back in the queue, or makes a waiting retry due now, with a fresh
    /// retry window.
    pub fn outbox_retry(&mut self, actor: Actor, id: i64, retry_for: Duration) -> Result<()> {
        self.outbox_transition(
            actor,
            id,
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?2, give_up_at = ?3,
                 finished_at = NULL
             WHERE id = ?1 AND (state = 'failed' OR (state = 'queued' AND attempts > 0))",
            retry_for,
            "is neither failed nor waiting for a retry",
            (Action::ReplyQueued, "retried"),
        )
    }

    /// Runs `sql` (parameters, as far as it uses them: id, now, now + `window`) on one entry; if it changed nothing the
    /// entry was not in a state for it (`refusal`), else the ticket gets `event`.
    fn outbox_transition(
        &mut self,
        actor: Actor,
        id: i64,
        sql: &str,
        window: Duration,
        refusal: &str,
        (action, what): (Action, &str),
    ) -> Result<()> {
        self.write(|tx, now| {
            let mut st = tx
                .prepare(sql)
                .map_err(StoreError::sql("change an outbox entry"))?;
            // Each statement binds what it uses of (id, now, now + window).
            let values = [id, ms(now), ms(now + window)];
            let used = st.parameter_count();
            let n = st
                .execute(rusqlite::params_from_iter(values.iter().take(used)))
                .map_err(StoreError::sql("change an outbox entry"))?;
            if n == 0 {
                return Err(StoreError::invalid(format!("outbox entry {id}"), refusal));
            }
            let ticket: i64 = tx
                .query_row("SELECT ticket_id FROM outbox WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .map_err(StoreError::sql("read an outbox entry"))?;
            let note = format!("outbox {id} {what}");
            event(tx, TicketId(ticket), actor, action, &note, now)?;
            bump(tx, TicketId(ticket), now)
        })
    }
}
