//! Starting the test mail servers (via `scripts/mail-servers`) and knowing
//! where they listen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The running test mail servers: Dovecot IMAP and Postfix SMTP on
/// 127.0.0.1. All users share one password. Client helpers live in
/// `client.rs` (`send`, `imap_fetch_all`, `wait_for_message`, ...).
#[derive(Debug, Clone)]
pub struct MailServers {
    /// Always `"127.0.0.1"`; the servers listen nowhere else.
    pub host: String,
    /// IMAP, plain with STARTTLS offered (default 10143).
    pub imap_port: u16,
    /// IMAP over implicit TLS (default 10993).
    pub imaps_port: u16,
    /// SMTP without authentication, accepts mail for the test domains only
    /// (default 10025).
    pub smtp_port: u16,
    /// Submission, STARTTLS required, AUTH PLAIN/LOGIN (default 10587).
    pub submission_port: u16,
    /// Password of every test user (default `hako-test-password`).
    pub password: String,
    /// PEM file of the CA that signed the servers' certificate.
    pub ca_path: PathBuf,
    /// The servers' state directory (configs, Maildirs, logs).
    pub dir: PathBuf,
}

impl MailServers {
    /// Representative shared-inbox address.
    pub const SUPPORT: &'static str = "support@example.test";
    /// Representative shared-inbox address.
    pub const INFO: &'static str = "info@example.test";
    /// Customer mailbox.
    pub const ALICE: &'static str = "alice@customer.test";
    /// Customer mailbox.
    pub const BOB: &'static str = "bob@customer.test";
    /// Customer mailbox.
    pub const TARO: &'static str = "taro@customer.test";
    /// RCPT TO this address is answered with 451 (temporary failure).
    pub const TEMPFAIL: &'static str = "tempfail@customer.test";
    /// RCPT TO this address is answered with 550 (permanent failure).
    pub const REJECT: &'static str = "reject@customer.test";
}

/// The test mail servers, started on first use in this process.
///
/// Runs `scripts/mail-servers start`, which is idempotent and safe to run
/// from several processes at once, so every test binary can call this.
/// The first start installs packages and needs root.
///
/// # Panics
/// If the servers cannot be started; the message includes the script's
/// stderr (which names the log file to look at).
pub fn mail_servers() -> &'static MailServers {
    static SERVERS: OnceLock<MailServers> = OnceLock::new();
    SERVERS.get_or_init(start)
}

impl MailServers {
    /// Restarts Dovecot only (`scripts/mail-servers restart-imap`): every IMAP connection
    /// drops, and the server is back when this returns. Tests that do this must not run
    /// beside other IMAP tests of the same binary (take a write lock they all share).
    pub fn restart_imap(&self) {
        let script = script_path();
        let out = Command::new(&script)
            .arg("restart-imap")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "{} restart-imap failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/mail-servers")
}

fn start() -> MailServers {
    let script = script_path();
    let output = Command::new(&script)
        .arg("start")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        panic!(
            "`{} start` failed ({}):\n{stderr}",
            script.display(),
            output.status
        );
    }
    from_env_lines(&stdout).unwrap_or_else(|missing| {
        panic!(
            "`{} start` printed no {missing}; stdout:\n{stdout}\nstderr:\n{stderr}",
            script.display()
        )
    })
}

/// Builds [`MailServers`] from the script's `export NAME='value'` lines;
/// `Err` names the first missing or malformed variable.
fn from_env_lines(text: &str) -> Result<MailServers, &'static str> {
    let vars: HashMap<&str, String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix("export ")?.split_once('='))
        .map(|(name, value)| (name, unquote(value)))
        .collect();
    let get = |name: &'static str| vars.get(name).cloned().ok_or(name);
    let port = |name: &'static str| get(name)?.parse::<u16>().map_err(|_| name);
    Ok(MailServers {
        host: "127.0.0.1".to_owned(),
        imap_port: port("HAKO_IMAP_PORT")?,
        imaps_port: port("HAKO_IMAPS_PORT")?,
        smtp_port: port("HAKO_SMTP_PORT")?,
        submission_port: port("HAKO_SUBMISSION_PORT")?,
        password: get("HAKO_MAIL_PASSWORD")?,
        ca_path: get("HAKO_MAIL_CA")?.into(),
        dir: get("HAKO_MAIL_DIR")?.into(),
    })
}

/// Undoes the script's single quoting (`'it'\''s'` -> `it's`).
fn unquote(value: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            '\\' if !quoted => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_script_output() {
        let text = "export HAKO_MAIL_DIR='/tmp/hako mail'\n\
                    export HAKO_IMAP_PORT='10143'\n\
                    export HAKO_IMAPS_PORT='10993'\n\
                    export HAKO_SMTP_PORT='10025'\n\
                    export HAKO_SUBMISSION_PORT='10587'\n\
                    export HAKO_MAIL_PASSWORD='it'\\''s'\n\
                    export HAKO_MAIL_CA='/tmp/hako mail/ca.pem'\n";
        let s = from_env_lines(text).unwrap();
        assert_eq!(s.imap_port, 10143);
        assert_eq!(s.submission_port, 10587);
        assert_eq!(s.password, "it's");
        assert_eq!(s.ca_path, Path::new("/tmp/hako mail/ca.pem"));
        assert_eq!(s.dir, Path::new("/tmp/hako mail"));
    }

    #[test]
    fn names_missing_variable() {
        assert_eq!(
            from_env_lines("export HAKO_MAIL_DIR=/x\n").unwrap_err(),
            "HAKO_IMAP_PORT"
        );
    }

    #[test]
    fn script_is_where_we_look() {
        assert!(script_path().is_file(), "{}", script_path().display());
    }
}
