//! `HAKO_…` environment overrides: which variables are config keys, how a
//! variable name maps to a key path, and applying the values onto the parsed
//! (not yet typed) TOML tree so they go through the same deserialization and
//! validation as the file.
//!
//! Naming rule: `HAKO_` + the key path in upper case, with `__` between path
//! segments; inboxes are addressed by name (upper-cased, `-` → `_`):
//! `HAKO_DATA_DIR`, `HAKO_TIMEZONE`, `HAKO_WEB__LISTEN`, `HAKO_INGEST__BATCH`,
//! `HAKO_INBOX__SUPPORT__DISPLAY_NAME`, `HAKO_INBOX__SUPPORT__IMAP__PASSWORD`.
//! Other `HAKO_` variables (`HAKO_CONFIG`, `HAKO_ADMIN_PASSWORD`, …) belong
//! to other parts of hako and are ignored here.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::error::ConfigError;

/// How an environment string becomes a TOML value. Decided by the schema,
/// not by the string, so `HAKO_…__USERNAME=1234` stays a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    /// `true`/`false` (also `1`/`0`, `yes`/`no`).
    Bool,
    /// Comma-separated, e.g. `HAKO_INBOX__SUPPORT__IMAP__FOLDERS=INBOX,Archive`.
    StrList,
}

use Kind::{Bool, Int, Str, StrList};

/// The overridable keys of one section and how to convert their values.
pub(crate) type Schema = &'static [(&'static str, Kind)];

// The overridable keys of each section. Kept next to the env logic because
// only the env layer needs them; `env_schema_matches_structs` in the tests keeps
// them in sync with the serde structs.
pub(crate) const TOP_KEYS: Schema = &[("data_dir", Str), ("timezone", Str)];
pub(crate) const WEB_KEYS: Schema = &[
    ("listen", Str),
    ("public_url", Str),
    ("unanswered_hours", Int),
];
pub(crate) const INGEST_KEYS: Schema = &[
    ("max_message_bytes", Int),
    ("max_parts", Int),
    ("batch", Int),
    ("subject_threading", Bool),
    ("subject_window_days", Int),
    ("reopen_window_days", Int),
];
pub(crate) const OUTBOX_KEYS: Schema = &[("undo_seconds", Int), ("retry_hours", Int)];
/// Top-level tables (not per inbox) and their keys.
const TOP_SECTIONS: [(&str, Schema); 3] = [
    ("web", WEB_KEYS),
    ("ingest", INGEST_KEYS),
    ("outbox", OUTBOX_KEYS),
];
// `name` is deliberately absent: it is how the variable finds the inbox.
pub(crate) const INBOX_KEYS: Schema = &[
    ("address", Str),
    ("display_name", Str),
    ("signature", Str),
    ("require_approval", Bool),
    ("auto_reply", Str),
];
pub(crate) const IMAP_KEYS: Schema = &[
    ("host", Str),
    ("port", Int),
    ("security", Str),
    ("username", Str),
    ("password", Str),
    ("password_command", Str),
    ("folders", StrList),
    ("tls_ca_file", Str),
    ("auth", Str),
    ("after_ingest", Str),
    ("move_to", Str),
    ("sent_folder", Str),
    ("initial_import", Str),
    ("import_since", Str),
    ("idle", Bool),
    ("poll_seconds", Int),
    ("timeout_seconds", Int),
];
pub(crate) const SMTP_KEYS: Schema = &[
    ("host", Str),
    ("port", Int),
    ("security", Str),
    ("username", Str),
    ("password", Str),
    ("password_command", Str),
    ("tls_ca_file", Str),
];

/// The env-variable form of an inbox name: upper case, `-` → `_`.
pub fn env_name(inbox: &str) -> String {
    inbox.to_ascii_uppercase().replace('-', "_")
}

/// Whether `var` is one this crate owns. Everything else (including
/// `HAKO_CONFIG` itself) is left to other components.
pub(crate) fn is_config_var(var: &str) -> bool {
    match var.strip_prefix("HAKO_") {
        Some(rest) => {
            rest == "DATA_DIR"
                || rest == "TIMEZONE"
                || rest.starts_with("WEB__")
                || rest.starts_with("INGEST__")
                || rest.starts_with("OUTBOX__")
                || rest.starts_with("INBOX__")
        }
        None => false,
    }
}

/// One config-key variable, kept alive for the whole load because the TOML
/// tree borrows from it.
#[derive(Debug)]
pub(crate) struct Override {
    pub var: String,
    pub value: String,
}

