//! The outbox on a real database: queue, send, retry, give up, cancel — each visible on the
//! ticket — and our own sent mail not stored twice when it comes back.

mod common;

use chrono::Duration;
use common::Fixture;
use hako_domain::{Action, Actor, Direction, Status};
use hako_store::outbox::{NewReply, OutboxState};
use hako_store::{Expect, StoreError};

pub fn reply(f: &Fixture, n: hako_domain::TicketNumber, id: &str, send_in: Duration) -> NewReply {
    NewReply {
        ticket: n,
        author: Some(f.sato),
        message_id: id.into(),
        raw: format!("Message-ID: <{id}>\r\nSubject: Re: x\r\n\r\n回答\r\n").into_bytes(),
        envelope_from: "support@example.test".into(),
        recipients: vec!["taro@customer.test".into()],
        subject: "Re: 質問".into(),
        text: "回答です".into(),
        body: "回答です".into(),
        draft: "{}".into(),
        nonce: id.into(),
        automatic: false,
        send_at: *f.now.lock().unwrap() + send_in,
        retry_for: Duration::days(2),
        status_after: Some(Status::Closed),
    }
}

fn actions(f: &Fixture, n: hako_domain::TicketNumber) -> Vec<Action> {
    f.store
        .ticket_detail(n)
        .unwrap()
        .events
        .iter()
        .map(|(e, _)| e.action)
        .collect()
}

#[test]
fn a_reply_waits_for_its_time_then_becomes_an_outgoing_message_and_closes_the_ticket() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "質問");
    let item = f
        .store
        .queue_reply(
            Actor::Agent(f.sato),
            &reply(&f, n, "r1@example.test", Duration::seconds(10)),
            Expect::Any,
        )
        .unwrap();
    assert_eq!(item.state, OutboxState::Queued);
    assert!(
        f.store.due_outbox(10).unwrap().is_empty(),
        "inside the undo window"
    );
    f.advance(Duration::seconds(10));
    let due = f.store.due_outbox(10).unwrap();
    assert_eq!(due.len(), 1);
    f.store.outbox_sent(due[0].id, false).unwrap();
    f.store.outbox_sent(due[0].id, false).unwrap(); // a second report changes nothing
    let d = f.store.ticket_detail(n).unwrap();
    assert_eq!(d.messages.len(), 2);
    assert_eq!(d.messages[1].direction, Direction::Outgoing);
    assert_eq!(d.messages[1].message_id.as_deref(), Some("r1@example.test"));
    assert_eq!(d.ticket.status, Status::Closed);
    assert!(d.ticket.first_response_at.is_some());
    let a = actions(&f, n);
    assert!(
        a.contains(&Action::ReplyQueued) && a.contains(&Action::ReplySent),
        "{a:?}"
    );
    assert!(f.store.due_outbox(10).unwrap().is_empty());
}

#[test]
fn temporary_failures_retry_until_the_window_closes_permanent_ones_fail_at_once() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "質問");
    let a = f
        .store
        .queue_reply(
            Actor::System,
            &reply(&f, n, "r2@example.test", Duration::zero()),
            Expect::Any,
        )
        .unwrap();
    let later = *f.now.lock().unwrap() + Duration::minutes(5);
    let state = f
        .store
        .outbox_failed(a.id, "451 4.3.0 try again later", false, later)
        .unwrap();
    assert_eq!(state, OutboxState::Queued);
    assert!(
        f.store.due_outbox(10).unwrap().is_empty(),
        "not before the retry time"
    );
    let too_late = *f.now.lock().unwrap() + Duration::days(3);
    let state = f
        .store
        .outbox_failed(a.id, "451 4.3.0 still", false, too_late)
        .unwrap();
    assert_eq!(state, OutboxState::Failed, "past the retry window");
    let item = f.store.outbox_item(a.id).unwrap();
    assert_eq!(
        (item.attempts, item.last_error.as_deref()),
        (2, Some("451 4.3.0 still"))
    );
    let d = f.store.ticket_detail(n).unwrap();
    let failures: Vec<&str> = d
        .events
        .iter()
        .filter(|(e, _)| e.action == Action::ReplyFailed)
        .map(|(e, _)| e.after.as_deref().unwrap())
        .collect();
    assert_eq!(failures.len(), 2);
    assert!(
        failures[1].contains("gave up: 451 4.3.0 still"),
        "{failures:?}"
    );
    // An admin retries it.
    f.store
        .outbox_retry(Actor::System, a.id, Duration::days(2))
        .unwrap();
    assert_eq!(f.store.due_outbox(10).unwrap().len(), 1);
    let b = f
        .store
        .queue_reply(
            Actor::System,
            &reply(&f, n, "r3@example.test", Duration::zero()),
            Expect::Any,
        )
        .unwrap();
    let state = f
        .store
        .outbox_failed(b.id, "550 5.1.1 no such user", true, later)
        .unwrap();
    assert_eq!(state, OutboxState::Failed);
}

#[test]
fn a_queued_reply_can_be_cancelled_but_not_a_sent_one() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "質問");
    let a = f
        .store
        .queue_reply(
            Actor::System,
            &reply(&f, n, "r4@example.test", Duration::hours(20)),
            Expect::Any,
        )
        .unwrap();
    f.store.outbox_cancel(Actor::Agent(f.sato), a.id).unwrap();
    assert_eq!(
        f.store.outbox_item(a.id).unwrap().state,
        OutboxState::Cancelled
    );
    let err = f.store.outbox_cancel(Actor::System, a.id).unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    assert!(actions(&f, n).contains(&Action::ReplyCancelled));
    assert!(f.store.outbox(false).unwrap().is_empty());
    assert_eq!(f.store.outbox(true).unwrap().len(), 1);
}
