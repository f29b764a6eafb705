//! Inboxes edited in the web UI. The config file defines the first inboxes; once an admin
//! saves an inbox in the settings, that saved version (kept in the database as one
//! `[[inbox]]` table in TOML) wins over the file's entry of the same name and its
//! `HAKO_INBOX__…` variables, until the admin reverts it. One exception keeps secrets where
//! the operator put them: an edited server with no password of its own uses the file's.
//!
//! TOML, not JSON, so a saved inbox reads like the file (`hako inbox show`) and goes through
//! the same types, defaults and unknown-key checks as the file.

use crate::error::ConfigError;
use crate::model::InboxConfig;
use crate::validate::validate_inboxes;

/// Where the saved inboxes come from, in error messages.
const SOURCE: &str = "the inbox settings saved in the web UI";

/// One inbox as TOML text, passwords included (it goes into the database, never a log).
pub fn inbox_to_toml(inbox: &InboxConfig) -> Result<String, ConfigError> {
    toml::to_string(inbox).map_err(|e| ConfigError::Edited {
        inbox: inbox.name.clone(),
        message: format!("cannot be written as TOML: {e}"),
    })
}

/// Reads an inbox saved by [`inbox_to_toml`]; `name` is the name it was saved under.
pub fn inbox_from_toml(name: &str, text: &str) -> Result<InboxConfig, ConfigError> {
    let mut inbox: InboxConfig = toml::from_str(text).map_err(|e| ConfigError::Edited {
        inbox: name.to_owned(),
        message: e.message().to_owned(),
    })?;
    if inbox.name != name {
        return Err(ConfigError::Edited {
            inbox: name.to_owned(),
            message: format!("is saved with the name `{}`", inbox.name),
        });
    }
    name_servers(&mut inbox);
    Ok(inbox)
}

/// The inbox name inside the server settings, which password errors quote (the loader does
/// the same for the file).
pub fn name_servers(inbox: &mut InboxConfig) {
    if let Some(imap) = &mut inbox.imap {
        imap.inbox_name.clone_from(&inbox.name);
    }
    if let Some(smtp) = &mut inbox.smtp {
        smtp.inbox_name.clone_from(&inbox.name);
    }
}

/// The file's inboxes with the edited ones laid over them: an edited inbox replaces the
/// file's inbox of the same name, in its place, or comes after the file's when it is new.
/// An edited server without `password` and `password_command` takes the file's, if it is the
/// file's server and user.
pub fn overlay_inboxes(file: &[InboxConfig], edited: Vec<InboxConfig>) -> Vec<InboxConfig> {
    let mut out: Vec<InboxConfig> = file.to_vec();
    for mut e in edited {
        name_servers(&mut e);
        match out.iter_mut().find(|f| f.name == e.name) {
            Some(f) => {
                inherit_passwords(&mut e, f);
                *f = e;
            }
            None => out.push(e),
        }
    }
    out
}

/// Where an inbox's settings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxSource {
    /// The config file (and its `HAKO_INBOX__…` variables).
    File,
    /// Saved in the web UI over the file's inbox of the same name.
    Edited,
    /// Saved in the web UI; the file has no inbox of that name.
    Added,
}

impl InboxSource {
    /// As `hako inbox list` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            InboxSource::File => "config",
            InboxSource::Edited => "web over config",
            InboxSource::Added => "web",
        }
    }
}

/// [`overlay_inboxes`], each inbox with where it comes from.
pub fn overlay_with_sources(
    file: &[InboxConfig],
    saved: &[InboxConfig],
) -> Vec<(InboxConfig, InboxSource)> {
    overlay_inboxes(file, saved.to_vec())
        .into_iter()
        .map(|i| {
            let source = match (
                saved.iter().any(|s| s.name == i.name),
                file.iter().any(|f| f.name == i.name),
            ) {
                (false, _) => InboxSource::File,
                (true, true) => InboxSource::Edited,
                (true, false) => InboxSource::Added,
            };
            (i, source)
        })
        .collect()
}

/// Only for the same server and user: a password must not follow a host or user name an
/// admin typed in the web UI (that would hand the file's secret to any server).
fn inherit_passwords(edited: &mut InboxConfig, file: &InboxConfig) {
    if let (Some(e), Some(f)) = (&mut edited.imap, &file.imap)
        && e.password.is_none()
        && e.password_command.is_none()
        && (&e.host, e.port, &e.username) == (&f.host, f.port, &f.username)
    {
        e.password.clone_from(&f.password);
        e.password_command.clone_from(&f.password_command);
    }
    // SMTP without a username sends without AUTH: nothing to inherit.
    if let (Some(e), Some(f)) = (&mut edited.smtp, &file.smtp)
        && e.username.is_some()
        && e.password.is_none()
        && e.password_command.is_none()
        && (&e.host, e.port, &e.username) == (&f.host, f.port, &f.username)
    {
        e.password.clone_from(&f.password);
        e.password_command.clone_from(&f.password_command);
    }
}

