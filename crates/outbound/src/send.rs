//! Sending one outbox entry over the inbox's SMTP settings with lettre: STARTTLS, implicit TLS
//! or plain (local), AUTH PLAIN/LOGIN with the configured password (or XOAUTH2 token), an
//! extra CA for self-signed test servers. The answer decides what the outbox does next: 2xx
//! sent; 4xx and connection errors retry later; 5xx fail at once.

use hako_config::{Security, SmtpConfig};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent,
    /// Try again later; the text is the server's answer or the connection error.
    Retry(String),
    /// Will not work however often we try (5xx, bad address, bad settings).
    Fail(String),
}

/// A reusable transport for one inbox (lettre pools its connections).
pub struct Transport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    /// `inbox host:port`, for error messages.
    label: String,
    /// Logs in (a username is configured).
    authenticates: bool,
}

impl Transport {
    /// Builds the transport; reading the password may run `password_command`.
    pub fn new(cfg: &SmtpConfig) -> Result<Transport, String> {
        let label = format!("inbox {} smtp {}:{}", cfg.inbox_name, cfg.host, cfg.port);
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("{label}: cannot {what}: {e}");
        let tls = || -> Result<TlsParameters, String> {
            let mut b = TlsParameters::builder(cfg.host.clone());
            if let Some(ca) = &cfg.tls_ca_file {
                let pem =
                    std::fs::read(ca).map_err(|e| fail(&format!("read {}", ca.display()), &e))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| fail("load the CA", &e))?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls().map_err(|e| fail("set up TLS", &e))
        };
        let mut builder = match cfg.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
            Security::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
                    .tls(Tls::Required(tls()?))
            }
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
                .tls(Tls::Wrapper(tls()?)),
        }
        .port(cfg.port)
        .timeout(Some(Duration::from_secs(60)));
        if let Some(user) = &cfg.username {
            let password = cfg.password().map_err(|e| format!("{label}: {e}"))?;
            builder = builder
                .credentials(Credentials::new(
                    user.clone(),
                    password.expose().to_string(),
                ))
                .authentication(vec![Mechanism::Plain, Mechanism::Login, Mechanism::Xoauth2]);
        }
        Ok(Transport {
            inner: builder.build(),
            label,
            authenticates: cfg.username.is_some(),
        })
    }

    /// Connects, greets (EHLO), starts TLS and logs in as configured, and checks the
    /// connection with NOOP — without sending anything. For the settings page's connection
    /// test: `Ok` says what was done, `Err` carries the server's answer or the error.
    pub async fn test(&self) -> Result<String, String> {
        match self.inner.test_connection().await {
            Ok(true) => Ok(format!(
                "{}: connected, EHLO{} accepted, NOOP answered",
                self.label,
                if self.authenticates { " and AUTH" } else { "" }
            )),
            Ok(false) => Err(format!("{}: connected, but NOOP got no answer", self.label)),
            Err(e) => Err(format!("{}: {e}", self.label)),
        }
    }

    /// Sends the raw message to `recipients` with `from` as the envelope sender.
    pub async fn send(&self, from: &str, recipients: &[String], raw: &[u8]) -> Attempt {
        let parse = |a: &str| a.parse::<lettre::Address>();
        let from = match parse(from) {
            Ok(a) => a,
            Err(e) => return Attempt::Fail(format!("{}: sender {from}: {e}", self.label)),
        };
        let to: Result<Vec<_>, _> = recipients.iter().map(|r| parse(r)).collect();
        let envelope = match to
            .map_err(|e| e.to_string())
            .and_then(|to| Envelope::new(Some(from), to).map_err(|e| e.to_string()))
        {
            Ok(e) => e,
            Err(e) => return Attempt::Fail(format!("{}: recipients: {e}", self.label)),
        };
        match self.inner.send_raw(&envelope, raw).await {
            Ok(_) => Attempt::Sent,
            Err(e) if e.is_permanent() => Attempt::Fail(format!("{}: {e}", self.label)),
            // 4xx, and anything without an answer (connection refused, timeout, TLS).
            Err(e) => Attempt::Retry(format!("{}: {e}", self.label)),
        }
    }
}

/// Exponential backoff with jitter for the n-th retry: 1 min, 2, 4 … capped at 1 hour, each
/// between half and all of that (so a burst of failures does not retry in lockstep).
pub fn retry_delay(attempt: u32, jitter: f64) -> chrono::Duration {
    let base = 60i64.saturating_mul(1i64 << attempt.min(6)).min(3600);
    let jitter = jitter.clamp(0.0, 1.0);
    chrono::Duration::seconds(base / 2 + ((base / 2) as f64 * jitter) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_grow_and_stay_bounded() {
        assert_eq!(retry_delay(0, 0.0), chrono::Duration::seconds(30));
        assert_eq!(retry_delay(0, 1.0), chrono::Duration::seconds(60));
        assert_eq!(retry_delay(3, 1.0), chrono::Duration::seconds(480));
        for n in [6, 10, 100] {
            assert!(retry_delay(n, 1.0) <= chrono::Duration::hours(1));
            assert!(retry_delay(n, 0.0) >= chrono::Duration::minutes(30));
        }
    }
}
