//! The admin settings tests' app: the usual fixture plus inboxes from a config (one with
//! passwords that must never show), the default reply templates, a rule, and a fake
//! connection tester.

#![allow(dead_code)]

use crate::common::*;
use hako_config::{Config, InboxConfig};
use hako_domain::rules::{Condition, Field, Rule, RuleAction};
use hako_domain::{Actor, AgentId, StatusKind};
use hako_outbound::template::DEFAULTS;
use hako_web::{AppState, ConnectionReport, ConnectionTester, Settings};
use std::sync::Arc;

pub const CONFIG: &str = r#"
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Example support"
signature = "サポート窓口"
require_approval = true
[inbox.imap]
host = "imap.example.test"
port = 993
security = "tls"
username = "support@example.test"
password = "imap-secret-never-shown"
[inbox.smtp]
host = "smtp.example.test"
port = 587
security = "starttls"
username = "support@example.test"
password_command = "echo smtp-secret-never-shown"
[[inbox]]
name = "info"
address = "info@example.test"
display_name = "Example info"
"#;

pub fn inboxes() -> Vec<InboxConfig> {
    Config::from_toml_str(CONFIG, "test.toml", Vec::<(String, String)>::new())
        .unwrap()
        .inbox
}

/// A tester that answers without a network: IMAP fine, SMTP refused.
pub fn fake_tester() -> ConnectionTester {
    Arc::new(|inbox: InboxConfig| {
        Box::pin(async move {
            ConnectionReport {
                imap: Some(Ok(format!(
                    "fake IMAP for {}: INBOX, 3 messages",
                    inbox.name
                ))),
                smtp: Some(Err("535 5.7.8 fake: authentication failed".into())),
            }
        })
    })
}

/// The usual app with the config's inboxes, the default templates and the fake tester.
pub fn app() -> App {
    let mut app = spawn_app();
    app.store().seed_templates(&DEFAULTS).unwrap();
    let rule = Rule {
        id: None,
        name: "請求".into(),
        enabled: true,
        conditions: vec![Condition {
            field: Field::Subject,
            values: vec!["請求".into()],
        }],
        actions: vec![RuleAction::SetStatus(StatusKind::Pending)],
    };
    app.store().add_rule(Actor::System, &rule, None).unwrap();
    let settings = Settings {
        timezone: chrono_tz::Asia::Tokyo,
        inboxes: inboxes(),
        ..Settings::default()
    };
    app.state = AppState::new(&app.db(), settings, None).unwrap();
    app.state.set_connection_tester(fake_tester());
    app
}

pub fn admin(app: &App) -> AgentId {
    app.store().agent_by_email("admin@example.test").unwrap().id
}