/// Which IMAP account an inbox reads: host (case does not matter) and user name. Another
/// account means its folders' sync state no longer applies.
pub fn imap_account(inbox: &InboxConfig) -> Option<(String, String)> {
    inbox
        .imap
        .as_ref()
        .map(|m| (m.host.to_ascii_lowercase(), m.username.clone()))
}

/// Checks a whole set of inboxes (names, addresses, servers) as the loader checks the file.
pub fn check_inboxes(inboxes: &[InboxConfig]) -> Result<(), ConfigError> {
    validate_inboxes(inboxes, SOURCE)
}

/// One changed setting, for the audit log: passwords say only that they changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxChange {
    pub key: &'static str,
    pub before: String,
    pub after: String,
}

/// What differs between two versions of an inbox, key by key, in the file's key names.
pub fn inbox_changes(before: &InboxConfig, after: &InboxConfig) -> Vec<InboxChange> {
    let (b, a) = (flatten(before), flatten(after));
    b.into_iter()
        .zip(a)
        .filter(|(x, y)| x.1 != y.1)
        .map(|((key, before), (_, after))| {
            if key.ends_with("password") {
                let said = |v: &str| if v.is_empty() { "none" } else { "set" }.to_owned();
                InboxChange {
                    key,
                    before: said(&before),
                    after: if before.is_empty() || after.is_empty() {
                        said(&after)
                    } else {
                        "changed".to_owned()
                    },
                }
            } else {
                InboxChange { key, before, after }
            }
        })
        .collect()
}

/// Where a password comes from, comparable: the value or the command ("" for none). Only
/// compared, never shown (see `inbox_changes`).
fn secret(password: &Option<crate::Secret>, command: &Option<String>) -> String {
    match (password, command) {
        (Some(p), _) => format!("password {}", p.expose()),
        (None, Some(c)) => format!("command {c}"),
        (None, None) => String::new(),
    }
}

