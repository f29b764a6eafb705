use super::*;
use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::{any, prop, prop_assert, prop_assert_eq, proptest};
use proptest::strategy::Strategy as _;

fn t(minutes: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn cand(id: i64, load: u32, last: Option<i64>) -> Candidate {
    Candidate {
        agent: AgentId(id),
        load,
        last_assigned_at: last.map(t),
    }
}

fn settings(strategy: Strategy, cap: Option<u32>, last: Option<i64>) -> AssignmentSettings {
    AssignmentSettings {
        strategy,
        cap,
        last_agent: last.map(AgentId),
    }
}

/// Assigns `n` tickets one after another, as a burst of ingest would: each choice raises the
/// chosen agent's load, moves their last assignment to "now" and the round-robin turn.
fn burst(mut s: AssignmentSettings, mut cands: Vec<Candidate>, n: usize) -> Vec<Candidate> {
    for i in 0..n {
        let Some(a) = choose(&s, &cands) else {
            continue;
        };
        let c = cands.iter_mut().find(|c| c.agent == a).unwrap();
        if let Some(cap) = s.cap {
            assert!(c.load < cap, "gave a ticket to {a} at the cap");
        }
        c.load += 1;
        c.last_assigned_at = Some(t(1000 + i as i64));
        s.last_agent = Some(a);
    }
    cands
}

#[test]
fn manual_assigns_nobody() {
    let s = settings(Strategy::Manual, None, None);
    assert_eq!(choose(&s, &[cand(1, 0, None)]), None);
}

#[test]
fn nobody_to_choose_from_is_nobody() {
    for strategy in [Strategy::RoundRobin, Strategy::LeastLoaded] {
        assert_eq!(choose(&settings(strategy, None, None), &[]), None);
    }
}

#[test]
fn round_robin_continues_after_the_last_agent_and_wraps() {
    let cands = [cand(3, 0, None), cand(1, 5, None), cand(7, 0, None)];
    let next = |last| choose(&settings(Strategy::RoundRobin, None, last), &cands);
    assert_eq!(next(None), Some(AgentId(1)));
    assert_eq!(next(Some(1)), Some(AgentId(3)));
    assert_eq!(next(Some(3)), Some(AgentId(7)));
    assert_eq!(next(Some(7)), Some(AgentId(1)));
    // The last agent left the inbox: the turn goes on from where they were.
    assert_eq!(next(Some(5)), Some(AgentId(7)));
    assert_eq!(next(Some(9)), Some(AgentId(1)));
}

#[test]
fn round_robin_skips_agents_at_the_cap() {
    let cands = [cand(1, 0, None), cand(2, 3, None), cand(3, 1, None)];
    let s = settings(Strategy::RoundRobin, Some(3), Some(1));
    assert_eq!(choose(&s, &cands), Some(AgentId(3)));
}

#[test]
fn least_loaded_breaks_ties_by_oldest_assignment_then_id() {
    let s = settings(Strategy::LeastLoaded, None, None);
    assert_eq!(
        choose(
            &s,
            &[cand(1, 4, None), cand(2, 2, Some(5)), cand(3, 3, None)]
        ),
        Some(AgentId(2)),
        "fewest first"
    );
    assert_eq!(
        choose(
            &s,
            &[
                cand(1, 2, Some(9)),
                cand(2, 2, Some(5)),
                cand(3, 2, Some(7))
            ]
        ),
        Some(AgentId(2)),
        "then the longest since their last assignment"
    );
    assert_eq!(
        choose(&s, &[cand(1, 2, Some(5)), cand(2, 2, None)]),
        Some(AgentId(2)),
        "never assigned is the longest"
    );
    assert_eq!(
        choose(&s, &[cand(4, 2, Some(5)), cand(2, 2, Some(5))]),
        Some(AgentId(2)),
        "then the lowest id"
    );
}

#[test]
fn everyone_at_the_cap_leaves_the_ticket_unassigned() {
    let cands = [cand(1, 2, None), cand(2, 5, None)];
    for strategy in [Strategy::RoundRobin, Strategy::LeastLoaded] {
        assert_eq!(choose(&settings(strategy, Some(2), None), &cands), None);
    }
}

#[test]
fn a_burst_of_100_over_3_by_round_robin_is_34_33_33() {
    let cands = vec![cand(1, 7, None), cand(2, 0, None), cand(3, 2, None)];
    let after = burst(settings(Strategy::RoundRobin, None, None), cands, 100);
    let got: Vec<u32> = after.iter().map(|c| c.load).collect();
    assert_eq!(got, [7 + 34, 33, 2 + 33]);
}

#[test]
fn strategies_parse_in_the_forms_people_type() {
    for s in Strategy::ALL {
        assert_eq!(Strategy::parse(s.as_str()).unwrap(), s);
    }
    assert_eq!(
        Strategy::parse("Round_Robin").unwrap(),
        Strategy::RoundRobin
    );
    assert!(Strategy::parse("random").is_err());
}

fn candidates() -> impl proptest::strategy::Strategy<Value = Vec<Candidate>> {
    // Distinct ids 1..=n with arbitrary loads and last-assignment times.
    prop::collection::vec((0u32..20, prop::option::of(0i64..500)), 1..8).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (load, last))| cand(i as i64 + 1, load, last))
            .collect()
    })
}

