//! The admin settings tests' app: the usual fixture plus inboxes from a config (one with
//! passwords that must never show), the default reply templates, a rule, and a fake
//! connection tester; and the admin-only route table (`ROLE_TABLE`) that the permission
//! matrix (permissions.rs) and the settings tests walk.

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
                    "fake IMAP for {}: INBOX, 3 messages (host {}, password {})",
                    inbox.name,
                    inbox.imap.as_ref().map_or("-", |m| m.host.as_str()),
                    inbox
                        .imap
                        .as_ref()
                        .and_then(|m| m.password().ok())
                        .map_or("none".to_owned(), |p| p.expose().to_owned()),
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

/// (method, path, form fields); `{label}`, `{user}`, `{rule}` are filled in.
pub type Route = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub const ROLE_TABLE: &[Route] = &[
    ("GET", "/settings", &[]),
    ("GET", "/settings/labels", &[]),
    (
        "POST",
        "/settings/labels",
        &[("name", "返品"), ("colour", "#16a34a")],
    ),
    (
        "POST",
        "/settings/labels/{label}",
        &[("name", "請求書"), ("colour", "#dc2626")],
    ),
    ("GET", "/settings/templates", &[]),
    ("GET", "/settings/templates/new?name=thanks", &[]),
    ("GET", "/settings/templates/default-ja", &[]),
    (
        "POST",
        "/settings/templates/default-ja",
        &[("source", "{{ customer.name }} 様\nthanks"), ("do", "save")],
    ),
    (
        "POST",
        "/settings/templates/default-ja/preview",
        &[("source", "{{ ticket.number }}")],
    ),
    ("GET", "/settings/users", &[]),
    (
        "POST",
        "/settings/users",
        &[
            ("name", "新人"),
            ("email", "new@example.test"),
            ("role", "agent"),
            ("password", "a long first password"),
        ],
    ),
    ("GET", "/settings/users/{user}", &[]),
    (
        "POST",
        "/settings/users/{user}",
        &[("role", "supervisor"), ("active", "1"), ("can_send", "1")],
    ),
    ("POST", "/settings/users/{user}/away", &[("away", "1")]),
    ("POST", "/settings/users/{user}/active", &[("active", "0")]),
    ("GET", "/settings/rules", &[]),
    ("GET", "/settings/rules/new", &[]),
    (
        "POST",
        "/settings/rules",
        &[
            ("name", "VIP"),
            ("if_domain", "secret.test"),
            ("status", "pending"),
            ("enabled", "1"),
            ("do", "save"),
        ],
    ),
    ("GET", "/settings/rules/{rule}", &[]),
    (
        "POST",
        "/settings/rules/{rule}",
        &[
            ("name", "請求書"),
            ("if_subject", "請求書\ninvoice"),
            ("status", "closed"),
            ("do", "save"),
        ],
    ),
    ("POST", "/settings/rules/{rule}/move", &[("to", "1")]),
    (
        "POST",
        "/settings/rules/{rule}/enabled",
        &[("enabled", "0")],
    ),
    ("POST", "/settings/rules/{rule}/delete", &[]),
    ("GET", "/settings/assignment", &[]),
    (
        "POST",
        "/settings/assignment/support",
        &[("strategy", "round-robin"), ("cap", "3")],
    ),
    ("GET", "/settings/inboxes", &[]),
    ("POST", "/settings/inboxes/support/test", &[]),
    ("GET", "/settings/inboxes/new", &[]),
    (
        "POST",
        "/settings/inboxes",
        &[
            ("name", "sales"),
            ("address", "sales@example.test"),
            ("display_name", "Sales"),
            ("do", "save"),
        ],
    ),
    ("GET", "/settings/inboxes/support", &[]),
    (
        "POST",
        "/settings/inboxes/support",
        &[
            ("address", "support@example.test"),
            ("display_name", "Example support"),
            ("signature", "-- edited"),
            ("do", "save"),
        ],
    ),
    ("POST", "/settings/inboxes/support/revert", &[]),
    ("GET", "/settings/audit", &[]),
];

/// Everything the settings can change, to compare before and after.
pub fn snapshot(app: &App) -> String {
    let s = app.store();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        s.edited_inboxes().unwrap(),
        s.labels().unwrap(),
        s.agents().unwrap(),
        s.templates().unwrap(),
        s.rules().unwrap(),
        s.assignment(app.support).unwrap(),
        s.audit_log(1000).unwrap().len()
    )
}

/// The table's paths for this app: the label 請求 (made by the fixture), the user tanaka and
/// the rule `app()` adds.
pub fn filler(app: &App) -> impl Fn(&str) -> String {
    let label = app.store().label_by_name("請求").unwrap().id.0.to_string();
    let user = app.tanaka.0.to_string();
    let rule = app.store().rules().unwrap()[0].id().0.to_string();
    move |path: &str| {
        path.replace("{label}", &label)
            .replace("{user}", &user)
            .replace("{rule}", &rule)
    }
}

/// A route's path (`{x}` matches any one segment) against a table path (query ignored).
pub fn matches(route: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap();
    let (r, p): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
    r.len() == p.len()
        && r.iter()
            .zip(&p)
            .all(|(r, p)| r == p || (r.starts_with('{') && !p.is_empty()))
}
