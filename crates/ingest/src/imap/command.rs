//! Running one tagged command: send it, hand every untagged response to the
//! caller, and check the tagged completion — all under the per-command
//! timeout, one read at a time (so a long FETCH may take as long as it
//! keeps delivering).
//!
//! Why not async-imap's own `uid_search` / `uid_fetch` / `uid_store`: in
//! 0.12 they stop at the tagged response without checking it, so a `NO`,
//! a `BAD` or a connection closed at a response boundary all look like an
//! empty, successful result. For a sync that would mean "no new mail" or,
//! worse, "the rest of the batch was expunged".

use std::time::Duration;

use async_imap::imap_proto::{MailboxDatum, Outcome, Response, ResponseCode, Status};

use super::client::Client;
use super::error::{ImapError, Location, refusal_kind};

/// What the tagged OK said that a caller may need.
#[derive(Debug, Default)]
pub(crate) struct Tagged {
    /// `[READ-ONLY]`: the folder was opened without write access.
    pub read_only: bool,
}

impl Client {
    /// Runs `command` (already IMAP syntax) as step `op`. Untagged responses
    /// go to `on_data`, except `BYE`. A network error or timeout drops the
    /// connection: the protocol state is unknown afterwards.
    pub(crate) async fn run<F>(
        &mut self,
        op: &'static str,
        command: &str,
        mut on_data: F,
    ) -> Result<Tagged, ImapError>
    where
        F: FnMut(&Response<'_>),
    {
        let at = self.here();
        let limit = self.timeout;
        let Some(session) = self.session.as_mut() else {
            return Err(ImapError::Closed { at, op });
        };
        let mut new_mail = false;
        let mut bye: Option<String> = None;
        let result = async {
            let tag = within(limit, &at, op, session.run_command(command))
                .await?
                .map_err(|source| network(&at, op, source))?;
            loop {
                let read = within(limit, &at, op, session.read_response()).await?;
                let Some(response) = read.map_err(|e| network(&at, op, e.into()))? else {
                    return Err(closed_by_server(&at, op, bye.as_deref()));
                };
                match response.parsed() {
                    Response::Done {
                        tag: done,
                        status,
                        outcome,
                    } if *done == tag => {
                        return match status {
                            Status::Ok => Ok(Tagged {
                                read_only: matches!(outcome.code, Some(ResponseCode::ReadOnly)),
                            }),
                            _ => {
                                let response = describe(status, outcome);
                                Err(ImapError::Refused {
                                    kind: refusal_kind(&response),
                                    at,
                                    op,
                                    response,
                                })
                            }
                        };
                    }
                    Response::Data {
                        status: Status::Bye,
                        outcome,
                    } => bye = Some(describe(&Status::Bye, outcome)),
                    other => {
                        if matches!(other, Response::MailboxData(MailboxDatum::Exists(_))) {
                            new_mail = true;
                        }
                        on_data(other);
                    }
                }
            }
        }
        .await;
        self.new_mail |= new_mail;
        if let Err(e) = &result
            && !matches!(e, ImapError::Refused { .. })
        {
            self.session = None;
        }
        result
    }
}

/// `fut`, or a [`ImapError::Timeout`] after `limit`.
pub(crate) async fn within<T>(
    limit: Duration,
    at: &Location,
    op: &'static str,
    fut: impl Future<Output = T>,
) -> Result<T, ImapError> {
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| ImapError::Timeout {
            at: at.clone(),
            op,
            after: limit,
        })
}

pub(crate) fn network(
    at: &Location,
    op: &'static str,
    source: async_imap::error::Error,
) -> ImapError {
    ImapError::Network {
        at: at.clone(),
        op,
        source,
    }
}

fn closed_by_server(at: &Location, op: &'static str, bye: Option<&str>) -> ImapError {
    let source = match bye {
        Some(text) => async_imap::error::Error::Io(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            format!("the server closed the connection ({text})"),
        )),
        None => async_imap::error::Error::ConnectionLost,
    };
    network(at, op, source)
}

/// A status response as text, e.g. `NO [TRYCREATE] Mailbox doesn't exist`.
/// Codes imap-proto does not know stay in the text, so the bracketed code
/// is always there for [`refusal_kind`].
pub(crate) fn describe(status: &Status, outcome: &Outcome<'_>) -> String {
    let mut out = match status {
        Status::Ok => "OK",
        Status::No => "NO",
        Status::Bad => "BAD",
        Status::PreAuth => "PREAUTH",
        Status::Bye => "BYE",
    }
    .to_owned();
    if let Some(code) = &outcome.code {
        let code = match code {
            ResponseCode::ReadOnly => "READ-ONLY".to_owned(),
            other => format!("{other:?}").to_ascii_uppercase(),
        };
        out.push_str(&format!(" [{code}]"));
    }
    if let Some(text) = &outcome.information {
        out.push(' ');
        out.push_str(text);
    }
    out
}
