//! The supervisor board: hidden from agents, the team's load, unassigned work per inbox,
//! customers waiting longer than `[web] unanswered_hours` (4) with links to the same list in
//! the inbox view, and reassigning a ticket from the board with its audit event.

mod common;

use axum::http::{StatusCode, header};
use chrono::Duration;
use common::*;
use hako_domain::{Action, Actor, AgentId, TicketNumber};
use hako_store::{Change, Expect};
use std::sync::Arc;

/// A URL as minijinja writes it into an attribute.
fn esc(url: &str) -> String {
    url.replace('&', "&amp;").replace('/', "&#x2f;")
}

/// The usual app plus a ticket in support and one in info whose customers wrote five hours
/// ago (the store's clock set back while creating them).
fn app_with_old_tickets() -> (App, TicketNumber, TicketNumber) {
    let mut old = (TicketNumber(0), TicketNumber(0));
    let app = spawn_app_with(None, |s, support, info| {
        let then = s.now() - Duration::hours(5);
        s.set_clock(Arc::new(move || then));
        old.0 = plain_ticket(s, support, "late@customer.test", "Still waiting", "hello?");
        old.1 = plain_ticket(s, info, "later@customer.test", "Waiting in info", "anyone?");
        s.set_clock(Arc::new(chrono::Utc::now));
    });
    (app, old.0, old.1)
}

#[tokio::test]
async fn agents_get_404_for_the_board_and_its_form() {
    let (app, old, _) = app_with_old_tickets();
    let sato = app.browser(app.sato);
    let r = app.get("/board", Some(&sato)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("page: not found"), "{}", r.body);
    let v = app.version(old);
    let r = app
        .post(
            &format!("/board/assign/{}", old.0),
            Some(&sato),
            &[("assignee", "sato@example.test"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(app.store().ticket(old).unwrap().assignee.is_none());
    // Nor is the board in an agent's navigation.
    let r = app.get("/", Some(&sato)).await;
    assert!(!r.body.contains("href=\"/board\""));
}

#[tokio::test]
async fn the_board_shows_load_unassigned_work_and_who_waits() {
    let (app, old_a, old_b) = app_with_old_tickets();
    let mut s = app.store();
    s.apply(
        Actor::Agent(app.boss),
        app.a_html,
        &Change::Assign(Some(app.sato)),
        Expect::Any,
    )
    .unwrap();
    s.apply(
        Actor::Agent(app.boss),
        old_a,
        &Change::Assign(Some(app.sato)),
        Expect::Any,
    )
    .unwrap();
    let boss = app.browser(app.boss);
    let r = app.get_lang("/board", Some(&boss), Some("en")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("href=\"/board\""), "in the navigation");
    assert!(
        r.body.contains("http-equiv=\"refresh\""),
        "reloads without JS"
    );
    // sato holds two open tickets; the link lists exactly them.
    let sato_open = esc("/?tab=all&status=open&assignee=sato%40example.test&sort=waiting");
    assert!(
        r.body.contains(&format!("<a href=\"{sato_open}\">2</a>")),
        "{}",
        r.body
    );
    // …and waits longest on the five-hour-old one.
    assert!(r.body.contains(&format!("#{}</a> Still waiting", old_a.0)));
    assert!(
        r.body.contains("5 h 0 m") || r.body.contains("4 h 59 m"),
        "{}",
        r.body
    );
    // Unassigned open per inbox: support has a_plain; info has b_html, b_plain, old_b.
    for (inbox, n) in [("support", 1), ("info", 3)] {
        let url = esc(&format!(
            "/?tab={inbox}&status=open&assignee=none&sort=waiting"
        ));
        assert!(
            r.body.contains(&format!("<a href=\"{url}\">{n}</a>")),
            "{inbox}"
        );
    }
    // Unanswered for 4 hours or more: the two old tickets, nothing newer.
    let url = "/?tab=all&status=open&waiting_hours=4&sort=waiting";
    assert!(
        r.body.contains(&format!("<a href=\"{}\">2</a>", esc(url))),
        "{}",
        r.body
    );
    assert!(r.body.contains("Waiting in info"));
    let list = app.get(url, Some(&boss)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Still waiting") && list.body.contains("Waiting in info"));
    assert!(
        !list.body.contains("請求書の件"),
        "a fresh ticket is not in the list"
    );
    assert!(
        list.body.contains("waiting_hours=4"),
        "kept by tabs and paging"
    );
    // Japanese.
    let ja = app.get_lang("/board", Some(&boss), Some("ja")).await;
    assert!(ja.body.contains("担当者") && ja.body.contains("受信箱"));
    assert!(ja.body.contains("5時間0分") || ja.body.contains("4時間59分"));
    let _ = old_b;
}

#[tokio::test]
async fn reassigning_from_the_board_changes_the_assignee_and_is_audited() {
    let (app, _, old_b) = app_with_old_tickets();
    let boss = app.browser(app.boss);
    let before = app.store().ticket_detail(old_b).unwrap().events.len();
    let v = app.version(old_b);
    let r = app
        .post(
            &format!("/board/assign/{}", old_b.0),
            Some(&boss),
            &[("assignee", "tanaka@example.test"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header(header::LOCATION), "/board");
    let d = app.store().ticket_detail(old_b).unwrap();
    assert_eq!(d.ticket.assignee, Some(app.tanaka));
    assert_eq!(d.events.len(), before + 1);
    let (e, _) = d.events.last().unwrap();
    assert_eq!(e.action, Action::Assigned);
    assert_eq!(e.actor, Actor::Agent(app.boss));
    // The version shown is checked: a stale form is a 409, nothing changes.
    let r = app
        .post(
            &format!("/board/assign/{}", old_b.0),
            Some(&boss),
            &[("assignee", ""), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.store().ticket(old_b).unwrap().assignee,
        Some(app.tanaka)
    );
    // Without the CSRF token: refused.
    let v = app.version(old_b);
    let r = app
        .post_raw(
            &format!("/board/assign/{}", old_b.0),
            Some(&boss),
            &[("assignee", ""), ("version", &v)],
            Some(ORIGIN),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // sato (support only) may not hold an info ticket: refused, unchanged.
    let r = app
        .post(
            &format!("/board/assign/{}", old_b.0),
            Some(&boss),
            &[("assignee", "sato@example.test"), ("version", &v)],
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(
        app.store().ticket(old_b).unwrap().assignee,
        Some(app.tanaka)
    );
    let _: AgentId = app.sato;
}
