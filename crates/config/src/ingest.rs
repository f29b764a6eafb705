//! `[ingest]`: limits and threading settings of the mail ingest pipeline,
//! shared by every inbox. All keys are optional; an absent table means the
//! defaults below.

use serde::Deserialize;

/// `[ingest]`: how incoming mail is accepted and threaded into tickets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Mails larger than this many bytes (raw) are quarantined, not parsed.
    #[serde(default = "default_max_message_bytes")]
    pub max_message_bytes: u64,
    /// Mails with more MIME parts than this are quarantined.
    #[serde(default = "default_max_parts")]
    pub max_parts: u32,
    /// Mails stored per database transaction.
    #[serde(default = "default_batch")]
    pub batch: u32,
    /// Whether a mail without usable references may join a ticket with the
    /// same subject and participants.
    #[serde(default = "default_true")]
    pub subject_threading: bool,
    /// How many days back subject threading looks.
    #[serde(default = "default_subject_window_days")]
    pub subject_window_days: u32,
    /// How many days after closing a reply still reopens the ticket instead
    /// of starting a new one.
    #[serde(default = "default_reopen_window_days")]
    pub reopen_window_days: u32,
}

/// `[outbox]`: how replies are sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxConfig {
    /// Every reply waits this long before it is sent, so "undo" can still stop it.
    #[serde(default = "default_undo_seconds")]
    pub undo_seconds: u32,
    /// How long temporary failures (4xx answers, no connection) are retried.
    #[serde(default = "default_retry_hours")]
    pub retry_hours: u32,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            undo_seconds: default_undo_seconds(),
            retry_hours: default_retry_hours(),
        }
    }
}

fn default_undo_seconds() -> u32 {
    10
}

fn default_retry_hours() -> u32 {
    48
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_message_bytes: default_max_message_bytes(),
            max_parts: default_max_parts(),
            batch: default_batch(),
            subject_threading: true,
            subject_window_days: default_subject_window_days(),
            reopen_window_days: default_reopen_window_days(),
        }
    }
}

fn default_max_message_bytes() -> u64 {
    50 * 1024 * 1024
}

fn default_max_parts() -> u32 {
    2000
}

fn default_batch() -> u32 {
    100
}

pub(crate) fn default_true() -> bool {
    true
}

fn default_subject_window_days() -> u32 {
    14
}

fn default_reopen_window_days() -> u32 {
    30
}
