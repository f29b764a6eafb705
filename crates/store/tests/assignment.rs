//! Automatic assignment through `Store::ingest`: a burst of 100 new tickets distributed as
//! documented, the cap, who takes part, the round-robin turn across a restart, the audit
//! events, and `create_ticket` (hako ticket new) using the strategy too.

mod common;

use common::{Fixture, mail};
use hako_domain::assignment::Strategy;
use hako_domain::{Action, Actor, AgentId, EmailAddress, Role, TicketNumber};
use hako_store::{Change, Expect, NewAgent, Store};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn add_agent(f: &mut Fixture, name: &str, role: Role, member: bool) -> AgentId {
    let inboxes = if member { vec![f.support] } else { vec![] };
    f.store
        .add_agent(
            Actor::System,
            &NewAgent {
                name: name.into(),
                email: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
                role,
                colour: None,
                inboxes,
                password: None,
                can_send: true,
            },
        )
        .unwrap()
        .id
}

/// `n` new tickets from `n` senders never seen before, in one ingest batch (one transaction).
fn burst(f: &mut Fixture, n: usize) -> Vec<TicketNumber> {
    static SENDERS: AtomicUsize = AtomicUsize::new(0);
    let mails = (0..n)
        .map(|_| {
            let i = SENDERS.fetch_add(1, Ordering::Relaxed);
            mail(
                &format!("customer{i}@customer.test"),
                &format!("質問 {i}"),
                "本文",
            )
        })
        .collect();
    f.ingest(mails)
        .into_iter()
        .map(|o| match o {
            hako_store::ingest::Outcome::Created { ticket, .. } => ticket,
            other => panic!("expected a new ticket, got {other:?}"),
        })
        .collect()
}

/// Tickets per assignee email (`-` for nobody).
fn tally(f: &Fixture, tickets: &[TicketNumber]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for n in tickets {
        let who = f
            .store
            .ticket_detail(*n)
            .unwrap()
            .assignee
            .map(|a| a.email.to_string())
            .unwrap_or_else(|| "-".into());
        *out.entry(who).or_default() += 1;
    }
    out
}

fn counts(t: &HashMap<String, usize>, who: &[&str]) -> Vec<usize> {
    who.iter()
        .map(|w| t.get(*w).copied().unwrap_or(0))
        .collect()
}

#[test]
fn assignment_strategies_distribute_a_burst_of_100_tickets_as_documented() {
    // Round-robin over sato, suzuki and tanaka (support's members): 34/33/33.
    let mut f = Fixture::new();
    add_agent(&mut f, "tanaka", Role::Agent, true);
    let support = f.support;
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, None)
        .unwrap();
    let tickets = burst(&mut f, 100);
    let t = tally(&f, &tickets);
    let who = [
        "sato@example.test",
        "suzuki@example.test",
        "tanaka@example.test",
    ];
    assert_eq!(counts(&t, &who), [34, 33, 33], "{t:?}");
    let d = f.store.ticket_detail(tickets[1]).unwrap();
    let (event, actor) = d
        .events
        .iter()
        .find(|(e, _)| e.action == Action::Assigned)
        .unwrap();
    assert_eq!(event.actor, Actor::System);
    assert_eq!(actor, &None);
    assert_eq!(
        event.after.as_deref(),
        Some("suzuki@example.test (round-robin)")
    );

    // Least-loaded with a cap of 30, sato already holding 10: everyone ends at 30 (80 new
    // tickets assigned) and the last 20 stay unassigned.
    let mut f = Fixture::new();
    add_agent(&mut f, "tanaka", Role::Agent, true);
    let (support, sato) = (f.support, f.sato);
    let held = burst(&mut f, 10);
    f.store
        .apply_bulk(Actor::System, &held, &Change::Assign(Some(sato)))
        .unwrap();
    f.store
        .set_assignment(Actor::System, support, Strategy::LeastLoaded, Some(30))
        .unwrap();
    let tickets = burst(&mut f, 100);
    let t = tally(&f, &tickets);
    assert_eq!(counts(&t, &who), [20, 30, 30], "{t:?}");
    assert_eq!(t.get("-"), Some(&20));
    let loads: Vec<u32> = f
        .store
        .assignment_candidates(support)
        .unwrap()
        .iter()
        .map(|c| c.load)
        .collect();
    assert_eq!(loads, [30, 30, 30]);

    // A closed ticket frees a place under the cap.
    f.store
        .apply(
            Actor::System,
            held[0],
            &Change::SetStatus(hako_domain::Status::Closed),
            Expect::Any,
        )
        .unwrap();
    let next = burst(&mut f, 2);
    assert_eq!(tally(&f, &next).get("sato@example.test"), Some(&1));
    assert_eq!(tally(&f, &next).get("-"), Some(&1));
}

#[test]
fn least_loaded_without_a_cap_evens_out_the_load() {
    let mut f = Fixture::new();
    let (support, sato) = (f.support, f.sato);
    let held = burst(&mut f, 6);
    f.store
        .apply_bulk(Actor::System, &held, &Change::Assign(Some(sato)))
        .unwrap();
    f.store
        .set_assignment(Actor::System, support, Strategy::LeastLoaded, None)
        .unwrap();
    let tickets = burst(&mut f, 10);
    let t = tally(&f, &tickets);
    // suzuki catches up to 6 first, then they alternate: sato 2, suzuki 8.
    assert_eq!(
        counts(&t, &["sato@example.test", "suzuki@example.test"]),
        [2, 8],
        "{t:?}"
    );
}

