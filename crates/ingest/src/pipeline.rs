//! The ingest pipeline shared by IMAP sync, `hako import` and `hako reprocess`: raw bytes are
//! parsed into what the store needs, then handed to the store in batches. A mail the parser
//! refuses is not an error here: it goes to the quarantine with the parser's reason.

use hako_domain::threading::ThreadingPolicy;
use hako_domain::{Direction, InboxId, Timestamp};
use hako_mail::{Limits, MailKind, ParsedMessage};
use hako_store::ingest::{Content, IncomingMail, Outcome, ParsedMail, Source};
use hako_store::{NewMessage, Store, StoreError};
use sha2::{Digest, Sha256};

/// Parses one raw mail into an [`IncomingMail`] for the store.
///
/// `received_at` is when the mail reached the mailbox (IMAP INTERNALDATE); without it the
/// Date: header is used, then `now`. `imported` marks old mail that must trigger nothing.
pub fn prepare(
    raw: Vec<u8>,
    source: Source,
    inbox: InboxId,
    received_at: Option<Timestamp>,
    imported: bool,
    limits: &Limits,
    now: Timestamp,
) -> IncomingMail {
    let content = match hako_mail::parse(&raw, limits) {
        Ok(parsed) => Content::Parsed(Box::new(to_store(&raw, parsed, imported))),
        Err(e) => Content::Unparseable {
            reason: e.to_string(),
        },
    };
    let date = match &content {
        Content::Parsed(p) => p.message.date,
        Content::Unparseable { .. } => None,
    };
    IncomingMail {
        source,
        inbox,
        received_at: received_at.or(date).unwrap_or(now),
        raw,
        content,
    }
}

/// The bytes after the header: what the sender wrote, the same in every copy delivered.
fn body_of(raw: &[u8]) -> &[u8] {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => &raw[a.min(b)..],
        (Some(a), None) | (None, Some(a)) => &raw[a..],
        (None, None) => &[],
    }
}

/// Message-ID plus a hash of From, Date, Subject and the body: the same mail delivered to two
/// of our addresses differs only in the trace headers each delivery adds (Received,
/// Delivered-To, Return-Path), so this is equal for both copies and different otherwise.
fn content_digest(raw: &[u8], p: &ParsedMessage) -> String {
    let mut h = Sha256::new();
    h.update(
        p.from
            .as_ref()
            .map(|f| f.address.to_lowercase())
            .unwrap_or_default(),
    );
    h.update(b"\0");
    h.update(
        p.date
            .map(|d| d.timestamp().to_string())
            .unwrap_or_default(),
    );
    h.update(b"\0");
    h.update(p.subject.as_bytes());
    h.update(b"\0");
    h.update(body_of(raw));
    hex::encode(h.finalize())
}

fn to_store(raw: &[u8], p: ParsedMessage, imported: bool) -> ParsedMail {
    let digest = content_digest(raw, &p);
    // A missing Message-ID is derived from the content, not the raw bytes, so both copies of
    // a mail sent to two of our addresses get the same one.
    let message_id = if p.message_id_derived {
        format!("{}@hako.invalid", &digest[..32])
    } else {
        p.message_id.clone()
    };
    let sender = match p.kind {
        // A bounce is from the mail system, not from a customer to keep as a contact.
        MailKind::Bounce => None,
        _ => p.from.as_ref().map(|f| f.address.to_lowercase()),
    };
    let recipients =
        p.to.iter()
            .chain(p.cc.iter())
            .map(|r| r.address.to_lowercase())
            .chain(p.delivered_to.iter().cloned())
            .collect();
    let message = NewMessage {
        direction: Direction::Incoming,
        raw: None,
        message_id: Some(message_id.clone()),
        in_reply_to: p.in_reply_to,
        references: p.references,
        from: p.from.clone(),
        to: p.to,
        cc: p.cc,
        date: p.date,
        subject: p.subject,
        text: p.text,
        html: p.html,
        attachments: p
            .attachments
            .into_iter()
            .map(|a| hako_domain::Attachment {
                filename: a.filename,
                content_type: a.content_type,
                size: a.size,
                content_id: a.content_id,
                // The bytes stay inside the raw message; they are cut out on download.
                blob: None,
            })
            .collect(),
        author: None,
        received_at: None,
        automatic: p.auto_submitted,
        imported,
        dedupe_key: Some(format!("{message_id}/{digest}")),
    };
    ParsedMail {
        message,
        sender,
        sender_name: p.from.and_then(|f| f.name).filter(|n| !n.trim().is_empty()),
        normalized_subject: p.thread_subject,
        ticket_tags: p.ticket_tags,
        recipients,
    }
}

