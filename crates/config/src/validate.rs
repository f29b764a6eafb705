//! Rules a config must satisfy beyond its TOML types: unique, well-formed
//! inbox names and addresses, sane mail-server settings, IMAP policies that
//! need each other, non-zero `[ingest]` limits. Runs after env
//! overrides, so it judges the values hako will actually use.

use std::collections::HashMap;

use crate::env::env_name;
use crate::error::ConfigError;
use crate::ingest::IngestConfig;
use crate::model::{Config, ImapConfig, InboxConfig};
use crate::policy::{AfterIngest, InitialImport};

/// Checks `config`, reporting the first problem with its key path.
/// `file` only names the source in the error.
pub(crate) fn validate(config: &Config, file: &str) -> Result<(), ConfigError> {
    let fail = |key: String, message: String| ConfigError::Validation {
        file: file.to_owned(),
        key,
        message,
    };

    check_ingest(&config.ingest).map_err(|(field, m)| fail(format!("ingest.{field}"), m))?;
    if let Some(url) = &config.web.public_url {
        check_public_url(url).map_err(|m| fail("web.public_url".to_owned(), m))?;
    }
    if config.web.unanswered_hours == 0 {
        return Err(fail(
            "web.unanswered_hours".to_owned(),
            "must be at least 1".to_owned(),
        ));
    }

    validate_inboxes(&config.inbox, file)
}

/// The `[[inbox]]` rules, alone: also what the web UI's inbox editor checks before it saves.
pub(crate) fn validate_inboxes(inboxes: &[InboxConfig], file: &str) -> Result<(), ConfigError> {
    let fail = |key: String, message: String| ConfigError::Validation {
        file: file.to_owned(),
        key,
        message,
    };
    // Keyed by the env form so `a-b` and `A_B` count as duplicates: they
    // would share HAKO_INBOX__A_B__… variables and URL-ish identifiers.
    let mut names: HashMap<String, &str> = HashMap::new();
    let mut addresses: HashMap<String, &str> = HashMap::new();
    for (i, inbox) in inboxes.iter().enumerate() {
        let at = |field: &str| format!("inbox[{i}].{field}");

        check_name(&inbox.name).map_err(|m| fail(at("name"), m))?;
        if let Some(other) = names.insert(env_name(&inbox.name), &inbox.name) {
            return Err(fail(
                at("name"),
                format!(
                    "`{}` duplicates inbox `{other}` (names are compared case-insensitively, with `-` = `_`)",
                    inbox.name
                ),
            ));
        }

        check_address(&inbox.address).map_err(|m| fail(at("address"), m))?;
        if let Some(other) = addresses.insert(inbox.address.to_ascii_lowercase(), &inbox.name) {
            return Err(fail(
                at("address"),
                format!("`{}` is already used by inbox `{other}`", inbox.address),
            ));
        }

        // Goes into a `From:` header; a line break there is header injection.
        if inbox.display_name.trim().is_empty() || has_line_break(&inbox.display_name) {
            return Err(fail(
                at("display_name"),
                "must be non-empty and on one line".to_owned(),
            ));
        }

        check_servers(inbox).map_err(|(field, m)| fail(at(&field), m))?;
    }
    Ok(())
}

/// Letters, digits, `-`, `_`: the name appears in URLs, CLI arguments and
/// environment variable names.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "`{name}` may only contain ASCII letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// Plausibility only (one `@`, something on both sides, no whitespace or
/// control characters); real validation is the mail server's job.
fn check_address(address: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "`{}` is not a plausible email address",
            address.escape_debug()
        )
    };
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    match address.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(bad()),
    }
}

fn has_line_break(s: &str) -> bool {
    s.contains(['\r', '\n'])
}

/// `[inbox.imap]` / `[inbox.smtp]` rules. Returns the failing field relative
/// to the inbox.
fn check_servers(inbox: &InboxConfig) -> Result<(), (String, String)> {
    if let Some(imap) = &inbox.imap {
        check_server(
            "imap",
            &imap.host,
            imap.port,
            Some(&imap.username),
            imap.password.is_some(),
            imap.password_command.as_deref(),
        )?;
        if imap.folders.is_empty() {
            return Err((
                "imap.folders".to_owned(),
                "must list at least one folder (default is [\"INBOX\"])".to_owned(),
            ));
        }
        if let Some(i) = imap.folders.iter().position(|f| f.trim().is_empty()) {
            return Err((format!("imap.folders[{i}]"), "must not be empty".to_owned()));
        }
        check_imap_policy(imap).map_err(|(field, m)| (format!("imap.{field}"), m))?;
    }
    if let Some(smtp) = &inbox.smtp {
        check_server(
            "smtp",
            &smtp.host,
            smtp.port,
            smtp.username.as_ref(),
            smtp.password.is_some(),
            smtp.password_command.as_deref(),
        )?;
        // Credentials without a username would be silently ignored.
        if smtp.username.is_none() && (smtp.password.is_some() || smtp.password_command.is_some()) {
            return Err((
                "smtp.username".to_owned(),
                "must be set when a password or password_command is given".to_owned(),
            ));
        }
    }
    Ok(())
}

