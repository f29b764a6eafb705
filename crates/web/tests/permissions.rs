//! The visibility rule: an agent of inbox A gets 404 for every page, action, attachment, raw
//! message and count of inbox B — exactly as for a ticket that does not exist — and nothing
//! changes; supervisors see and change both. The admin settings (`admin_app::ROLE_TABLE`) are
//! 404 for agents and supervisors alike. Both tables are checked against the router's source,
//! so a new ticket or settings route cannot be left out of this test.

mod admin_app;
mod common;

use admin_app::{ROLE_TABLE, filler, matches, snapshot};
use axum::http::StatusCode;
use common::*;
use hako_domain::TicketNumber;

/// (method, path with `{n}` for the ticket and `{m}` for its first message, form fields with
/// `{other}` for a second ticket of the same inbox).
type Route = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const TABLE: &[Route] = &[
    ("GET", "/t/{n}", &[]),
    ("GET", "/t/{n}?images=1", &[]),
    ("GET", "/t/{n}/messages/{m}/attachments/0", &[]),
    ("GET", "/t/{n}/messages/{m}/raw", &[]),
    ("POST", "/t/{n}/take", &[]),
    (
        "POST",
        "/t/{n}/assign",
        &[("assignee", "tanaka@example.test")],
    ),
    ("POST", "/t/{n}/labels", &[("label", "請求"), ("op", "add")]),
    (
        "POST",
        "/t/{n}/status",
        &[("status", "pending"), ("reason", "waiting")],
    ),
    ("POST", "/t/{n}/snooze", &[("when", "tomorrow")]),
    ("POST", "/t/{n}/note", &[("body", "looked at it")]),
    ("POST", "/t/{n}/split", &[("message", "{m2}")]),
    (
        "POST",
        "/bulk",
        &[("n", "{n}"), ("do", "status"), ("status", "closed")],
    ),
    ("POST", "/t/{n}/reply", &[("body", "a reply")]),
    ("GET", "/t/{n}/preview?body=x", &[]),
    // Presence changes no ticket: it answers who else is there (JSON).
    ("POST", "/t/{n}/presence", &[("replying", "1")]),
    // The board and the reports: supervisors only, so an agent gets 404 even for tickets of
    // their own inbox (see `ROLE_TABLE` in settings.rs for the admin-only pages).
    ("GET", "/board", &[]),
    (
        "POST",
        "/board/assign/{n}",
        &[("assignee", "boss@example.test")],
    ),
    ("GET", "/reports/labels", &[]),
    ("GET", "/reports/labels.csv?inbox=info", &[]),
    // Last: the ticket is gone into the other one afterwards.
    ("POST", "/t/{n}/merge", &[("into", "{other}")]),
];

#[test]
fn the_table_covers_every_ticket_route() {
    let source = include_str!("../src/lib.rs");
    for line in source.lines().filter(|l| l.contains("\"/t/{number}")) {
        let path = line.split('"').nth(1).unwrap().replace("{number}", "{n}");
        let path = path.replace("{id}", "{m}").replace("{index}", "0");
        assert!(
            TABLE.iter().any(|(_, p, _)| p.starts_with(&path)),
            "{path} is not in the table"
        );
    }
}

struct Target {
    n: TicketNumber,
    m: i64,
    m2: i64,
    other: TicketNumber,
}

fn fill(s: &str, t: &Target) -> String {
    s.replace("{n}", &t.n.0.to_string())
        .replace("{m2}", &t.m2.to_string())
        .replace("{m}", &t.m.to_string())
        .replace("{other}", &t.other.0.to_string())
}

fn target(app: &App, n: TicketNumber, other: TicketNumber) -> Target {
    let mut s = app.store();
    s.add_note(app.boss, n, "second message, so a split is possible")
        .unwrap();
    let d = s.ticket_detail(n).unwrap();
    Target {
        n,
        m: d.messages[0].id.0,
        m2: d.messages[1].id.0,
        other,
    }
}

async fn run(
    app: &App,
    b: &Browser,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
    t: &Target,
) -> Resp {
    let path = fill(path, t);
    if method == "GET" {
        return app.get(&path, Some(b)).await;
    }
    let mut f: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), fill(v, t)))
        .collect();
    f.push(("version".into(), app.version(t.n)));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(&path, Some(b), &f).await
}

#[tokio::test]
async fn an_agent_of_inbox_a_gets_404_for_everything_of_inbox_b() {
    let app = spawn_app();
    let t = target(&app, app.b_html, app.b_plain);
    let before = app.store().ticket_detail(t.n).unwrap();
    let before_other = app.store().ticket(t.other).unwrap();
    let sato = app.browser(app.sato);
    for (method, path, fields) in TABLE {
        let r = run(&app, &sato, method, path, fields, &t).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            r.body
        );
        assert!(
            !r.body.contains("Confidential") && !r.body.contains("Secret Corp"),
            "{path} leaks"
        );
        // Same words as for a ticket that does not exist.
        if path.starts_with("/t/") {
            assert!(
                r.body.contains(&format!("ticket #{}: not found", t.n.0)),
                "{path}: {}",
                r.body
            );
        }
    }
    let after = app.store().ticket_detail(t.n).unwrap();
    assert_eq!(
        after.ticket.version, before.ticket.version,
        "nothing changed"
    );
    assert_eq!(after.events.len(), before.events.len());
    assert_eq!(
        app.store().ticket(t.other).unwrap().version,
        before_other.version
    );
    // Nor can a ticket of A be merged into one of B.
    let v = app.version(app.a_plain);
    let r = app
        .post(
            "/t/1002/merge",
            Some(&sato),
            &[("into", &t.n.0.to_string()), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        app.store()
            .ticket(app.a_plain)
            .unwrap()
            .merged_into
            .is_none()
    );
    // A ticket that does not exist answers the same.
    let r = app.get("/t/9999", Some(&sato)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("ticket #9999: not found"));
}

