//! Store-level tests of the ticket operations on temporary databases.

mod common;

use chrono::Duration;
use common::{Fixture, new_ticket, t0};
use hako_domain::split::SplitMode;
use hako_domain::{Action, Actor, Channel, Direction, Status, StatusKind, TicketNumber};
use hako_store::{
    AssigneeFilter, Change, CustomerRef, Expect, NewMessage, Page, Sort, Store, StoreError,
    TicketFilter,
};

fn actions(store: &Store, n: TicketNumber) -> Vec<Action> {
    store
        .ticket_detail(n)
        .unwrap()
        .events
        .iter()
        .map(|(e, _)| e.action)
        .collect()
}

#[test]
fn tickets_are_numbered_from_1001_and_creation_is_logged() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "taro@customer.test", "請求書の件");
    let b = f.ticket(f.info, "hanako@customer.test", "配送について");
    assert_eq!((a, b), (TicketNumber(1001), TicketNumber(1002)));
    let d = f.store.ticket_detail(a).unwrap();
    assert_eq!(d.ticket.subject, "請求書の件");
    assert_eq!(d.messages.len(), 1);
    assert_eq!(d.contact.addresses[0].as_str(), "taro@customer.test");
    assert_eq!(d.ticket.waiting_since, Some(t0()));
    assert_eq!(
        actions(&f.store, a),
        [Action::Created, Action::MessageAdded]
    );
}

#[test]
fn a_phone_call_without_address_becomes_a_ticket() {
    let mut f = Fixture::new();
    let mut nt = new_ticket(f.support, "x@customer.test", "電話: 解約したい");
    nt.customer = CustomerRef {
        address: None,
        name: Some("山田様".into()),
    };
    nt.channel = Channel::Phone;
    nt.message.from = None;
    let t = f.store.create_ticket(Actor::Agent(f.sato), &nt).unwrap();
    assert_eq!(t.channel, Channel::Phone);
    let d = f.store.ticket_detail(t.number).unwrap();
    assert_eq!(d.contact.name.as_deref(), Some("山田様"));
    assert!(d.contact.addresses.is_empty());
    nt.customer.name = None;
    assert!(f.store.create_ticket(Actor::System, &nt).is_err());
}

#[test]
fn a_returning_customer_is_the_same_contact() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "Taro@Customer.test", "one");
    let b = f.ticket(f.info, "taro@customer.TEST", "two");
    let (ta, tb) = (f.store.ticket(a).unwrap(), f.store.ticket(b).unwrap());
    assert_eq!(ta.contact, tb.contact);
}

#[test]
fn assign_unassign_take_and_their_events() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let sato = Actor::Agent(f.sato);
    let t = f
        .store
        .apply(sato, n, &Change::Take(f.sato), Expect::Any)
        .unwrap();
    assert_eq!(t.assignee, Some(f.sato));
    // Taking your own ticket again changes nothing and logs nothing.
    let v = t.version;
    let t = f
        .store
        .apply(sato, n, &Change::Take(f.sato), Expect::Any)
        .unwrap();
    assert_eq!(t.version, v);
    let err = f
        .store
        .apply(
            Actor::Agent(f.suzuki),
            n,
            &Change::Take(f.suzuki),
            Expect::Any,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::HeldByOther { .. }), "{err}");
    assert!(err.to_string().contains("sato@example.test"), "{err}");
    let t = f
        .store
        .apply(sato, n, &Change::Assign(None), Expect::Any)
        .unwrap();
    assert_eq!(t.assignee, None);
    let d = f.store.ticket_detail(n).unwrap();
    let (assigned, who) = &d.events[2];
    assert_eq!(assigned.action, Action::Assigned);
    assert_eq!(assigned.after.as_deref(), Some("sato@example.test"));
    assert_eq!(who.as_deref(), Some("sato@example.test"));
    assert_eq!(d.events[3].0.action, Action::Unassigned);
    assert_eq!(d.events[3].0.before.as_deref(), Some("sato@example.test"));
}

#[test]
fn only_members_of_the_inbox_can_hold_its_tickets() {
    let mut f = Fixture::new();
    let n = f.ticket(f.info, "taro@customer.test", "x");
    let err = f
        .store
        .apply(Actor::System, n, &Change::Assign(Some(f.sato)), Expect::Any)
        .unwrap_err();
    assert!(err.to_string().contains("not a member"), "{err}");
    // Supervisors see every inbox.
    f.store
        .apply(Actor::System, n, &Change::Assign(Some(f.boss)), Expect::Any)
        .unwrap();
}

