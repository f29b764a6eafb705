//! Sender history ("one click"): every message a customer ever sent, across all inboxes,
//! newest first, with each ticket's status and labels — for one address, for a contact with
//! several addresses, or for a whole domain — plus first-contact date and ticket count, which
//! reply templates use to greet a repeat customer.

use hako_domain::{Contact, EmailAddress, InboxId, StatusKind, TicketNumber, Timestamp};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Serialize;

use crate::codec::{from_ms, opt_from_ms};
use crate::{Result, Store, StoreError};

/// Whose history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryOf {
    /// One address; if it belongs to a contact, that contact's other addresses count too.
    Address(EmailAddress),
    /// Everyone writing from this domain (`example.co.jp`).
    Domain(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub message_id: i64,
    pub ticket: TicketNumber,
    pub inbox: String,
    pub ticket_subject: String,
    pub status: StatusKind,
    pub labels: Vec<String>,
    pub from_address: String,
    pub subject: String,
    pub date: Timestamp,
    /// The first line of the message, shortened.
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// The contact, when asked for an address that belongs to one.
    pub contact: Option<Contact>,
    /// The addresses or domain searched.
    pub senders: Vec<String>,
    pub first_contact: Option<Timestamp>,
    pub ticket_count: u64,
    pub message_count: u64,
    /// The counts stopped at their cap: there are more (shown as "10000+").
    pub counts_capped: bool,
    /// Newest first, at most the limit asked for.
    pub entries: Vec<HistoryEntry>,
}

/// History counts stop here: a customer domain can have hundreds of thousands of messages,
/// and nobody needs that number exact on every view.
const COUNT_CAP: i64 = 10_000;

impl Store {
    /// The history of a sender within the visible inboxes (`None`: all).
    pub fn history(
        &self,
        of: &HistoryOf,
        visible: Option<&[InboxId]>,
        limit: u32,
    ) -> Result<History> {
        let (contact, senders, cond) = match of {
            HistoryOf::Address(a) => {
                let contact = self.contact_by_address(a).ok();
                let mut senders: Vec<String> = contact
                    .as_ref()
                    .map(|c| c.addresses.iter().map(|x| x.normalized()).collect())
                    .unwrap_or_default();
                if !senders.contains(&a.normalized()) {
                    senders.push(a.normalized());
                }
                let marks = vec!["?"; senders.len()].join(", ");
                (
                    contact,
                    senders,
                    format!("m.from_address COLLATE NOCASE IN ({marks})"),
                )
            }
            HistoryOf::Domain(d) => {
                let d = d.trim().trim_start_matches('@').to_lowercase();
                (None, vec![d], "m.from_domain = ?".to_string())
            }
        };
        let mut params: Vec<Value> = senders.iter().map(|s| Value::Text(s.clone())).collect();
        let scope = match visible {
            Some(v) => {
                params.extend(v.iter().map(|i| Value::Integer(i.0)));
                format!("AND t.inbox_id IN ({})", vec!["?"; v.len()].join(", "))
            }
            None => String::new(),
        };
        // Every message has its ticket (NOT NULL, foreign key): the counts need the tickets
        // only to apply a scope, and a domain's counts read thousands of messages.
        let ticket_join = if visible.is_some() {
            "JOIN tickets t ON t.id = m.ticket_id"
        } else {
            ""
        };
        let conn = self.read();
        // The first contact is one index probe; the counts stop at COUNT_CAP messages, so a
        // big customer domain costs the same as a small one ("10000+ messages").
        let first: Option<i64> = conn
            .prepare(&format!(
                "SELECT MIN(m.received_at) FROM messages m {ticket_join} WHERE {cond} {scope}"
            ))
            .and_then(|mut st| st.query_row(params_from_iter(params.iter()), |r| r.get(0)))
            .map_err(StoreError::sql("find a sender's first contact"))?;
        let mut capped_params = params.clone();
        capped_params.push(Value::Integer(COUNT_CAP + 1));
        let (messages, tickets): (i64, i64) = conn
            .prepare(&format!(
                "SELECT COUNT(*), COUNT(DISTINCT ticket_id) FROM (
                     SELECT m.ticket_id FROM messages m {ticket_join}
                     WHERE {cond} {scope} LIMIT ?)"
            ))
            .and_then(|mut st| {
                st.query_row(params_from_iter(capped_params.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
            })
            .map_err(StoreError::sql("count a sender's history"))?;
        let counts_capped = messages > COUNT_CAP;
        let (messages, tickets) = (messages.min(COUNT_CAP), tickets);
        let mut page = params.clone();
        page.push(Value::Integer(i64::from(limit)));
        let entries = conn
            .prepare(&format!(
                "SELECT m.id, t.number, i.name, t.subject, t.status, m.from_address, m.subject,
                        m.received_at, substr(m.body_text, 1, 400),
                        (SELECT group_concat(l.name, char(31)) FROM ticket_labels tl
                         JOIN labels l ON l.id = tl.label_id WHERE tl.ticket_id = t.id)
                 FROM messages m
                 JOIN tickets t ON t.id = m.ticket_id
                 JOIN inboxes i ON i.id = t.inbox_id
                 WHERE {cond} {scope}
                 ORDER BY m.received_at DESC, m.id DESC LIMIT ?"
            ))
            .and_then(|mut st| {
                st.query_map(params_from_iter(page.iter()), |r| {
                    let labels: Option<String> = r.get(9)?;
                    let body: String = r.get(8)?;
                    Ok(HistoryEntry {
                        message_id: r.get(0)?,
                        ticket: TicketNumber(r.get(1)?),
                        inbox: r.get(2)?,
                        ticket_subject: r.get(3)?,
                        status: StatusKind::parse(&r.get::<_, String>(4)?)
                            .map_err(|_| crate::codec::bad_value(4, "unknown status"))?,
                        labels: labels
                            .map(|l| l.split('\u{1f}').map(str::to_string).collect())
                            .unwrap_or_default(),
                        from_address: r.get(5)?,
                        subject: r.get(6)?,
                        date: from_ms(r.get(7)?),
                        excerpt: excerpt(&body),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("read a sender's history"))?;
        let first_contact = match (&contact, opt_from_ms(first)) {
            (Some(c), Some(f)) => Some(c.created_at.min(f)),
            (Some(c), None) => Some(c.created_at),
            (None, f) => f,
        };
        Ok(History {
            contact,
            senders,
            first_contact,
            ticket_count: tickets as u64,
            message_count: messages as u64,
            counts_capped,
            entries,
        })
    }
}

fn excerpt(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut s: String = line.chars().take(100).collect();
    if line.chars().count() > 100 {
        s.push('…');
    }
    s
}
