//! `ImapError`: every way talking to an IMAP account can fail, each naming
//! the account (inbox, host:port) and the folder where one is involved, and
//! an [`ErrorKind`] that tells the worker whether a retry can help. No
//! message ever contains the password or token.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hako_config::{ImapAuth, ImapConfig};

/// Which account (and folder) an error is about. Shared strings: every
/// command clones one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub inbox: Arc<str>,
    pub host: Arc<str>,
    pub port: u16,
    pub folder: Option<Arc<str>>,
}

impl Location {
    pub(crate) fn account(cfg: &ImapConfig) -> Self {
        Self {
            inbox: cfg.inbox_name.as_str().into(),
            host: cfg.host.as_str().into(),
            port: cfg.port,
            folder: None,
        }
    }

    pub(crate) fn in_folder(&self, folder: &str) -> Self {
        Self {
            folder: Some(folder.into()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "inbox `{}` at {}:{}", self.inbox, self.host, self.port)?;
        match &self.folder {
            Some(folder) => write!(f, ", folder `{folder}`"),
            None => Ok(()),
        }
    }
}

/// What kind of failure, deciding retries (see [`ImapError::is_retryable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Connection refused, reset or closed: reconnect with backoff.
    Network,
    /// The server rejected the credentials: retrying cannot help until the
    /// operator fixes them.
    Auth,
    /// A step took longer than `timeout_seconds`; the connection is dropped.
    Timeout,
    /// The server refused or garbled a command; a fresh connection may work.
    Protocol,
    /// Something the operator has to fix: a missing folder, an untrusted
    /// certificate, an unreadable CA file, a password command that fails.
    Config,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An error from [`connect`](super::connect) or a [`Client`](super::Client)
/// command. After a `Network` or `Timeout` error the connection is gone and
/// later commands on the same client fail with [`ImapError::Closed`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImapError {
    #[error("cannot connect to {at}: {source}")]
    Connect {
        at: Location,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot verify the TLS certificate of {at}: {source} (if the server uses a private CA, \
         set `tls_ca_file`)"
    )]
    Certificate {
        at: Location,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot establish TLS with {at}: {source}")]
    Tls {
        at: Location,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot set up TLS for {at}: {reason}")]
    TlsSetup { at: Location, reason: String },
    #[error("cannot log in to {at}: {source}")]
    Password {
        at: Location,
        #[source]
        source: BoxError,
    },
    #[error("cannot log in to {at} as `{username}` ({mechanism}): the server said {response}")]
    Auth {
        at: Location,
        username: String,
        mechanism: ImapAuth,
        response: String,
    },
    #[error("cannot {op} on {at}: no answer within {} s", after.as_secs())]
    Timeout {
        at: Location,
        op: &'static str,
        after: Duration,
    },
    #[error("cannot {op} on {at}: {source}")]
    Network {
        at: Location,
        op: &'static str,
        #[source]
        source: async_imap::error::Error,
    },
    #[error("cannot {op} on {at}: the connection was dropped after an earlier error; reconnect")]
    Closed { at: Location, op: &'static str },
    #[error("cannot {op} on {at}: the server said {response}")]
    Refused {
        at: Location,
        op: &'static str,
        response: String,
        kind: ErrorKind,
    },
    #[error("cannot {op} on {at}: the server does not support {capability}")]
    Unsupported {
        at: Location,
        op: &'static str,
        capability: &'static str,
    },
    #[error("cannot {op} on {at}: {reason}")]
    Protocol {
        at: Location,
        op: &'static str,
        reason: String,
    },
    #[error("cannot {op} on {at}: {reason}")]
    Usage {
        at: Location,
        op: &'static str,
        reason: String,
    },
}

impl ImapError {
    /// The failure class; see [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            ImapError::Connect { .. }
            | ImapError::Tls { .. }
            | ImapError::Network { .. }
            | ImapError::Closed { .. } => ErrorKind::Network,
            ImapError::Certificate { .. }
            | ImapError::TlsSetup { .. }
            | ImapError::Password { .. }
            | ImapError::Unsupported { .. }
            | ImapError::Usage { .. } => ErrorKind::Config,
            ImapError::Auth { .. } => ErrorKind::Auth,
            ImapError::Timeout { .. } => ErrorKind::Timeout,
            ImapError::Protocol { .. } => ErrorKind::Protocol,
            ImapError::Refused { kind, .. } => *kind,
        }
    }

    /// Whether reconnecting (after [`backoff`](super::backoff)) may help:
    /// yes for network, timeout and protocol failures, no for auth and
    /// config ones, which need the operator.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Protocol
        )
    }

    /// The account and folder the error is about.
    pub fn location(&self) -> &Location {
        match self {
            ImapError::Connect { at, .. }
            | ImapError::Certificate { at, .. }
            | ImapError::Tls { at, .. }
            | ImapError::TlsSetup { at, .. }
            | ImapError::Password { at, .. }
            | ImapError::Auth { at, .. }
            | ImapError::Timeout { at, .. }
            | ImapError::Network { at, .. }
            | ImapError::Closed { at, .. }
            | ImapError::Refused { at, .. }
            | ImapError::Unsupported { at, .. }
            | ImapError::Protocol { at, .. }
            | ImapError::Usage { at, .. } => at,
        }
    }
}

