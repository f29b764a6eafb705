//! A reply from request to outbox row: the one path the CLI, the web UI, automatic replies
//! and an approver's edit all take. It gathers what [`compose`](crate::compose) needs from
//! the ticket (the customer's last message, recipients, our addresses, the signing key),
//! composes, and returns the [`NewReply`] to queue — or, for an edit, the [`Edit`] that
//! replaces a waiting reply's message under the same Message-ID.

mod vars;

use chrono::Duration;
use hako_domain::{Agent, Direction, Status, TicketNumber, Timestamp};
use hako_store::outbox::{Edit, NewReply, OutboxItem};
use hako_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::io::Read;
use thiserror::Error;

use crate::compose::{Attachment, Charset, ComposeError, Quote, Reply, compose};
use crate::template::TemplateError;

pub use vars::{context_for, render_source, render_template};

#[derive(Debug, Error)]
pub enum DraftError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("ticket {ticket}: {source}")]
    Compose {
        ticket: TicketNumber,
        source: ComposeError,
    },
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("ticket {0}: the customer has no address to reply to")]
    NoAddress(TicketNumber),
    #[error("cannot read random bytes for a Message-ID: {0}")]
    Random(std::io::Error),
    #[error("outbox entry {id}: its draft cannot be read: {why}")]
    Draft { id: i64, why: String },
}

/// How the reply is composed: kept with the outbox row (JSON) so an approver's edit composes
/// the same message around new text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftOptions {
    /// Also to the others in To/Cc of the customer's message.
    #[serde(default)]
    pub reply_all: bool,
    /// `[#N]` in the subject.
    #[serde(default)]
    pub tag: bool,
    /// The customer's message quoted under the reply.
    #[serde(default)]
    pub quote: bool,
    /// Files sent with the reply, stored as blobs.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// An attachment kept in the blob store until the reply is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub filename: String,
    pub content_type: String,
    pub hash: String,
}

impl DraftOptions {
    /// Stores `files` and refers to them from the options.
    pub fn attach(&mut self, store: &mut Store, files: Vec<Attachment>) -> Result<(), DraftError> {
        for f in files {
            let hash = store.store_blob(&f.data)?;
            self.attachments.push(AttachmentRef {
                filename: f.filename,
                content_type: f.content_type,
                hash: hash.as_str().to_string(),
            });
        }
        Ok(())
    }
}

/// What the agent (or the automatic-reply worker) asks for.
#[derive(Debug, Clone)]
pub struct ReplyRequest<'a> {
    pub ticket: TicketNumber,
    pub author: Option<&'a Agent>,
    /// The text, template already rendered.
    pub body: String,
    pub options: DraftOptions,
    /// Not before this: a scheduled time, or now plus the undo window.
    pub send_at: Timestamp,
    pub retry_for: Duration,
    pub status_after: Option<Status>,
    pub automatic: bool,
}

/// 16 random hex digits: a Message-ID's unique part.
pub fn nonce() -> Result<String, DraftError> {
    let mut b = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .map_err(DraftError::Random)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// Composes the reply `req` asks for, ready for [`Store::queue_reply`].
pub fn prepare(store: &mut Store, req: &ReplyRequest<'_>) -> Result<NewReply, DraftError> {
    let nonce = nonce()?;
    let c = build(
        store,
        req.ticket,
        &req.body,
        &req.options,
        &nonce,
        req.automatic,
    )?;
    Ok(NewReply {
        ticket: req.ticket,
        author: req.author.map(|a| a.id),
        message_id: c.composed.message_id,
        raw: c.composed.raw,
        envelope_from: c.envelope_from,
        recipients: c.recipients,
        subject: c.composed.subject,
        text: c.composed.text,
        body: req.body.clone(),
        draft: serde_json::to_string(&req.options).unwrap_or_else(|_| "{}".into()),
        nonce,
        automatic: req.automatic,
        send_at: req.send_at,
        retry_for: req.retry_for,
        status_after: req.status_after.clone(),
    })
}

/// The waiting reply `item` composed again around `body`, Message-ID unchanged.
pub fn recompose(store: &mut Store, item: &OutboxItem, body: &str) -> Result<Edit, DraftError> {
    let options: DraftOptions =
        serde_json::from_str(&item.draft).map_err(|e| DraftError::Draft {
            id: item.id,
            why: e.to_string(),
        })?;
    let c = build(
        store,
        item.ticket,
        body,
        &options,
        &item.nonce,
        item.automatic,
    )?;
    Ok(Edit {
        body: body.to_string(),
        text: c.composed.text,
        subject: c.composed.subject,
        raw: c.composed.raw,
        draft: item.draft.clone(),
    })
}

struct Built {
    composed: crate::compose::Composed,
    envelope_from: String,
    recipients: Vec<String>,
}

fn build(
    store: &mut Store,
    n: TicketNumber,
    body: &str,
    o: &DraftOptions,
    nonce: &str,
    automatic: bool,
) -> Result<Built, DraftError> {
    let d = store.ticket_detail(n)?;
    let charset = match store.contact_charset(d.contact.id)?.as_str() {
        "iso-2022-jp" => Charset::Iso2022Jp,
        _ => Charset::Utf8,
    };
    let attachments = o
        .attachments
        .iter()
        .map(|a| {
            Ok(Attachment {
                filename: a.filename.clone(),
                content_type: a.content_type.clone(),
                data: store.blob(&hako_domain::ContentHash::from_hex(a.hash.clone()))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let ours: Vec<String> = store
        .inboxes()?
        .iter()
        .map(|i| i.address.normalized())
        .collect();
    let last_in = d
        .messages
        .iter()
        .rev()
        .find(|m| m.direction == Direction::Incoming);
    let customer = last_in
        .and_then(|m| m.from.as_ref().map(|f| f.address.clone()))
        .or_else(|| d.contact.addresses.first().map(|x| x.to_string()))
        .ok_or(DraftError::NoAddress(n))?;
    let others: Vec<String> = last_in
        .map(|m| {
            m.to.iter()
                .chain(&m.cc)
                .map(|p| p.address.clone())
                .collect()
        })
        .unwrap_or_default();
    let key = store.signing_key()?;
    let quote = last_in.filter(|_| o.quote).map(|m| Quote {
        who: m
            .from
            .as_ref()
            .map_or("", |f| f.name.as_deref().unwrap_or(&f.address)),
        date: m.date.unwrap_or(m.created_at),
        text: &m.text,
    });
    let inbox = &d.inbox;
    let composed = compose(&Reply {
        inbox_address: inbox.address.as_str(),
        inbox_display_name: &inbox.display_name,
        signature: &inbox.signature,
        ticket: d.ticket.id,
        subject_tag: o.tag.then_some(n.0),
        customer: &customer,
        customer_name: d.contact.name.as_deref(),
        others: &others,
        reply_all: o.reply_all,
        original_subject: last_in.map_or(d.ticket.subject.as_str(), |m| m.subject.as_str()),
        in_reply_to: last_in.and_then(|m| m.message_id.as_deref()),
        references: last_in.map_or(&[][..], |m| m.references.as_slice()),
        quote,
        body,
        our_addresses: &ours,
        key: &key,
        nonce,
        date: store.now(),
        attachments: &attachments,
        charset,
        automatic,
    })
    .map_err(|source| DraftError::Compose { ticket: n, source })?;
    let mut recipients = vec![composed.to.to_string()];
    recipients.extend(composed.cc.iter().map(|c| c.to_string()));
    Ok(Built {
        composed,
        envelope_from: inbox.address.to_string(),
        recipients,
    })
}
