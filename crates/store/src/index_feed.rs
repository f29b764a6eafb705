//! What the search index is fed from: the queue of changed tickets (filled by every ticket
//! change, in the same transaction) and each ticket's messages as flat documents. The search
//! crate knows nothing of SQLite; the caller copies these into its documents.

use hako_domain::{Participant, TicketId};
use rusqlite::{params, params_from_iter};

use crate::codec::{from_json, from_ms, ms};
use crate::{Result, Store, StoreError};

/// One message with its ticket's current state, ready for indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    pub message_id: i64,
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub inbox_id: i64,
    pub inbox: String,
    pub direction: String,
    pub from_address: String,
    pub from_name: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachment_names: Vec<String>,
    pub labels: Vec<String>,
    pub status: String,
    pub assignee: Option<String>,
    pub date: hako_domain::Timestamp,
}

impl Store {
    /// Up to `limit` queued tickets, oldest first, with the highest queue id taken; pass it
    /// to [`Store::ack_index`] once the index has committed them.
    pub fn pending_index(&self, limit: u32) -> Result<(Vec<TicketId>, Option<i64>)> {
        let rows: Vec<(i64, i64)> = self
            .read()
            .prepare_cached(
                "SELECT ticket_id, MAX(id) FROM index_queue GROUP BY ticket_id
                 ORDER BY MIN(id) LIMIT ?1",
            )
            .and_then(|mut st| {
                st.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(StoreError::sql("read the index queue"))?;
        let upto = rows.iter().map(|r| r.1).max();
        Ok((rows.into_iter().map(|r| TicketId(r.0)).collect(), upto))
    }

    /// Forgets queue entries of these tickets up to `upto` (entries added meanwhile stay).
    pub fn ack_index(&mut self, tickets: &[TicketId], upto: i64) -> Result<()> {
        self.write(|tx, _| {
            let mut st = tx
                .prepare_cached("DELETE FROM index_queue WHERE ticket_id = ?1 AND id <= ?2")
                .map_err(StoreError::sql("clear the index queue"))?;
            for t in tickets {
                st.execute(params![t.0, upto])
                    .map_err(StoreError::sql("clear the index queue"))?;
            }
            Ok(())
        })
    }

    /// How many tickets wait for the index.
    pub fn index_backlog(&self) -> Result<u64> {
        self.read()
            .query_row(
                "SELECT COUNT(DISTINCT ticket_id) FROM index_queue",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(StoreError::sql("count the index queue"))
    }

    /// Queues every ticket for the index (`hako reindex` while `hako serve`, which holds the
    /// index, runs: its indexer re-indexes them in the background). Returns how many.
    pub fn queue_all_for_index(&mut self) -> Result<u64> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO index_queue (ticket_id, at) SELECT id, ?1 FROM tickets",
                [ms(now)],
            )
            .map(|n| n as u64)
            .map_err(StoreError::sql("queue every ticket for the index"))
        })
    }

    /// Every ticket row, merged pointers included (the size of a rebuild).
    pub fn ticket_rows(&self) -> Result<u64> {
        self.read()
            .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(StoreError::sql("count tickets"))
    }

    /// Ticket ids in order, for rebuilding the index in batches (`after` the last one seen).
    pub fn ticket_ids_after(&self, after: i64, limit: u32) -> Result<Vec<TicketId>> {
        self.read()
            .prepare_cached("SELECT id FROM tickets WHERE id > ?1 ORDER BY id LIMIT ?2")
            .and_then(|mut st| {
                st.query_map(params![after, limit], |r| Ok(TicketId(r.get(0)?)))?
                    .collect()
            })
            .map_err(StoreError::sql("list tickets"))
    }

    /// Every stored message id, ascending (for the index consistency check).
    pub fn all_message_ids(&self) -> Result<Vec<i64>> {
        self.read()
            .prepare("SELECT id FROM messages ORDER BY id")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(StoreError::sql("list messages"))
    }

    /// The documents of these tickets' messages (merged tickets have none).
    pub fn index_docs(&self, tickets: &[TicketId]) -> Result<Vec<IndexDoc>> {
        if tickets.is_empty() {
            return Ok(vec![]);
        }
        let marks = vec!["?"; tickets.len()].join(", ");
        let sql = format!(
            "SELECT m.id, t.id, t.number, t.inbox_id, i.name, m.direction,
                    COALESCE(m.from_address, ''), COALESCE(m.from_name, ''), m.to_json, m.cc_json,
                    m.subject, m.body_text, m.attachments_json, t.status, a.email,
                    m.received_at,
                    (SELECT group_concat(l.name, char(31)) FROM ticket_labels tl
                     JOIN labels l ON l.id = tl.label_id WHERE tl.ticket_id = t.id)
             FROM messages m
             JOIN tickets t ON t.id = m.ticket_id
             JOIN inboxes i ON i.id = t.inbox_id
             LEFT JOIN agents a ON a.id = t.assignee_id
             WHERE t.id IN ({marks}) ORDER BY m.id"
        );
        let addresses = |v: Vec<Participant>| v.into_iter().map(|p| p.address).collect();
        self.read()
            .prepare(&sql)
            .and_then(|mut st| {
                st.query_map(params_from_iter(tickets.iter().map(|t| t.0)), |r| {
                    let attachments: Vec<hako_domain::Attachment> =
                        from_json(12, &r.get::<_, String>(12)?)?;
                    let labels: Option<String> = r.get(16)?;
                    Ok(IndexDoc {
                        message_id: r.get(0)?,
                        ticket_id: r.get(1)?,
                        ticket_number: r.get(2)?,
                        inbox_id: r.get(3)?,
                        inbox: r.get(4)?,
                        direction: r.get(5)?,
                        from_address: r.get(6)?,
                        from_name: r.get(7)?,
                        to: addresses(from_json(8, &r.get::<_, String>(8)?)?),
                        cc: addresses(from_json(9, &r.get::<_, String>(9)?)?),
                        subject: r.get(10)?,
                        body: r.get(11)?,
                        attachment_names: attachments
                            .into_iter()
                            .filter_map(|a| a.filename)
                            .collect(),
                        status: r.get(13)?,
                        assignee: r.get(14)?,
                        date: from_ms(r.get(15)?),
                        labels: labels
                            .map(|l| l.split('\u{1f}').map(str::to_string).collect())
                            .unwrap_or_default(),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("read messages for the index"))
    }
}