/// Keeps only config-key variables, sorted so application order (and
/// therefore which error is reported first) does not depend on the
/// platform's environment order.
pub(crate) fn collect(env: impl IntoIterator<Item = (String, String)>) -> Vec<Override> {
    let mut out: Vec<Override> = env
        .into_iter()
        .filter(|(var, _)| is_config_var(var))
        .map(|(var, value)| Override { var, value })
        .collect();
    out.sort_by(|a, b| a.var.cmp(&b.var));
    out
}

/// Where a variable points.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    /// `None` for top-level and `[web]` keys.
    inbox: Option<String>,
    /// `None` for top-level keys, else `web` / `ingest` / `imap` / `smtp`.
    section: Option<&'static str>,
    key: &'static str,
    kind: Kind,
}

/// Spans of values inserted from the environment start at `marker_base + i`
/// for the `i`-th override, past the end of the file text, so the loader can
/// map a deserialization error back to the variable that caused it.
pub(crate) fn marker_span(marker_base: usize, index: usize) -> Range<usize> {
    let at = marker_base + index;
    at..at + 1
}

/// Applies `overrides` onto the parsed file. Every value gets
/// [`marker_span`] so later errors can name the variable.
pub(crate) fn apply<'a>(
    root: &mut DeTable<'a>,
    overrides: &'a [Override],
    marker_base: usize,
) -> Result<(), ConfigError> {
    for (index, ov) in overrides.iter().enumerate() {
        let span = marker_span(marker_base, index);
        let err = |message: String| ConfigError::Env {
            var: ov.var.clone(),
            message,
        };
        let target = parse_var(&ov.var, &inbox_names(root)).map_err(err)?;
        let value = to_value(&ov.value, target.kind, &span).map_err(err)?;

        let table: &mut DeTable<'a> = match (&target.inbox, target.section) {
            (None, None) => root,
            (None, Some(section)) => child_table(root, section, &span).map_err(err)?,
            (Some(name), section) => {
                let inbox = inbox_table(root, name).map_err(err)?;
                match section {
                    None => inbox,
                    Some(section) => child_table(inbox, section, &span).map_err(err)?,
                }
            }
        };
        // An env password means "use this one": drop a file-level
        // `password_command` (and vice versa) instead of failing validation
        // with "both set", which would make the override useless.
        match target.key {
            "password" => drop(table.remove("password_command")),
            "password_command" => drop(table.remove("password")),
            _ => {}
        }
        table.insert(
            Spanned::new(span.clone(), Cow::Borrowed(target.key)),
            Spanned::new(span, value),
        );
    }
    Ok(())
}

/// Names of the `[[inbox]]` entries that have a string `name`; others are
/// left for deserialization to complain about.
fn inbox_names(root: &DeTable<'_>) -> Vec<String> {
    let Some(DeValue::Array(items)) = root.get("inbox").map(|v| v.get_ref()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| item.get_ref().as_table()?.get("name")?.get_ref().as_str())
        .map(str::to_owned)
        .collect()
}

