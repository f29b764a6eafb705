//! `Secret`: a string that never shows up in logs, `Debug` dumps or error
//! messages, plus the password resolution for mail accounts (literal value or
//! `password_command`).

use std::fmt;
use std::process::Command;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::error::ConfigError;
use crate::model::{ImapConfig, SmtpConfig};

/// A sensitive string (password, token). `Debug` and `Display` print `***`;
/// call [`Secret::expose`] at the single place the value is really needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value. Keep the returned `&str` out of logs and errors.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// Writes the value itself: only the inbox settings saved from the web UI are serialized,
/// into the database, which is the one place besides the config file a password may live.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SecretVisitor)
    }
}

/// A hand-written visitor instead of `String::deserialize`: serde's default
/// "invalid type" errors quote the offending value (`integer `1234``), which
/// for a mistyped password would be the password itself.
struct SecretVisitor;

impl SecretVisitor {
    fn wrong_type<E: de::Error>(kind: &str) -> E {
        E::custom(format!("expected a string, found {kind} (value not shown)"))
    }
}

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Secret, E> {
        Ok(Secret(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Secret, E> {
        Ok(Secret(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Secret, E> {
        Err(Self::wrong_type("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Secret, E> {
        Err(Self::wrong_type("an integer"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Secret, E> {
        Err(Self::wrong_type("an integer"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Secret, E> {
        Err(Self::wrong_type("a float"))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Secret, E> {
        Err(Self::wrong_type("bytes"))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(Self::wrong_type("an array"))
    }

    // TOML datetimes also arrive as maps.
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(Self::wrong_type("a table or datetime"))
    }
}

impl ImapConfig {
    /// The IMAP password: the literal `password` (which env overrides have
    /// already been applied to), else the first stdout line of
    /// `password_command` run with `sh -c`.
    pub fn password(&self) -> Result<Secret, ConfigError> {
        resolve_password(
            &self.inbox_name,
            "imap",
            self.password.as_ref(),
            self.password_command.as_deref(),
        )
    }
}

impl SmtpConfig {
    /// The SMTP password, resolved like [`ImapConfig::password`]. Only needed
    /// when `username` is set; SMTP without AUTH needs no password.
    pub fn password(&self) -> Result<Secret, ConfigError> {
        resolve_password(
            &self.inbox_name,
            "smtp",
            self.password.as_ref(),
            self.password_command.as_deref(),
        )
    }
}

fn resolve_password(
    inbox: &str,
    protocol: &'static str,
    literal: Option<&Secret>,
    command: Option<&str>,
) -> Result<Secret, ConfigError> {
    if let Some(secret) = literal {
        return Ok(secret.clone());
    }
    let Some(command) = command else {
        return Err(ConfigError::Password {
            inbox: inbox.to_owned(),
            protocol,
            reason: format!(
                "neither `password` nor `password_command` is set \
                 (nor HAKO_INBOX__{}__{}__PASSWORD)",
                crate::env::env_name(inbox),
                protocol.to_ascii_uppercase()
            ),
        });
    };
    let fail = |reason: String| ConfigError::Password {
        inbox: inbox.to_owned(),
        protocol,
        reason: format!("`password_command` {command:?} {reason}"),
    };
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| fail(format!("cannot be started: {e}")))?;
    if !output.status.success() {
        // stderr is the command's own diagnostics, not its output, so it is
        // safe to show; stdout (the would-be secret) never is.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let stderr: String = stderr.chars().take(500).collect();
        return Err(fail(if stderr.is_empty() {
            format!("failed ({})", output.status)
        } else {
            format!("failed ({}): {stderr}", output.status)
        }));
    }
    let stdout = String::from_utf8(output.stdout)
        .map_err(|_| fail("printed something that is not UTF-8".to_owned()))?;
    let first = stdout.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(fail("printed an empty first line".to_owned()));
    }
    Ok(Secret(first.to_owned()))
}
