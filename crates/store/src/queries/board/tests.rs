use super::*;
use crate::synthetic::{SyntheticSpec, generate};
use crate::test_support::{agent, inbox};
use crate::{AssigneeFilter, CustomerRef, NewMessage, NewTicket, Page, Sort};
use crate::{TicketFilter, ops::Change, ops::Expect};
use chrono::{Duration, TimeZone, Utc};
use hako_domain::{Actor, Channel, Direction, EmailAddress, Participant, Role, Status, StatusKind};
use std::sync::{Arc, Mutex};

/// SQLite's plan for `sql`, one line per step.
fn plan(s: &Store, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Vec<String> {
    let mut st = s
        .read()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    st.query_map(params, |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
}

/// No step reads the tickets table row by row ("SCAN t" or "SCAN tickets").
fn assert_indexed(s: &Store, what: &str, sql: &str, params: &[&dyn rusqlite::ToSql]) {
    let p = plan(s, sql, params);
    assert!(
        !p.iter()
            .any(|l| l.starts_with("SCAN t ") || l == "SCAN t" || l.starts_with("SCAN tickets")),
        "{what} scans the tickets table: {p:#?}"
    );
    assert!(p.iter().any(|l| l.contains("USING")), "{what}: {p:#?}");
}

fn check_plans(s: &Store) {
    let cutoff = ms(Utc::now());
    assert_indexed(s, "unassigned", UNASSIGNED, &[]);
    assert_indexed(
        s,
        "waiting count",
        &format!("SELECT COUNT(*) FROM {WAITING_FROM} WHERE {WAITING_WHERE}"),
        &[&cutoff],
    );
    assert_indexed(
        s,
        "waiting list",
        &format!(
            "SELECT {WAITING_COLS} FROM {WAITING_FROM} JOIN inboxes i ON i.id = t.inbox_id
             JOIN contacts c ON c.id = t.contact_id
             WHERE {WAITING_WHERE} ORDER BY t.waiting_since, t.id LIMIT 50"
        ),
        &[&cutoff],
    );
    assert_indexed(s, "oldest per agent", OLDEST_PER_AGENT, &[]);
    // The inbox view's list behind the board's "unanswered" link.
    let (cond, params) = super::super::list::where_clause(&TicketFilter {
        statuses: vec![StatusKind::Open],
        waiting_before: Some(Utc::now()),
        ..Default::default()
    });
    let params: Vec<&dyn rusqlite::ToSql> =
        params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    assert_indexed(
        s,
        "inbox view, waiting before",
        &format!("SELECT COUNT(*) FROM tickets t WHERE {cond}"),
        &params,
    );
    let p = plan(
        s,
        &format!("SELECT COUNT(*) FROM {WAITING_FROM} WHERE {WAITING_WHERE}"),
        &[&cutoff],
    );
    assert!(
        p.iter().any(|l| l.contains("tickets_inbox_status_waiting")),
        "waiting uses (inbox, status, waiting_since): {p:#?}"
    );
}

#[test]
fn every_board_query_walks_an_index_with_and_without_statistics() {
    let s = Store::open_in_memory().unwrap();
    check_plans(&s);
    let mut s = Store::open_in_memory().unwrap();
    let spec = SyntheticSpec {
        tickets: 3_000,
        messages: 6_000,
        weeks: 8,
        ..SyntheticSpec::default()
    };
    generate(&mut s, &spec, &mut |_, _| {}).unwrap();
    check_plans(&s);
}

struct F {
    s: Store,
    now: Arc<Mutex<Timestamp>>,
    support: InboxId,
    info: InboxId,
    sato: AgentId,
    suzuki: AgentId,
}

fn fixture() -> F {
    let mut s = Store::open_in_memory().unwrap();
    let now = Arc::new(Mutex::new(
        Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
    ));
    let n = now.clone();
    s.set_clock(Arc::new(move || *n.lock().unwrap()));
    let support = inbox(&mut s, "support").id;
    let info = inbox(&mut s, "info").id;
    let mut agent = |name: &str, inboxes| agent(&mut s, name, Role::Agent, inboxes).id;
    let sato = agent("sato", vec![support]);
    let suzuki = agent("suzuki", vec![support, info]);
    F {
        s,
        now,
        support,
        info,
        sato,
        suzuki,
    }
}

impl F {
    fn ticket(&mut self, inbox: InboxId, subject: &str, assignee: Option<AgentId>) -> TicketNumber {
        *self.now.lock().unwrap() += Duration::hours(1);
        let p = Participant {
            name: None,
            address: "taro@customer.test".into(),
        };
        self.s
            .create_ticket(
                Actor::System,
                &NewTicket {
                    inbox,
                    customer: CustomerRef {
                        address: EmailAddress::parse("taro@customer.test").ok(),
                        name: Some("山田太郎".into()),
                    },
                    subject: subject.into(),
                    channel: Channel::Email,
                    message: NewMessage::text(Direction::Incoming, Some(p), subject, "本文"),
                    assignee,
                    labels: vec![],
                    status: Status::Open,
                },
            )
            .unwrap()
            .number
    }
}

#[test]
fn unassigned_waiting_and_oldest_per_agent() {
    let mut f = fixture();
    let a1 = f.ticket(f.support, "one", None); // 01:00
    let a2 = f.ticket(f.support, "two", Some(f.sato)); // 02:00
    let a3 = f.ticket(f.support, "three", Some(f.sato)); // 03:00
    let b1 = f.ticket(f.info, "four", None); // 04:00
    let b2 = f.ticket(f.info, "five", Some(f.suzuki)); // 05:00
    // Answered: nobody waits on it any more.
    let mut reply = NewMessage::text(Direction::Outgoing, None, "Re", "done");
    reply.author = Some(f.suzuki);
    f.s.add_message(Actor::Agent(f.suzuki), b2, &reply, Expect::Any)
        .unwrap();
    // Pending tickets are not "unassigned open work".
    let a4 = f.ticket(f.support, "six", None); // 07:00
    f.s.apply(
        Actor::System,
        a4,
        &Change::SetStatus(Status::Pending { reason: None }),
        Expect::Any,
    )
    .unwrap();

    let u = f.s.unassigned_per_inbox().unwrap();
    let by_name: Vec<(&str, u64)> = u.iter().map(|c| (c.name.as_str(), c.open)).collect();
    assert_eq!(by_name, [("info", 1), ("support", 1)]);
    assert_eq!(
        u[1].oldest_waiting,
        Some(Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap())
    );

    // Now 10:00: before 06:00 means waiting four hours or more.
    *f.now.lock().unwrap() = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let cutoff = f.s.now() - Duration::hours(4);
    let (total, items) = f.s.waiting_before(cutoff, 2).unwrap();
    assert_eq!(
        total, 4,
        "a1, a2, a3, b1; not the answered b2 or the pending a4"
    );
    let numbers: Vec<TicketNumber> = items.iter().map(|t| t.number).collect();
    assert_eq!(numbers, [a1, a2], "longest first, limited");
    assert_eq!(items[0].customer.as_deref(), Some("山田太郎"));
    assert_eq!(items[1].assignee, Some(f.sato));
    // The inbox view's filter gives the same tickets.
    let page =
        f.s.list_tickets(
            &TicketFilter {
                statuses: vec![StatusKind::Open],
                waiting_before: Some(cutoff),
                ..Default::default()
            },
            Sort::OldestWaiting,
            Page::default(),
        )
        .unwrap();
    let listed: Vec<TicketNumber> = page.items.iter().map(|t| t.number).collect();
    assert_eq!(listed, [a1, a2, a3, b1]);
    let page =
        f.s.list_tickets(
            &TicketFilter {
                inbox: Some(f.info),
                assignee: AssigneeFilter::Unassigned,
                waiting_before: Some(cutoff),
                ..Default::default()
            },
            Sort::OldestWaiting,
            Page::default(),
        )
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].number, b1);

    let oldest = f.s.oldest_waiting_per_agent().unwrap();
    assert_eq!(
        oldest.len(),
        1,
        "suzuki's only ticket is answered: {oldest:?}"
    );
    assert_eq!(oldest[0].0, f.sato);
    assert_eq!(oldest[0].1.number, a2);
}