#[test]
fn a_stale_version_is_a_conflict_naming_who_changed_it() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let seen = f.store.ticket(n).unwrap().version;
    f.store
        .apply(
            Actor::Agent(f.suzuki),
            n,
            &Change::Assign(Some(f.suzuki)),
            Expect::Version(seen),
        )
        .unwrap();
    let err = f
        .store
        .apply(
            Actor::Agent(f.sato),
            n,
            &Change::Assign(Some(f.sato)),
            Expect::Version(seen),
        )
        .unwrap_err();
    match &err {
        StoreError::Conflict {
            expected,
            actual,
            by,
            ..
        } => {
            assert_eq!(*expected, seen);
            assert!(*actual > seen);
            assert_eq!(by, "suzuki@example.test");
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.is_retryable());
    assert_eq!(f.store.ticket(n).unwrap().assignee, Some(f.suzuki));
}

#[test]
fn two_connections_to_one_database_cannot_overwrite_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hako.db");
    let mut f = Fixture::on(Store::open(&path).unwrap());
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let mut other = Store::open(&path).unwrap();
    let seen = f.store.ticket(n).unwrap().version;
    other
        .apply(
            Actor::Agent(f.suzuki),
            n,
            &Change::SetStatus(Status::Closed),
            Expect::Version(seen),
        )
        .unwrap();
    let err = f
        .store
        .apply(
            Actor::Agent(f.sato),
            n,
            &Change::SetStatus(Status::Pending { reason: None }),
            Expect::Version(seen),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(f.store.ticket(n).unwrap().status, Status::Closed);
}

#[test]
fn labels_are_added_once_and_removed() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let billing = f.store.add_label(Actor::System, "請求", None).unwrap();
    assert!(f.store.add_label(Actor::System, "請求", None).is_err());
    for _ in 0..2 {
        f.store
            .apply(Actor::System, n, &Change::AddLabel(billing.id), Expect::Any)
            .unwrap();
    }
    assert_eq!(f.store.ticket(n).unwrap().labels, vec![billing.id]);
    f.store
        .apply(
            Actor::System,
            n,
            &Change::RemoveLabel(billing.id),
            Expect::Any,
        )
        .unwrap();
    assert!(f.store.ticket(n).unwrap().labels.is_empty());
    let a = actions(&f.store, n);
    assert_eq!(
        a.iter().filter(|a| **a == Action::LabelAdded).count(),
        1,
        "{a:?}"
    );
    assert!(a.contains(&Action::LabelRemoved));
}

#[test]
fn pending_keeps_its_reason_and_status_changes_are_logged() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let pending = Status::Pending {
        reason: Some("経理確認待ち".into()),
    };
    let t = f
        .store
        .apply(
            Actor::System,
            n,
            &Change::SetStatus(pending.clone()),
            Expect::Any,
        )
        .unwrap();
    assert_eq!(t.status, pending);
    let d = f.store.ticket_detail(n).unwrap();
    let last = &d.events.last().unwrap().0;
    assert_eq!(last.action, Action::StatusChanged);
    assert_eq!(last.before.as_deref(), Some("open"));
    assert_eq!(last.after.as_deref(), Some("pending (経理確認待ち)"));
}

#[test]
fn snooze_wakes_when_due_or_when_the_customer_writes() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "taro@customer.test", "a");
    let b = f.ticket(f.support, "hanako@customer.test", "b");
    let past = Change::SetStatus(Status::Snoozed {
        until: t0() - Duration::hours(1),
    });
    assert!(f.store.apply(Actor::System, a, &past, Expect::Any).is_err());
    let until = t0() + Duration::hours(3);
    for n in [a, b] {
        f.store
            .apply(
                Actor::System,
                n,
                &Change::SetStatus(Status::Snoozed { until }),
                Expect::Any,
            )
            .unwrap();
    }
    f.advance(Duration::hours(1));
    assert!(f.store.wake_due().unwrap().is_empty());
    f.incoming(b, "まだですか？");
    assert_eq!(f.store.ticket(b).unwrap().status, Status::Open);
    f.advance(Duration::hours(2));
    assert_eq!(f.store.wake_due().unwrap(), vec![a]);
    assert_eq!(f.store.ticket(a).unwrap().status, Status::Open);
    assert!(actions(&f.store, a).contains(&Action::Woken));
    assert!(f.store.wake_due().unwrap().is_empty());
}

