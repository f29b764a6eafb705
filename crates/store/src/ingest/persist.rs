//! The ingest transaction: raw bytes first, then dedupe, quarantine or threading, then the
//! mailbox cursor — all committed together.

use hako_domain::threading::token::SigningKey;
use hako_domain::threading::{IncomingFacts, ThreadDecision, ThreadingPolicy, decide};
use hako_domain::{
    Actor, Channel, ContentHash, Direction, EmailAddress, InboxId, MessageId, Timestamp,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Content, IncomingMail, Outcome, ParsedMail, Source, candidates};
use crate::codec::ms;
use crate::directory::find_or_create_contact;
use crate::ops::create::{TicketSpec, create_in_tx};
use crate::ops::message::{add_stored_in_tx, put_blob};
use crate::queries::load_ticket_by_id;
use crate::rules::{NewMail, Origin, on_new_ticket};
use crate::{Result, Store, StoreError};

impl Store {
    /// Persists a batch of fetched mails in one transaction and returns what became of each.
    /// Mails from IMAP must come in ascending UID order: the cursor moves to the last one.
    pub fn ingest(
        &mut self,
        batch: &[IncomingMail],
        policy: &ThreadingPolicy,
    ) -> Result<Vec<Outcome>> {
        let key = self.signing_key()?;
        self.write(|tx, now| {
            let ours = our_addresses(tx)?;
            batch
                .iter()
                .map(|mail| ingest_one(tx, mail, &ours, &key, policy, now))
                .collect()
        })
    }

    /// The installation's key for signed Message-IDs, created on first use.
    pub fn signing_key(&mut self) -> Result<SigningKey> {
        self.write(|tx, _| {
            let existing: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = 'message_id_key'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::sql("read the signing key"))?;
            if let Some(k) = existing {
                return Ok(SigningKey::new(k));
            }
            // 32 bytes from SQLite's own CSPRNG: no extra dependency for one random value.
            let k: Vec<u8> = tx
                .query_row("SELECT randomblob(32)", [], |r| r.get(0))
                .map_err(StoreError::sql("make a signing key"))?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('message_id_key', ?1)",
                [&k],
            )
            .map_err(StoreError::sql("save the signing key"))?;
            Ok(SigningKey::new(k))
        })
    }
}

/// (lowercased address, inbox) for every inbox.
fn our_addresses(conn: &Connection) -> Result<Vec<(String, InboxId)>> {
    let mut st = conn
        .prepare_cached("SELECT lower(address), id FROM inboxes")
        .map_err(StoreError::sql("read inbox addresses"))?;
    st.query_map([], |r| Ok((r.get(0)?, InboxId(r.get(1)?))))
        .and_then(|r| r.collect())
        .map_err(StoreError::sql("read inbox addresses"))
}

fn ingest_one(
    tx: &Connection,
    mail: &IncomingMail,
    ours: &[(String, InboxId)],
    key: &SigningKey,
    policy: &ThreadingPolicy,
    now: Timestamp,
) -> Result<Outcome> {
    // The raw bytes are stored before anything else can go wrong.
    let raw_hash = put_blob(tx, &mail.raw, now)?;
    if let Source::Imap {
        mailbox,
        uidvalidity,
        uid,
    } = &mail.source
    {
        let seen: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM mailbox_uids WHERE mailbox_id = ?1 AND uidvalidity = ?2 AND uid = ?3",
                params![mailbox.0, uidvalidity, uid],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("check a UID"))?;
        if seen.is_some() {
            advance(tx, mail, now)?;
            return Ok(Outcome::AlreadySeen);
        }
    }
    let outcome = match &mail.content {
        // Reprocessed and still refused: the same quarantine entry, with the new reason.
        Content::Unparseable { reason } if matches!(mail.source, Source::Quarantine { .. }) => {
            let Source::Quarantine { id } = mail.source else {
                unreachable!("matched above")
            };
            tx.execute(
                "UPDATE quarantine SET reason = ?2 WHERE id = ?1",
                params![id, reason],
            )
            .map_err(StoreError::sql("update a quarantined mail"))?;
            Outcome::Quarantined {
                id,
                reason: reason.clone(),
            }
        }
        Content::Unparseable { reason } => {
            // The same raw mail seen again (a second import, a re-created mailbox): one
            // quarantine entry, or the message it already became.
            let known: Option<(i64, Option<i64>)> = tx
                .query_row(
                    "SELECT id, resolved_message FROM quarantine WHERE raw_hash = ?1
                     ORDER BY resolved_at IS NULL, id LIMIT 1",
                    [raw_hash.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(StoreError::sql("look for a quarantined copy"))?;
            if let Some((id, resolved)) = known {
                let outcome = match resolved {
                    Some(m) => Outcome::Duplicate {
                        message: MessageId(m),
                    },
                    None => Outcome::Quarantined {
                        id,
                        reason: reason.clone(),
                    },
                };
                record(tx, mail, &outcome, raw_hash.as_str(), now)?;
                advance(tx, mail, now)?;
                return Ok(outcome);
            }
            tx.execute(
                "INSERT INTO quarantine (inbox_id, source, raw_hash, reason, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    mail.inbox.0,
                    mail.source.label(),
                    raw_hash.as_str(),
                    reason,
                    ms(now)
                ],
            )
            .map_err(StoreError::sql("quarantine a mail"))?;
            Outcome::Quarantined {
                id: tx.last_insert_rowid(),
                reason: reason.clone(),
            }
        }
        Content::Parsed(parsed) => thread_in(tx, mail, &raw_hash, parsed, ours, key, policy, now)?,
    };
    record(tx, mail, &outcome, raw_hash.as_str(), now)?;
    advance(tx, mail, now)?;
    Ok(outcome)
}

