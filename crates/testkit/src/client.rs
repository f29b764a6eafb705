//! SMTP and IMAP client helpers on [`MailServers`]: send test mail with
//! lettre, read mailboxes back with async-imap (plain TCP or implicit TLS).

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Client;
use futures::TryStreamExt;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{Address, AsyncTransport, Message, Tokio1Executor};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto};

use crate::{MailError, MailServers};

/// How long one SMTP or IMAP conversation may take.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between mailbox polls in [`MailServers::wait_for_message`].
const POLL_INTERVAL: Duration = Duration::from_millis(200);

impl MailServers {
    /// Sends a UTF-8 `text/plain` message (8bit transfer encoding, so the
    /// body stays greppable in the fetched raw bytes) through the plain SMTP
    /// port, without authentication. Returns the `Message-ID` it set,
    /// angle brackets included.
    pub async fn send(
        &self,
        from: &str,
        to: &[&str],
        subject: &str,
        body: &str,
    ) -> Result<String, MailError> {
        let message_id = format!("<{}@testkit.hako.test>", crate::unique_token());
        let mut builder = Message::builder()
            .from(Mailbox::new(None, address(from)?))
            .subject(subject)
            .message_id(Some(message_id.clone()));
        for rcpt in to {
            builder = builder.to(Mailbox::new(None, address(rcpt)?));
        }
        // 8bit is refused for bodies with over-long lines; fall back to the
        // encoding lettre picks itself.
        let body = Body::new_with_encoding(body.to_owned(), ContentTransferEncoding::EightBit)
            .unwrap_or_else(|_| Body::new(body.to_owned()));
        let message = builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )?;
        self.smtp().send(message).await?;
        Ok(message_id)
    }

    /// Sends a pre-built RFC 5322 message as is through the plain SMTP port.
    pub async fn send_raw(&self, from: &str, to: &[&str], raw: &[u8]) -> Result<(), MailError> {
        let to = to
            .iter()
            .map(|rcpt| address(rcpt))
            .collect::<Result<Vec<_>, _>>()?;
        let envelope = lettre::address::Envelope::new(Some(address(from)?), to)?;
        self.smtp().send_raw(&envelope, raw).await?;
        Ok(())
    }

    /// All messages in `user`'s `folder`, raw, oldest first: LOGIN, EXAMINE
    /// (read-only) and `UID FETCH 1:* BODY.PEEK[]` over plain IMAP.
    pub async fn imap_fetch_all(
        &self,
        user: &str,
        folder: &str,
    ) -> Result<Vec<Vec<u8>>, MailError> {
        let fetch = async {
            let tcp = TcpStream::connect((self.host.as_str(), self.imap_port)).await?;
            fetch_all(tcp, user, &self.password, folder).await
        };
        with_timeout(fetch).await
    }

    /// Like [`imap_fetch_all`](Self::imap_fetch_all) but over implicit TLS
    /// (IMAPS), trusting only the CA in [`ca_path`](Self::ca_path) and
    /// checking the certificate is valid for 127.0.0.1.
    pub async fn imaps_fetch_all(
        &self,
        user: &str,
        folder: &str,
    ) -> Result<Vec<Vec<u8>>, MailError> {
        let fetch = async {
            let connector = self.tls_connector()?;
            let tcp = TcpStream::connect((self.host.as_str(), self.imaps_port)).await?;
            let server_name = ServerName::try_from(self.host.clone())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
            let tls = connector.connect(server_name, tcp).await?;
            fetch_all(tls, user, &self.password, folder).await
        };
        with_timeout(fetch).await
    }

    /// Polls `user`'s `folder` over IMAP until a message containing
    /// `needle` (as bytes, anywhere in the raw message) shows up, and
    /// returns it. Connection errors while polling count as "not yet".
    pub async fn wait_for_message(
        &self,
        user: &str,
        folder: &str,
        needle: &str,
        timeout: Duration,
    ) -> Result<Vec<u8>, MailError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let last = self.imap_fetch_all(user, folder).await;
            if let Ok(messages) = &last
                && let Some(found) = messages.iter().find(|m| contains(m, needle.as_bytes()))
            {
                return Ok(found.clone());
            }
            if tokio::time::Instant::now() >= deadline {
                // Surface a persistent IMAP error rather than a bare timeout.
                last?;
                return Err(MailError::Timeout {
                    user: user.to_owned(),
                    folder: folder.to_owned(),
                    needle: needle.to_owned(),
                    waited: timeout,
                });
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Creates `folder` in `user`'s account (deleting an old one of that name first, so a
    /// test gets a fresh folder with a new UIDVALIDITY) and appends `messages` to it in order,
    /// each with `flags` (e.g. `Some("(\\Seen)")`: read by another client).
    pub async fn imap_fresh_folder(
        &self,
        user: &str,
        folder: &str,
        messages: &[Vec<u8>],
        flags: Option<&str>,
    ) -> Result<(), MailError> {
        let work = async {
            let mut session = self.login(user).await?;
            // A folder left by an earlier run: ignore "does not exist".
            let _ = session.delete(folder).await;
            session.create(folder).await?;
            for m in messages {
                session.append(folder, flags, None, m).await?;
            }
            session.logout().await?;
            Ok(())
        };
        // Appending thousands of messages takes longer than one conversation's timeout.
        tokio::time::timeout(IO_TIMEOUT * 10, work)
            .await
            .unwrap_or_else(|_| {
                Err(
                    std::io::Error::new(std::io::ErrorKind::TimedOut, "IMAP append timed out")
                        .into(),
                )
            })
    }

    /// Appends `messages` to an existing `folder` of `user`'s account (new mail arriving).
    pub async fn imap_append(
        &self,
        user: &str,
        folder: &str,
        messages: &[Vec<u8>],
    ) -> Result<(), MailError> {
        let work = async {
            let mut session = self.login(user).await?;
            for m in messages {
                session.append(folder, None, None, m).await?;
            }
            session.logout().await?;
            Ok(())
        };
        with_timeout(work).await
    }

    /// Appends `messages` with their server-side arrival dates (INTERNALDATE, as IMAP writes
    /// it: `01-Oct-2026 10:00:00 +0900`).
    pub async fn imap_append_dated(
        &self,
        user: &str,
        folder: &str,
        messages: &[(Vec<u8>, &str)],
    ) -> Result<(), MailError> {
        let work = async {
            let mut session = self.login(user).await?;
            for (m, date) in messages {
                // async-imap sends the date as given: IMAP wants it quoted.
                let quoted = format!("\"{date}\"");
                session.append(folder, None, Some(&quoted), m).await?;
            }
            session.logout().await?;
            Ok(())
        };
        with_timeout(work).await
    }

    /// How many messages in `user`'s `folder` are not `\\Seen` (UID SEARCH UNSEEN).
    pub async fn imap_unseen(&self, user: &str, folder: &str) -> Result<usize, MailError> {
        let work = async {
            let mut session = self.login(user).await?;
            session.examine(folder).await?;
            let unseen = session.uid_search("UNSEEN").await?.len();
            session.logout().await?;
            Ok(unseen)
        };
        with_timeout(work).await
    }

    /// A logged-in plain-IMAP session as `user`.
    async fn login(&self, user: &str) -> Result<async_imap::Session<TcpStream>, MailError> {
        let tcp = TcpStream::connect((self.host.as_str(), self.imap_port)).await?;
        let mut client = Client::new(tcp);
        client.read_response().await?.ok_or(MailError::NoGreeting)?;
        Ok(client
            .login(user, &self.password)
            .await
            .map_err(|(e, _)| e)?)
    }

    fn smtp(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.smtp_port)
            .timeout(Some(IO_TIMEOUT))
            .build()
    }

    fn tls_connector(&self) -> Result<TlsConnector, MailError> {
        let invalid = |e: &dyn std::fmt::Display| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {e}", self.ca_path.display()),
            )
        };
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(&self.ca_path).map_err(|e| invalid(&e))? {
            roots
                .add(cert.map_err(|e| invalid(&e))?)
                .map_err(|e| invalid(&e))?;
        }
        let config =
            ClientConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map_err(|e| invalid(&e))?
                .with_root_certificates(roots)
                .with_no_client_auth();
        Ok(TlsConnector::from(Arc::new(config)))
    }
}

