//! The error type of the mail helpers.

use std::time::Duration;

/// Anything that can go wrong while talking to the test mail servers.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address given to a helper does not parse.
    #[error("invalid mail address {address:?}: {source}")]
    Address {
        address: String,
        source: lettre::address::AddressError,
    },
    /// lettre refused to build the message or envelope.
    #[error("cannot build message: {0}")]
    Message(#[from] lettre::error::Error),
    /// The SMTP conversation failed; `is_transient()` / `is_permanent()` /
    /// `status()` tell 4xx from 5xx replies.
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// The IMAP conversation failed.
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    /// Connecting, TLS handshake or reading the CA file failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The server closed the connection before its greeting.
    #[error("IMAP server closed the connection before greeting")]
    NoGreeting,
    /// [`crate::MailServers::wait_for_message`] gave up.
    #[error("no message containing {needle:?} in {user}'s {folder} after {waited:?}")]
    Timeout {
        user: String,
        folder: String,
        needle: String,
        waited: Duration,
    },
}