/// The kind of a tagged NO/BAD, from its RFC 5530 response code: a missing
/// folder or missing rights will not fix itself; anything else may be
/// transient (`[UNAVAILABLE]`, `[SERVERBUG]`, `[INUSE]`, …).
pub(crate) fn refusal_kind(response: &str) -> ErrorKind {
    const PERMANENT: [&str; 5] = [
        "[NONEXISTENT]",
        "[TRYCREATE]",
        "[NOPERM]",
        "[CANNOT]",
        "[READ-ONLY]",
    ];
    let upper = response.to_ascii_uppercase();
    if PERMANENT.iter().any(|code| upper.contains(code)) {
        ErrorKind::Config
    } else {
        ErrorKind::Protocol
    }
}

/// A refused SELECT/EXAMINE: servers need not send an RFC 5530 code
/// (Dovecot 2.3 answers a missing folder with a bare `NO Mailbox doesn't
/// exist`), so any `NO` without a transient code means the folder is
/// missing or off-limits, which only the operator can fix.
pub(crate) fn folder_refusal(e: ImapError) -> ImapError {
    const TRANSIENT: [&str; 4] = ["[UNAVAILABLE]", "[SERVERBUG]", "[INUSE]", "[LIMIT]"];
    match e {
        ImapError::Refused {
            at, op, response, ..
        } if response.starts_with("NO")
            && !TRANSIENT
                .iter()
                .any(|code| response.to_ascii_uppercase().contains(code)) =>
        {
            ImapError::Refused {
                at,
                op,
                response,
                kind: ErrorKind::Config,
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location {
            inbox: "support".into(),
            host: "imap.example.test".into(),
            port: 993,
            folder: None,
        }
    }

    #[test]
    fn messages_name_account_and_folder() {
        let e = ImapError::Timeout {
            at: at().in_folder("INBOX"),
            op: "fetch",
            after: Duration::from_secs(60),
        };
        assert_eq!(
            e.to_string(),
            "cannot fetch on inbox `support` at imap.example.test:993, folder `INBOX`: \
             no answer within 60 s"
        );
        assert!(e.is_retryable());
        assert_eq!(e.location().folder.as_deref(), Some("INBOX"));
    }

    #[test]
    fn kinds_decide_retries() {
        let auth = ImapError::Auth {
            at: at(),
            username: "support".to_owned(),
            mechanism: ImapAuth::Login,
            response: "NO [AUTHENTICATIONFAILED]".to_owned(),
        };
        assert_eq!(auth.kind(), ErrorKind::Auth);
        assert!(!auth.is_retryable());
        let closed = ImapError::Closed {
            at: at(),
            op: "search",
        };
        assert!(closed.is_retryable());
        let usage = ImapError::Usage {
            at: at(),
            op: "mark as seen",
            reason: "read-only".to_owned(),
        };
        assert!(!usage.is_retryable());
    }

    #[test]
    fn refusal_codes() {
        assert_eq!(
            refusal_kind("NO [NONEXISTENT] Mailbox doesn't exist: Nope"),
            ErrorKind::Config
        );
        assert_eq!(refusal_kind("NO [trycreate] x"), ErrorKind::Config);
        assert_eq!(
            refusal_kind("NO [UNAVAILABLE] Temporary failure"),
            ErrorKind::Protocol
        );
        assert_eq!(
            refusal_kind("BAD Error in IMAP command"),
            ErrorKind::Protocol
        );
    }

    #[test]
    fn refused_select_is_config_unless_transient() {
        let refused = |response: &str| ImapError::Refused {
            at: at().in_folder("Nope"),
            op: "open the folder",
            response: response.to_owned(),
            kind: refusal_kind(response),
        };
        let kind = |response: &str| folder_refusal(refused(response)).kind();
        assert_eq!(kind("NO Mailbox doesn't exist: Nope"), ErrorKind::Config);
        assert_eq!(kind("NO [UNAVAILABLE] Try again"), ErrorKind::Protocol);
        assert_eq!(kind("BAD Syntax"), ErrorKind::Protocol);
    }
}
