//! Composing a reply: From the inbox's address and display name, To the customer (reply-all
//! keeps the others minus our own addresses), "Re:" once, In-Reply-To and References so the
//! customer's mail client shows one conversation, and a Message-ID on our domain carrying the
//! signed ticket reference that ingest threads by. The text is UTF-8, or ISO-2022-JP for
//! contacts who need it (`charset`); with attachments the message is multipart/mixed with the
//! text first (`attach`).

use chrono::Utc;
use hako_domain::threading::token::SigningKey;
use hako_domain::{EmailAddress, TicketId, Timestamp};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use thiserror::Error;

use crate::recipients::reply_recipients;
use crate::subject::reply_subject;

mod attach;
mod charset;
mod text;

pub use attach::{Attachment, content_type_for};
pub use charset::Charset;

/// How many References a reply carries: the first and the newest are what clients use.
const MAX_REFERENCES: usize = 20;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ComposeError {
    /// Something that must never be sent (control characters, a robot, ourselves).
    #[error("cannot compose the reply: {0}")]
    Unsafe(String),
    #[error("cannot compose the reply: {0}")]
    Build(String),
}

/// The quoted message under the reply.
#[derive(Debug, Clone, Copy)]
pub struct Quote<'a> {
    pub who: &'a str,
    pub date: Timestamp,
    pub text: &'a str,
}

/// Everything a reply needs; the caller gathers it from the ticket and the inbox.
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    pub inbox_address: &'a str,
    pub inbox_display_name: &'a str,
    pub signature: &'a str,
    pub ticket: TicketId,
    /// Appended to the subject as `[#N]` when set.
    pub subject_tag: Option<i64>,
    pub customer: &'a str,
    pub customer_name: Option<&'a str>,
    /// The To and Cc addresses of the message replied to (for reply-all).
    pub others: &'a [String],
    pub reply_all: bool,
    pub original_subject: &'a str,
    /// Message-ID and References of the message replied to.
    pub in_reply_to: Option<&'a str>,
    pub references: &'a [String],
    pub quote: Option<Quote<'a>>,
    pub body: &'a str,
    /// Every address of ours, never a recipient.
    pub our_addresses: &'a [String],
    pub key: &'a SigningKey,
    /// Unique per message (random hex).
    pub nonce: &'a str,
    pub date: Timestamp,
    /// Sent after the text, in this order.
    pub attachments: &'a [Attachment],
    /// The contact's charset; ISO-2022-JP falls back to UTF-8 when the reply needs that.
    pub charset: Charset,
    /// An automatic message (an acknowledgement): marked `Auto-Submitted: auto-replied`
    /// (RFC 3834) so the customer's own auto-responder does not answer it.
    pub automatic: bool,
}

/// The reply, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Without angle brackets; stable across retries (delivery is at-least-once).
    pub message_id: String,
    pub to: EmailAddress,
    pub cc: Vec<EmailAddress>,
    pub subject: String,
    /// The text as sent: body, signature, quote (with ISO-2022-JP, its look-alikes mapped).
    pub text: String,
    pub raw: Vec<u8>,
    /// The charset actually used.
    pub charset: Charset,
}

fn bare(id: &str) -> &str {
    id.trim().trim_start_matches('<').trim_end_matches('>')
}

fn mailbox(name: Option<&str>, address: &EmailAddress) -> Result<Mailbox, ComposeError> {
    let addr = address
        .as_str()
        .parse()
        .map_err(|e| ComposeError::Unsafe(format!("address {address}: {e}")))?;
    Ok(Mailbox::new(name.map(str::to_string), addr))
}

pub fn compose(r: &Reply<'_>) -> Result<Composed, ComposeError> {
    if r.original_subject
        .chars()
        .any(|c| c.is_control() && c != '\t')
    {
        return Err(ComposeError::Unsafe(
            "the subject contains control characters".into(),
        ));
    }
    let (to, cc) = reply_recipients(r.customer, r.others, r.reply_all, r.our_addresses)?;
    let from_addr = EmailAddress::parse(r.inbox_address)
        .map_err(|e| ComposeError::Unsafe(format!("inbox address: {e}")))?;
    let domain = from_addr.domain().to_string();
    let message_id = r.key.message_id(r.ticket, r.nonce, &domain);
    let subject = reply_subject(r.original_subject, r.subject_tag);
    let text = text::text_of(r);
    let attachments = r
        .attachments
        .iter()
        .map(attach::part)
        .collect::<Result<Vec<_>, _>>()?;
    let jis = match r.charset {
        Charset::Iso2022Jp => {
            charset::Jis::new(&subject, &text, r.inbox_display_name, r.customer_name)
        }
        Charset::Utf8 => None,
    };
    let (subject, text, from_name, to_name) = match &jis {
        Some(j) => (
            j.subject.clone(),
            j.text.clone(),
            j.from_name.as_str(),
            j.to_name.as_deref(),
        ),
        None => (subject, text, r.inbox_display_name, r.customer_name),
    };

    let mut refs: Vec<String> = r.references.iter().map(|x| bare(x).to_string()).collect();
    if let Some(parent) = r.in_reply_to.map(bare)
        && !refs.iter().any(|x| x == parent)
    {
        refs.push(parent.to_string());
    }
    if refs.len() > MAX_REFERENCES {
        // Keep the thread's root and the newest ones.
        let tail = refs.split_off(refs.len() - (MAX_REFERENCES - 1));
        refs.truncate(1);
        refs.extend(tail);
    }

    let mut b = Message::builder()
        .from(mailbox(Some(from_name), &from_addr)?)
        .to(mailbox(to_name, &to)?)
        .subject(subject.clone())
        .message_id(Some(format!("<{message_id}>")))
        .date(std::time::SystemTime::from(r.date.with_timezone(&Utc)));
    for c in &cc {
        b = b.cc(mailbox(None, c)?);
    }
    if let Some(parent) = r.in_reply_to.map(bare) {
        b = b.in_reply_to(format!("<{parent}>"));
    }
    if !refs.is_empty() {
        let joined: Vec<String> = refs.iter().map(|x| format!("<{x}>")).collect();
        b = b.references(joined.join(" "));
    }
    let text_part = match &jis {
        Some(j) => j.part(attachments.is_empty()),
        None => SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(text.clone()),
    };
    let built = if attachments.is_empty() {
        b.singlepart(text_part)
    } else {
        let mixed = attachments
            .into_iter()
            .fold(MultiPart::mixed().singlepart(text_part), |m, p| {
                m.singlepart(p)
            });
        b.multipart(mixed)
    };
    let mut msg = built.map_err(|e| ComposeError::Build(e.to_string()))?;
    if let Some(j) = &jis {
        j.rewrite(msg.headers_mut(), from_addr.as_str(), to.as_str());
    }
    if r.automatic {
        use lettre::message::header::{HeaderName, HeaderValue};
        for (name, value) in [
            ("Auto-Submitted", "auto-replied"),
            // Exchange and Outlook: no out-of-office answers to this either.
            ("X-Auto-Response-Suppress", "All"),
        ] {
            msg.headers_mut().insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str(name),
                value.to_string(),
            ));
        }
    }
    Ok(Composed {
        message_id,
        to,
        cc,
        subject,
        text,
        raw: msg.formatted(),
        charset: if jis.is_some() {
            Charset::Iso2022Jp
        } else {
            Charset::Utf8
        },
    })
}

#[cfg(test)]
mod tests;
