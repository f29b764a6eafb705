//! Split and merge as pure plans: which messages move where. The store applies a plan in
//! one transaction; these rules guarantee every message stays in exactly one ticket and no
//! live ticket is left empty.

use serde::{Deserialize, Serialize};

use crate::{DomainError, MessageId, TicketId};

/// Split off one message, or that message and every later one (a customer who started a new
/// question at the end of an old thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitMode {
    Only,
    WithLater,
}

/// The messages to move to the new ticket. `thread` is the ticket's messages in thread order.
pub fn plan_split(
    thread: &[MessageId],
    at: MessageId,
    mode: SplitMode,
) -> Result<Vec<MessageId>, DomainError> {
    let pos = thread
        .iter()
        .position(|m| *m == at)
        .ok_or(DomainError::Split("the message is not on this ticket"))?;
    let moved: Vec<MessageId> = match mode {
        SplitMode::Only => vec![at],
        SplitMode::WithLater => thread[pos..].to_vec(),
    };
    if moved.len() == thread.len() {
        return Err(DomainError::Split(
            "that would move every message and leave the ticket empty",
        ));
    }
    Ok(moved)
}

/// The state of a ticket that matters for merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSide {
    pub id: TicketId,
    pub merged_into: Option<TicketId>,
}

/// Merging `source` into `target` moves all of source's messages; source becomes a pointer.
/// Merging into a ticket that is itself only a pointer would hide messages behind two hops.
pub fn check_merge(target: MergeSide, source: MergeSide) -> Result<(), DomainError> {
    if target.id == source.id {
        return Err(DomainError::Merge("a ticket cannot be merged into itself"));
    }
    if source.merged_into.is_some() {
        return Err(DomainError::Merge(
            "the ticket to merge was already merged into another",
        ));
    }
    if target.merged_into.is_some() {
        return Err(DomainError::Merge(
            "the target was merged into another ticket; merge into that one",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn ids(v: &[i64]) -> Vec<MessageId> {
        v.iter().map(|&i| MessageId(i)).collect()
    }

    #[test]
    fn split_one_or_with_later() {
        let t = ids(&[1, 2, 3, 4]);
        assert_eq!(
            plan_split(&t, MessageId(2), SplitMode::Only).unwrap(),
            ids(&[2])
        );
        assert_eq!(
            plan_split(&t, MessageId(3), SplitMode::WithLater).unwrap(),
            ids(&[3, 4])
        );
        assert!(plan_split(&t, MessageId(1), SplitMode::WithLater).is_err());
        assert!(plan_split(&ids(&[7]), MessageId(7), SplitMode::Only).is_err());
        assert!(plan_split(&t, MessageId(9), SplitMode::Only).is_err());
    }

    #[test]
    fn merge_refuses_self_and_pointers() {
        let a = MergeSide {
            id: TicketId(1),
            merged_into: None,
        };
        let b = MergeSide {
            id: TicketId(2),
            merged_into: None,
        };
        let gone = MergeSide {
            id: TicketId(3),
            merged_into: Some(TicketId(1)),
        };
        assert!(check_merge(a, b).is_ok());
        assert!(check_merge(a, a).is_err());
        assert!(check_merge(a, gone).is_err());
        assert!(check_merge(gone, b).is_err());
    }

    #[derive(Debug, Clone)]
    enum Op {
        Split {
            ticket: usize,
            msg: usize,
            with_later: bool,
        },
        Merge {
            target: usize,
            source: usize,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..20usize, 0..20usize, any::<bool>()).prop_map(|(ticket, msg, with_later)| {
                Op::Split {
                    ticket,
                    msg,
                    with_later,
                }
            }),
            (0..20usize, 0..20usize).prop_map(|(target, source)| Op::Merge { target, source }),
        ]
    }

    proptest! {
        /// Any sequence of splits and merges keeps every message in exactly one ticket, and
        /// leaves merged tickets empty and live tickets non-empty.
        #[test]
        fn every_message_stays_in_exactly_one_ticket(
            sizes in prop::collection::vec(1..6usize, 1..5),
            ops in prop::collection::vec(op(), 0..40),
        ) {
            let mut next_msg = 0;
            let mut tickets: BTreeMap<TicketId, Vec<MessageId>> = BTreeMap::new();
            let mut merged: BTreeMap<TicketId, TicketId> = BTreeMap::new();
            for (i, n) in sizes.iter().enumerate() {
                let msgs = (0..*n).map(|_| { next_msg += 1; MessageId(next_msg) }).collect();
                tickets.insert(TicketId(i as i64 + 1), msgs);
            }
            let all: BTreeSet<MessageId> = tickets.values().flatten().copied().collect();
            for op in ops {
                let keys: Vec<TicketId> = tickets.keys().copied().collect();
                match op {
                    Op::Split { ticket, msg, with_later } => {
                        let t = keys[ticket % keys.len()];
                        let thread = tickets[&t].clone();
                        if thread.is_empty() { continue; }
                        let at = thread[msg % thread.len()];
                        let mode = if with_later { SplitMode::WithLater } else { SplitMode::Only };
                        if let Ok(moved) = plan_split(&thread, at, mode) {
                            tickets.get_mut(&t).unwrap().retain(|m| !moved.contains(m));
                            let new_id = TicketId(keys.iter().map(|k| k.0).max().unwrap() + 1);
                            tickets.insert(new_id, moved);
                        }
                    }
                    Op::Merge { target, source } => {
                        let side = |t: TicketId| MergeSide { id: t, merged_into: merged.get(&t).copied() };
                        let (t, s) = (keys[target % keys.len()], keys[source % keys.len()]);
                        if check_merge(side(t), side(s)).is_ok() {
                            let moved = std::mem::take(tickets.get_mut(&s).unwrap());
                            tickets.get_mut(&t).unwrap().extend(moved);
                            merged.insert(s, t);
                        }
                    }
                }
            }
            let mut seen = BTreeSet::new();
            for (t, msgs) in &tickets {
                for m in msgs {
                    prop_assert!(seen.insert(*m), "message {m} in two tickets");
                }
                prop_assert_eq!(msgs.is_empty(), merged.contains_key(t));
            }
            prop_assert_eq!(seen, all);
        }
    }
}