#[test]
fn only_active_available_agents_of_the_inbox_take_part() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hako.db");
    let mut f = Fixture::on(Store::open(&path).unwrap());
    add_agent(&mut f, "lead", Role::Supervisor, true);
    add_agent(&mut f, "chief", Role::Admin, true);
    let gone = add_agent(&mut f, "gone", Role::Agent, true);
    add_agent(&mut f, "outsider", Role::Agent, false);
    let tanaka = add_agent(&mut f, "tanaka", Role::Agent, true);
    let (support, sato) = (f.support, f.sato);
    f.store.set_away(Actor::System, sato, true).unwrap();
    assert!(f.store.agent(sato).unwrap().away);
    // No deactivation command yet: as an admin's script would.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE agents SET active = 0 WHERE id = ?1", [gone.0])
        .unwrap();
    let who: Vec<String> = f
        .store
        .assignment_candidates(support)
        .unwrap()
        .into_iter()
        .map(|c| c.email)
        .collect();
    assert_eq!(who, ["suzuki@example.test", "tanaka@example.test"]);
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, None)
        .unwrap();
    let new = burst(&mut f, 4);
    let t = tally(&f, &new);
    assert_eq!(
        counts(&t, &["suzuki@example.test", "tanaka@example.test"]),
        [2, 2]
    );

    // Back from holiday: in the rotation again, after tanaka who had the last one.
    f.store.set_away(Actor::System, sato, false).unwrap();
    let new = burst(&mut f, 3);
    let t = tally(&f, &new);
    assert_eq!(
        counts(
            &t,
            &[
                "sato@example.test",
                "suzuki@example.test",
                "tanaka@example.test"
            ]
        ),
        [1, 1, 1],
        "{t:?}"
    );
    assert_eq!(
        f.store.assignment(support).unwrap().last_agent,
        Some(tanaka)
    );
    let team: Vec<String> = f
        .store
        .audit_log(50)
        .unwrap()
        .into_iter()
        .filter(|e| e.event.action == Action::UserUpdated)
        .filter_map(|e| e.event.after)
        .collect();
    assert_eq!(
        team,
        ["sato@example.test: available", "sato@example.test: away"]
    );
}

#[test]
fn the_round_robin_turn_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hako.db");
    let mut f = Fixture::on(Store::open(&path).unwrap());
    add_agent(&mut f, "tanaka", Role::Agent, true);
    let support = f.support;
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, Some(50))
        .unwrap();
    let new = burst(&mut f, 2);
    let t = tally(&f, &new);
    assert_eq!(
        counts(&t, &["sato@example.test", "suzuki@example.test"]),
        [1, 1]
    );

    // A new connection that knows only what the database holds.
    let clock = f.now.clone();
    f.store = Store::open(&path).unwrap();
    f.store.set_clock(Arc::new(move || *clock.lock().unwrap()));
    let s = f.store.assignment(support).unwrap();
    assert_eq!((s.strategy, s.cap), (Strategy::RoundRobin, Some(50)));
    let new = burst(&mut f, 1);
    let t = tally(&f, &new);
    assert_eq!(t.get("tanaka@example.test"), Some(&1), "{t:?}");
}

#[test]
fn a_ticket_made_by_hand_uses_the_strategy_unless_someone_is_named() {
    let mut f = Fixture::new();
    let (support, suzuki) = (f.support, f.suzuki);
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, None)
        .unwrap();
    let n = f.ticket(support, "taro@customer.test", "電話: 配送日");
    let t = f.store.ticket_detail(n).unwrap();
    assert_eq!(
        t.assignee.map(|a| a.email.to_string()).as_deref(),
        Some("sato@example.test")
    );
    let mut named = common::new_ticket(support, "hanako@customer.test", "電話: 返品");
    named.assignee = Some(suzuki);
    let t = f.store.create_ticket(Actor::System, &named).unwrap();
    assert_eq!(t.assignee, Some(suzuki));
    // Manual (the default) assigns nobody.
    let info = f.info;
    let n = f.ticket(info, "jiro@customer.test", "電話");
    assert!(f.store.ticket_detail(n).unwrap().assignee.is_none());
}

#[test]
fn settings_are_validated_and_audited() {
    let mut f = Fixture::new();
    let support = f.support;
    assert_eq!(
        f.store.assignment(support).unwrap().strategy,
        Strategy::Manual
    );
    let err = f
        .store
        .set_assignment(Actor::System, support, Strategy::LeastLoaded, Some(0))
        .unwrap_err()
        .to_string();
    assert_eq!(err, "inbox support: the cap must be at least 1 (or none)");
    f.store
        .set_assignment(Actor::System, support, Strategy::LeastLoaded, Some(12))
        .unwrap();
    let last = f.store.audit_log(1).unwrap().remove(0).event;
    assert_eq!(last.action, Action::AssignmentSaved);
    assert_eq!(last.after.as_deref(), Some("support: least-loaded, cap 12"));
}
