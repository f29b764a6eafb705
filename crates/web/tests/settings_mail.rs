//! The admin settings that shape replies and new mail: reply templates (a preview on a real
//! ticket, the error line, nothing saved while broken), rules (tested against a ticket before
//! saving, ordered, disabled, deleted) and automatic assignment per inbox.

mod admin_app;
mod common;

use admin_app::*;
use axum::http::{StatusCode, header};
use hako_domain::Action;

#[tokio::test]
async fn a_template_with_an_error_shows_its_line_and_is_not_saved() {
    let app = app();
    let b = app.browser(admin(&app));
    let stored = app.store().template("default-ja").unwrap();
    // The editor previews the stored template with the newest ticket.
    let r = app
        .get("/settings/templates/default-ja?ticket=1001", Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("山田太郎"),
        "the ticket's customer: {}",
        r.body
    );
    let events = app.store().audit_log(1000).unwrap().len();
    let broken = "{{ customer.name }} 様\n\n{{ customer.nmae }}\n";
    let r = app
        .post(
            "/settings/templates/default-ja",
            Some(&b),
            &[("source", broken), ("ticket", "1001"), ("do", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Line 3"), "{}", r.body);
    assert!(r.body.contains("customer.nmae") || r.body.contains("undefined"));
    assert!(r.body.contains("Not saved"));
    assert!(r.body.contains("{{ customer.nmae }}"), "the edit is kept");
    assert_eq!(app.store().template("default-ja").unwrap(), stored);
    assert_eq!(app.store().audit_log(1000).unwrap().len(), events);
    // A syntax error too.
    let r = app
        .post(
            "/settings/templates/default-ja",
            Some(&b),
            &[("source", "ok\n{% if %}\n"), ("do", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Line 2"), "{}", r.body);
    // The live preview says the same as JSON.
    let r = app
        .post(
            "/settings/templates/default-ja/preview",
            Some(&b),
            &[("source", broken), ("ticket", "1001")],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["line"], 3, "{json}");
    // Preview without saving; then save a good one.
    let good = "{{ customer.name }} 様\r\n\r\n#{{ ticket.number }} {{ body }}\r\n";
    let r = app
        .post(
            "/settings/templates/default-ja",
            Some(&b),
            &[
                ("source", good),
                ("ticket", "1001"),
                ("body", "確認しました"),
                ("do", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("山田太郎 様") && r.body.contains("#1001 確認しました"));
    assert_eq!(app.store().template("default-ja").unwrap(), stored);
    let r = app
        .post(
            "/settings/templates/default-ja",
            Some(&b),
            &[("source", good), ("ticket", "1001"), ("do", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store().template("default-ja").unwrap().body,
        "{{ customer.name }} 様\n\n#{{ ticket.number }} {{ body }}\n",
        "saved with LF line ends"
    );
    assert_eq!(
        app.store().audit_log(1).unwrap()[0].event.action,
        Action::TemplateSaved
    );
    // A new template, by name.
    let r = app
        .get("/settings/templates/new?name=thanks-ja", Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header(header::LOCATION), "/settings/templates/thanks-ja");
    let r = app
        .get("/settings/templates/new?name=..%2Fx", Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn rules_are_tested_before_saving_then_saved_ordered_disabled_and_deleted() {
    let app = app();
    let b = app.browser(admin(&app));
    let bill = app.store().label_by_name("請求").unwrap().id.0.to_string();
    let sato = app.sato.0.to_string();
    let form = |extra: &[(&'static str, &'static str)]| -> Vec<(String, String)> {
        let mut f = vec![
            ("name".to_string(), "請求書は佐藤さん".to_string()),
            ("if_subject".into(), "請求書\ninvoice".into()),
            ("if_domain".into(), "customer.test".into()),
            ("label".into(), bill.clone()),
            ("assign".into(), sato.clone()),
            ("enabled".into(), "1".into()),
        ];
        f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    let post = |path: &'static str, f: Vec<(String, String)>| {
        let (app, b) = (&app, b.clone());
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.post(path, Some(&b), &f).await
        }
    };
    // Test against #1001 (請求書の件 from taro@customer.test): it matches; nothing is saved.
    let r = post(
        "/settings/rules",
        form(&[("ticket", "1001"), ("do", "test")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("matches"), "{}", r.body);
    assert!(r.body.contains("label 請求") && r.body.contains("assign sato@example.test"));
    assert!(
        r.body.contains("matched <strong>請求書</strong>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("請求書\ninvoice"),
        "the form keeps what was typed"
    );
    assert_eq!(app.store().rules().unwrap().len(), 1, "nothing saved");
    // …and #1003 (another sender's domain) does not match.
    let r = post(
        "/settings/rules",
        form(&[("ticket", "1003"), ("do", "test")]),
    )
    .await;
    assert!(r.body.contains("does not match"), "{}", r.body);
    // A rule without a condition is refused, saying why.
    let r = post(
        "/settings/rules",
        vec![
            ("name".into(), "nothing".into()),
            ("status".into(), "spam".into()),
            ("do".into(), "save".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("needs at least one condition"),
        "{}",
        r.body
    );
    // Saved: last in the list; then moved to the top, disabled, deleted — each audited.
    let r = post("/settings/rules", form(&[("do", "save")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rules = app.store().rules().unwrap();
    assert_eq!(rules.len(), 2);
    let new = &rules[1];
    assert_eq!(new.rule.name, "請求書は佐藤さん");
    assert_eq!(new.rule.conditions.len(), 2);
    assert_eq!(new.position, 2);
    let id = new.id().0;
    let list = app.get("/settings/rules", Some(&b)).await;
    assert!(list.body.contains("請求書 &#x2f; invoice"), "{}", list.body);
    let r = app
        .post(
            &format!("/settings/rules/{id}/move"),
            Some(&b),
            &[("to", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().rules().unwrap()[0].id().0, id);
    let r = app
        .post(
            &format!("/settings/rules/{id}/enabled"),
            Some(&b),
            &[("enabled", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!app.store().rules().unwrap()[0].rule.enabled);
    let r = app
        .post(&format!("/settings/rules/{id}/delete"), Some(&b), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().rules().unwrap().len(), 1);
    assert_eq!(
        app.store().audit_log(1).unwrap()[0].event.action,
        Action::RuleDeleted
    );
}

#[tokio::test]
async fn each_inbox_gets_a_strategy_and_a_cap() {
    let app = app();
    let b = app.browser(admin(&app));
    let r = app.get("/settings/assignment", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("sato@example.test"),
        "sato takes part in support"
    );
    let r = app
        .post(
            "/settings/assignment/support",
            Some(&b),
            &[("strategy", "least-loaded"), ("cap", "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app.store().assignment(app.support).unwrap();
    assert_eq!((a.strategy.as_str(), a.cap), ("least-loaded", Some(5)));
    let r = app
        .post(
            "/settings/assignment/support",
            Some(&b),
            &[("strategy", "manual"), ("cap", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().assignment(app.support).unwrap().cap, None);
    let r = app
        .post(
            "/settings/assignment/support",
            Some(&b),
            &[("strategy", "manual"), ("cap", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Marked away, sato no longer takes part.
    let r = app
        .post(
            &format!("/settings/users/{}/away", app.sato.0),
            Some(&b),
            &[("away", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.store().agent(app.sato).unwrap().away);
    let r = app.get("/settings/assignment", Some(&b)).await;
    assert!(!r.body.contains("sato@example.test"), "{}", r.body);
}

#[tokio::test]
async fn a_rule_with_two_conditions_on_one_field_keeps_both_when_saved_from_the_web() {
    use hako_domain::rules::{Condition, Field, Rule, RuleAction};
    let app = app();
    let b = app.browser(admin(&app));
    let cond = |v: &str| Condition {
        field: Field::Subject,
        values: vec![v.into()],
    };
    let rule = Rule {
        id: None,
        name: "至急の請求".into(),
        enabled: true,
        // Made in the CLI: `--if-subject 請求 … --if-subject 至急` as two conditions (AND).
        conditions: vec![cond("請求"), cond("至急")],
        actions: vec![RuleAction::SetStatus(hako_domain::StatusKind::Pending)],
    };
    let id = app
        .store()
        .add_rule(hako_domain::Actor::System, &rule, None)
        .unwrap()
        .id();
    let path = format!("/settings/rules/{}", id.0);
    let page = app.get(&path, Some(&b)).await;
    assert_eq!(page.body.matches("name=\"if_subject\"").count(), 2);
    assert!(page.body.contains("and also"));
    // Saved again as shown: still two conditions, not one with two alternatives.
    let r = app
        .post(
            &path,
            Some(&b),
            &[
                ("name", "至急の請求"),
                ("enabled", "1"),
                ("if_subject", "請求"),
                ("if_subject", "至急"),
                ("if_sender", ""),
                ("status", "pending"),
                ("do", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = app.store().rule(id).unwrap();
    assert_eq!(saved.rule.conditions, vec![cond("請求"), cond("至急")]);
}