#[allow(clippy::too_many_arguments)]
fn thread_in(
    tx: &Connection,
    mail: &IncomingMail,
    raw: &ContentHash,
    parsed: &ParsedMail,
    ours: &[(String, InboxId)],
    key: &SigningKey,
    policy: &ThreadingPolicy,
    now: Timestamp,
) -> Result<Outcome> {
    if let Some(k) = &parsed.message.dedupe_key {
        let dup: Option<i64> = tx
            .query_row(
                "SELECT id FROM messages WHERE dedupe_key = ?1 LIMIT 1",
                [k],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("look for a duplicate"))?;
        if let Some(id) = dup {
            return Ok(Outcome::Duplicate {
                message: MessageId(id),
            });
        }
    }
    // A mail to two of our addresses is one ticket, in the inbox of the first of ours in
    // To, then Cc, then Delivered-To — the same whichever mailbox we fetch it from first.
    let inbox = parsed
        .recipients
        .iter()
        .find_map(|r| ours.iter().find(|(a, _)| a == r).map(|(_, i)| *i))
        .unwrap_or(mail.inbox);
    let from_us = parsed
        .sender
        .as_deref()
        .is_some_and(|s| ours.iter().any(|(a, _)| a == s));
    // Our own reply, sent by hako and now seen again (a Sent folder, a Bcc to ourselves):
    // it is already on its ticket under the same Message-ID.
    if from_us && let Some(mid) = &parsed.message.message_id {
        let sent: Option<i64> = tx
            .query_row(
                "SELECT id FROM messages WHERE message_id = ?1 AND direction = 'outgoing' LIMIT 1",
                [mid],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("look for our own sent mail"))?;
        if let Some(id) = sent {
            return Ok(Outcome::Duplicate {
                message: MessageId(id),
            });
        }
    }
    let mut message = parsed.message.clone();
    message.direction = if from_us {
        Direction::Outgoing
    } else {
        Direction::Incoming
    };
    message.received_at = Some(mail.received_at);
    // The windows (same subject within 14 days, reopen within 30) are measured from when the
    // mail arrived, not from when it is stored: an import or a first sync of an old folder
    // stores mail long after it arrived.
    let arrived = mail.received_at.min(now);
    let facts = IncomingFacts {
        inbox,
        sender: parsed.sender.as_deref(),
        from_team: from_us,
        normalized_subject: &parsed.normalized_subject,
        ticket_tags: &parsed.ticket_tags,
        now: arrived,
    };
    let found = candidates::find(tx, parsed, inbox, key, policy, arrived)?;
    match decide(&facts, &found, policy) {
        ThreadDecision::Append { ticket, reopen, .. } => {
            let t = load_ticket_by_id(tx, ticket)?;
            let before = t.status.clone();
            let id = add_stored_in_tx(tx, Actor::System, &t, &message, Some(raw.clone()), now)?;
            let after = load_ticket_by_id(tx, ticket)?.status;
            Ok(Outcome::Appended {
                ticket: t.number,
                message: id,
                reopened: reopen && before != after,
            })
        }
        ThreadDecision::New { .. } if from_us => Ok(Outcome::Skipped {
            reason: "our own mail that belongs to no ticket".into(),
        }),
        ThreadDecision::New { linked_to } => {
            let address = parsed
                .sender
                .as_deref()
                .and_then(|s| EmailAddress::parse(s).ok());
            let name = parsed
                .sender_name
                .clone()
                .or_else(|| parsed.sender.clone())
                .or_else(|| Some("(no sender)".into()));
            let contact = find_or_create_contact(tx, address.as_ref(), name.as_deref(), now)?;
            let spec = TicketSpec {
                inbox,
                contact,
                subject: &message.subject,
                channel: Channel::Email,
                split_from: None,
                thread_subject: Some(&parsed.normalized_subject),
                linked_to,
            };
            let id = create_in_tx(tx, Actor::System, &spec, now)?;
            let t = load_ticket_by_id(tx, id)?;
            let msg = add_stored_in_tx(tx, Actor::System, &t, &message, Some(raw.clone()), now)?;
            let origin = if message.imported {
                Origin::Imported
            } else if message.automatic || address.is_none() {
                Origin::Automatic
            } else {
                Origin::Person
            };
            let new_mail = NewMail {
                sender: parsed.sender.as_deref(),
                recipients: &parsed.recipients,
                subject: &message.subject,
                body: &message.text,
                origin,
            };
            let status = on_new_ticket(tx, id, &new_mail, now)?;
            // A person starting a ticket gets the inbox's automatic reply, if it has one
            // (never robots, bounces, lists or old mail, nor a ticket a rule closed or marked
            // spam; the loop guard is in the outbox).
            if origin == Origin::Person && status.is_active() {
                tx.execute(
                    "INSERT OR IGNORE INTO auto_reply_queue (ticket_id, created_at)
                     SELECT ?1, ?2 FROM inboxes WHERE id = ?3 AND auto_reply_template IS NOT NULL",
                    params![id.0, ms(now), inbox.0],
                )
                .map_err(StoreError::sql("queue an automatic reply"))?;
            }
            Ok(Outcome::Created {
                ticket: t.number,
                message: msg,
            })
        }
    }
}

