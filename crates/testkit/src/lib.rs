//! Test support shared by hako's integration tests and demo tooling.
//!
//! The main piece is [`mail_servers`]: real Dovecot (IMAP) and Postfix (SMTP)
//! instances on 127.0.0.1, started once per test process through
//! `scripts/mail-servers`, plus small SMTP/IMAP client helpers on
//! [`MailServers`] for sending test mail and reading mailboxes back.
//!
//! The other piece is [`browser`]: a headless Chromium driven through chromedriver, for
//! the web UI tests.
//!
//! Mailboxes are shared by every test of a run (and by concurrent runs), so
//! tests must tag what they send with [`unique_token`] and look only for
//! their own token.
//!
//! ```no_run
//! use std::time::Duration;
//! let mail = hako_testkit::mail_servers();
//! let token = hako_testkit::unique_token();
//! hako_testkit::block_on(async {
//!     mail.send("alice@customer.test", &["support@example.test"], &format!("Hi {token}"), "body")
//!         .await
//!         .unwrap();
//!     mail.wait_for_message("support@example.test", "INBOX", &token, Duration::from_secs(30))
//!         .await
//!         .unwrap();
//! });
//! ```

pub mod browser;
mod client;
mod error;
mod servers;

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use error::MailError;
pub use servers::{MailServers, mail_servers};

/// A token unique across test processes and runs (`tok-<pid>-<nanos>-<n>`),
/// made of `[a-z0-9-]` only so it survives headers, bodies and IMAP search.
pub fn unique_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("tok-{}-{nanos:x}-{n}", std::process::id())
}

/// Runs `future` to completion on a fresh single-threaded tokio runtime, for
/// synchronous `#[test]` functions (the root package has no tokio dependency).
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("build a tokio runtime")
        .block_on(future)
}
