//! The seam for the inboxes page's "test the connection" button. The web never speaks IMAP
//! or SMTP (STYLE.md): the binary installs a [`ConnectionTester`] that does (log in and open
//! the first IMAP folder; connect, EHLO and AUTH over SMTP without sending), and tests install
//! a fake.

use hako_config::InboxConfig;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What testing one inbox's connections found. `None`: the inbox has no such settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConnectionReport {
    /// `Ok`: what the server answered; `Err`: why it failed, in the server's or the system's
    /// words.
    pub imap: Option<Result<String, String>>,
    pub smtp: Option<Result<String, String>>,
}

pub type ConnectionFuture = Pin<Box<dyn Future<Output = ConnectionReport> + Send>>;

/// Tests the connections of one `[[inbox]]`.
pub type ConnectionTester = Arc<dyn Fn(InboxConfig) -> ConnectionFuture + Send + Sync>;
