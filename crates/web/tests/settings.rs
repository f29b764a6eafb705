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

/// The saved settings of `name`, as TOML.
fn saved(app: &App, name: &str) -> Option<String> {
    app.store()
        .edited_inboxes()
        .unwrap()
        .into_iter()
        .find(|e| e.name == name)
        .map(|e| e.settings)
}

#[tokio::test]
async fn an_inbox_from_the_file_is_edited_tested_and_reverted_without_showing_a_password() {
    let app = app();
    let b = app.browser(admin(&app));
    let form = app.get("/settings/inboxes/support", Some(&b)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    for shown in [
        "サポート窓口",
        "imap.example.test",
        "value=\"993\"",
        "keep it",
    ] {
        assert!(form.body.contains(shown), "{shown}");
    }
    assert!(
        !form.body.contains("never-shown"),
        "no password, no command"
    );
    let fields = |signature: &'static str,
                  smtp_port: &'static str,
                  smtp_password: &'static str,
                  what: &'static str| {
        vec![
            ("address", "support@example.test"),
            ("display_name", "Example support"),
            ("signature", signature),
            ("require_approval", "1"),
            ("auto_reply", "auto-ack-ja"),
            ("imap_enabled", "1"),
            ("imap_host", "imap.example.test"),
            ("imap_port", "993"),
            ("imap_security", "tls"),
            ("imap_username", "support@example.test"),
            ("imap_password", ""),
            ("imap_folders", "INBOX, 問い合わせ"),
            ("imap_sent_folder", "Sent"),
            ("smtp_enabled", "1"),
            ("smtp_host", "smtp.example.test"),
            ("smtp_port", smtp_port),
            ("smtp_security", "starttls"),
            ("smtp_username", "support@example.test"),
            ("smtp_password", smtp_password),
            ("do", what),
        ]
    };
    // Test first: the file's own server, so the file's password (the field was left empty).
    let r = app
        .post(
            "/settings/inboxes/support",
            Some(&b),
            &fields("-- 箱", "587", "", "test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(
            "fake IMAP for support: INBOX, 3 messages (host imap.example.test, password imap-secret-never-shown)"
        ),
        "the test used the typed values and the file's password"
    );
    assert_eq!(saved(&app, "support"), None, "a test saves nothing");
    // Another host, or SMTP on another port, gets no password from the file: it must be typed.
    let mut elsewhere = fields("-- 箱", "587", "", "test");
    elsewhere[6] = ("imap_host", "attacker.example");
    let r = app
        .post("/settings/inboxes/support", Some(&b), &elsewhere)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("IMAP: type the password"), "{}", r.body);
    assert!(!r.body.contains("fake IMAP"), "nothing was tested");
    let r = app
        .post(
            "/settings/inboxes/support",
            Some(&b),
            &fields("-- 箱", "465", "", "save"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("SMTP: type the password"), "{}", r.body);
    assert_eq!(saved(&app, "support"), None);

    let r = app
        .post(
            "/settings/inboxes/support",
            Some(&b),
            &fields("-- 箱\r\nサポート", "465", " typed-smtp-pass ", "save"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let text = saved(&app, "support").unwrap();
    assert!(text.contains("問い合わせ"));
    assert!(
        text.contains("\" typed-smtp-pass \""),
        "a typed password is kept as typed: {text}"
    );
    assert!(
        !text.contains("imap-secret") && !text.contains("echo smtp-secret"),
        "the file's secrets stay in the file: {text}"
    );
    let inbox = app.store().inbox_by_name("support").unwrap();
    assert_eq!(
        inbox.signature, "-- 箱\nサポート",
        "the composer's signature, at once"
    );
    assert_eq!(inbox.auto_reply.as_deref(), Some("auto-ack-ja"));
    let e = &app.store().audit_log(1).unwrap()[0];
    assert_eq!(e.event.action, Action::InboxEdited);
    let after = e.event.after.as_deref().unwrap();
    assert!(
        after.contains("imap.folders \"INBOX, 問い合わせ\"")
            && after.contains("smtp.password \"changed\""),
        "{after}"
    );
    assert!(!after.contains("typed-smtp-pass"), "{after}");

    let list = app.get("/settings/inboxes", Some(&b)).await;
    assert!(list.body.contains("edited here (over the config file)"));
    assert!(list.body.contains("smtp.example.test:465 (starttls)"));
    assert!(
        list.body.contains("set (saved here)") && list.body.contains("set (in the file"),
        "SMTP's password typed here, IMAP's still the file's"
    );
    assert!(!list.body.contains("typed-smtp-pass") && !list.body.contains("never-shown"));
    let form = app.get("/settings/inboxes/support", Some(&b)).await;
    assert!(!form.body.contains("typed-smtp-pass"));

    // The connection test button of the list uses the saved settings.
    let r = app
        .post("/settings/inboxes/support/test", Some(&b), &[])
        .await;
    assert!(
        r.body
            .contains("host imap.example.test, password imap-secret-never-shown")
    );

    // A port that is not one is refused, as typed, and nothing changes.
    let mut bad = fields("x", "465", "", "save");
    bad[7] = ("imap_port", "99999");
    let r = app.post("/settings/inboxes/support", Some(&b), &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("the port must be a number from 1 to 65535"));
    assert!(saved(&app, "support").unwrap().contains("typed-smtp-pass"));

    let r = app
        .post("/settings/inboxes/support/revert", Some(&b), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(saved(&app, "support"), None);
    assert_eq!(
        app.store().inbox_by_name("support").unwrap().signature,
        "サポート窓口"
    );
    let list = app.get("/settings/inboxes", Some(&b)).await;
    assert!(list.body.contains("imap.example.test:993 (tls)"));
    // Only an inbox edited over the file can be reverted.
    let r = app
        .post("/settings/inboxes/support/revert", Some(&b), &[])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_new_inbox_is_added_and_clashes_are_refused_with_the_reason() {
    let app = app();
    let b = app.browser(admin(&app));
    let new = |name: &'static str, address: &'static str| {
        vec![
            ("name", name),
            ("address", address),
            ("display_name", "営業窓口"),
            ("signature", ""),
            ("smtp_enabled", "1"),
            ("smtp_host", "127.0.0.1"),
            ("smtp_port", "25"),
            ("smtp_security", "none"),
            ("smtp_username", ""),
            ("do", "save"),
        ]
    };
    for (name, address, reason) in [
        ("support", "x@example.test", "exists already"),
        ("new", "x@example.test", "exists already"),
        (
            "sales",
            "INFO@example.test",
            "is already used by inbox `info`",
        ),
        (
            "営業",
            "sales@example.test",
            "may only contain ASCII letters",
        ),
        ("sales", "not-an-address", "not a plausible email address"),
    ] {
        let r = app
            .post("/settings/inboxes", Some(&b), &new(name, address))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{name} {address}");
        assert!(r.body.contains(reason), "{name} {address}: {reason}");
        assert!(r.body.contains("営業窓口"), "the form keeps what was typed");
    }
    assert!(app.store().edited_inboxes().unwrap().is_empty());
    let r = app
        .post(
            "/settings/inboxes",
            Some(&b),
            &new("sales", "sales@example.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sales = app.store().inbox_by_name("sales").unwrap();
    assert_eq!(sales.display_name, "営業窓口");
    let list = app.get("/settings/inboxes", Some(&b)).await;
    assert!(list.body.contains("added here"));
    assert!(list.body.contains("127.0.0.1:25 (none)"));
    // Added here, so there is no file version to revert to.
    assert!(!list.body.contains("/settings/inboxes/sales/revert"));
    // Agents can now be put in it.
    let edit = app.get("/settings/users", Some(&b)).await;
    assert!(edit.body.contains("営業窓口"));
}

#[tokio::test]
async fn the_audit_log_page_shows_team_and_ticket_changes_newest_first_in_pages() {
    let app = app();
    let b = app.browser(admin(&app));
    let r = app
        .post(
            "/settings/labels",
            Some(&b),
            &[("name", "監査テスト"), ("colour", "#16a34a")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get("/settings/audit", Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let row = page
        .body
        .split("<tr>")
        .find(|r| r.contains("監査テスト"))
        .expect("the new label's row");
    assert!(
        row.contains("admin@example.test") && row.contains("label created"),
        "{row}"
    );
    // Ticket events link to their ticket.
    assert!(page.body.contains("href=\"/t/1001\""));
    // More than a page: an "older" link, and the next page goes on where this one ended.
    for i in 0..120 {
        app.store()
            .add_label(hako_domain::Actor::System, &format!("多数{i:03}"), None)
            .unwrap();
    }
    let first = app.get("/settings/audit", Some(&b)).await;
    assert_eq!(first.body.matches("多数").count(), 100);
    assert!(first.body.contains("多数119") && !first.body.contains("多数019"));
    let older = first
        .body
        .split("href=\"/settings/audit?before=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an older link")
        .to_owned();
    let second = app
        .get(&format!("/settings/audit?before={older}"), Some(&b))
        .await;
    assert!(second.body.contains("多数019") && !second.body.contains("多数020"));
}

#[tokio::test]
async fn moving_an_inbox_to_another_imap_account_restarts_its_sync_state() {
    let app = app();
    let b = app.browser(admin(&app));
    let mut store = app.store();
    let support = store.inbox_by_name("support").unwrap().id;
    let mb = store.mailbox(support, "INBOX").unwrap().id;
    store.set_uidvalidity(mb, 42).unwrap();
    store.set_import_below(mb, 100).unwrap();
    let form = |host: &'static str, password: &'static str| {
        vec![
            ("address", "support@example.test"),
            ("display_name", "Example support"),
            ("imap_enabled", "1"),
            ("imap_host", host),
            ("imap_port", "993"),
            ("imap_security", "tls"),
            ("imap_username", "support@example.test"),
            ("imap_password", password),
            ("imap_folders", "INBOX"),
            ("do", "save"),
        ]
    };
    let state = |app: &App| {
        let m = app.store().mailboxes().unwrap().remove(0);
        (m.uidvalidity, m.import_below)
    };
    // The same account (another signature, no SMTP): the sync goes on where it was.
    let r = app
        .post(
            "/settings/inboxes/support",
            Some(&b),
            &form("imap.example.test", ""),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app), (Some(42), 100));
    // Another server: the mail already there will count as old, not as new mail.
    let r = app
        .post(
            "/settings/inboxes/support",
            Some(&b),
            &form("imap.elsewhere.example", "new-server-pass"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app), (None, 0));
    let after = app
        .store()
        .audit_log(1)
        .unwrap()
        .remove(0)
        .event
        .after
        .unwrap();
    assert!(after.contains("another IMAP account"), "{after}");
}