#[test]
fn replies_end_the_wait_and_set_first_response_once() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    f.reply(n, "回答します");
    let t = f.store.ticket(n).unwrap();
    assert_eq!(t.waiting_since, None);
    assert_eq!(t.first_response_time(), Some(Duration::minutes(1)));
    f.incoming(n, "追加の質問");
    f.reply(n, "回答2");
    let t = f.store.ticket(n).unwrap();
    assert_eq!(t.first_response_time(), Some(Duration::minutes(1)));
    f.incoming(n, "さらに");
    assert_eq!(
        f.store.ticket(n).unwrap().waiting_since,
        Some(t0() + Duration::minutes(4))
    );
}

#[test]
fn notes_are_logged_and_empty_notes_refused() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    f.store
        .add_note(f.sato, n, "@suzuki 請求書を確認してください")
        .unwrap();
    assert!(f.store.add_note(f.sato, n, "  ").is_err());
    let d = f.store.ticket_detail(n).unwrap();
    assert_eq!(d.messages[1].direction, Direction::Note);
    assert_eq!(d.messages[1].author, Some(f.sato));
    let last = &d.events.last().unwrap().0;
    assert_eq!(last.action, Action::NoteAdded);
    assert_eq!(
        last.after.as_deref(),
        Some("@suzuki 請求書を確認してください")
    );
}

#[test]
fn split_one_message_or_with_later_ones() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "請求書");
    f.reply(n, "送りました");
    let m3 = f.incoming(n, "別件: 配送");
    f.incoming(n, "配送その2");
    let new = f
        .store
        .split(
            Actor::Agent(f.sato),
            n,
            m3,
            SplitMode::WithLater,
            Expect::Any,
        )
        .unwrap();
    let old = f.store.ticket(n).unwrap();
    assert_eq!(new.inbox, old.inbox);
    assert_eq!(new.contact, old.contact);
    assert_eq!(new.subject, "別件: 配送");
    assert_eq!(new.split_from.unwrap().ticket, old.id);
    assert_eq!(new.split_from.unwrap().message, m3);
    let (dold, dnew) = (
        f.store.ticket_detail(n).unwrap(),
        f.store.ticket_detail(new.number).unwrap(),
    );
    assert_eq!(dold.messages.len(), 2);
    assert_eq!(dnew.messages.len(), 2);
    assert_eq!(dnew.split_from, Some(n));
    // The old ticket was answered and nobody waits on it now; the new one waits.
    assert_eq!(dold.ticket.waiting_since, None);
    assert!(dnew.ticket.waiting_since.is_some());
    assert!(actions(&f.store, n).contains(&Action::SplitOut));
    assert!(actions(&f.store, new.number).contains(&Action::SplitFrom));
    let only = f
        .store
        .split(
            Actor::System,
            new.number,
            dnew.messages[1].id,
            SplitMode::Only,
            Expect::Any,
        )
        .unwrap();
    assert_eq!(
        f.store.ticket_detail(only.number).unwrap().messages.len(),
        1
    );
    // Splitting off the whole thread is refused.
    let first = dold.messages[0].id;
    let err = f
        .store
        .split(Actor::System, n, first, SplitMode::WithLater, Expect::Any)
        .unwrap_err();
    assert!(err.to_string().contains("leave the ticket empty"), "{err}");
}

#[test]
fn merge_moves_everything_and_leaves_a_pointer() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "taro@customer.test", "a");
    let b = f.ticket(f.support, "taro@customer.test", "b (same question)");
    let lb = f.store.add_label(Actor::System, "bug", None).unwrap();
    f.store
        .apply(Actor::System, b, &Change::AddLabel(lb.id), Expect::Any)
        .unwrap();
    let t = f
        .store
        .merge(Actor::Agent(f.sato), b, a, Expect::Any)
        .unwrap();
    assert_eq!(t.number, a);
    assert_eq!(t.labels, vec![lb.id]);
    let (da, db) = (
        f.store.ticket_detail(a).unwrap(),
        f.store.ticket_detail(b).unwrap(),
    );
    assert_eq!(da.messages.len(), 2);
    assert!(db.messages.is_empty());
    assert_eq!(db.merged_into, Some(a));
    let err = f
        .store
        .apply(
            Actor::System,
            b,
            &Change::SetStatus(Status::Open),
            Expect::Any,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Merged { .. }), "{err}");
    assert!(f.store.merge(Actor::System, a, b, Expect::Any).is_err());
    assert!(f.store.merge(Actor::System, a, a, Expect::Any).is_err());
    let listed = f
        .store
        .list_tickets(
            &TicketFilter::default(),
            Sort::LastActivity,
            Page::default(),
        )
        .unwrap();
    assert_eq!(listed.total, 1, "merged pointers are not listed");
}

