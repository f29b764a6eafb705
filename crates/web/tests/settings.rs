//! The admin settings: every post needs the CSRF token (over `ROLE_TABLE`, whose 404s for
//! agents and supervisors are checked in permissions.rs); labels, users (add, change, deactivate, away; not oneself), and inboxes from
//! the config with a connection test through a fake tester.

mod admin_app;
mod common;

use admin_app::*;
use axum::http::StatusCode;
use common::*;
use hako_domain::{Action, Role};
use hako_web::{AppState, Settings};

#[tokio::test]
async fn admins_open_every_page_and_every_post_needs_the_csrf_token() {
    let app = app();
    let b = app.browser(admin(&app));
    let before = snapshot(&app);
    let fill = filler(&app);
    for (method, path, fields) in ROLE_TABLE.iter().filter(|r| r.0 == "POST") {
        let path = fill(path);
        let r = app.post_raw(&path, Some(&b), fields, Some(ORIGIN)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
        let mut with_wrong: Vec<(&str, &str)> = fields.to_vec();
        let wrong = "0".repeat(64);
        with_wrong.push(("_csrf", &wrong));
        let r = app
            .post_raw(&path, Some(&b), &with_wrong, Some(ORIGIN))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    assert_eq!(snapshot(&app), before, "nothing changed without the token");
    for (method, path, fields) in ROLE_TABLE {
        let path = fill(path);
        let r = if *method == "GET" {
            app.get(&path, Some(&b)).await
        } else {
            app.post(&path, Some(&b), fields).await
        };
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER,
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
    }
    assert!(
        app.get("/", Some(&b))
            .await
            .body
            .contains("href=\"/settings\"")
    );
}

#[tokio::test]
async fn labels_are_added_renamed_and_recoloured() {
    let app = app();
    let b = app.browser(admin(&app));
    let r = app
        .post(
            "/settings/labels",
            Some(&b),
            &[("name", "返品"), ("colour", "#16A34A")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let l = app.store().label_by_name("返品").unwrap();
    assert_eq!(l.colour.as_str(), "#16a34a");
    let r = app
        .post(
            &format!("/settings/labels/{}", l.id.0),
            Some(&b),
            &[("name", "返品・交換"), ("colour", "#dc2626")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let l = app.store().label_by_name("返品・交換").unwrap();
    assert_eq!(l.colour.as_str(), "#dc2626");
    let e = &app.store().audit_log(1).unwrap()[0].event;
    assert_eq!(e.action, Action::LabelUpdated);
    // A taken name is refused on the page, saying so.
    let r = app
        .post(
            &format!("/settings/labels/{}", l.id.0),
            Some(&b),
            &[("name", "請求"), ("colour", "#dc2626")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("label 請求: already exists"), "{}", r.body);
    let page = app.get_lang("/settings/labels", Some(&b), Some("ja")).await;
    assert!(page.body.contains("返品・交換") && page.body.contains("ラベル"));
}

#[tokio::test]
async fn users_are_added_changed_and_deactivated_but_not_oneself() {
    let app = app();
    let me = admin(&app);
    let b = app.browser(me);
    let r = app
        .post(
            "/settings/users",
            Some(&b),
            &[
                ("name", "鈴木"),
                ("email", "suzuki@example.test"),
                ("role", "agent"),
                ("inbox", &app.support.0.to_string()),
                ("inbox", &app.info.0.to_string()),
                ("password", "a long first password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let suzuki = app.store().agent_by_email("suzuki@example.test").unwrap();
    assert_eq!(suzuki.inboxes, vec![app.support, app.info]);
    assert!(!suzuki.can_send, "the box was not ticked");
    assert!(app.store().password_hash(suzuki.id).unwrap().is_some());
    // Too short a password: refused on the page.
    let r = app
        .post(
            "/settings/users",
            Some(&b),
            &[
                ("name", "x"),
                ("email", "x@example.test"),
                ("role", "agent"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at least 10 characters"));
    // Change tanaka: supervisor, support only, cannot send.
    let r = app
        .post(
            &format!("/settings/users/{}", app.tanaka.0),
            Some(&b),
            &[
                ("role", "supervisor"),
                ("inbox", &app.support.0.to_string()),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let t = app.store().agent(app.tanaka).unwrap();
    assert_eq!(
        (t.role, t.inboxes.clone(), t.can_send),
        (Role::Supervisor, vec![app.support], false)
    );
    // Deactivate: the audit says so, and tanaka's open session stops working.
    let tanaka = app.browser(app.tanaka);
    assert_eq!(app.get("/", Some(&tanaka)).await.status, StatusCode::OK);
    let r = app
        .post(
            &format!("/settings/users/{}/active", app.tanaka.0),
            Some(&b),
            &[("active", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!app.store().agent(app.tanaka).unwrap().active);
    let e = &app.store().audit_log(1).unwrap()[0].event;
    assert_eq!(e.action, Action::UserUpdated);
    assert!(e.after.as_deref().unwrap().contains("deactivated"));
    let r = app.get("/", Some(&tanaka)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "signed out");
    let list = app.get("/settings/users", Some(&b)).await;
    assert!(list.body.contains("Reactivate"));
    let r = app
        .post(
            &format!("/settings/users/{}/active", app.tanaka.0),
            Some(&b),
            &[("active", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.store().agent(app.tanaka).unwrap().active);
    // Not oneself: neither deactivated nor demoted, and the page says why.
    let events = app.store().audit_log(1000).unwrap().len();
    let r = app
        .post(
            &format!("/settings/users/{}/active", me.0),
            Some(&b),
            &[("active", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("cannot deactivate yourself"), "{}", r.body);
    let r = app
        .post(
            &format!("/settings/users/{}", me.0),
            Some(&b),
            &[("role", "supervisor"), ("active", "1"), ("can_send", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("admin role from yourself"), "{}", r.body);
    let a = app.store().agent(me).unwrap();
    assert!(a.active && a.role == Role::Admin);
    assert_eq!(app.store().audit_log(1000).unwrap().len(), events);
    // The own row offers no deactivate button.
    let list = app.get("/settings/users", Some(&b)).await;
    assert!(
        !list
            .body
            .contains(&format!("/settings/users/{}/active", me.0))
    );
}

#[tokio::test]
async fn inboxes_show_the_config_without_passwords_and_test_the_connection() {
    let app = app();
    let b = app.browser(admin(&app));
    let r = app.get("/settings/inboxes", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for shown in [
        "support@example.test",
        "サポート窓口",
        "imap.example.test:993 (tls)",
        "smtp.example.test:587 (starttls)",
        "HAKO_INBOX__SUPPORT__IMAP__HOST",
        "from password_command",
        "Test the connection",
    ] {
        assert!(r.body.contains(shown), "{shown}");
    }
    assert!(!r.body.contains("never-shown"), "no password, no command");
    let r = app
        .post("/settings/inboxes/support/test", Some(&b), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("fake IMAP for support: INBOX, 3 messages"));
    assert!(r.body.contains("535 5.7.8 fake: authentication failed"));
    // An inbox not in the config: 404.
    let r = app.post("/settings/inboxes/nope/test", Some(&b), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Without a tester (not under hako serve) the page says so.
    let mut plain = spawn_app();
    plain.state = AppState::new(
        &plain.db(),
        Settings {
            inboxes: inboxes(),
            ..Settings::default()
        },
        None,
    )
    .unwrap();
    let admin_b = plain.browser(admin(&plain));
    let r = plain.get("/settings/inboxes", Some(&admin_b)).await;
    assert!(r.body.contains("runs only in hako serve"));
}
