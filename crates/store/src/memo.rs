//! Read results kept between calls while the database is unchanged: the team's directory
//! (agents, labels, inboxes) and ticket counts, which the web UI reads on every page but which
//! change far less often than pages are served.
//!
//! Each `Store` (one connection) keeps its own memo, valid for one [`DataMark`]: SQLite's
//! `PRAGMA data_version`, which moves when any *other* connection commits (another process
//! included: `hako serve`'s ingest worker, a CLI command), together with
//! `sqlite3_total_changes()`, which moves with this connection's own writes — `data_version`
//! alone does not see those (<https://sqlite.org/pragma.html#pragma_data_version>). A memo is
//! only used after checking that the mark has not moved since it was filled, so a change is
//! seen by the next call, whoever made it. A false alarm (a rolled-back write, a checkpoint)
//! only costs a recomputation.

use hako_domain::{Agent, Inbox, InboxId, Label, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;

use crate::queries::InboxCount;
use crate::{Result, Store, StoreError};

/// Entries of each keyed map beyond which the map is emptied (filters that users vary).
const MAX_KEYED: usize = 256;

/// Where the database stands, as far as this connection can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DataMark {
    /// Moves when another connection commits.
    data_version: i64,
    /// Moves when this connection inserts, updates or deletes rows.
    own_changes: u64,
}

/// What one connection keeps, valid while `mark` holds.
#[derive(Default)]
pub(crate) struct Memo {
    /// Set by [`Store::keep_reads`]`(false)`: nothing is kept.
    off: bool,
    mark: Option<DataMark>,
    pub agents: Option<Arc<[Agent]>>,
    pub labels: Option<Arc<[Label]>>,
    pub inboxes: Option<Arc<[Inbox]>>,
    /// `count_tickets`, by its SQL text and parameters.
    pub counts: HashMap<String, u64>,
    /// `counts_of`, by its SQL text and parameters.
    pub inbox_counts: HashMap<String, Vec<InboxCount>>,
    /// `latest_activity`, by the visible inboxes.
    pub latest: HashMap<Option<Vec<InboxId>>, Option<Timestamp>>,
}

impl Memo {
    /// Inserts into a keyed map, emptying it first when it has grown past [`MAX_KEYED`].
    pub fn keep<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
        if map.len() >= MAX_KEYED {
            map.clear();
        }
        map.insert(key, value);
    }
}

impl Store {
    /// Whether this connection keeps reads between calls while the database is unchanged
    /// (on by default). The store benchmark turns it off: it times the queries, not the memo.
    pub fn keep_reads(&mut self, on: bool) {
        *self.memo.get_mut() = Memo {
            off: !on,
            ..Memo::default()
        };
    }

