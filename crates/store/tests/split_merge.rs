//! Split and merge against a real database: whatever the sequence of operations, every
//! message stays in exactly one ticket and no message is lost.

mod common;

use common::Fixture as Env;
use hako_domain::split::SplitMode;
use hako_domain::{Actor, Direction, TicketNumber};
use hako_store::{Expect, NewMessage, Page, Sort, TicketFilter};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
enum Op {
    Split(usize, usize, bool),
    Merge(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..16usize, 0..16usize, any::<bool>()).prop_map(|(t, m, w)| Op::Split(t, m, w)),
        (0..16usize, 0..16usize).prop_map(|(a, b)| Op::Merge(a, b)),
    ]
}

/// Every ticket number, merged or not.
fn all_numbers(env: &Env) -> Vec<TicketNumber> {
    let page = env
        .store
        .list_tickets(
            &TicketFilter::default(),
            Sort::Newest,
            Page {
                limit: 10_000,
                offset: 0,
            },
        )
        .unwrap();
    let max = page.items.iter().map(|t| t.number.0).max().unwrap_or(1000);
    (1001..=max).map(TicketNumber).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_message_stays_in_exactly_one_ticket(
        sizes in prop::collection::vec(1..5usize, 1..4),
        ops in prop::collection::vec(op(), 1..12),
    ) {
        let mut env = Env::new();
        env.at("2026-11-02T00:00:00Z");
        for (i, n) in sizes.iter().enumerate() {
            let t = env.ticket(env.support, &format!("c{i}@customer.test"), "お問い合わせ");
            for k in 1..*n {
                env.store.add_message(
                    Actor::System, t,
                    &NewMessage::text(Direction::Incoming, None, "s", &format!("m{k}")),
                    Expect::Any,
                ).unwrap();
            }
        }
        let total: usize = sizes.iter().sum();
        for op in ops {
            let numbers = all_numbers(&env);
            match op {
                Op::Split(t, m, later) => {
                    let n = numbers[t % numbers.len()];
                    let d = env.store.ticket_detail(n).unwrap();
                    if d.messages.is_empty() { continue; }
                    let at = d.messages[m % d.messages.len()].id;
                    let mode = if later { SplitMode::WithLater } else { SplitMode::Only };
                    let _ = env.store.split(Actor::System, n, at, mode, Expect::Any);
                }
                Op::Merge(a, b) => {
                    let (a, b) = (numbers[a % numbers.len()], numbers[b % numbers.len()]);
                    let _ = env.store.merge(Actor::System, a, b, Expect::Any);
                }
            }
        }
        let mut seen = BTreeSet::new();
        for n in all_numbers(&env) {
            let d = env.store.ticket_detail(n).unwrap();
            prop_assert_eq!(d.messages.is_empty(), d.merged_into.is_some(),
                "{} has no messages but is not merged, or the reverse", n);
            for m in d.messages {
                prop_assert!(seen.insert(m.id), "message {} in two tickets", m.id);
            }
        }
        prop_assert_eq!(seen.len(), total);
        prop_assert_eq!(env.store.stats().unwrap().messages as usize, total);
    }
}
