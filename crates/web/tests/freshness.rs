//! The web UI's connections keep what every page reads (agents, labels, inboxes, tab counts)
//! between requests while the database is unchanged (`hako_store`'s memo). A change made
//! elsewhere — here through a connection of its own, as the CLI or `hako serve`'s ingest
//! worker make them — must show on the very next request, permissions included.

mod common;

use axum::http::{StatusCode, header};
use common::*;
use hako_domain::{Actor, Colour, EmailAddress, Role};
use hako_store::{AgentUpdate, Change, Expect, NewAgent};

/// The count on the tab `key` of an inbox page.
fn tab_count(body: &str, key: &str) -> u64 {
    let at = body
        .find(&format!("data-count=\"{key}\""))
        .unwrap_or_else(|| panic!("no tab {key}"));
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</span>").unwrap();
    rest[start..end].trim().parse().unwrap()
}

#[tokio::test]
async fn a_change_through_another_connection_shows_on_the_next_request() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    // Twice: the second page is served from what the first one kept.
    for _ in 0..2 {
        let r = app.get("/", Some(&b)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            (tab_count(&r.body, "all"), tab_count(&r.body, "mine")),
            (2, 0)
        );
        assert!(!r.body.contains("返品") && !r.body.contains("Suzuki"));
    }
    let counts = app.get("/counts", Some(&b)).await;
    assert!(counts.body.contains("\"all\":2"), "{}", counts.body);

    // Another connection: a new ticket, a label, an agent, an assignment.
    let mut other = app.store();
    let n = plain_ticket(&mut other, app.support, "c@customer.test", "返金の件", "…");
    other
        .add_label(
            Actor::System,
            "返品",
            Some(Colour::parse("#ff0000").unwrap()),
        )
        .unwrap();
    other
        .add_agent(
            Actor::System,
            &NewAgent {
                name: "Suzuki".into(),
                email: EmailAddress::parse("suzuki@example.test").unwrap(),
                role: Role::Agent,
                colour: None,
                inboxes: vec![app.support],
                password: None,
                can_send: true,
            },
        )
        .unwrap();
    other
        .apply(
            Actor::System,
            n,
            &Change::Assign(Some(app.sato)),
            Expect::Any,
        )
        .unwrap();
    let r = app.get("/", Some(&b)).await;
    assert_eq!(
        (tab_count(&r.body, "all"), tab_count(&r.body, "mine")),
        (3, 1)
    );
    for s in ["返金の件", "返品", "Suzuki"] {
        assert!(r.body.contains(s), "the page lacks {s}");
    }
    let counts = app.get("/counts", Some(&b)).await;
    assert!(counts.body.contains("\"all\":3"), "{}", counts.body);
    assert!(counts.body.contains("\"mine\":1"), "{}", counts.body);

    // Sato moves from support to info: the next request sees only info.
    let update = |inboxes| AgentUpdate {
        role: Role::Agent,
        inboxes,
        active: true,
        can_send: true,
    };
    other
        .update_agent(Actor::System, app.sato, &update(vec![app.info]))
        .unwrap();
    assert_eq!(
        app.get("/?tab=support", Some(&b)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.get("/?tab=info", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("返金の件"));
    let t = format!("/t/{}", n.0);
    assert_eq!(app.get(&t, Some(&b)).await.status, StatusCode::NOT_FOUND);

    // Deactivated: the next request is signed out.
    other
        .update_agent(
            Actor::System,
            app.sato,
            &AgentUpdate {
                active: false,
                ..update(vec![app.info])
            },
        )
        .unwrap();
    let r = app.get("/", Some(&b)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header(header::LOCATION).starts_with("/login"));
}