fn check_server(
    section: &str,
    host: &str,
    port: u16,
    username: Option<&String>,
    has_password: bool,
    password_command: Option<&str>,
) -> Result<(), (String, String)> {
    let err = |field: &str, message: &str| Err((format!("{section}.{field}"), message.to_owned()));
    if host.trim().is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return err("host", "must be a host name or IP address without spaces");
    }
    if port == 0 {
        return err("port", "must not be 0");
    }
    if username.is_some_and(|u| u.is_empty() || has_line_break(u)) {
        return err("username", "must be non-empty and on one line");
    }
    if has_password && password_command.is_some() {
        return err(
            "password",
            "and `password_command` are both set; keep only one",
        );
    }
    if password_command.is_some_and(|c| c.trim().is_empty()) {
        return err("password_command", "must not be empty");
    }
    Ok(())
}

/// The `[inbox.imap]` keys that depend on each other (`after_ingest` /
/// `move_to`, `initial_import` / `import_since`) and the intervals.
fn check_imap_policy(imap: &ImapConfig) -> Result<(), (String, String)> {
    let err = |field: &str, message: String| Err((field.to_owned(), message));
    match (imap.after_ingest, imap.move_to.as_deref()) {
        (AfterIngest::Move, None) => {
            return err(
                "move_to",
                "must be set when `after_ingest = \"move\"`".to_owned(),
            );
        }
        (AfterIngest::Move, Some(folder)) => {
            if folder.trim().is_empty() || has_line_break(folder) {
                return err(
                    "move_to",
                    "must be a non-empty folder name on one line".to_owned(),
                );
            }
            // Moving into a folder that is itself fetched would ingest every
            // mail twice. `INBOX` is case-insensitive (RFC 3501 §5.1).
            let same = |f: &String| {
                f == folder
                    || (f.eq_ignore_ascii_case("INBOX") && folder.eq_ignore_ascii_case("INBOX"))
            };
            if imap.folders.iter().any(same) {
                return err(
                    "move_to",
                    format!("`{folder}` is also listed in `folders`; choose another folder"),
                );
            }
        }
        (other, Some(_)) => {
            return err(
                "move_to",
                format!("is only used with `after_ingest = \"move\"` (it is \"{other}\")"),
            );
        }
        (_, None) => {}
    }
    match (imap.initial_import, imap.import_since) {
        (InitialImport::Since, None) => {
            return err(
                "import_since",
                "must be set (\"YYYY-MM-DD\") when `initial_import = \"since\"`".to_owned(),
            );
        }
        (other, Some(_)) if other != InitialImport::Since => {
            return err(
                "import_since",
                format!("is only used with `initial_import = \"since\"` (it is \"{other}\")"),
            );
        }
        _ => {}
    }
    if imap.poll_seconds < 5 {
        return err("poll_seconds", "must be at least 5".to_owned());
    }
    if imap.timeout_seconds == 0 {
        return err("timeout_seconds", "must be at least 1".to_owned());
    }
    Ok(())
}

/// `[ingest]`: limits of 0 would reject or stall every mail.
fn check_ingest(ingest: &IngestConfig) -> Result<(), (String, String)> {
    let positive = [
        ("max_message_bytes", ingest.max_message_bytes),
        ("max_parts", u64::from(ingest.max_parts)),
        ("batch", u64::from(ingest.batch)),
    ];
    for (field, value) in positive {
        if value == 0 {
            return Err((field.to_owned(), "must be at least 1".to_owned()));
        }
    }
    Ok(())
}

/// An origin the browser sends back verbatim: scheme, host, optional port, nothing else
/// (a path would never match the `Origin` header of a form post).
fn check_public_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` must start with https:// or http://"))?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(format!(
            "`{url}` must be a scheme and host only, e.g. `https://hako.example.test`"
        ));
    }
    Ok(())
}
