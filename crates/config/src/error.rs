//! `ConfigError`: every way loading or using the configuration can fail.
//! Messages are lowercase "cannot …" sentences that name the file, key or
//! environment variable involved and never contain a secret value.

use std::path::PathBuf;

/// An error from finding, parsing, overriding, validating or using the
/// configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The config file does not exist.
    #[error(
        "cannot find config file {}; create one with `cp config/hako.example.toml config/hako.toml`, \
         or point --config / HAKO_CONFIG at an existing file",
        path.display()
    )]
    NotFound { path: PathBuf },

    /// The config file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file is not valid TOML.
    #[error("cannot parse {file}{}: {message}", at_line(*line))]
    Syntax {
        file: String,
        line: Option<usize>,
        message: String,
    },

    /// The file is valid TOML but a key is unknown, missing or has a bad
    /// value. `key` is a dotted path such as `inbox[0].imap.port`.
    #[error("cannot load {file}{}: `{key}`: {message}", at_line(*line))]
    Invalid {
        file: String,
        line: Option<usize>,
        key: String,
        message: String,
    },

    /// A `HAKO_…` environment variable is not a config key, targets an inbox
    /// that does not exist, or has a bad value.
    #[error("cannot apply environment variable {var}: {message}")]
    Env { var: String, message: String },

    /// The values parsed but break a rule (duplicate inbox, port 0, …).
    #[error("cannot accept {file}: `{key}` {message}")]
    Validation {
        file: String,
        key: String,
        message: String,
    },

    /// An inbox saved from the web UI cannot be read back (or written).
    #[error("cannot use the web UI's settings of inbox `{inbox}`: {message}")]
    Edited { inbox: String, message: String },

    /// A mail password could not be obtained (`password_command` failed, or
    /// no password is configured).
    #[error("cannot get the {protocol} password for inbox `{inbox}`: {reason}")]
    Password {
        inbox: String,
        protocol: &'static str,
        reason: String,
    },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" line {l}")).unwrap_or_default()
}