/// What became of a run of mails, counted by outcome (imports and sync passes report it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub created: u64,
    pub appended: u64,
    pub duplicates: u64,
    pub quarantined: u64,
    pub skipped: u64,
}

impl Tally {
    pub fn count(&mut self, o: &Outcome) {
        match o {
            Outcome::Created { .. } => self.created += 1,
            Outcome::Appended { .. } => self.appended += 1,
            Outcome::Duplicate { .. } | Outcome::AlreadySeen => self.duplicates += 1,
            Outcome::Quarantined { .. } => self.quarantined += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
        }
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new tickets, {} added to tickets, {} already stored, {} quarantined, {} skipped",
            self.created, self.appended, self.duplicates, self.quarantined, self.skipped
        )
    }
}

/// The threading policy and parser limits from the config's `[ingest]` table.
pub fn settings(config: &hako_config::Config) -> (ThreadingPolicy, Limits) {
    let i = &config.ingest;
    let policy = ThreadingPolicy {
        subject_match: i.subject_threading,
        subject_window: chrono::Duration::days(i64::from(i.subject_window_days)),
        reopen_window: chrono::Duration::days(i64::from(i.reopen_window_days)),
    };
    let limits = Limits {
        max_bytes: usize::try_from(i.max_message_bytes).unwrap_or(usize::MAX),
        max_parts: i.max_parts as usize,
        ..Limits::default()
    };
    (policy, limits)
}

/// Feeds prepared mail to the store with the threading policy from the config.
pub struct Ingestor {
    pub store: Store,
    pub policy: ThreadingPolicy,
    pub limits: Limits,
}

impl Ingestor {
    pub fn new(store: Store, policy: ThreadingPolicy, limits: Limits) -> Self {
        Ingestor {
            store,
            policy,
            limits,
        }
    }

    /// Persists one batch in one transaction.
    pub fn persist(&mut self, batch: &[IncomingMail]) -> Result<Vec<Outcome>, StoreError> {
        self.store.ingest(batch, &self.policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_starts_after_the_first_blank_line() {
        assert_eq!(body_of(b"A: b\r\nC: d\r\n\r\nhello\r\n"), b"hello\r\n");
        assert_eq!(body_of(b"A: b\n\nhello\n"), b"hello\n");
        assert_eq!(body_of(b"A: b\r\n"), b"");
    }

    #[test]
    fn two_deliveries_of_one_mail_share_a_dedupe_key() {
        let mail = "From: Taro <taro@customer.test>\r\nTo: support@example.test\r\n\
                    Cc: info@example.test\r\nSubject: =?UTF-8?B?6KuL5rGC5pu4?=\r\n\
                    Date: Wed, 25 Nov 2026 10:00:00 +0900\r\nMessage-ID: <x1@customer.test>\r\n\
                    \r\n請求書をお願いします\r\n";
        let a = format!("Delivered-To: support@example.test\r\nReceived: from a\r\n{mail}");
        let b = format!("Delivered-To: info@example.test\r\nReceived: from b\r\n{mail}");
        let now = chrono::Utc::now();
        let key = |raw: String| match prepare(
            raw.into_bytes(),
            Source::Import { label: "t".into() },
            InboxId(1),
            None,
            false,
            &Limits::default(),
            now,
        )
        .content
        {
            Content::Parsed(p) => p.message.dedupe_key.clone().unwrap(),
            other => panic!("{other:?}"),
        };
        let (ka, kb) = (key(a), key(b.clone()));
        assert_eq!(ka, kb);
        assert!(ka.starts_with("x1@customer.test/"));
        let changed = b.replace("請求書をお願いします", "別の本文");
        assert_ne!(key(changed), ka);
    }
}
