//! Adding a message to a ticket: the raw bytes first (content-addressed), then the parsed
//! row, then what the message means for the ticket — a customer writing again opens it, our
//! reply ends their wait and may be the first response.

use hako_domain::{
    Action, Actor, AgentId, Attachment, ContentHash, Direction, MessageId, Participant, Ticket,
    TicketNumber, Timestamp,
};
use rusqlite::{Connection, params};

use super::change::write_status;
use super::{EventRecord, Expect, bump, recompute_timeline, record, ticket_for_change};
use crate::codec::{ms, opt_ms, to_json};
use crate::{Result, Store, StoreError};

/// A message to store. Ingest fills it from a parsed mail; the CLI and UI from a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub direction: Direction,
    /// The message exactly as received or sent, kept forever by its hash.
    pub raw: Option<Vec<u8>>,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from: Option<Participant>,
    pub to: Vec<Participant>,
    pub cc: Vec<Participant>,
    pub date: Option<Timestamp>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    pub author: Option<AgentId>,
    /// When it reached us (IMAP INTERNALDATE); `None` means now. Thread order follows it.
    pub received_at: Option<Timestamp>,
    /// Auto-reply, bounce or list mail: stored and threaded, but changes no status.
    pub automatic: bool,
    /// Old mail from a first sync or an import: stored, triggers nothing.
    pub imported: bool,
    /// Message-ID plus a hash of the content without trace headers, to spot the same mail
    /// arriving twice (two of our addresses, a re-created mailbox).
    pub dedupe_key: Option<String>,
}

impl NewMessage {
    /// A plain-text message with no headers beyond a sender, as typed into a form.
    pub fn text(
        direction: Direction,
        from: Option<Participant>,
        subject: &str,
        text: &str,
    ) -> Self {
        NewMessage {
            direction,
            raw: None,
            message_id: None,
            in_reply_to: vec![],
            references: vec![],
            from,
            to: vec![],
            cc: vec![],
            date: None,
            subject: subject.to_string(),
            text: text.to_string(),
            html: None,
            attachments: vec![],
            author: None,
            received_at: None,
            automatic: false,
            imported: false,
            dedupe_key: None,
        }
    }

    /// An internal note by an agent.
    pub fn note(author: AgentId, text: &str) -> Self {
        NewMessage {
            author: Some(author),
            ..NewMessage::text(Direction::Note, None, "", text)
        }
    }
}

impl Store {
    /// Adds a message to an existing ticket and returns its id.
    pub fn add_message(
        &mut self,
        actor: Actor,
        number: TicketNumber,
        msg: &NewMessage,
        expect: Expect,
    ) -> Result<MessageId> {
        self.write(|tx, now| {
            let t = ticket_for_change(tx, number, expect)?;
            add_in_tx(tx, actor, &t, msg, now)
        })
    }

    /// An internal note (never leaves hako).
    pub fn add_note(
        &mut self,
        author: AgentId,
        number: TicketNumber,
        text: &str,
    ) -> Result<MessageId> {
        if text.trim().is_empty() {
            return Err(StoreError::invalid(
                format!("note on ticket {number}"),
                "is empty",
            ));
        }
        self.add_message(
            Actor::Agent(author),
            number,
            &NewMessage::note(author, text),
            Expect::Any,
        )
    }

    /// The stored raw bytes for a content hash.
    pub fn blob(&self, hash: &ContentHash) -> Result<Vec<u8>> {
        self.read()
            .query_row(
                "SELECT data FROM blobs WHERE hash = ?1",
                [hash.as_str()],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::not_found(format!("raw message {hash}")))
    }
}

/// Stores bytes under their hash; storing the same bytes again is a no-op.
pub(crate) fn put_blob(tx: &Connection, bytes: &[u8], now: Timestamp) -> Result<ContentHash> {
    let hash = ContentHash::of(bytes);
    tx.execute(
        "INSERT OR IGNORE INTO blobs (hash, size, data, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![hash.as_str(), bytes.len() as i64, bytes, ms(now)],
    )
    .map_err(StoreError::sql("store raw bytes"))?;
    Ok(hash)
}

pub(crate) fn add_in_tx(
    tx: &Connection,
    actor: Actor,
    t: &Ticket,
    msg: &NewMessage,
    now: Timestamp,
) -> Result<MessageId> {
    let raw = msg
        .raw
        .as_deref()
        .map(|b| put_blob(tx, b, now))
        .transpose()?;
    add_stored_in_tx(tx, actor, t, msg, raw, now)
}

/// Like [`add_in_tx`] for a message whose raw bytes are already stored under `raw` (ingest
/// stores them first of all, before it knows what the mail will become).
pub(crate) fn add_stored_in_tx(
    tx: &Connection,
    actor: Actor,
    t: &Ticket,
    msg: &NewMessage,
    raw: Option<ContentHash>,
    now: Timestamp,
) -> Result<MessageId> {
    let received = msg.received_at.unwrap_or(now);
    tx.execute(
        "INSERT INTO messages (ticket_id, direction, raw_hash, message_id, in_reply_to, refs,
             from_name, from_address, to_json, cc_json, date, subject, body_text, body_html,
             attachments_json, author_id, received_at, created_at, automatic, imported,
             dedupe_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21)",
        params![
            t.id.0,
            msg.direction.as_str(),
            raw.as_ref().map(|h| h.as_str()),
            msg.message_id,
            to_json(&msg.in_reply_to),
            to_json(&msg.references),
            msg.from.as_ref().and_then(|p| p.name.clone()),
            msg.from.as_ref().map(|p| p.address.clone()),
            to_json(&msg.to),
            to_json(&msg.cc),
            opt_ms(msg.date),
            msg.subject,
            msg.text,
            msg.html,
            to_json(&msg.attachments),
            msg.author.map(|a| a.0),
            ms(received),
            ms(now),
            msg.automatic,
            msg.imported,
            msg.dedupe_key,
        ],
    )
    .map_err(StoreError::sql("store a message"))?;
    let id = MessageId(tx.last_insert_rowid());

    let (action, summary) = match msg.direction {
        Direction::Note => (Action::NoteAdded, excerpt(&msg.text)),
        d => (Action::MessageAdded, format!("{d} message {id}")),
    };
    record(
        tx,
        EventRecord {
            ticket: Some(t.id),
            actor,
            action,
            before: None,
            after: Some(&summary),
        },
        now,
    )?;
    // An out-of-office answer to our reply must not reopen the ticket it threads into.
    if msg.direction == Direction::Incoming
        && !msg.automatic
        && let Some(new) = t.status.on_customer_message()
    {
        write_status(tx, t.id, &new)?;
        record(
            tx,
            EventRecord {
                ticket: Some(t.id),
                actor: Actor::System,
                action: Action::StatusChanged,
                before: Some(&t.status.describe()),
                after: Some(&new.describe()),
            },
            now,
        )?;
    }
    recompute_timeline(tx, t.id)?;
    bump(tx, t.id, now)?;
    Ok(id)
}

/// The first line of a note, shortened, for the audit log.
fn excerpt(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut s: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        s.push('…');
    }
    s
}
