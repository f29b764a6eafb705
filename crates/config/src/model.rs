//! The typed shape of `hako.toml`: every struct the file deserializes into,
//! with the serde defaults. Key names here are a contract with operators'
//! config files, so renaming a field is a breaking change.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ingest::{IngestConfig, OutboxConfig, default_true};
use crate::policy::{AfterIngest, ImapAuth, InitialImport, deserialize_date};
use crate::secret::Secret;

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the database, raw mail and search index live. A relative path is
    /// resolved against the process's current working directory (not the
    /// config file's directory), so `hako` run from the repository root uses
    /// `./data`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Time zone used to display dates and to compute business hours.
    #[serde(default = "default_timezone", deserialize_with = "deserialize_tz")]
    pub timezone: chrono_tz::Tz,
    /// The web UI.
    #[serde(default)]
    pub web: WebConfig,
    /// `[ingest]`: limits and threading of incoming mail.
    #[serde(default)]
    pub ingest: IngestConfig,
    /// `[outbox]`: the undo window and how long sending is retried.
    #[serde(default)]
    pub outbox: OutboxConfig,
    /// Shared inboxes; zero is allowed so `hako init` works on a fresh file.
    #[serde(default)]
    pub inbox: Vec<InboxConfig>,
}

impl Default for Config {
    /// What an empty file means: `./data`, UTC, web on 127.0.0.1:8080,
    /// default `[ingest]` settings, no inboxes.
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
            timezone: default_timezone(),
            web: WebConfig::default(),
            ingest: IngestConfig::default(),
            outbox: OutboxConfig::default(),
            inbox: Vec::new(),
        }
    }
}

/// `[web]`: the HTTP listener.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebConfig {
    /// Address and port to listen on.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The address people type to reach the UI (`https://hako.example.test`), when hako sits
    /// behind a proxy. An `https://` URL marks the session cookie `Secure`; it is also the
    /// origin accepted on form posts besides the request's own host.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The supervisor board lists tickets whose customer has waited this many hours or more
    /// for an answer.
    #[serde(default = "default_unanswered_hours")]
    pub unanswered_hours: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            listen: default_listen(),
            public_url: None,
            unanswered_hours: default_unanswered_hours(),
        }
    }
}

/// One `[[inbox]]`: a shared mailbox the team answers from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InboxConfig {
    /// Short identifier used in URLs, the CLI and env variable names
    /// (letters, digits, `-`, `_`).
    pub name: String,
    /// The address customers write to; replies are sent from it.
    pub address: String,
    /// Human name shown in the `From:` header of replies.
    pub display_name: String,
    /// Appended to every reply; may span several lines.
    #[serde(default)]
    pub signature: String,
    /// Every reply from this inbox waits for a supervisor's approval (承認) before it is
    /// sent. Agents marked "cannot send" need approval in every inbox.
    #[serde(default)]
    pub require_approval: bool,
    /// A reply template (`hako template list`) sent automatically to the customer of each
    /// new ticket — never to robots, bounces or lists, at most once a day per address.
    #[serde(default)]
    pub auto_reply: Option<String>,
    /// Where incoming mail is fetched from; absent means "no fetching".
    #[serde(default)]
    pub imap: Option<ImapConfig>,
    /// Where replies are sent through; absent means "cannot reply".
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
}