#[test]
fn bulk_changes_are_all_or_nothing() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "a@customer.test", "a");
    let b = f.ticket(f.info, "b@customer.test", "b");
    // sato is not in `info`: assigning both must fail and change neither.
    let err = f
        .store
        .apply_bulk(Actor::System, &[a, b], &Change::Assign(Some(f.sato)))
        .unwrap_err();
    assert!(err.to_string().contains("#1002"), "{err}");
    assert_eq!(f.store.ticket(a).unwrap().assignee, None);
    let done = f
        .store
        .apply_bulk(Actor::System, &[a, b], &Change::Assign(Some(f.suzuki)))
        .unwrap();
    assert!(done.iter().all(|t| t.assignee == Some(f.suzuki)));
    let closed = f
        .store
        .apply_bulk(Actor::System, &[a, b], &Change::SetStatus(Status::Closed))
        .unwrap();
    assert!(closed.iter().all(|t| t.status.kind() == StatusKind::Closed));
}

#[test]
fn raw_bytes_are_stored_once_by_content() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let raw = b"From: taro@customer.test\r\nSubject: x\r\n\r\nhello\r\n".to_vec();
    let mut m = NewMessage::text(Direction::Incoming, None, "x", "hello");
    m.raw = Some(raw.clone());
    f.store
        .add_message(Actor::System, n, &m, Expect::Any)
        .unwrap();
    f.store
        .add_message(Actor::System, n, &m, Expect::Any)
        .unwrap();
    let d = f.store.ticket_detail(n).unwrap();
    let hash = d.messages[1].raw.clone().unwrap();
    assert_eq!(d.messages[2].raw.as_ref(), Some(&hash));
    assert_eq!(f.store.blob(&hash).unwrap(), raw);
    assert_eq!(f.store.stats().unwrap().raw_bytes, raw.len() as u64);
}

#[test]
fn lists_filter_sort_and_page_within_visible_inboxes() {
    let mut f = Fixture::new();
    let bug = f.store.add_label(Actor::System, "bug", None).unwrap();
    let mut numbers = vec![];
    for i in 0..6 {
        f.advance(Duration::minutes(10));
        let inbox = if i % 2 == 0 { f.support } else { f.info };
        numbers.push(f.ticket(inbox, &format!("c{i}@customer.test"), &format!("t{i}")));
    }
    f.store
        .apply(
            Actor::System,
            numbers[0],
            &Change::Assign(Some(f.sato)),
            Expect::Any,
        )
        .unwrap();
    f.store
        .apply(
            Actor::System,
            numbers[2],
            &Change::AddLabel(bug.id),
            Expect::Any,
        )
        .unwrap();
    f.store
        .apply(
            Actor::System,
            numbers[4],
            &Change::SetStatus(Status::Closed),
            Expect::Any,
        )
        .unwrap();
    let list = |store: &Store, f: TicketFilter, sort, page| -> Vec<i64> {
        store
            .list_tickets(&f, sort, page)
            .unwrap()
            .items
            .iter()
            .map(|t| t.number.0)
            .collect()
    };
    let open = TicketFilter {
        statuses: vec![StatusKind::Open],
        ..Default::default()
    };
    assert_eq!(
        list(&f.store, open.clone(), Sort::LastActivity, Page::default()),
        [1006, 1005, 1004, 1003, 1002, 1001]
            .into_iter()
            .filter(|n| *n != 1005)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        list(
            &f.store,
            open.clone(),
            Sort::OldestWaiting,
            Page {
                limit: 2,
                offset: 1
            }
        ),
        [1002, 1003]
    );
    let support_only = TicketFilter {
        visible: Some(vec![f.support]),
        ..open.clone()
    };
    assert_eq!(
        list(
            &f.store,
            support_only.clone(),
            Sort::LastActivity,
            Page::default()
        ),
        [1003, 1001]
    );
    let nothing = TicketFilter {
        visible: Some(vec![]),
        ..open.clone()
    };
    assert!(list(&f.store, nothing, Sort::LastActivity, Page::default()).is_empty());
    let mine = TicketFilter {
        assignee: AssigneeFilter::Agent(f.sato),
        ..open.clone()
    };
    assert_eq!(
        list(&f.store, mine, Sort::LastActivity, Page::default()),
        [1001]
    );
    let unassigned_support = TicketFilter {
        assignee: AssigneeFilter::Unassigned,
        ..support_only
    };
    assert_eq!(
        list(
            &f.store,
            unassigned_support,
            Sort::LastActivity,
            Page::default()
        ),
        [1003]
    );
    let labelled = TicketFilter {
        label: Some(bug.id),
        ..Default::default()
    };
    let page = f
        .store
        .list_tickets(&labelled, Sort::LastActivity, Page::default())
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].labels, ["bug"]);
    assert_eq!(
        page.items[0].customer_address.as_deref(),
        Some("c2@customer.test")
    );
    let paged = f
        .store
        .list_tickets(
            &open,
            Sort::LastActivity,
            Page {
                limit: 2,
                offset: 0,
            },
        )
        .unwrap();
    assert_eq!((paged.total, paged.items.len()), (5, 2));
}

