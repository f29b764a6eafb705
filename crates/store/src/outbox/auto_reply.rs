//! Automatic replies (the acknowledgement an inbox sends to a new ticket's customer) and
//! their loop guard: at most one automatic message per address a day, whatever asks for
//! it, so two auto-responders can never mail each other in a loop (RFC 3834 §2). Ingest
//! queues the ticket; a worker composes the reply and queues it with `automatic` set.

use chrono::Duration;
use hako_domain::{TicketNumber, Timestamp};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::codec::{from_ms, ms};
use crate::{Result, Store, StoreError};

/// How long after an automatic message to an address the next one is held back.
pub const LOOP_GUARD: i64 = 24;

/// Refuses an automatic message to any of `recipients` that had one within the guard
/// window; otherwise records this one.
pub(super) fn guard(tx: &Transaction<'_>, recipients: &[String], now: Timestamp) -> Result<()> {
    for to in recipients {
        let last: Option<i64> = tx
            .query_row(
                "SELECT sent_at FROM auto_reply_log WHERE address = ?1",
                [to],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("read the loop guard"))?;
        if let Some(last) = last.map(from_ms)
            && last > now - Duration::hours(LOOP_GUARD)
        {
            return Err(StoreError::NotAllowed {
                what: format!("automatic reply to {to}"),
                why: format!(
                    "loop guard: one was queued at {}; at most one a day",
                    last.to_rfc3339()
                ),
            });
        }
    }
    for to in recipients {
        tx.execute(
            "INSERT INTO auto_reply_log (address, sent_at) VALUES (?1, ?2)
             ON CONFLICT (address) DO UPDATE SET sent_at = excluded.sent_at",
            params![to, ms(now)],
        )
        .map_err(StoreError::sql("record the loop guard"))?;
    }
    Ok(())
}

/// A new ticket waiting for its inbox's automatic reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoReplyDue {
    pub ticket: TicketNumber,
    pub template: String,
}

impl Store {
    /// New tickets waiting for their automatic reply, oldest first.
    pub fn due_auto_replies(&self, limit: u32) -> Result<Vec<AutoReplyDue>> {
        self.read()
            .prepare_cached(
                "SELECT t.number, i.auto_reply_template FROM auto_reply_queue q
                 JOIN tickets t ON t.id = q.ticket_id JOIN inboxes i ON i.id = t.inbox_id
                 ORDER BY q.created_at, q.ticket_id LIMIT ?1",
            )
            .and_then(|mut st| {
                st.query_map([limit], |r| {
                    Ok(AutoReplyDue {
                        ticket: TicketNumber(r.get(0)?),
                        // The template may have been unset since: nothing to send then.
                        template: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("read due automatic replies"))
    }

    /// The ticket's automatic reply was queued, refused by a rule, or is not wanted.
    pub fn auto_reply_done(&mut self, ticket: TicketNumber) -> Result<()> {
        self.write(|tx, _| {
            tx.execute(
                "DELETE FROM auto_reply_queue
                 WHERE ticket_id = (SELECT id FROM tickets WHERE number = ?1)",
                params![ticket.0],
            )
            .map_err(StoreError::sql("finish an automatic reply"))?;
            Ok(())
        })
    }
}