/// Maps a variable name to its key. `inboxes` are the inbox names present in
/// the file; matching is on [`env_name`].
fn parse_var(var: &str, inboxes: &[String]) -> Result<Target, String> {
    let rest = var.strip_prefix("HAKO_").unwrap_or(var);
    let top = |key: &str| {
        TOP_KEYS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|&(key, kind)| Target {
                inbox: None,
                section: None,
                key,
                kind,
            })
    };
    if let Some(t) = top(rest) {
        return Ok(t);
    }
    for (section, keys) in TOP_SECTIONS {
        let prefix = format!("{}__", section.to_ascii_uppercase());
        let Some(key) = rest.strip_prefix(&prefix) else {
            continue;
        };
        return keys
            .iter()
            .find(|(k, _)| k.to_ascii_uppercase() == key)
            .map(|&(key, kind)| Target {
                inbox: None,
                section: Some(section),
                key,
                kind,
            })
            .ok_or_else(|| {
                format!(
                    "not a [{section}] key; known: {}",
                    var_list(&format!("HAKO_{prefix}"), keys)
                )
            });
    }
    let Some(rest) = rest.strip_prefix("INBOX__") else {
        return Err("not a config key".to_owned());
    };

    // Inbox names may themselves contain `__` after mapping, so instead of
    // splitting, try every known key suffix and see which prefix is an inbox.
    let sections: [(Option<&'static str>, Schema); 3] = [
        (None, INBOX_KEYS),
        (Some("imap"), IMAP_KEYS),
        (Some("smtp"), SMTP_KEYS),
    ];
    let mut key_matched = false;
    let mut found: Vec<Target> = Vec::new();
    for (section, keys) in sections {
        for &(key, kind) in keys {
            let suffix = match section {
                None => format!("__{}", key.to_ascii_uppercase()),
                Some(s) => format!("__{}__{}", s.to_ascii_uppercase(), key.to_ascii_uppercase()),
            };
            let Some(name) = rest.strip_suffix(&suffix) else {
                continue;
            };
            key_matched = true;
            for inbox in inboxes.iter().filter(|i| env_name(i) == name) {
                found.push(Target {
                    inbox: Some(inbox.clone()),
                    section,
                    key,
                    kind,
                });
            }
        }
    }
    match found.len() {
        1 => Ok(found.pop().expect("one element")),
        0 if key_matched => Err(format!(
            "no inbox matches; configured inboxes: {} (NAME is the inbox name upper-cased with `-` as `_`)",
            if inboxes.is_empty() {
                "none".to_owned()
            } else {
                inboxes
                    .iter()
                    .map(|n| format!("{n} ({})", env_name(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
        0 => Err(format!(
            "not an inbox key; expected HAKO_INBOX__<NAME>__<KEY> with KEY one of {}, \
             or HAKO_INBOX__<NAME>__IMAP__<KEY> / __SMTP__<KEY> with KEY one of {} / {}",
            key_list(INBOX_KEYS),
            key_list(IMAP_KEYS),
            key_list(SMTP_KEYS)
        )),
        _ => Err(format!(
            "matches more than one inbox ({}); rename one so their env names differ",
            found
                .iter()
                .filter_map(|t| t.inbox.as_deref())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn key_list(keys: &[(&str, Kind)]) -> String {
    keys.iter()
        .map(|(k, _)| k.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn var_list(prefix: &str, keys: &[(&str, Kind)]) -> String {
    keys.iter()
        .map(|(k, _)| format!("{prefix}{}", k.to_ascii_uppercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Converts the raw string by the key's kind. Only non-secret kinds (integer,
/// boolean) quote the value in errors.
fn to_value<'a>(raw: &'a str, kind: Kind, span: &Range<usize>) -> Result<DeValue<'a>, String> {
    match kind {
        Kind::Str => Ok(DeValue::String(Cow::Borrowed(raw))),
        Kind::Int => {
            let trimmed = raw.trim();
            if trimmed.parse::<i64>().is_err() {
                return Err(format!("expected an integer, got `{raw}`"));
            }
            // `DeInteger` has no public constructor; parsing the digits as a
            // TOML value is the supported way to get one.
            match DeValue::parse(trimmed).map(Spanned::into_inner) {
                Ok(v @ DeValue::Integer(_)) => Ok(v),
                _ => Err(format!("expected an integer, got `{raw}`")),
            }
        }
        Kind::Bool => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(DeValue::Boolean(true)),
            "false" | "0" | "no" => Ok(DeValue::Boolean(false)),
            _ => Err(format!("expected true or false, got `{raw}`")),
        },
        Kind::StrList => {
            let mut items = DeArray::new();
            for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                items.push(Spanned::new(
                    span.clone(),
                    DeValue::String(Cow::Borrowed(item)),
                ));
            }
            Ok(DeValue::Array(items))
        }
    }
}

/// The `[[inbox]]` table named `name` (exactly one exists: `parse_var`
/// matched it).
fn inbox_table<'t, 'a>(
    root: &'t mut DeTable<'a>,
    name: &str,
) -> Result<&'t mut DeTable<'a>, String> {
    let Some(DeValue::Array(items)) = root.get_mut("inbox").map(|v| v.get_mut()) else {
        return Err("no [[inbox]] in the config file".to_owned());
    };
    items
        .iter_mut()
        .filter_map(|item| match item.get_mut() {
            DeValue::Table(t) => Some(t),
            _ => None,
        })
        .find(|t| t.get("name").and_then(|n| n.get_ref().as_str()) == Some(name))
        .ok_or_else(|| format!("no inbox named `{name}`"))
}

/// The sub-table `key` of `parent`, created (with the variable's span) when
/// the file does not have it, e.g. `[web]` set only from the environment.
fn child_table<'t, 'a>(
    parent: &'t mut DeTable<'a>,
    key: &'static str,
    span: &Range<usize>,
) -> Result<&'t mut DeTable<'a>, String> {
    if parent.get(key).is_none() {
        parent.insert(
            Spanned::new(span.clone(), Cow::Borrowed(key)),
            Spanned::new(span.clone(), DeValue::Table(DeTable::new())),
        );
    }
    match parent.get_mut(key).map(|v| v.get_mut()) {
        Some(DeValue::Table(t)) => Ok(t),
        _ => Err(format!("`{key}` in the config file is not a table")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn filters_non_config_vars() {
        for var in [
            "HAKO_CONFIG",
            "HAKO_ADMIN_PASSWORD",
            "HAKO_ACTOR",
            "HAKO_TEST_X",
            "HAKO_MAIL_HOST",
            "HAKO_IMAP_PORT",
            "HAKO_SMTP_PORT",
            "PATH",
        ] {
            assert!(!is_config_var(var), "{var}");
        }
        for var in [
            "HAKO_DATA_DIR",
            "HAKO_TIMEZONE",
            "HAKO_WEB__X",
            "HAKO_INGEST__X",
            "HAKO_INBOX__A__B",
        ] {
            assert!(is_config_var(var), "{var}");
        }
    }

    #[test]
    fn parses_names_with_dashes_and_double_underscores() {
        let inboxes = names(&["support", "sales-jp", "odd__name"]);
        let t = parse_var("HAKO_INBOX__SALES_JP__IMAP__PORT", &inboxes).unwrap();
        assert_eq!(t.inbox.as_deref(), Some("sales-jp"));
        assert_eq!(
            (t.section, t.key, t.kind),
            (Some("imap"), "port", Kind::Int)
        );
        let t = parse_var("HAKO_INBOX__ODD__NAME__SMTP__HOST", &inboxes).unwrap();
        assert_eq!(t.inbox.as_deref(), Some("odd__name"));
        let t = parse_var("HAKO_INBOX__SUPPORT__DISPLAY_NAME", &inboxes).unwrap();
        assert_eq!((t.section, t.key), (None, "display_name"));
    }

    #[test]
    fn rejects_unknown_keys_and_inboxes() {
        let inboxes = names(&["support"]);
        assert!(
            parse_var("HAKO_WEB__PORT", &inboxes)
                .unwrap_err()
                .contains("HAKO_WEB__LISTEN")
        );
        assert!(
            parse_var("HAKO_INBOX__SUPPORT__IMAP__HOTS", &inboxes)
                .unwrap_err()
                .contains("not an inbox key")
        );
        assert!(parse_var("HAKO_INBOX__SUPPORT__NAME", &inboxes).is_err());
        assert!(
            parse_var("HAKO_INBOX__SALES__IMAP__HOST", &inboxes)
                .unwrap_err()
                .contains("no inbox matches")
        );
    }

    #[test]
    fn ingest_and_imap_keys_have_their_types() {
        let inboxes = names(&["support"]);
        let t = parse_var("HAKO_INGEST__SUBJECT_THREADING", &inboxes).unwrap();
        assert_eq!(
            (t.section, t.key, t.kind),
            (Some("ingest"), "subject_threading", Bool)
        );
        let t = parse_var("HAKO_INGEST__BATCH", &inboxes).unwrap();
        assert_eq!(t.kind, Int);
        let t = parse_var("HAKO_INBOX__SUPPORT__IMAP__IDLE", &inboxes).unwrap();
        assert_eq!((t.key, t.kind), ("idle", Bool));
        let t = parse_var("HAKO_INBOX__SUPPORT__IMAP__POLL_SECONDS", &inboxes).unwrap();
        assert_eq!(t.kind, Int);
        let t = parse_var("HAKO_INBOX__SUPPORT__IMAP__IMPORT_SINCE", &inboxes).unwrap();
        assert_eq!(t.kind, Str);
        assert!(
            parse_var("HAKO_INGEST__BATCHES", &inboxes)
                .unwrap_err()
                .contains("HAKO_INGEST__BATCH")
        );
    }

    #[test]
    fn ambiguous_inbox_names_are_an_error() {
        let inboxes = names(&["a-b", "a_b"]);
        assert!(
            parse_var("HAKO_INBOX__A_B__IMAP__HOST", &inboxes)
                .unwrap_err()
                .contains("more than one")
        );
    }
}
