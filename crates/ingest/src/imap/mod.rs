//! The IMAP client layer of mail ingest (async-imap on tokio): connecting
//! and logging in to one `[inbox.imap]` account, and the few commands the
//! sync loop needs — open a folder, find UIDs, fetch raw mail without
//! touching `\Seen`, mark seen or move after ingest, and IDLE. It keeps no
//! state between connections: the caller stores UIDVALIDITY and the last
//! UID, loops, and reconnects after [`backoff`].
//!
//! ```no_run
//! # async fn sync(cfg: &hako_config::ImapConfig, last_uid: u32) -> Result<(), hako_ingest::imap::ImapError> {
//! use std::time::Duration;
//! let mut client = hako_ingest::imap::connect(cfg).await?;
//! let info = client.select("INBOX").await?; // compare info.uidvalidity with the stored one
//! let uids = client.uids_after(last_uid).await?;
//! for mail in client.fetch(&uids).await? { /* ingest mail.raw, then advance the cursor */ }
//! if client.has_idle() {
//!     client.idle(Duration::from_secs(300)).await?;
//! }
//! client.logout().await
//! # }
//! ```
//!
//! Every command runs under `timeout_seconds`; a network error or timeout
//! drops the connection (later calls give [`ImapError::Closed`]), and
//! [`ImapError::is_retryable`] says whether reconnecting can help.

mod actions;
mod append;
mod auth;
mod backoff;
mod check;
mod client;
mod command;
mod connect;
mod error;
mod fetch;
mod idle;
mod stream;
mod tls;
mod wire;

pub use backoff::{MAX_BACKOFF, backoff};
pub use check::check;
pub use client::{Client, MailboxInfo};
pub use connect::connect;
pub use error::{ErrorKind, ImapError, Location};
pub use fetch::Fetched;
pub use idle::{IdleOutcome, MAX_IDLE};
