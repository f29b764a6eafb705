//! The web settings' "test the connection" button, wired in by `hako serve`: IMAP through
//! `hako_ingest::imap::check` (log in, open the first folder, log out), SMTP through
//! `hako_outbound::send::Transport::test` (connect, EHLO, AUTH, NOOP; nothing sent), both at
//! once and each bounded in time. The web crate only calls the [`hako_web::ConnectionTester`]
//! installed here: it never speaks IMAP or SMTP itself.

use hako_config::InboxConfig;
use hako_outbound::send::Transport;
use hako_web::{ConnectionReport, ConnectionTester};
use std::sync::Arc;
use std::time::Duration;

/// Long enough for a slow login over TLS, short enough for a page to wait on.
const LIMIT: Duration = Duration::from_secs(30);

pub fn tester() -> ConnectionTester {
    Arc::new(|inbox: InboxConfig| Box::pin(test(inbox)))
}

async fn bounded(
    what: &str,
    f: impl std::future::Future<Output = Result<String, String>>,
) -> Result<String, String> {
    tokio::time::timeout(LIMIT, f)
        .await
        .unwrap_or_else(|_| Err(format!("{what}: no answer within {} s", LIMIT.as_secs())))
}

async fn test(inbox: InboxConfig) -> ConnectionReport {
    let imap = async {
        match &inbox.imap {
            Some(cfg) => Some(bounded("IMAP", hako_ingest::imap::check(cfg)).await),
            None => None,
        }
    };
    let smtp = async {
        let cfg = inbox.smtp.clone()?;
        // Reading the password may run `password_command`: not on the async threads.
        let transport = tokio::task::spawn_blocking(move || Transport::new(&cfg)).await;
        Some(match transport {
            Ok(Ok(t)) => bounded("SMTP", t.test()).await,
            Ok(Err(e)) => Err(e),
            Err(e) => Err(format!("SMTP: the check failed: {e}")),
        })
    };
    let (imap, smtp) = tokio::join!(imap, smtp);
    ConnectionReport { imap, smtp }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hako_testkit::{MailServers, mail_servers};

    /// An inbox on the local test servers: IMAPS, and submission with STARTTLS and AUTH.
    fn inbox(password: &str) -> InboxConfig {
        let m = mail_servers();
        let text = format!(
            r#"
[[inbox]]
name = "check"
address = "{user}"
display_name = "Check"
[inbox.imap]
host = "{host}"
port = {imaps}
security = "tls"
username = "{user}"
password = "{password}"
tls_ca_file = {ca:?}
timeout_seconds = 10
[inbox.smtp]
host = "{host}"
port = {submission}
security = "starttls"
username = "{user}"
password = "{password}"
tls_ca_file = {ca:?}
"#,
            user = MailServers::ALICE,
            host = m.host,
            imaps = m.imaps_port,
            submission = m.submission_port,
            ca = m.ca_path.display().to_string(),
        );
        hako_config::Config::from_toml_str(&text, "test", Vec::new())
            .unwrap()
            .inbox
            .remove(0)
    }

    #[tokio::test]
    async fn the_real_tester_logs_in_to_both_servers_or_says_why_not() {
        let good = (tester())(inbox(&mail_servers().password)).await;
        let imap = good.imap.unwrap().unwrap();
        assert!(imap.contains("INBOX:") && imap.contains("IDLE"), "{imap}");
        let smtp = good.smtp.unwrap().unwrap();
        assert!(smtp.contains("EHLO and AUTH accepted"), "{smtp}");
        let bad = (tester())(inbox("not-the-password")).await;
        let imap = bad.imap.unwrap().unwrap_err();
        assert!(imap.contains("cannot log in"), "{imap}");
        let smtp = bad.smtp.unwrap().unwrap_err();
        assert!(smtp.contains("535"), "{smtp}");
    }
}