/// Remembers what became of an IMAP UID, and resolves a reprocessed quarantine entry.
fn record(
    tx: &Connection,
    mail: &IncomingMail,
    outcome: &Outcome,
    raw_hash: &str,
    now: Timestamp,
) -> Result<()> {
    let (kind, message, quarantine) = match outcome {
        Outcome::Created { message, .. } | Outcome::Appended { message, .. } => {
            ("stored", Some(message.0), None)
        }
        Outcome::Duplicate { message } => ("duplicate", Some(message.0), None),
        Outcome::Quarantined { id, .. } => ("quarantined", None, Some(*id)),
        Outcome::Skipped { .. } => ("skipped", None, None),
        Outcome::AlreadySeen => return Ok(()),
    };
    match &mail.source {
        Source::Imap {
            mailbox,
            uidvalidity,
            uid,
        } => {
            tx.execute(
                "INSERT INTO mailbox_uids (mailbox_id, uidvalidity, uid, outcome, message_id,
                     quarantine_id, raw_hash, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    mailbox.0,
                    uidvalidity,
                    uid,
                    kind,
                    message,
                    quarantine,
                    raw_hash,
                    ms(now)
                ],
            )
            .map_err(StoreError::sql("record a UID"))?;
        }
        Source::Quarantine { id } if quarantine.is_none() => {
            tx.execute(
                "UPDATE quarantine SET resolved_at = ?2, resolved_message = ?3 WHERE id = ?1",
                params![id, ms(now), message],
            )
            .map_err(StoreError::sql("resolve a quarantined mail"))?;
        }
        Source::Quarantine { .. } | Source::Import { .. } => {}
    }
    Ok(())
}

/// Moves the mailbox cursor past this UID, in the same transaction as the message.
fn advance(tx: &Connection, mail: &IncomingMail, now: Timestamp) -> Result<()> {
    if let Source::Imap { mailbox, uid, .. } = &mail.source {
        tx.execute(
            "UPDATE mailboxes SET last_uid = MAX(last_uid, ?2), updated_at = ?3 WHERE id = ?1",
            params![mailbox.0, uid, ms(now)],
        )
        .map_err(StoreError::sql("advance a mailbox cursor"))?;
    }
    Ok(())
}
