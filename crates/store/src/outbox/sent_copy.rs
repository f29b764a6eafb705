//! The copy of each sent reply in the inbox's IMAP Sent folder, so the team's mail clients
//! show hako's replies too. Marked `pending` when the reply is sent (if the inbox keeps
//! copies); a worker appends it and marks it `done`. A failed append stays pending, its
//! error kept, and is tried again — the reply itself has gone out either way.

use hako_domain::{Action, Actor, ContentHash, InboxId, TicketId, Timestamp};
use rusqlite::params;
use serde::Serialize;

use super::event;
use crate::codec::from_ms;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentCopy {
    pub id: i64,
    pub inbox: InboxId,
    pub ticket_id: TicketId,
    pub raw: ContentHash,
    pub sent_at: Timestamp,
    pub last_error: Option<String>,
}

impl Store {
    /// Sent replies whose Sent-folder copy is still to be made, oldest first.
    pub fn pending_sent_copies(&self, limit: u32) -> Result<Vec<SentCopy>> {
        self.read()
            .prepare_cached(
                "SELECT id, inbox_id, ticket_id, raw_hash, finished_at, sent_copy_error
                 FROM outbox WHERE sent_copy = 'pending' ORDER BY id LIMIT ?1",
            )
            .and_then(|mut st| {
                st.query_map([limit], |r| {
                    Ok(SentCopy {
                        id: r.get(0)?,
                        inbox: InboxId(r.get(1)?),
                        ticket_id: TicketId(r.get(2)?),
                        raw: ContentHash::from_hex(r.get(3)?),
                        sent_at: from_ms(r.get::<_, Option<i64>>(4)?.unwrap_or_default()),
                        last_error: r.get(5)?,
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("read pending Sent-folder copies"))
    }

    /// The copy is in `folder`.
    pub fn sent_copy_done(&mut self, id: i64, folder: &str) -> Result<()> {
        self.write(|tx, now| {
            let ticket: i64 = tx
                .query_row(
                    "UPDATE outbox SET sent_copy = 'done', sent_copy_error = NULL
                     WHERE id = ?1 AND sent_copy = 'pending' RETURNING ticket_id",
                    [id],
                    |r| r.get(0),
                )
                .map_err(StoreError::sql("mark a Sent-folder copy done"))?;
            let note = format!("outbox {id} copied to {folder}");
            event(
                tx,
                TicketId(ticket),
                Actor::System,
                Action::ReplyFiled,
                &note,
                now,
            )
        })
    }

    /// The append failed; it stays pending and is tried again.
    pub fn sent_copy_failed(&mut self, id: i64, error: &str) -> Result<()> {
        self.write(|tx, _| {
            tx.execute(
                "UPDATE outbox SET sent_copy_error = ?2 WHERE id = ?1",
                params![id, error],
            )
            .map_err(StoreError::sql("record a failed Sent-folder copy"))?;
            Ok(())
        })
    }
}