#[tokio::test]
async fn counts_lists_search_and_history_do_not_leak_inbox_b() {
    let app = spawn_app();
    let sato = app.browser(app.sato);
    let counts = app.get("/counts", Some(&sato)).await;
    assert_eq!(counts.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&counts.body).unwrap();
    assert_eq!(json["tabs"]["all"], 2, "{json}");
    assert!(json["tabs"].get("info").is_none(), "{json}");
    assert_eq!(
        app.get("/?tab=info", Some(&sato)).await.status,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/",
        "/?status=all",
        "/?q=secret",
        "/?q=Confidential",
        "/?q=inbox:info",
        "/?status=all&q=hush",
    ] {
        let r = app.get(path, Some(&sato)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        for leak in [
            "Confidential merger",
            "Other B subject",
            "Example info",
            "ceo@secret.test",
            "bob@secret.test",
        ] {
            assert!(!r.body.contains(leak), "{path} leaks {leak}");
        }
    }
    let r = app
        .get("/history?contact=ceo%40secret.test", Some(&sato))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains("Confidential") && !r.body.contains("Secret Corp"),
        "{}",
        r.body
    );
    let r = app.get("/history?contact=secret.test", Some(&sato)).await;
    assert!(!r.body.contains("Confidential"));
}

#[tokio::test]
async fn supervisors_see_and_change_both_inboxes_and_every_action_is_audited() {
    let app = spawn_app();
    let boss = app.browser(app.boss);
    let counts: serde_json::Value =
        serde_json::from_str(&app.get("/counts", Some(&boss)).await.body).unwrap();
    assert_eq!(counts["tabs"]["all"], 4);
    assert_eq!(counts["tabs"]["info"], 2);
    let r = app.get("/?q=Confidential", Some(&boss)).await;
    assert!(r.body.contains("Confidential merger"), "{}", r.body);
    let t = target(&app, app.b_html, app.b_plain);
    for (method, path, fields) in TABLE {
        let events = app.store().ticket_detail(t.n).unwrap().events.len();
        let r = run(&app, &boss, method, path, fields, &t).await;
        if *method == "GET" || path.ends_with("/presence") {
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            continue;
        }
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{method} {path}: {}",
            r.body
        );
        let after = app.store().ticket_detail(t.n).unwrap().events.len();
        assert!(after > events, "{path} wrote no audit event");
    }
    assert!(app.store().ticket(t.n).unwrap().merged_into.is_some());
}

#[test]
fn the_role_table_covers_every_settings_route() {
    let source = include_str!("../src/lib.rs");
    let mut checked = 0;
    // One `.route(…)` call per chunk, however rustfmt wrapped it.
    for call in source.split(".route(").skip(1) {
        let route = call.split('"').nth(1).unwrap();
        if !route.starts_with("/settings") {
            continue;
        }
        let line = call.split("\n        .").next().unwrap();
        for (call, method) in [("get(", "GET"), ("post(", "POST")] {
            if !line.contains(call) {
                continue;
            }
            checked += 1;
            assert!(
                ROLE_TABLE
                    .iter()
                    .any(|(m, p, _)| *m == method && matches(route, p)),
                "{method} {route} is not in ROLE_TABLE"
            );
        }
    }
    assert!(checked >= 27, "read the routes from lib.rs: {checked}");
}

#[tokio::test]
async fn agents_and_supervisors_get_404_for_every_settings_page_and_form() {
    let app = admin_app::app();
    let before = snapshot(&app);
    let fill = filler(&app);
    for who in [app.sato, app.boss] {
        let b = app.browser(who);
        for (method, path, fields) in ROLE_TABLE {
            let path = fill(path);
            let r = if *method == "GET" {
                app.get(&path, Some(&b)).await
            } else {
                app.post(&path, Some(&b), fields).await
            };
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
            assert!(r.body.contains("page: not found"), "{method} {path}");
            assert!(!r.body.contains("never-shown"));
        }
        // Nor are the settings in their navigation.
        assert!(
            !app.get("/", Some(&b))
                .await
                .body
                .contains("href=\"/settings\"")
        );
    }
    assert_eq!(snapshot(&app), before, "nothing changed");
}

#[test]
fn the_table_covers_the_board_and_the_reports() {
    let source = include_str!("../src/lib.rs");
    let mut checked = 0;
    for call in source.split(".route(").skip(1) {
        let route = call.split('"').nth(1).unwrap();
        if !(route.starts_with("/board") || route.starts_with("/reports")) {
            continue;
        }
        checked += 1;
        assert!(
            TABLE.iter().any(|(_, p, _)| matches(route, p)),
            "{route} is not in the table"
        );
    }
    assert!(checked >= 4, "{checked}");
}
