//! Opening a logged-in connection for one `[inbox.imap]` account: the
//! password (or XOAUTH2 token) and TLS roots off the runtime, TCP, implicit
//! TLS or STARTTLS (RFC 3501 §6.2.1) or plain, the greeting, LOGIN or
//! AUTHENTICATE XOAUTH2, then CAPABILITY — every step under the
//! per-command timeout.

use std::time::Duration;

use async_imap::imap_proto::{Response, Status};
use hako_config::{ImapAuth, ImapConfig, Secret, Security};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::auth::XOAuth2;
use super::client::{Capabilities, Client};
use super::command::{describe, network, within};
use super::error::{ImapError, Location, refusal_kind};
use super::stream::ImapStream;
use super::tls;

/// Connects and logs in to the account `cfg` describes; no folder is
/// selected yet. Runs `password_command` (if any) on a blocking thread.
pub async fn connect(cfg: &ImapConfig) -> Result<Client, ImapError> {
    let at = Location::account(cfg);
    let limit = Duration::from_secs(cfg.timeout_seconds.max(1).into());
    let (password, connector) = prepare(cfg, &at, limit).await?;

    let tcp = within(
        limit,
        &at,
        "connect",
        TcpStream::connect((cfg.host.as_str(), cfg.port)),
    )
    .await?
    .map_err(|source| ImapError::Connect {
        at: at.clone(),
        source,
    })?;
    // IMAP is request/response with small commands: don't batch them.
    tcp.set_nodelay(true).ok();

    let client = match (cfg.security, connector) {
        (Security::Tls, Some(connector)) => {
            let tls = within(
                limit,
                &at,
                "connect",
                tls::handshake(&connector, &cfg.host, tcp, &at),
            )
            .await??;
            let mut client = async_imap::Client::new(ImapStream::Tls(Box::new(tls)));
            greeting(&mut client, &at, limit).await?;
            client
        }
        (Security::Starttls, Some(connector)) => {
            let tcp = starttls(tcp, &at, limit).await?;
            let tls = within(
                limit,
                &at,
                "connect",
                tls::handshake(&connector, &cfg.host, tcp, &at),
            )
            .await??;
            // No second greeting after STARTTLS (RFC 3501 §6.2.1).
            async_imap::Client::new(ImapStream::Tls(Box::new(tls)))
        }
        (Security::None, _) => {
            let mut client = async_imap::Client::new(ImapStream::Plain(tcp));
            greeting(&mut client, &at, limit).await?;
            client
        }
        // `prepare` builds a connector for both TLS modes; never fall back
        // to plain text.
        (Security::Tls | Security::Starttls, None) => {
            return Err(ImapError::TlsSetup {
                at,
                reason: "no TLS configuration was built".to_owned(),
            });
        }
    };

    let session = login(client, cfg, &password, &at, limit).await?;
    let mut client = Client::new(session, at, limit, cfg.after_ingest.needs_write());
    let mut caps = Capabilities::default();
    client
        .run("read capabilities", "CAPABILITY", |response| {
            if let Response::Capabilities(list) = response {
                caps = Capabilities::from_list(list);
            }
        })
        .await?;
    client.capabilities = caps;
    Ok(client)
}

/// The password and TLS connector: both may block (a command, certificate
/// files), so they run on tokio's blocking pool, bounded by the timeout.
async fn prepare(
    cfg: &ImapConfig,
    at: &Location,
    limit: Duration,
) -> Result<(Secret, Option<TlsConnector>), ImapError> {
    let (cfg, task_at) = (cfg.clone(), at.clone());
    let task = tokio::task::spawn_blocking(move || {
        let password = cfg.password().map_err(|e| ImapError::Password {
            at: task_at.clone(),
            source: Box::new(e),
        })?;
        let connector = match cfg.security {
            Security::None => None,
            Security::Tls | Security::Starttls => Some(tls::connector(&cfg, &task_at)?),
        };
        Ok((password, connector))
    });
    within(limit, at, "get the password", task)
        .await?
        .map_err(|e| ImapError::Password {
            at: at.clone(),
            source: Box::new(e),
        })?
}