/// Every setting the editor can change as (key, value); "" for absent.
fn flatten(i: &InboxConfig) -> Vec<(&'static str, String)> {
    let opt = |v: Option<&str>| v.unwrap_or("").to_owned();
    let imap = i.imap.as_ref();
    let smtp = i.smtp.as_ref();
    vec![
        ("address", i.address.clone()),
        ("display_name", i.display_name.clone()),
        ("signature", i.signature.clone()),
        ("require_approval", i.require_approval.to_string()),
        ("auto_reply", opt(i.auto_reply.as_deref())),
        ("imap.host", opt(imap.map(|m| m.host.as_str()))),
        (
            "imap.port",
            imap.map(|m| m.port.to_string()).unwrap_or_default(),
        ),
        (
            "imap.security",
            imap.map(|m| m.security.to_string()).unwrap_or_default(),
        ),
        ("imap.username", opt(imap.map(|m| m.username.as_str()))),
        (
            "imap.password",
            imap.map(|m| secret(&m.password, &m.password_command))
                .unwrap_or_default(),
        ),
        (
            "imap.folders",
            imap.map(|m| m.folders.join(", ")).unwrap_or_default(),
        ),
        (
            "imap.sent_folder",
            opt(imap.and_then(|m| m.sent_folder.as_deref())),
        ),
        ("smtp.host", opt(smtp.map(|m| m.host.as_str()))),
        (
            "smtp.port",
            smtp.map(|m| m.port.to_string()).unwrap_or_default(),
        ),
        (
            "smtp.security",
            smtp.map(|m| m.security.to_string()).unwrap_or_default(),
        ),
        (
            "smtp.username",
            opt(smtp.and_then(|m| m.username.as_deref())),
        ),
        (
            "smtp.password",
            smtp.map(|m| secret(&m.password, &m.password_command))
                .unwrap_or_default(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn file() -> Vec<InboxConfig> {
        Config::from_toml_str(
            r#"
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Support"
[inbox.imap]
host = "imap.example.test"
port = 993
security = "tls"
username = "support"
password = "file-secret"
import_since = "2024-01-31"
initial_import = "since"
[inbox.smtp]
host = "smtp.example.test"
port = 587
security = "starttls"
username = "support"
password_command = "pass smtp"

[[inbox]]
name = "info"
address = "info@example.test"
display_name = "Info"
"#,
            "test",
            Vec::new(),
        )
        .unwrap()
        .inbox
    }

    #[test]
    fn a_saved_inbox_reads_back_as_it_was_written() {
        let support = file().remove(0);
        let text = inbox_to_toml(&support).unwrap();
        assert!(text.contains("file-secret"), "the password is kept: {text}");
        let back = inbox_from_toml("support", &text).unwrap();
        assert_eq!(inbox_to_toml(&back).unwrap(), text);
        assert_eq!(back.imap.as_ref().unwrap().inbox_name, "support");
        assert_eq!(
            back.imap.unwrap().import_since.unwrap().to_string(),
            "2024-01-31"
        );
        let err = inbox_from_toml("info", &text).unwrap_err().to_string();
        assert!(err.contains("info") && err.contains("`support`"), "{err}");
        let err = inbox_from_toml("x", "name = \"x\"\nfoo = 1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("inbox `x`") && err.contains("foo"), "{err}");
    }

    #[test]
    fn an_edited_inbox_replaces_the_files_and_keeps_its_passwords_unless_given() {
        let mut edited = file().remove(0);
        edited.display_name = "Support (edited)".into();
        let imap = edited.imap.as_mut().unwrap();
        imap.password = None;
        imap.folders = vec!["INBOX".into(), "Support".into()];
        let smtp = edited.smtp.as_mut().unwrap();
        smtp.password_command = None;
        smtp.password = Some("typed-in-ui".to_owned().into());
        let mut new = file().remove(1);
        new.name = "sales".into();
        new.address = "sales@example.test".into();
        let all = overlay_inboxes(&file(), vec![edited, new]);
        let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["support", "info", "sales"]);
        assert_eq!(all[0].display_name, "Support (edited)");
        let imap = all[0].imap.as_ref().unwrap();
        assert_eq!(imap.folders, ["INBOX", "Support"]);
        assert_eq!(imap.password().unwrap().expose(), "file-secret");
        let smtp = all[0].smtp.as_ref().unwrap();
        assert_eq!(smtp.password().unwrap().expose(), "typed-in-ui");
        assert!(smtp.password_command.is_none());
        check_inboxes(&all).unwrap();
    }

    #[test]
    fn new_servers_have_the_files_defaults() {
        use crate::{ImapConfig, Security, SmtpConfig};
        let parsed = file().remove(0);
        let mut imap = ImapConfig::new(
            "imap.example.test".into(),
            993,
            Security::Tls,
            "support".into(),
        );
        imap.password = Some("file-secret".to_owned().into());
        imap.import_since = parsed.imap.as_ref().unwrap().import_since;
        imap.initial_import = crate::InitialImport::Since;
        imap.inbox_name = "support".into();
        let mut smtp = SmtpConfig::new("smtp.example.test".into(), 587, Security::Starttls);
        smtp.username = Some("support".into());
        smtp.password_command = Some("pass smtp".into());
        let made = InboxConfig {
            imap: Some(imap),
            smtp: Some(smtp),
            ..parsed.clone()
        };
        assert_eq!(
            inbox_to_toml(&made).unwrap(),
            inbox_to_toml(&parsed).unwrap()
        );
    }

    #[test]
    fn the_files_password_never_follows_another_server_or_user() {
        for change in ["host", "port", "username"] {
            let mut edited = file().remove(0);
            let imap = edited.imap.as_mut().unwrap();
            imap.password = None;
            match change {
                "host" => imap.host = "attacker.example".into(),
                "port" => imap.port = 143,
                _ => imap.username = "someone-else".into(),
            }
            let smtp = edited.smtp.as_mut().unwrap();
            smtp.password_command = None;
            match change {
                "host" => smtp.host = "attacker.example".into(),
                "port" => smtp.port = 25,
                _ => smtp.username = Some("someone-else".into()),
            }
            let all = overlay_inboxes(&file(), vec![edited]);
            let (imap, smtp) = (all[0].imap.as_ref().unwrap(), all[0].smtp.as_ref().unwrap());
            assert!(
                imap.password.is_none() && imap.password_command.is_none(),
                "{change}"
            );
            assert!(
                smtp.password.is_none() && smtp.password_command.is_none(),
                "{change}"
            );
        }
    }

    #[test]
    fn a_clash_with_another_inbox_is_refused_with_the_key() {
        let mut edited = file().remove(1);
        edited.address = "SUPPORT@example.test".into();
        let all = overlay_inboxes(&file(), vec![edited]);
        let err = check_inboxes(&all).unwrap_err().to_string();
        assert!(
            err.contains("inbox[1].address") && err.contains("support"),
            "{err}"
        );
    }

    #[test]
    fn changes_name_keys_and_never_show_a_password() {
        let before = file().remove(0);
        let mut after = before.clone();
        after.signature = "-- \nSupport".into();
        after.imap.as_mut().unwrap().password = Some("new-secret".to_owned().into());
        after.smtp = None;
        let changes = inbox_changes(&before, &after);
        let keys: Vec<&str> = changes.iter().map(|c| c.key).collect();
        assert_eq!(
            keys,
            [
                "signature",
                "imap.password",
                "smtp.host",
                "smtp.port",
                "smtp.security",
                "smtp.username",
                "smtp.password"
            ]
        );
        assert_eq!(
            (changes[6].before.as_str(), changes[6].after.as_str()),
            ("set", "none")
        );
        let text = format!("{changes:?}");
        assert!(
            !text.contains("secret") && !text.contains("pass smtp"),
            "{text}"
        );
        assert_eq!(changes[1].after, "changed");
        assert!(inbox_changes(&before, &before).is_empty());
    }
}
