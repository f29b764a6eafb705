//! Reply templates (minijinja) with strict undefined variables: a typo in a template is an
//! error naming its line, never a reply with a hole in it. The defaults (Japanese and English,
//! greeting a repeat customer differently from a new one) are built in from
//! `templates/replies/` and seeded into the database, where admins edit them.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use thiserror::Error;

/// The built-in templates: (name, source).
pub const DEFAULTS: [(&str, &str); 4] = [
    (
        "default-ja",
        include_str!("../../../templates/replies/default-ja.jinja"),
    ),
    (
        "default-en",
        include_str!("../../../templates/replies/default-en.jinja"),
    ),
    // Automatic acknowledgements for `auto_reply = "auto-ack-ja"` on an inbox.
    (
        "auto-ack-ja",
        include_str!("../../../templates/replies/auto-ack-ja.jinja"),
    ),
    (
        "auto-ack-en",
        include_str!("../../../templates/replies/auto-ack-en.jinja"),
    ),
];

#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("template {name}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
pub struct TemplateError {
    pub name: String,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomerVars {
    pub name: Option<String>,
    pub address: String,
    /// `YYYY-MM-DD` in the team's timezone.
    pub first_contact: String,
    pub ticket_count: u64,
    /// Has written to us before this ticket.
    pub is_repeat: bool,
    pub last_ticket_subject: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketVars {
    pub number: i64,
    pub subject: String,
    pub labels: Vec<String>,
    pub inbox: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgentVars {
    pub name: String,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InboxVars {
    pub name: String,
    pub address: String,
    pub display_name: String,
}

/// Everything a template can use.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateContext {
    pub customer: CustomerVars,
    pub ticket: TicketVars,
    pub agent: AgentVars,
    pub inbox: InboxVars,
    /// The agent's own text for this reply (may be empty for a canned answer).
    pub body: String,
}

impl TemplateContext {
    /// Made-up values for checking a template when no ticket is at hand (a new install):
    /// every variable is there, so an undefined name or a syntax error still shows.
    pub fn sample() -> TemplateContext {
        TemplateContext {
            customer: CustomerVars {
                name: Some("山田 太郎".into()),
                address: "taro@example.jp".into(),
                first_contact: "2026-01-05".into(),
                ticket_count: 1,
                is_repeat: false,
                last_ticket_subject: None,
            },
            ticket: TicketVars {
                number: 1001,
                subject: "お問い合わせ".into(),
                labels: vec![],
                inbox: "support".into(),
            },
            agent: AgentVars {
                name: "佐藤".into(),
                signature: String::new(),
            },
            inbox: InboxVars {
                name: "support".into(),
                address: "support@example.test".into(),
                display_name: "Support".into(),
            },
            body: String::new(),
        }
    }
}

/// Renders `source` (named `name` in errors) with `ctx`.
pub fn render(name: &str, source: &str, ctx: &TemplateContext) -> Result<String, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let err = |e: minijinja::Error| TemplateError {
        name: name.to_string(),
        line: e.line(),
        message: match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        },
    };
    let tmpl = env.template_from_str(source).map_err(err)?;
    let text = tmpl.render(minijinja::value::Serde(ctx)).map_err(err)?;
    // Collapse the blank lines an empty `body` leaves behind.
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out.trim().to_string() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(repeat: bool) -> TemplateContext {
        TemplateContext {
            customer: CustomerVars {
                name: Some("山田 太郎".into()),
                address: "taro@example.jp".into(),
                first_contact: "2026-01-05".into(),
                ticket_count: if repeat { 3 } else { 1 },
                is_repeat: repeat,
                last_ticket_subject: None,
            },
            ticket: TicketVars {
                number: 1042,
                subject: "請求書".into(),
                labels: vec!["請求".into()],
                inbox: "support".into(),
            },
            agent: AgentVars {
                name: "佐藤".into(),
                signature: String::new(),
            },
            inbox: InboxVars {
                name: "support".into(),
                address: "support@example.test".into(),
                display_name: "Example サポート".into(),
            },
            body: "再発行いたしました。".into(),
        }
    }

    #[test]
    fn the_defaults_greet_new_and_repeat_customers_differently() {
        for (name, source) in DEFAULTS {
            let new = render(name, source, &ctx(false)).unwrap();
            let again = render(name, source, &ctx(true)).unwrap();
            assert_ne!(new, again, "{name}");
            // Agents' templates carry the agent's text; automatic ones have none.
            let agent_text = !name.starts_with("auto-ack");
            assert_eq!(
                new.contains("再発行いたしました。"),
                agent_text,
                "{name}: {new}"
            );
        }
        let ja_new = render("default-ja", DEFAULTS[0].1, &ctx(false)).unwrap();
        assert!(
            ja_new.starts_with("山田 太郎様\n\nこのたびはExample サポートにお問い合わせいただき"),
            "{ja_new}"
        );
        let ja_again = render("default-ja", DEFAULTS[0].1, &ctx(true)).unwrap();
        assert!(
            ja_again.contains("いつもExample サポートをご利用いただき"),
            "{ja_again}"
        );
        let mut nameless = ctx(false);
        nameless.customer.name = None;
        let en = render("default-en", DEFAULTS[1].1, &nameless).unwrap();
        assert!(en.starts_with("Dear customer,"), "{en}");
    }

    #[test]
    fn an_unknown_variable_is_an_error_with_its_line() {
        let e = render("x", "Hello\n{{ customer.nmae }}\n", &ctx(false)).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("template x line 2: "), "{e}");
        let e = render("y", "{% if %}", &ctx(false)).unwrap_err();
        assert!(e.to_string().contains("template y"), "{e}");
    }

    #[test]
    fn an_empty_body_leaves_no_hole() {
        let mut c = ctx(false);
        c.body = String::new();
        let text = render("default-ja", DEFAULTS[0].1, &c).unwrap();
        assert!(!text.contains("\n\n\n"), "{text:?}");
    }

    #[test]
    fn every_default_renders_with_the_sample_values() {
        for (name, source) in DEFAULTS {
            let text = render(name, source, &TemplateContext::sample()).unwrap();
            assert!(!text.trim().is_empty(), "{name}");
        }
        let e = render("x", "{{ customer.nam }}", &TemplateContext::sample()).unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