async fn fetch_all<S>(
    stream: S,
    user: &str,
    password: &str,
    folder: &str,
) -> Result<Vec<Vec<u8>>, MailError>
where
    S: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let mut client = Client::new(stream);
    client.read_response().await?.ok_or(MailError::NoGreeting)?;
    let mut session = client.login(user, password).await.map_err(|(e, _)| e)?;
    let mailbox = session.examine(folder).await?;
    let mut messages = Vec::new();
    if mailbox.exists > 0 {
        let fetches: Vec<_> = session
            .uid_fetch("1:*", "BODY.PEEK[]")
            .await?
            .try_collect()
            .await?;
        messages.extend(fetches.iter().filter_map(|f| f.body().map(<[u8]>::to_vec)));
    }
    session.logout().await?;
    Ok(messages)
}

async fn with_timeout<T>(fut: impl Future<Output = Result<T, MailError>>) -> Result<T, MailError> {
    tokio::time::timeout(IO_TIMEOUT, fut)
        .await
        .unwrap_or_else(|_| {
            Err(
                std::io::Error::new(std::io::ErrorKind::TimedOut, "IMAP conversation timed out")
                    .into(),
            )
        })
}

fn address(text: &str) -> Result<Address, MailError> {
    text.parse().map_err(|source| MailError::Address {
        address: text.to_owned(),
        source,
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}
