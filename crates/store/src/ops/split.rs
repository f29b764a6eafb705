//! Split and merge, applying the pure plans from `hako_domain::split` in one transaction.

use hako_domain::split::{MergeSide, SplitMode, check_merge, plan_split};
use hako_domain::{Action, Actor, MessageId, Status, Ticket, TicketNumber};
use rusqlite::params;

use super::change::write_status;
use super::create::{TicketSpec, create_in_tx};
use super::{EventRecord, Expect, bump, recompute_timeline, record, ticket_for_change};
use crate::queries::{load_ticket_by_id, thread_ids};
use crate::{Result, Store, StoreError};

impl Store {
    /// Moves `at` (or `at` and every later message) into a new ticket with the same inbox and
    /// customer, which records where it came from. Returns the new ticket.
    pub fn split(
        &mut self,
        actor: Actor,
        number: TicketNumber,
        at: MessageId,
        mode: SplitMode,
        expect: Expect,
    ) -> Result<Ticket> {
        self.write(|tx, now| {
            let t = ticket_for_change(tx, number, expect)?;
            let thread = thread_ids(tx, t.id)?;
            let moved = plan_split(&thread, at, mode)
                .map_err(StoreError::domain(format!("ticket {number}")))?;
            let subject: String = tx
                .query_row("SELECT subject FROM messages WHERE id = ?1", [at.0], |r| {
                    r.get(0)
                })
                .map_err(StoreError::sql("read a message subject"))?;
            let subject = if subject.trim().is_empty() {
                t.subject.clone()
            } else {
                subject
            };
            let spec = TicketSpec {
                inbox: t.inbox,
                contact: t.contact,
                subject: &subject,
                channel: t.channel,
                split_from: Some((t.id, at)),
                thread_subject: None,
                linked_to: None,
            };
            let new_id = create_in_tx(tx, actor, &spec, now)?;
            for m in &moved {
                tx.execute(
                    "UPDATE messages SET ticket_id = ?2 WHERE id = ?1",
                    params![m.0, new_id.0],
                )
                .map_err(StoreError::sql("move a message"))?;
            }
            recompute_timeline(tx, t.id)?;
            recompute_timeline(tx, new_id)?;
            let new_t = load_ticket_by_id(tx, new_id)?;
            let out = format!(
                "{} ({} messages from message {at})",
                new_t.number,
                moved.len()
            );
            let from = format!("{number} (message {at})");
            record(
                tx,
                EventRecord {
                    ticket: Some(t.id),
                    actor,
                    action: Action::SplitOut,
                    before: None,
                    after: Some(&out),
                },
                now,
            )?;
            record(
                tx,
                EventRecord {
                    ticket: Some(new_id),
                    actor,
                    action: Action::SplitFrom,
                    before: Some(&from),
                    after: None,
                },
                now,
            )?;
            bump(tx, t.id, now)?;
            bump(tx, new_id, now)?;
            load_ticket_by_id(tx, new_id)
        })
    }

    /// Moves every message of `source` into `into`; `source` is closed and left as a pointer
    /// to `into`. Labels are united. Returns the receiving ticket.
    pub fn merge(
        &mut self,
        actor: Actor,
        source: TicketNumber,
        into: TicketNumber,
        expect_source: Expect,
    ) -> Result<Ticket> {
        self.write(|tx, now| {
            let target = crate::queries::load_ticket(tx, into)?;
            let src = crate::queries::load_ticket(tx, source)?;
            check_merge(
                MergeSide {
                    id: target.id,
                    merged_into: target.merged_into,
                },
                MergeSide {
                    id: src.id,
                    merged_into: src.merged_into,
                },
            )
            .map_err(StoreError::domain(format!("ticket {source} into {into}")))?;
            let src = ticket_for_change(tx, source, expect_source)?;
            tx.execute(
                "UPDATE messages SET ticket_id = ?2 WHERE ticket_id = ?1",
                params![src.id.0, target.id.0],
            )
            .map_err(StoreError::sql("move messages"))?;
            tx.execute(
                "INSERT OR IGNORE INTO ticket_labels (ticket_id, label_id, added_at)
                 SELECT ?2, label_id, added_at FROM ticket_labels WHERE ticket_id = ?1",
                params![src.id.0, target.id.0],
            )
            .map_err(StoreError::sql("unite labels"))?;
            write_status(tx, src.id, &Status::Closed)?;
            tx.execute(
                "UPDATE tickets SET merged_into = ?2 WHERE id = ?1",
                params![src.id.0, target.id.0],
            )
            .map_err(StoreError::sql("point a merged ticket"))?;
            recompute_timeline(tx, src.id)?;
            recompute_timeline(tx, target.id)?;
            let (s, t) = (source.to_string(), into.to_string());
            record(
                tx,
                EventRecord {
                    ticket: Some(src.id),
                    actor,
                    action: Action::MergedInto,
                    before: None,
                    after: Some(&t),
                },
                now,
            )?;
            record(
                tx,
                EventRecord {
                    ticket: Some(target.id),
                    actor,
                    action: Action::MergedFrom,
                    before: Some(&s),
                    after: None,
                },
                now,
            )?;
            bump(tx, src.id, now)?;
            bump(tx, target.id, now)?;
            load_ticket_by_id(tx, target.id)
        })
    }
}
