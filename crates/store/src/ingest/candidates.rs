//! Gathers, inside the ingest transaction, the tickets a new mail might belong to, for the
//! pure rules in `hako_domain::threading`.

use hako_domain::threading::token::SigningKey;
use hako_domain::threading::{Candidate, Found, Referenced, ThreadingPolicy};
use hako_domain::{InboxId, Participant, StatusKind, TicketId, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::ParsedMail;
use crate::codec::{from_json, from_ms, ms};
use crate::{Result, StoreError};

struct TicketRow {
    merged: Option<i64>,
    number: i64,
    inbox: i64,
    status: String,
    contact: i64,
    last: i64,
    subject: Option<String>,
}

/// A ticket as a threading candidate; a merged ticket stands for the one it was merged into.
fn candidate(conn: &Connection, id: TicketId) -> Result<Option<Candidate>> {
    let mut id = id;
    // Follow merge pointers (at most a few hops; merges into pointers are refused).
    for _ in 0..8 {
        let row = conn
            .query_row(
                "SELECT merged_into, number, inbox_id, status, contact_id, last_activity_at,
                        thread_subject
                 FROM tickets WHERE id = ?1",
                [id.0],
                |r| {
                    Ok(TicketRow {
                        merged: r.get(0)?,
                        number: r.get(1)?,
                        inbox: r.get(2)?,
                        status: r.get(3)?,
                        contact: r.get(4)?,
                        last: r.get(5)?,
                        subject: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(StoreError::sql("read a threading candidate"))?;
        let Some(TicketRow {
            merged,
            number,
            inbox,
            status,
            contact,
            last,
            subject,
        }) = row
        else {
            return Ok(None);
        };
        if let Some(into) = merged {
            id = TicketId(into);
            continue;
        }
        let mut st = conn
            .prepare_cached("SELECT lower(address) FROM contact_addresses WHERE contact_id = ?1")
            .map_err(StoreError::sql("read customer addresses"))?;
        let customer = st
            .query_map([contact], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(StoreError::sql("read customer addresses"))?;
        return Ok(Some(Candidate {
            id,
            number,
            inbox: InboxId(inbox),
            status: StatusKind::parse(&status).map_err(StoreError::domain("stored status"))?,
            customer,
            last_activity_at: from_ms(last),
            normalized_subject: subject.unwrap_or_default(),
        }));
    }
    Ok(None)
}

pub(crate) fn find(
    conn: &Connection,
    mail: &ParsedMail,
    inbox: InboxId,
    key: &SigningKey,
    policy: &ThreadingPolicy,
    now: Timestamp,
) -> Result<Found> {
    let m = &mail.message;
    let ids: Vec<&String> = m.in_reply_to.iter().chain(m.references.iter()).collect();
    let mut found = Found::default();
    for id in &ids {
        if let Some(t) = key.verify(id)
            && let Some(c) = candidate(conn, t)?
        {
            found.signed.push(c);
        }
    }
    // Most recent reference first: In-Reply-To, then References from the end.
    let ordered: Vec<&String> = m
        .in_reply_to
        .iter()
        .chain(m.references.iter().rev())
        .collect();
    let mut st = conn
        .prepare_cached(
            "SELECT ticket_id, from_address, to_json, cc_json FROM messages
             WHERE message_id = ?1 ORDER BY id DESC LIMIT 1",
        )
        .map_err(StoreError::sql("find referenced messages"))?;
    for id in ordered {
        let row: Option<(i64, Option<String>, String, String)> = st
            .query_row([id.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(StoreError::sql("find referenced messages"))?;
        let Some((ticket, from, to, cc)) = row else {
            continue;
        };
        let to: Vec<Participant> = from_json(2, &to).map_err(StoreError::sql("read recipients"))?;
        let cc: Vec<Participant> = from_json(3, &cc).map_err(StoreError::sql("read recipients"))?;
        let participants = from
            .into_iter()
            .chain(to.into_iter().chain(cc).map(|p| p.address))
            .map(|a| a.to_lowercase())
            .collect();
        if let Some(c) = candidate(conn, TicketId(ticket))? {
            found.referenced.push(Referenced {
                ticket: c,
                participants,
            });
        }
    }
    for tag in &mail.ticket_tags {
        let id: Option<i64> = conn
            .query_row("SELECT id FROM tickets WHERE number = ?1", [tag], |r| {
                r.get(0)
            })
            .optional()
            .map_err(StoreError::sql("find a tagged ticket"))?;
        if let Some(c) = id
            .map(|i| candidate(conn, TicketId(i)))
            .transpose()?
            .flatten()
        {
            found.tagged.push(Candidate { number: *tag, ..c });
        }
    }
    if let Some(sender) = &mail.sender
        && policy.subject_match
    {
        let since = ms(now - policy.subject_window);
        let mut st = conn
            .prepare_cached(
                "SELECT t.id FROM contact_addresses ca
                 JOIN tickets t ON t.contact_id = ca.contact_id
                 WHERE ca.address = ?1 AND t.inbox_id = ?2 AND t.merged_into IS NULL
                   AND t.status IN ('open', 'pending', 'snoozed') AND t.last_activity_at >= ?3
                 ORDER BY t.last_activity_at DESC LIMIT 20",
            )
            .map_err(StoreError::sql("find the sender's tickets"))?;
        let ids: Vec<i64> = st
            .query_map(params![sender, inbox.0, since], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(StoreError::sql("find the sender's tickets"))?;
        for id in ids {
            if let Some(c) = candidate(conn, TicketId(id))? {
                found.senders_recent.push(c);
            }
        }
    }
    Ok(found)
}