proptest! {
    #[test]
    fn round_robin_gives_everyone_floor_or_ceil(cands in candidates(), n in 0usize..300,
                                                last in prop::option::of(0i64..10)) {
        let before: Vec<u32> = cands.iter().map(|c| c.load).collect();
        let after = burst(settings(Strategy::RoundRobin, None, last), cands.clone(), n);
        let k = cands.len();
        for (b, a) in before.iter().zip(&after) {
            let got = (a.load - b) as usize;
            prop_assert!(got == n / k || got == n.div_ceil(k), "{got} of {n} over {k}");
        }
    }

    #[test]
    fn least_loaded_always_picks_a_minimum_and_equalises(cands in candidates(), n in 0usize..300) {
        let s = settings(Strategy::LeastLoaded, None, None);
        let min = cands.iter().map(|c| c.load).min().unwrap();
        if let Some(a) = choose(&s, &cands) {
            let chosen = cands.iter().find(|c| c.agent == a).unwrap();
            prop_assert_eq!(chosen.load, min);
        }
        let after = burst(s, cands.clone(), n);
        let total: u32 = cands.iter().map(|c| c.load).sum::<u32>() + n as u32;
        let (lo, hi) = (after.iter().map(|c| c.load).min().unwrap(),
                        after.iter().map(|c| c.load).max().unwrap());
        let old_hi = cands.iter().map(|c| c.load).max().unwrap();
        // Enough tickets to level everyone: then nobody is more than one ahead.
        if total as usize >= old_hi as usize * cands.len() {
            prop_assert!(hi - lo <= 1, "{lo}..{hi}");
        } else {
            prop_assert_eq!(hi, old_hi, "nobody is raised above the busiest");
        }
    }

    #[test]
    fn the_cap_is_never_exceeded(cands in candidates(), n in 0usize..300, cap in 1u32..25,
                                 rr in any::<bool>()) {
        let strategy = if rr { Strategy::RoundRobin } else { Strategy::LeastLoaded };
        let before = cands.clone();
        let after = burst(settings(strategy, Some(cap), None), cands, n);
        for (b, a) in before.iter().zip(&after) {
            // Those already over the cap got nothing; everyone else stops at it.
            prop_assert!(a.load == b.load || a.load <= cap, "{} > cap {cap}", a.load);
        }
        let room: u32 = before.iter().map(|c| cap.saturating_sub(c.load)).sum();
        let given: u32 = after.iter().map(|c| c.load).sum::<u32>()
            - before.iter().map(|c| c.load).sum::<u32>();
        prop_assert_eq!(given, room.min(n as u32), "assigns while anyone has room");
    }
}