/// Reads the server greeting: `* OK` (or `PREAUTH`) goes on, `* BYE` (busy,
/// banned) is a refusal.
async fn greeting<T>(
    client: &mut async_imap::Client<T>,
    at: &Location,
    limit: Duration,
) -> Result<(), ImapError>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let op = "read the greeting";
    let response = within(limit, at, op, client.read_response())
        .await?
        .map_err(|e| network(at, op, e.into()))?
        .ok_or_else(|| network(at, op, async_imap::error::Error::ConnectionLost))?;
    match response.parsed() {
        Response::Data {
            status: Status::Ok | Status::PreAuth,
            ..
        } => Ok(()),
        Response::Data { status, outcome } => {
            let response = describe(status, outcome);
            Err(ImapError::Refused {
                kind: refusal_kind(&response),
                at: at.clone(),
                op,
                response,
            })
        }
        other => Err(ImapError::Protocol {
            at: at.clone(),
            op,
            reason: format!("unexpected greeting {other:?}"),
        }),
    }
}

/// Greeting and `STARTTLS` on the plain connection; returns the TCP stream
/// to run the handshake on. Anything the server sent after its OK is
/// dropped with the plain-text buffer, as RFC 3501 requires.
async fn starttls(tcp: TcpStream, at: &Location, limit: Duration) -> Result<TcpStream, ImapError> {
    let mut client = async_imap::Client::new(tcp);
    greeting(&mut client, at, limit).await?;
    let op = "start TLS";
    match within(
        limit,
        at,
        op,
        client.run_command_and_check_ok("STARTTLS", None),
    )
    .await?
    {
        Ok(()) => Ok(client.into_inner()),
        Err(async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_)) => {
            Err(ImapError::Unsupported {
                at: at.clone(),
                op,
                capability: "STARTTLS",
            })
        }
        Err(e) => Err(network(at, op, e)),
    }
}

async fn login(
    client: async_imap::Client<ImapStream>,
    cfg: &ImapConfig,
    password: &Secret,
    at: &Location,
    limit: Duration,
) -> Result<async_imap::Session<ImapStream>, ImapError> {
    let op = "log in";
    let result = match cfg.auth {
        ImapAuth::Login => {
            within(
                limit,
                at,
                op,
                client.login(&cfg.username, password.expose()),
            )
            .await?
        }
        ImapAuth::Xoauth2 => {
            let auth = XOAuth2::new(&cfg.username, password.expose());
            within(limit, at, op, client.authenticate("XOAUTH2", auth)).await?
        }
    };
    result.map_err(|(e, _client)| match e {
        async_imap::error::Error::No(text) | async_imap::error::Error::Bad(text) => {
            let response = tidy_status(&text);
            // Dovecot answers `NO [UNAVAILABLE]` when its auth backend is
            // down: the credentials may be fine.
            if response.contains("[UNAVAILABLE]") {
                ImapError::Refused {
                    at: at.clone(),
                    op,
                    response,
                    kind: super::ErrorKind::Protocol,
                }
            } else {
                ImapError::Auth {
                    at: at.clone(),
                    username: cfg.username.clone(),
                    mechanism: cfg.auth,
                    response,
                }
            }
        }
        // async-imap refuses to send a password with CR or LF in it.
        async_imap::error::Error::Validate(_) => ImapError::Password {
            at: at.clone(),
            source: "the password contains a line break, which IMAP LOGIN cannot send".into(),
        },
        other => network(at, op, other),
    })
}

/// async-imap words a refused login as `code: None, info: Some("…")`; keep
/// only the server's text.
fn tidy_status(text: &str) -> String {
    match text.split_once("info: Some(\"") {
        Some((_, rest)) => rest.trim_end_matches("\")").replace("\\\"", "\""),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_login_text_is_tidied() {
        assert_eq!(
            tidy_status(
                r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#
            ),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(tidy_status("something else"), "something else");
    }
}
