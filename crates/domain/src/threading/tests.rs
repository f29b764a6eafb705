use super::*;
use chrono::{TimeZone, Utc};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap()
}

fn cand(id: i64, customer: &str, status: StatusKind, days_ago: i64, subject: &str) -> Candidate {
    Candidate {
        id: TicketId(id),
        number: 1000 + id,
        inbox: InboxId(1),
        status,
        customer: vec![customer.to_string()],
        last_activity_at: now() - Duration::days(days_ago),
        normalized_subject: subject.to_string(),
    }
}

fn facts<'a>(sender: &'a str, subject: &'a str, tags: &'a [i64]) -> IncomingFacts<'a> {
    IncomingFacts {
        inbox: InboxId(1),
        sender: Some(sender),
        from_team: false,
        normalized_subject: subject,
        ticket_tags: tags,
        now: now(),
    }
}

fn append(id: i64, via: Via) -> ThreadDecision {
    ThreadDecision::Append {
        ticket: TicketId(id),
        via,
        reopen: false,
    }
}

const NEW: ThreadDecision = ThreadDecision::New { linked_to: None };

#[test]
fn a_signed_reference_wins_over_everything() {
    let found = Found {
        signed: vec![cand(1, "taro@c.test", StatusKind::Open, 1, "a")],
        referenced: vec![Referenced {
            ticket: cand(2, "taro@c.test", StatusKind::Open, 1, "a"),
            participants: vec!["taro@c.test".into()],
        }],
        ..Found::default()
    };
    let p = ThreadingPolicy::default();
    assert_eq!(
        decide(&facts("taro@c.test", "a", &[]), &found, &p),
        append(1, Via::Signature)
    );
    // Even from a colleague the customer forwarded our answer to.
    assert_eq!(
        decide(&facts("boss@c.test", "a", &[]), &found, &p),
        append(1, Via::Signature)
    );
}

#[test]
fn plain_references_need_the_sender_to_be_involved() {
    let found = Found {
        referenced: vec![Referenced {
            ticket: cand(2, "taro@c.test", StatusKind::Open, 1, "a"),
            participants: vec!["taro@c.test".into(), "hanako@c.test".into()],
        }],
        ..Found::default()
    };
    let p = ThreadingPolicy::default();
    assert_eq!(
        decide(&facts("taro@c.test", "x", &[]), &found, &p),
        append(2, Via::Reference)
    );
    // Hanako was in Cc of the referenced message: a reply-all from her threads.
    assert_eq!(
        decide(&facts("hanako@c.test", "x", &[]), &found, &p),
        append(2, Via::Reference)
    );
    // A stranger who knows the Message-ID does not get in.
    assert_eq!(
        decide(&facts("mallory@evil.test", "x", &[]), &found, &p),
        NEW
    );
    // Our own answer, written in a mail client, does.
    let mut ours = facts("support@example.test", "x", &[]);
    ours.from_team = true;
    assert_eq!(decide(&ours, &found, &p), append(2, Via::Reference));
}

#[test]
fn a_subject_tag_only_from_that_tickets_customer() {
    let found = Found {
        tagged: vec![cand(42, "taro@c.test", StatusKind::Pending, 3, "請求書")],
        ..Found::default()
    };
    let p = ThreadingPolicy::default();
    assert_eq!(
        decide(&facts("taro@c.test", "請求書", &[1042]), &found, &p),
        append(42, Via::SubjectTag)
    );
    assert_eq!(
        decide(&facts("mallory@evil.test", "請求書", &[1042]), &found, &p),
        NEW
    );
    // A tag for another number is not this ticket.
    assert_eq!(
        decide(&facts("taro@c.test", "別件", &[1043]), &found, &p),
        NEW
    );
}

#[test]
fn the_same_subject_from_the_same_sender_within_two_weeks() {
    let found = Found {
        senders_recent: vec![
            cand(5, "taro@c.test", StatusKind::Open, 3, "請求書の件"),
            cand(6, "taro@c.test", StatusKind::Open, 20, "配送"),
            cand(7, "taro@c.test", StatusKind::Closed, 1, "返品"),
        ],
        ..Found::default()
    };
    let p = ThreadingPolicy::default();
    assert_eq!(
        decide(&facts("taro@c.test", "請求書の件", &[]), &found, &p),
        append(5, Via::Subject)
    );
    assert_eq!(
        decide(&facts("taro@c.test", "配送", &[]), &found, &p),
        NEW,
        "older than 14 days"
    );
    assert_eq!(
        decide(&facts("taro@c.test", "返品", &[]), &found, &p),
        NEW,
        "closed tickets are not matched by subject"
    );
    assert_eq!(
        decide(&facts("taro@c.test", "", &[]), &found, &p),
        NEW,
        "no subject, no match"
    );
    let off = ThreadingPolicy {
        subject_match: false,
        ..p
    };
    assert_eq!(
        decide(&facts("taro@c.test", "請求書の件", &[]), &found, &off),
        NEW
    );
    let mut other_inbox = facts("taro@c.test", "請求書の件", &[]);
    other_inbox.inbox = InboxId(2);
    assert_eq!(decide(&other_inbox, &found, &p), NEW);
}

#[test]
fn replies_to_one_newsletter_from_many_customers_stay_apart() {
    // Alice's reply made ticket 8; Bob replies to the same newsletter with the same subject.
    let found = Found {
        senders_recent: vec![cand(
            8,
            "alice@c.test",
            StatusKind::Open,
            0,
            "11月のお知らせ",
        )],
        ..Found::default()
    };
    let p = ThreadingPolicy::default();
    assert_eq!(
        decide(&facts("bob@c.test", "11月のお知らせ", &[]), &found, &p),
        NEW
    );
}

#[test]
fn closed_tickets_reopen_within_the_window_else_a_linked_ticket_starts() {
    let p = ThreadingPolicy::default();
    let recent = Found {
        signed: vec![cand(9, "taro@c.test", StatusKind::Closed, 10, "a")],
        ..Found::default()
    };
    assert_eq!(
        decide(&facts("taro@c.test", "a", &[]), &recent, &p),
        ThreadDecision::Append {
            ticket: TicketId(9),
            via: Via::Signature,
            reopen: true
        }
    );
    let old = Found {
        signed: vec![cand(9, "taro@c.test", StatusKind::Closed, 45, "a")],
        ..Found::default()
    };
    assert_eq!(
        decide(&facts("taro@c.test", "a", &[]), &old, &p),
        ThreadDecision::New {
            linked_to: Some(TicketId(9))
        }
    );
}

#[test]
fn the_null_sender_only_threads_by_signature() {
    let found = Found {
        referenced: vec![Referenced {
            ticket: cand(2, "taro@c.test", StatusKind::Open, 1, "a"),
            participants: vec!["taro@c.test".into()],
        }],
        senders_recent: vec![cand(2, "taro@c.test", StatusKind::Open, 1, "a")],
        ..Found::default()
    };
    let mut f = facts("x", "a", &[]);
    f.sender = None;
    assert_eq!(decide(&f, &found, &ThreadingPolicy::default()), NEW);
}
