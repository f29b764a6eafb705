//! Running the `hako` binary in tests: a temporary folder with a config and a data folder,
//! and helpers that run commands and read their output, JSON and one-line errors.

#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Hako {
    pub dir: tempfile::TempDir,
}

/// Two inboxes, support@ and info@, without mail servers.
pub const TWO_INBOXES: &str = r#"
data_dir = "DATA"
timezone = "Asia/Tokyo"
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Example Support"
[[inbox]]
name = "info"
address = "info@example.test"
display_name = "Example Info"
"#;

impl Hako {
    /// A temporary folder with `toml` as its config; `DATA` in it names the data folder.
    pub fn with_config(toml: &str) -> Hako {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let toml = toml.replace("DATA", data.to_str().unwrap());
        std::fs::write(dir.path().join("hako.toml"), toml).unwrap();
        Hako { dir }
    }

    /// `with_config`, then `hako init` with an admin (admin@example.test).
    pub fn init_with(toml: &str) -> Hako {
        let h = Hako::with_config(toml);
        h.ok_env(
            &["init", "--admin-email", "admin@example.test"],
            &[("HAKO_ADMIN_PASSWORD", "admin-password-1")],
        );
        h
    }

    /// The usual set-up: two inboxes, initialised, an admin.
    pub fn init() -> Hako {
        Hako::init_with(TWO_INBOXES)
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("hako.toml")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `hako --config … ARGS` with a clean environment for hako's own variables.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hako"));
        c.arg("--config").arg(self.config()).args(args);
        c.env_remove("HAKO_CONFIG").env_remove("HAKO_ACTOR");
        // `hako serve` also serves the web UI: any free port, so parallel tests (and a demo
        // on 8080) never collide.
        c.env("HAKO_WEB__LISTEN", "127.0.0.1:0");
        c
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.command(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    pub fn ok_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run_env(args, env);
        assert!(
            out.status.success(),
            "hako {args:?} failed: {}",
            stderr(&out)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_env(args, &[])
    }

    pub fn json_env(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        serde_json::from_str(&self.ok_env(args, env)).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        self.json_env(args, &[])
    }

    /// Runs a command that must fail; returns its one-line error.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "hako {args:?} succeeded");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        err
    }

    /// `hako ticket new` for a customer address, as a mail would create it.
    pub fn email_ticket(&self, inbox: &str, customer: &str, subject: &str, body: &str) {
        self.new_ticket("email", inbox, customer, subject, body);
    }

    /// `hako ticket new` with the CLI's default channel (a phone call).
    pub fn phone_ticket(&self, inbox: &str, customer: &str, subject: &str, body: &str) {
        self.new_ticket("phone", inbox, customer, subject, body);
    }

    fn new_ticket(&self, channel: &str, inbox: &str, customer: &str, subject: &str, body: &str) {
        self.ok(&[
            "ticket",
            "new",
            "--inbox",
            inbox,
            "--customer",
            customer,
            "--subject",
            subject,
            "--body",
            body,
            "--channel",
            channel,
        ]);
    }

    pub fn stats(&self) -> Value {
        self.json(&["stats", "--json"])
    }
}

/// Saves an inbox as the web UI's inbox editor does (crates/web/tests/settings.rs has the
/// form itself): one `[[inbox]]` table's keys, `[imap]`/`[smtp]` as sub-tables, over the
/// config file's inbox of the same name.
pub fn save_inbox_as_web_ui(h: &Hako, table: &str) {
    let name = table
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("a name key");
    let inbox = hako_config::inbox_from_toml(&name, table).expect("a valid inbox");
    let row = hako_web::inbox_row(&inbox).unwrap();
    hako_store::Store::open(&h.data().join("hako.db"))
        .unwrap()
        .save_edited_inbox(
            hako_domain::Actor::System,
            &row,
            &hako_config::inbox_to_toml(&inbox).unwrap(),
            &hako_store::InboxEdit::default(),
        )
        .unwrap();
}

/// An `[[inbox]]` table of a config file as the web UI saves it (see
/// [`save_inbox_as_web_ui`]).
pub fn as_saved_table(config_table: &str) -> String {
    config_table
        .replace("[[inbox]]", "")
        .replace("[inbox.imap]", "[imap]")
        .replace("[inbox.smtp]", "[smtp]")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The `number` of every ticket in a JSON array.
pub fn numbers(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_i64().unwrap())
        .collect()
}

/// A config with the inbox `support` reading IMAP `folder` of support@ on the local Dovecot
/// and replying through the local Postfix, replies held `undo_seconds` before they go out.
#[allow(dead_code)] // not every test binary replies
pub fn support_config(folder: &str, undo_seconds: u32) -> String {
    let s = hako_testkit::mail_servers();
    format!(
        r#"
data_dir = "DATA"
timezone = "Asia/Tokyo"
[outbox]
undo_seconds = {undo_seconds}
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Example サポート"
signature = "Example サポート窓口"
[inbox.imap]
host = "127.0.0.1"
port = {imap}
security = "none"
username = "support@example.test"
password = "{password}"
folders = ["{folder}"]
[inbox.smtp]
host = "127.0.0.1"
port = {smtp}
security = "none"
"#,
        imap = s.imap_port,
        smtp = s.smtp_port,
        password = s.password,
    )
}
