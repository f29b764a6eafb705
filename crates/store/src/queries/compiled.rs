//! Tests: the inbox view's queries, once compiled, run again without being compiled. With
//! `ANALYZE` statistics a bound value the planner looks at makes SQLite recompile the
//! statement at every use (see `list::where_clause`); this was ~19% of the web UI's CPU.
//! SQLite calls the authorizer whenever it compiles SQL, so it counts compilations.
//!
//! The tab counts are kept between pages (`memo`) and recompile when they do run: their
//! statuses stay bound parameters on purpose (see `list::where_clause`).

use chrono::{Duration, TimeZone, Utc};
use hako_domain::{InboxId, StatusKind, TicketNumber};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::synthetic::{SyntheticSpec, generate};
use crate::{AssigneeFilter, Page, Sort, Store, TicketFilter};

/// Counts the SELECTs compiled from now on: SQLite asks the authorizer about each while it
/// compiles. (Installing one expires every prepared statement, so it is installed once.)
fn count_compiling(s: &mut Store) -> Arc<AtomicUsize> {
    let n = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&n);
    s.conn
        .authorizer(Some(move |c: AuthContext<'_>| {
            if matches!(c.action, AuthAction::Select) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            Authorization::Allow
        }))
        .unwrap();
    n
}

/// What the inbox view reads for one signed-in agent, memo or not.
fn inbox_page(s: &mut Store, session: &str, visible: Option<Vec<InboxId>>) {
    let session = s.session(session).unwrap().expect("a live session");
    let me = s.agent(session.agent).unwrap();
    s.preferences(me.id).unwrap();
    let active = [StatusKind::Open, StatusKind::Pending, StatusKind::Snoozed];
    s.counts_of(visible.as_deref(), &active).unwrap();
    s.count_tickets(&TicketFilter {
        visible: visible.clone(),
        statuses: active.to_vec(),
        assignee: AssigneeFilter::Agent(me.id),
        ..Default::default()
    })
    .unwrap();
    s.inboxes().unwrap();
    s.agents().unwrap();
    s.labels().unwrap();
    let page = s
        .list_tickets(
            &TicketFilter {
                visible: visible.clone(),
                statuses: vec![StatusKind::Open],
                ..Default::default()
            },
            Sort::LastActivity,
            Page::default(),
        )
        .unwrap();
    assert!(page.items.len() > 10, "a page of tickets to look at");
    let numbers: Vec<TicketNumber> = page.items.iter().map(|t| t.number).collect();
    s.viewed(me.id, &numbers).unwrap();
    s.latest_activity(visible.as_deref()).unwrap();
}

#[test]
fn the_inbox_view_compiles_its_sql_once() {
    let mut s = Store::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
    s.set_clock(Arc::new(move || now));
    let spec = SyntheticSpec {
        tickets: 3000,
        messages: 9000,
        ..SyntheticSpec::default()
    };
    let made = generate(&mut s, &spec, &mut |_, _| {}).unwrap();
    let stat4: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM sqlite_stat4", [], |r| r.get(0))
        .unwrap();
    assert!(stat4 > 0, "the statistics that cause recompiling are there");
    let agent = s
        .agents()
        .unwrap()
        .into_iter()
        .find(|a| a.inboxes.len() == 2);
    let agent = agent.expect("an agent of two inboxes");
    let supervisor = made.agents[1];
    for (who, id) in [
        (agent.id, "agent-session"),
        (supervisor, "supervisor-session"),
    ] {
        s.create_session(who, id, "csrf", now + Duration::hours(1))
            .unwrap();
    }
    let pages = |s: &mut Store| {
        inbox_page(s, "agent-session", Some(agent.inboxes.clone()));
        inbox_page(s, "supervisor-session", None);
    };
    let compiled = count_compiling(&mut s);
    pages(&mut s);
    assert!(
        compiled.load(Ordering::Relaxed) > 0,
        "the first pages compile"
    );
    // The same pages again, nothing changed in between: the tab counts come from the memo,
    // every other query runs.
    compiled.store(0, Ordering::Relaxed);
    pages(&mut s);
    assert_eq!(
        compiled.load(Ordering::Relaxed),
        0,
        "the same pages compile nothing"
    );
}
