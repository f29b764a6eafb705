//! The IMAP ingest policies of `[inbox.imap]`: how hako authenticates
//! ([`ImapAuth`]), what it does to a mail on the server once it is stored
//! ([`AfterIngest`]), and how much of an existing mailbox a new account
//! imports ([`InitialImport`], with `import_since` as a [`NaiveDate`]).

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// `auth`: the IMAP authentication mechanism.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImapAuth {
    /// `LOGIN user password` (RFC 3501 §6.2.3).
    #[default]
    Login,
    /// `AUTHENTICATE XOAUTH2` (Google/Microsoft SASL profile); the password
    /// (usually from `password_command`) is the OAuth2 access token.
    Xoauth2,
}

/// `after_ingest`: what happens to a mail on the server after hako stored
/// it. Nothing is ever deleted or expunged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AfterIngest {
    /// Leave it untouched, `\Seen` flag included (the folder is opened
    /// read-only with EXAMINE).
    #[default]
    Leave,
    /// Set `\Seen`.
    Seen,
    /// Move it to `move_to` (UID MOVE; without the MOVE extension: copy and
    /// mark seen, leaving the original in place).
    Move,
}

impl AfterIngest {
    /// Whether the folder has to be opened read-write (SELECT) rather than
    /// read-only (EXAMINE).
    pub fn needs_write(self) -> bool {
        self != AfterIngest::Leave
    }
}

/// `initial_import`: what a folder hako has never synced before imports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InitialImport {
    /// Every mail already in the folder.
    #[default]
    All,
    /// Only mail that arrives after the first sync.
    New,
    /// Mail whose internal date is on or after `import_since`.
    Since,
}

impl fmt::Display for ImapAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImapAuth::Login => "login",
            ImapAuth::Xoauth2 => "xoauth2",
        })
    }
}

impl fmt::Display for AfterIngest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AfterIngest::Leave => "leave",
            AfterIngest::Seen => "seen",
            AfterIngest::Move => "move",
        })
    }
}

impl fmt::Display for InitialImport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InitialImport::All => "all",
            InitialImport::New => "new",
            InitialImport::Since => "since",
        })
    }
}

/// `import_since`: a calendar date written `"YYYY-MM-DD"` (a string, as the
/// environment gives it) or as a bare TOML local date `2024-01-31`.
pub(crate) fn deserialize_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDate>, D::Error> {
    d.deserialize_any(DateVisitor).map(Some)
}

struct DateVisitor;

fn parse_date<E: de::Error>(text: &str) -> Result<NaiveDate, E> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        E::custom(format!(
            "`{}` is not a date; expected \"YYYY-MM-DD\", e.g. \"2024-01-31\"",
            text.escape_debug()
        ))
    })
}

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date \"YYYY-MM-DD\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        parse_date(v)
    }

    // toml hands a datetime value to visitors as a one-entry map whose value
    // is the datetime's text.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, text)) => parse_date(&text),
            None => Err(de::Error::custom("expected a date \"YYYY-MM-DD\"")),
        }
    }
}
