//! Composing a reply: From the inbox's address and display name, To the customer (reply-all
//! keeps the others minus our own addresses), "Re:" once, In-Reply-To and References so the
//! customer's mail client shows one conversation, and a Message-ID on our domain carrying the
//! signed ticket reference that ingest threads by. UTF-8 (ISO-2022-JP per contact is next).

use chrono::Utc;
use hako_domain::threading::token::SigningKey;
use hako_domain::{EmailAddress, TicketId, Timestamp};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, SinglePart};
use thiserror::Error;

use crate::recipients::reply_recipients;
use crate::subject::reply_subject;

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
}

/// The reply, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Without angle brackets; stable across retries (delivery is at-least-once).
    pub message_id: String,
    pub to: EmailAddress,
    pub cc: Vec<EmailAddress>,
    pub subject: String,
    /// The text as sent: body, signature, quote.
    pub text: String,
    pub raw: Vec<u8>,
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

/// The text as the customer will read it.
fn text_of(r: &Reply<'_>) -> String {
    let mut text = r.body.trim_end().replace("\r\n", "\n");
    if !r.signature.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(r.signature.trim_end());
    }
    if let Some(q) = r.quote {
        let when = q.date.format("%Y-%m-%d %H:%M UTC");
        text.push_str(&format!("\n\n{when} {}:\n", q.who));
        for line in q.text.lines() {
            text.push_str(if line.is_empty() { ">" } else { "> " });
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push('\n');
    text
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
    let text = text_of(r);

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
        .from(mailbox(Some(r.inbox_display_name), &from_addr)?)
        .to(mailbox(r.customer_name, &to)?)
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
    let msg = b
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(text.clone()),
        )
        .map_err(|e| ComposeError::Build(e.to_string()))?;
    Ok(Composed {
        message_id,
        to,
        cc,
        subject,
        text,
        raw: msg.formatted(),
    })
}

#[cfg(test)]
mod tests;