#[test]
fn counts_per_inbox_and_load_per_agent() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "a@customer.test", "a");
    let b = f.ticket(f.support, "b@customer.test", "b");
    let c = f.ticket(f.info, "c@customer.test", "c");
    f.store
        .apply_bulk(Actor::System, &[a, b], &Change::Assign(Some(f.suzuki)))
        .unwrap();
    f.store
        .apply(
            Actor::System,
            b,
            &Change::SetStatus(Status::Pending { reason: None }),
            Expect::Any,
        )
        .unwrap();
    f.store
        .apply(
            Actor::System,
            c,
            &Change::SetStatus(Status::Closed),
            Expect::Any,
        )
        .unwrap();
    let counts = f.store.counts(None).unwrap();
    let get = |inbox: &str, s: StatusKind| {
        counts
            .iter()
            .find(|c| c.inbox == inbox && c.status == s)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    assert_eq!(get("support", StatusKind::Open), 1);
    assert_eq!(get("support", StatusKind::Pending), 1);
    assert_eq!(get("info", StatusKind::Closed), 1);
    let visible = f.store.counts(Some(&[f.info])).unwrap();
    assert!(visible.iter().all(|c| c.inbox == "info"));
    // The tabs count only some statuses.
    let active = f
        .store
        .counts_of(None, &[StatusKind::Open, StatusKind::Pending])
        .unwrap();
    let pairs: Vec<(&str, StatusKind, u64)> = active
        .iter()
        .map(|c| (c.inbox.as_str(), c.status, c.count))
        .collect();
    assert_eq!(
        pairs,
        [
            ("support", StatusKind::Open, 1),
            ("support", StatusKind::Pending, 1)
        ]
    );
    assert!(
        f.store
            .counts_of(Some(&[f.info]), &[StatusKind::Open])
            .unwrap()
            .is_empty()
    );
    // The newest activity is the first ticket of a list by activity, over any status.
    for scope in [None, Some(vec![f.info]), Some(vec![f.support, f.info])] {
        let newest = f
            .store
            .list_tickets(
                &TicketFilter {
                    visible: scope.clone(),
                    ..Default::default()
                },
                Sort::LastActivity,
                Page::default(),
            )
            .unwrap()
            .items
            .first()
            .map(|t| t.last_activity_at);
        assert!(newest.is_some());
        assert_eq!(f.store.latest_activity(scope.as_deref()).unwrap(), newest);
    }
    assert_eq!(f.store.latest_activity(Some(&[])).unwrap(), None);
    let load = f.store.agent_load().unwrap();
    assert_eq!(load[0].agent, "suzuki@example.test");
    assert_eq!((load[0].open, load[0].pending), (1, 1));
    assert_eq!(load[0].oldest_waiting, Some(t0()));
    assert!(
        load.iter()
            .any(|l| l.agent == "sato@example.test" && l.open == 0)
    );
}

