//! Waiting for new mail with IDLE (RFC 2177). One call is one IDLE command,
//! capped at [`MAX_IDLE`] because servers may drop a client that idles for
//! 30 minutes (and NAT boxes much sooner); the caller loops. Only EXISTS
//! (new mail; RFC 3501 §7.3.1) ends it early: expunges, flag changes and
//! keep-alives (`* OK Still here`) do not. `DONE` is bounded by the
//! per-command timeout.

use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::imap_proto::{MailboxDatum, Response};
use tokio::time::Instant;

use super::client::Client;
use super::command::{network, within};
use super::error::ImapError;

/// The longest single IDLE; the issue asks for re-issuing at least every
/// 10 minutes.
pub const MAX_IDLE: Duration = Duration::from_secs(9 * 60 + 30);

/// Why [`Client::idle`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleOutcome {
    /// New mail arrived in the selected folder: search for it.
    NewData,
    /// `wait` (or [`MAX_IDLE`]) passed without new mail.
    Timeout,
    /// The `interrupt` future of [`Client::idle_until`] completed.
    Interrupted,
}

impl Client {
    /// Waits up to `wait` (at most [`MAX_IDLE`]) for new mail in the
    /// selected folder. Returns `NewData` at once if news arrived since the
    /// last search. Needs [`has_idle`](Self::has_idle); without it, poll
    /// with [`uids_after`](Self::uids_after) every `poll_seconds` instead.
    pub async fn idle(&mut self, wait: Duration) -> Result<IdleOutcome, ImapError> {
        self.idle_until(wait, std::future::pending::<()>()).await
    }

    /// Like [`idle`](Self::idle), but also ends (with DONE, keeping the
    /// connection usable) when `interrupt` completes: a shutdown signal or
    /// a "sync now" request. Dropping the returned future instead loses the
    /// connection.
    pub async fn idle_until(
        &mut self,
        wait: Duration,
        interrupt: impl Future<Output = ()>,
    ) -> Result<IdleOutcome, ImapError> {
        let op = "wait for new mail (IDLE)";
        self.require_selected(op)?;
        if !self.has_idle() {
            return Err(ImapError::Unsupported {
                at: self.here(),
                op,
                capability: "IDLE",
            });
        }
        if self.take_new_mail() {
            return Ok(IdleOutcome::NewData);
        }
        let (at, limit) = (self.here(), self.timeout);
        let Some(session) = self.session.take() else {
            return Err(ImapError::Closed { at, op });
        };
        // From here on an error leaves `self.session` empty: the
        // connection is in an unknown state.
        let mut handle = session.idle();
        within(limit, &at, op, handle.init())
            .await?
            .map_err(|e| network(&at, op, e))?;

        let deadline = Instant::now() + wait.min(MAX_IDLE);
        tokio::pin!(interrupt);
        let outcome = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                break IdleOutcome::Timeout;
            }
            let (response, _stop) = handle.wait_with_timeout(remaining);
            // The crate's own timeout restarts on every keep-alive; this one
            // does not.
            let response = tokio::select! {
                r = tokio::time::timeout(remaining, response) => r,
                () = &mut interrupt => break IdleOutcome::Interrupted,
            };
            match response {
                Err(_) | Ok(Ok(IdleResponse::Timeout)) => break IdleOutcome::Timeout,
                Ok(Ok(IdleResponse::ManualInterrupt)) => break IdleOutcome::Interrupted,
                Ok(Ok(IdleResponse::NewData(data))) => {
                    if matches!(
                        data.parsed(),
                        Response::MailboxData(MailboxDatum::Exists(_))
                    ) {
                        break IdleOutcome::NewData;
                    }
                }
                Ok(Err(e)) => return Err(network(&at, op, e)),
            }
        };
        let session = within(limit, &at, op, handle.done())
            .await?
            .map_err(|e| network(&at, op, e))?;
        self.session = Some(session);
        Ok(outcome)
    }
}
