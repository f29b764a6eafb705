//! The parsed message: what the ingest pipeline stores and the UI shows.

use chrono::{DateTime, Utc};
use hako_domain::Participant;
use serde::{Deserialize, Serialize};

/// One received mail, decoded. Built by [`crate::parse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedMessage {
    /// Without angle brackets. Derived (see `message_id_derived`) when the mail has none.
    pub message_id: String,
    /// True when the mail had no usable Message-ID and `message_id` is
    /// `<first 32 hex digits of sha256(raw)>@hako.invalid`.
    pub message_id_derived: bool,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from: Option<Participant>,
    pub sender: Option<Participant>,
    pub reply_to: Vec<Participant>,
    pub to: Vec<Participant>,
    pub cc: Vec<Participant>,
    /// Delivered-To, X-Original-To, X-Delivered-To and Envelope-To addresses, lowercased, in
    /// header order, without duplicates: which of our addresses received the mail.
    pub delivered_to: Vec<String>,
    /// The envelope sender from Return-Path; `Some("")` for the null sender `<>`.
    pub return_path: Option<String>,
    pub date: Option<DateTime<Utc>>,
    /// Decoded subject; empty when there is none.
    pub subject: String,
    /// [`crate::normalize_subject`] of `subject`.
    pub thread_subject: String,
    /// Ticket numbers from `[#1042]` tags in the subject, in order, without duplicates.
    pub ticket_tags: Vec<i64>,
    /// The plain-text body, or text derived from the HTML body. Line ends are `\n`.
    pub text: String,
    /// The HTML body as received (not sanitised). Line ends are `\n`.
    pub html: Option<String>,
    pub attachments: Vec<ParsedAttachment>,
    pub kind: MailKind,
    /// Any sign that no person wrote this mail: never answer it automatically (RFC 3834).
    pub auto_submitted: bool,
    /// What was repaired, guessed or could not be decoded, e.g.
    /// `"subject: re-decoded split encoded-words"`.
    pub warnings: Vec<String>,
}

/// What kind of mail this is, for the ingest filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailKind {
    #[default]
    Normal,
    /// Out-of-office and other automatic replies (RFC 3834 `auto-replied`, X-Autoreply, …).
    AutoReply,
    /// Delivery status notifications (RFC 3464) and other bounces.
    Bounce,
    /// Mailing lists and newsletters (RFC 2369/2919 List-* headers, Precedence: bulk/list).
    List,
}

/// A MIME part that is not part of the body text: files, inline images, attached messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedAttachment {
    pub filename: Option<String>,
    /// `type/subtype`, lowercase, without parameters.
    pub content_type: String,
    pub size: u64,
    /// Without angle brackets.
    pub content_id: Option<String>,
    /// Shown in the body (Content-Disposition: inline, or a Content-ID without a disposition)
    /// rather than offered as a download.
    pub inline: bool,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
    /// The decoded content (transfer encoding removed).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}