#[test]
fn team_changes_are_in_the_audit_log_too() {
    let mut f = Fixture::new();
    f.store
        .add_label(Actor::Agent(f.boss), "返品", None)
        .unwrap();
    f.store
        .set_password(Actor::Agent(f.boss), f.sato, "a-new-password-1")
        .unwrap();
    let n = f.ticket(f.support, "taro@customer.test", "x");
    let log = f.store.audit_log(50).unwrap();
    let actions: Vec<Action> = log.iter().map(|e| e.event.action).collect();
    assert_eq!(
        actions[..4],
        [
            Action::MessageAdded,
            Action::Created,
            Action::PasswordChanged,
            Action::LabelCreated
        ]
    );
    assert_eq!(log[0].number, Some(n));
    assert_eq!(log[2].actor_email.as_deref(), Some("boss@example.test"));
    assert_eq!(log[2].event.after.as_deref(), Some("sato@example.test"));
    assert!(actions.contains(&Action::UserAdded));
    assert!(actions.contains(&Action::InboxSaved));
}

#[test]
fn a_deactivated_or_removed_user_gives_back_their_open_tickets_but_keeps_closed_ones() {
    let mut f = Fixture::new();
    // The team keeps an active admin through every change.
    f.store
        .add_agent(
            Actor::System,
            &hako_store::NewAgent {
                name: "admin".into(),
                email: hako_domain::EmailAddress::parse("admin@example.test").unwrap(),
                role: hako_domain::Role::Admin,
                colour: None,
                inboxes: vec![],
                password: None,
                can_send: true,
            },
        )
        .unwrap();
    let sup = |f: &mut Fixture, subject| f.ticket(f.support, "taro@customer.test", subject);
    let (open, closed) = (sup(&mut f, "open"), sup(&mut f, "closed"));
    let (pending, snoozed) = (sup(&mut f, "pending"), sup(&mut f, "snoozed"));
    let info = f.ticket(f.info, "hanako@customer.test", "info");
    let boss_holds = f.ticket(f.info, "jiro@customer.test", "the supervisor's");
    let assign = |f: &mut Fixture, n, to| {
        f.store
            .apply(Actor::System, n, &Change::Assign(Some(to)), Expect::Any)
            .unwrap();
    };
    let (suzuki, boss_id) = (f.suzuki, f.boss);
    for n in [open, closed, pending, snoozed, info] {
        assign(&mut f, n, suzuki);
    }
    assign(&mut f, boss_holds, boss_id);
    let until = t0() + Duration::days(2);
    for (n, s) in [
        (closed, Status::Closed),
        (pending, Status::Pending { reason: None }),
        (snoozed, Status::Snoozed { until }),
    ] {
        f.store
            .apply(Actor::System, n, &Change::SetStatus(s), Expect::Any)
            .unwrap();
    }
    let assignee = |f: &Fixture, n| f.store.ticket_detail(n).unwrap().ticket.assignee;
    let boss = Actor::Agent(f.boss);
    // suzuki leaves the info inbox: its ticket is given back, support's stay.
    let now = f.store.agent(f.suzuki).unwrap();
    let mut u = hako_store::AgentUpdate {
        role: now.role,
        inboxes: vec![f.support],
        active: true,
        can_send: now.can_send,
    };
    f.store.update_agent(boss, f.suzuki, &u).unwrap();
    assert_eq!(assignee(&f, info), None);
    assert_eq!(assignee(&f, open), Some(f.suzuki));
    assert_eq!(actions(&f.store, info).last(), Some(&Action::Unassigned));
    // A supervisor holds tickets of any inbox, member or not: changing their inboxes keeps them.
    let b = f.store.agent(f.boss).unwrap();
    let mut bu = hako_store::AgentUpdate {
        role: b.role,
        inboxes: vec![],
        active: true,
        can_send: b.can_send,
    };
    f.store.update_agent(boss, f.boss, &bu).unwrap();
    assert_eq!(assignee(&f, boss_holds), Some(f.boss));
    bu.inboxes = b.inboxes;
    f.store.update_agent(boss, f.boss, &bu).unwrap();
    // Deactivated: the open, pending and snoozed ones too; the closed one still says who
    // handled it.
    u.active = false;
    f.store.update_agent(boss, f.suzuki, &u).unwrap();
    for n in [open, pending, snoozed] {
        assert_eq!(assignee(&f, n), None, "{n}");
    }
    assert_eq!(assignee(&f, closed), Some(f.suzuki));
    let e = f.store.ticket_detail(open).unwrap().events;
    let (last, _) = e.last().unwrap();
    assert_eq!(last.action, Action::Unassigned);
    assert_eq!(last.actor, boss);
    assert_eq!(last.before.as_deref(), Some("suzuki@example.test"));
}
