//! hako's configuration: the typed shape of `hako.toml` ([`Config`] and
//! friends), loading it with `HAKO_…` environment overrides, validation, and
//! [`Secret`] for passwords that must never be printed.
//!
//! ```no_run
//! # fn main() -> Result<(), hako_config::ConfigError> {
//! let path = hako_config::Config::resolve_path(None); // --config, HAKO_CONFIG, config/hako.toml
//! let config = hako_config::Config::load(&path)?;
//! # Ok(()) }
//! ```
//!
//! Environment overrides: `HAKO_` + the key path upper-cased with `__`
//! between segments; inboxes are addressed by name (upper-cased, `-` → `_`):
//! `HAKO_DATA_DIR`, `HAKO_TIMEZONE`, `HAKO_WEB__LISTEN`, `HAKO_INGEST__<KEY>`,
//! `HAKO_INBOX__<NAME>__<KEY>`, `HAKO_INBOX__<NAME>__IMAP__<KEY>`,
//! `HAKO_INBOX__<NAME>__SMTP__<KEY>`. Only those prefixes are config keys;
//! other `HAKO_` variables are ignored here.
//!
//! Relative paths in the file (`data_dir`, `tls_ca_file`) are relative to
//! the process's current working directory, not to the config file.

mod edited;
mod env;
mod error;
mod ingest;
mod load;
mod model;
mod policy;
mod secret;
mod validate;

pub use edited::{
    InboxChange, InboxSource, check_inboxes, imap_account, inbox_changes, inbox_from_toml,
    inbox_to_toml, name_servers, overlay_inboxes, overlay_with_sources,
};
pub use env::env_name;
pub use error::ConfigError;
pub use ingest::{IngestConfig, OutboxConfig};
pub use model::{Config, ImapConfig, InboxConfig, Security, SmtpConfig, WebConfig};
pub use policy::{AfterIngest, ImapAuth, InitialImport};
pub use secret::Secret;

#[cfg(test)]
mod tests;