/// `[inbox.imap]`: fetching incoming mail.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// Literal password; prefer `password_command` or the env override so the
    /// file can be committed or shared.
    #[serde(default)]
    pub password: Option<Secret>,
    /// Shell command (`sh -c`) whose first line of stdout is the password.
    #[serde(default)]
    pub password_command: Option<String>,
    /// Mailbox folders to fetch from.
    #[serde(default = "default_folders")]
    pub folders: Vec<String>,
    /// Extra PEM CA certificate to trust, for self-signed test servers.
    #[serde(default)]
    pub tls_ca_file: Option<PathBuf>,
    /// Authentication mechanism; with `xoauth2` the password is the access
    /// token.
    #[serde(default)]
    pub auth: ImapAuth,
    /// What to do with a mail on the server once it is stored.
    #[serde(default)]
    pub after_ingest: AfterIngest,
    /// Target folder of `after_ingest = "move"` (required then, unused
    /// otherwise).
    #[serde(default)]
    pub move_to: Option<String>,
    /// Folder that receives a copy of every reply sent from this inbox (`Sent`), so the
    /// team's mail clients show hako's replies too; absent means no copy.
    #[serde(default)]
    pub sent_folder: Option<String>,
    /// What the first sync of a folder imports.
    #[serde(default)]
    pub initial_import: InitialImport,
    /// First day imported with `initial_import = "since"` (required then).
    #[serde(default, deserialize_with = "deserialize_date")]
    pub import_since: Option<NaiveDate>,
    /// Wait for new mail with IMAP IDLE when the server supports it.
    #[serde(default = "default_true")]
    pub idle: bool,
    /// Seconds between polls without IDLE (disabled or unsupported); also
    /// how often a folder is rescanned at least.
    #[serde(default = "default_poll_seconds")]
    pub poll_seconds: u32,
    /// Seconds one IMAP command (connect, login, search, fetch, …) may take.
    #[serde(default = "default_timeout_seconds")]
    pub timeout_seconds: u32,
    /// Name of the owning inbox, filled in by the loader (not a TOML key) so
    /// [`ImapConfig::password`] errors can say which account failed.
    #[serde(skip)]
    pub inbox_name: String,
}

impl ImapConfig {
    /// A server with every optional key at its default (the web UI's new inbox).
    pub fn new(host: String, port: u16, security: Security, username: String) -> ImapConfig {
        ImapConfig {
            host,
            port,
            security,
            username,
            password: None,
            password_command: None,
            folders: default_folders(),
            tls_ca_file: None,
            auth: ImapAuth::default(),
            after_ingest: AfterIngest::default(),
            move_to: None,
            sent_folder: None,
            initial_import: InitialImport::default(),
            import_since: None,
            idle: true,
            poll_seconds: default_poll_seconds(),
            timeout_seconds: default_timeout_seconds(),
            inbox_name: String::new(),
        }
    }
}

impl SmtpConfig {
    /// A server with every optional key at its default (the web UI's new inbox).
    pub fn new(host: String, port: u16, security: Security) -> SmtpConfig {
        SmtpConfig {
            host,
            port,
            security,
            username: None,
            password: None,
            password_command: None,
            tls_ca_file: None,
            inbox_name: String::new(),
        }
    }
}

/// `[inbox.smtp]`: sending replies.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Absent means "send without AUTH" (e.g. a local relay).
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    #[serde(default)]
    pub password_command: Option<String>,
    #[serde(default)]
    pub tls_ca_file: Option<PathBuf>,
    /// Name of the owning inbox, filled in by the loader (not a TOML key).
    #[serde(skip)]
    pub inbox_name: String,
}

/// How a mail connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS; refuses to continue without it.
    Starttls,
    /// No encryption at all: only for local test servers.
    None,
}

impl std::fmt::Display for Security {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        })
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

fn default_timezone() -> chrono_tz::Tz {
    chrono_tz::UTC
}

fn default_listen() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 8080))
}

fn default_unanswered_hours() -> u32 {
    4
}

fn default_poll_seconds() -> u32 {
    60
}

fn default_timeout_seconds() -> u32 {
    60
}

fn default_folders() -> Vec<String> {
    vec!["INBOX".to_owned()]
}

/// chrono-tz's own `Deserialize` is behind a feature and its error does not
/// say what was expected; this one names the bad value (the key path is
/// added by the loader).
fn deserialize_tz<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown time zone `{name}` (expected an IANA name such as `Asia/Tokyo` or `UTC`)"
        ))
    })
}