    fn data_mark(&self) -> Result<DataMark> {
        let data_version: i64 = self
            .read()
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut st| st.query_row([], |r| r.get(0)))
            .map_err(StoreError::sql("read the data version"))?;
        Ok(DataMark {
            data_version,
            own_changes: self.read().total_changes(),
        })
    }

    /// What `get` finds in the memo, or else `compute()`, then kept with `put`. The mark is
    /// read first, so a commit during `compute` moves it and the result is dropped at the
    /// next call; `put` only runs if no nested call found the mark moved in the meantime.
    pub(crate) fn memoized<T: Clone>(
        &self,
        get: impl FnOnce(&Memo) -> Option<T>,
        compute: impl FnOnce() -> Result<T>,
        put: impl FnOnce(&mut Memo, T),
    ) -> Result<T> {
        if self.memo.borrow().off {
            return compute();
        }
        let mark = self.data_mark()?;
        {
            let mut memo = self.memo.borrow_mut();
            if memo.mark != Some(mark) {
                *memo = Memo {
                    mark: Some(mark),
                    ..Memo::default()
                };
            } else if let Some(found) = get(&memo) {
                return Ok(found);
            }
        }
        // Not borrowed while computing: `compute` may use other memoized reads.
        let value = compute()?;
        let mut memo = self.memo.borrow_mut();
        if memo.mark == Some(mark) {
            put(&mut memo, value.clone());
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{agent, inbox};
    use crate::{AssigneeFilter, Change, CustomerRef, Expect, NewMessage};
    use crate::{NewTicket, TicketFilter};
    use hako_domain::{Actor, Channel, Direction, Role, Status, StatusKind};

    fn ticket(s: &mut Store, inbox: InboxId) -> hako_domain::Ticket {
        s.create_ticket(
            Actor::System,
            &NewTicket {
                inbox,
                customer: CustomerRef {
                    address: None,
                    name: Some("鈴木様".into()),
                },
                subject: "電話".into(),
                channel: Channel::Phone,
                message: NewMessage::text(Direction::Incoming, None, "電話", "折り返し"),
                assignee: None,
                labels: vec![],
                status: Status::Open,
            },
        )
        .unwrap()
    }

    const ACTIVE: [StatusKind; 3] = [StatusKind::Open, StatusKind::Pending, StatusKind::Snoozed];

    fn open_tickets(s: &Store) -> u64 {
        let counts = s.counts_of(None, &ACTIVE).unwrap();
        counts.iter().map(|c| c.count).sum()
    }

    /// What the web UI reads on every page, through one connection, after changes made
    /// through another: as another process would (the CLI, `hako serve`'s ingest worker).
    #[test]
    fn a_change_through_another_connection_is_seen_at_the_next_call() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hako.db");
        let mut writer = Store::open(&path).unwrap();
        let support = inbox(&mut writer, "support");
        let reader = Store::open(&path).unwrap();

        // Filled, then served from the memo while nothing changes.
        assert_eq!(reader.inboxes().unwrap().len(), 1);
        assert!(reader.agents().unwrap().is_empty());
        assert!(reader.labels().unwrap().is_empty());
        assert_eq!(open_tickets(&reader), 0);
        assert_eq!(reader.latest_activity(None).unwrap(), None);
        assert!(reader.memo.borrow().inboxes.is_some());

        inbox(&mut writer, "billing");
        let sato = agent(&mut writer, "Sato", Role::Agent, vec![support.id]);
        let label = writer.add_label(Actor::System, "請求", None).unwrap();
        let t = ticket(&mut writer, support.id);
        assert_eq!(reader.inboxes().unwrap().len(), 2);
        assert_eq!(reader.agent(sato.id).unwrap().inboxes, vec![support.id]);
        assert_eq!(reader.labels().unwrap(), vec![label.clone()]);
        assert_eq!(open_tickets(&reader), 1);
        assert_eq!(
            reader.latest_activity(None).unwrap(),
            Some(t.last_activity_at)
        );
        let mine = TicketFilter {
            statuses: ACTIVE.to_vec(),
            assignee: AssigneeFilter::Agent(sato.id),
            ..Default::default()
        };
        assert_eq!(reader.count_tickets(&mine).unwrap(), 0);

        writer
            .apply(
                Actor::System,
                t.number,
                &Change::Assign(Some(sato.id)),
                Expect::Any,
            )
            .unwrap();
        assert_eq!(reader.count_tickets(&mine).unwrap(), 1);
        writer
            .apply(
                Actor::System,
                t.number,
                &Change::SetStatus(Status::Closed),
                Expect::Any,
            )
            .unwrap();
        assert_eq!(reader.count_tickets(&mine).unwrap(), 0);
        assert_eq!(open_tickets(&reader), 0);
    }

    /// `PRAGMA data_version` does not move for a connection's own commits: those are seen
    /// through the connection's change count.
    #[test]
    fn a_change_through_the_same_connection_is_seen_at_the_next_call() {
        let mut s = Store::open_in_memory().unwrap();
        let support = inbox(&mut s, "support");
        assert_eq!(open_tickets(&s), 0);
        assert!(s.labels().unwrap().is_empty());
        ticket(&mut s, support.id);
        s.add_label(Actor::System, "請求", None).unwrap();
        assert_eq!(open_tickets(&s), 1);
        assert_eq!(s.labels().unwrap().len(), 1);
    }

    #[test]
    fn nothing_is_kept_when_turned_off() {
        let mut s = Store::open_in_memory().unwrap();
        inbox(&mut s, "support");
        s.keep_reads(false);
        assert_eq!(s.inboxes().unwrap().len(), 1);
        assert_eq!(open_tickets(&s), 0);
        assert!(s.memo.borrow().inboxes.is_none());
        assert!(s.memo.borrow().inbox_counts.is_empty());
        s.keep_reads(true);
        assert_eq!(s.inboxes().unwrap().len(), 1);
        assert!(s.memo.borrow().inboxes.is_some());
    }
}
