//! Persisting incoming mail: threading into tickets, exactly-once by UID and by content,
//! quarantine, the cursor and the lease — on a real (in-memory) database.

mod common;

use chrono::Duration;
use common::{Fixture, t0};
use hako_domain::threading::ThreadingPolicy;
use hako_domain::{Actor, Direction, InboxId, Participant, Status, TicketNumber};
use hako_store::ingest::{Content, IncomingMail, MailboxId, Outcome, ParsedMail, Source};
use hako_store::{Change, Expect, NewMessage};

fn mail(from: &str, to: &[&str], message_id: &str, subject: &str) -> ParsedMail {
    let p = |a: &str| Participant {
        name: None,
        address: a.into(),
    };
    let mut m = NewMessage::text(Direction::Incoming, Some(p(from)), subject, "本文");
    m.message_id = Some(message_id.into());
    m.to = to.iter().map(|a| p(a)).collect();
    m.dedupe_key = Some(format!("{message_id}/body"));
    ParsedMail {
        message: m,
        sender: Some(from.into()),
        sender_name: None,
        normalized_subject: subject.to_lowercase(),
        ticket_tags: vec![],
        recipients: to.iter().map(|a| a.to_string()).collect(),
    }
}

fn replying(mut p: ParsedMail, to: &str) -> ParsedMail {
    p.message.in_reply_to = vec![to.into()];
    p.message.references = vec![to.into()];
    p
}

/// A mail fetched from `support`'s mailbox (the fixture's first inbox).
fn imap(mailbox: MailboxId, uidvalidity: u32, uid: u32, p: ParsedMail) -> IncomingMail {
    IncomingMail {
        source: Source::Imap {
            mailbox,
            uidvalidity,
            uid,
        },
        inbox: InboxId(1),
        raw: format!(
            "Message-ID: <{}>\r\n\r\nraw {uid}",
            p.message.message_id.clone().unwrap()
        )
        .into_bytes(),
        received_at: t0(),
        content: Content::Parsed(Box::new(p)),
    }
}

fn ingest(f: &mut Fixture, mails: Vec<IncomingMail>) -> Vec<Outcome> {
    f.store.ingest(&mails, &ThreadingPolicy::default()).unwrap()
}

fn created(o: &Outcome) -> TicketNumber {
    match o {
        Outcome::Created { ticket, .. } => *ticket,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

#[test]
fn a_reply_threads_into_the_ticket_and_the_cursor_moves() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let first = mail(
        "taro@customer.test",
        &["support@example.test"],
        "m1@customer.test",
        "請求書",
    );
    let second = replying(
        mail(
            "taro@customer.test",
            &["support@example.test"],
            "m2@customer.test",
            "Re: 請求書",
        ),
        "m1@customer.test",
    );
    let out = ingest(&mut f, vec![imap(mb, 7, 1, first), imap(mb, 7, 2, second)]);
    let n = created(&out[0]);
    assert!(
        matches!(out[1], Outcome::Appended { ticket, .. } if ticket == n),
        "{out:?}"
    );
    assert_eq!(f.store.ticket_detail(n).unwrap().messages.len(), 2);
    let m = f.store.mailbox(f.support, "INBOX").unwrap();
    assert_eq!(m.last_uid, 2);
    // The same UIDs again (a restart after the commit): nothing new.
    let again = ingest(
        &mut f,
        vec![imap(
            mb,
            7,
            2,
            mail("taro@customer.test", &[], "m2@customer.test", "x"),
        )],
    );
    assert_eq!(again, [Outcome::AlreadySeen]);
    assert_eq!(f.store.stats().unwrap().messages, 2);
}

#[test]
fn mail_to_two_of_our_addresses_is_one_ticket_in_the_first_addressed_inbox() {
    let mut f = Fixture::new();
    let support = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let info = f.store.mailbox(f.info, "INBOX").unwrap().id;
    let both = mail(
        "taro@customer.test",
        &["support@example.test", "info@example.test"],
        "both@customer.test",
        "両方に送りました",
    );
    // Fetched from info's mailbox first…
    let mut from_info = imap(info, 1, 1, both.clone());
    from_info.inbox = f.info;
    let out = ingest(&mut f, vec![from_info]);
    let n = created(&out[0]);
    assert_eq!(
        f.store.ticket(n).unwrap().inbox,
        f.support,
        "To: support comes first"
    );
    // …then from support's: the same mail, stored once.
    let out = ingest(&mut f, vec![imap(support, 1, 1, both)]);
    assert!(matches!(out[0], Outcome::Duplicate { .. }), "{out:?}");
    assert_eq!(f.store.stats().unwrap().tickets, 1);
    assert_eq!(f.store.stats().unwrap().messages, 1);
}

#[test]
fn our_signed_message_id_threads_even_from_another_address() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let out = ingest(
        &mut f,
        vec![imap(
            mb,
            1,
            1,
            mail("taro@customer.test", &[], "a@c.test", "質問"),
        )],
    );
    let n = created(&out[0]);
    let id = f.store.ticket(n).unwrap().id;
    let ours = f
        .store
        .signing_key()
        .unwrap()
        .message_id(id, "n0nce", "example.test");
    let colleague = replying(
        mail("boss@customer.test", &[], "b@c.test", "Re: 質問"),
        &ours,
    );
    let out = ingest(&mut f, vec![imap(mb, 1, 2, colleague)]);
    assert!(
        matches!(out[0], Outcome::Appended { ticket, .. } if ticket == n),
        "{out:?}"
    );
    // A forged signature (another ticket id, same signature) is a new ticket.
    let forged = ours.replacen(
        &format!("hako.{}.", id.0),
        &format!("hako.{}.", id.0 + 1),
        1,
    );
    let stranger = replying(
        mail("mallory@evil.test", &[], "c@evil.test", "Re: 質問"),
        &forged,
    );
    let out = ingest(&mut f, vec![imap(mb, 1, 3, stranger)]);
    assert!(matches!(out[0], Outcome::Created { .. }), "{out:?}");
}

#[test]
fn unparseable_mail_is_quarantined_raw_and_the_batch_goes_on() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let bad = IncomingMail {
        source: Source::Imap {
            mailbox: mb,
            uidvalidity: 1,
            uid: 1,
        },
        inbox: f.support,
        raw: b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n".repeat(3),
        received_at: t0(),
        content: Content::Unparseable {
            reason: "too many parts (50000 > 2000)".into(),
        },
    };
    let good = imap(mb, 1, 2, mail("taro@customer.test", &[], "ok@c.test", "ok"));
    let out = ingest(&mut f, vec![bad, good]);
    assert!(
        matches!(&out[0], Outcome::Quarantined { reason, .. } if reason.contains("too many parts"))
    );
    assert!(matches!(out[1], Outcome::Created { .. }));
    let q = f.store.quarantine(false).unwrap();
    assert_eq!(q.len(), 1);
    assert!(q[0].source.contains("uid 1"), "{:?}", q[0]);
    assert!(
        f.store
            .blob(&q[0].raw)
            .unwrap()
            .starts_with(b"Content-Type: multipart/mixed")
    );
    assert_eq!(f.store.mailbox(f.support, "INBOX").unwrap().last_uid, 2);
}

#[test]
fn our_own_sent_mail_is_outgoing_or_skipped() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let out = ingest(
        &mut f,
        vec![imap(
            mb,
            1,
            1,
            mail("taro@customer.test", &[], "q@c.test", "質問"),
        )],
    );
    let n = created(&out[0]);
    // An answer sent from a mail client, its copy showing up in the mailbox.
    let answer = replying(
        mail(
            "support@example.test",
            &["taro@customer.test"],
            "ans@example.test",
            "Re: 質問",
        ),
        "q@c.test",
    );
    let newsletter = mail(
        "support@example.test",
        &["many@customer.test"],
        "news@example.test",
        "お知らせ",
    );
    let out = ingest(
        &mut f,
        vec![imap(mb, 1, 2, answer), imap(mb, 1, 3, newsletter)],
    );
    assert!(matches!(out[0], Outcome::Appended { .. }), "{out:?}");
    assert!(matches!(out[1], Outcome::Skipped { .. }), "{out:?}");
    let d = f.store.ticket_detail(n).unwrap();
    assert_eq!(d.messages[1].direction, Direction::Outgoing);
    assert!(d.ticket.first_response_at.is_some());
    assert_eq!(f.store.stats().unwrap().tickets, 1);
}

#[test]
fn an_auto_reply_does_not_reopen_but_a_customer_does_and_late_replies_start_over() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let out = ingest(
        &mut f,
        vec![imap(
            mb,
            1,
            1,
            mail("taro@customer.test", &[], "q@c.test", "質問"),
        )],
    );
    let n = created(&out[0]);
    f.store
        .apply(
            Actor::System,
            n,
            &Change::SetStatus(Status::Closed),
            Expect::Any,
        )
        .unwrap();
    let mut ooo = replying(
        mail("taro@customer.test", &[], "ooo@c.test", "不在通知"),
        "q@c.test",
    );
    ooo.message.automatic = true;
    ingest(&mut f, vec![imap(mb, 1, 2, ooo)]);
    assert_eq!(f.store.ticket(n).unwrap().status, Status::Closed);
    let reply = replying(
        mail("taro@customer.test", &[], "r@c.test", "Re: 質問"),
        "q@c.test",
    );
    let out = ingest(&mut f, vec![imap(mb, 1, 3, reply)]);
    assert!(
        matches!(out[0], Outcome::Appended { reopened: true, .. }),
        "{out:?}"
    );
    assert_eq!(f.store.ticket(n).unwrap().status, Status::Open);
    // Closed again, and the customer writes 40 days later: a new ticket linked to the old.
    f.store
        .apply(
            Actor::System,
            n,
            &Change::SetStatus(Status::Closed),
            Expect::Any,
        )
        .unwrap();
    f.advance(Duration::days(40));
    let late = replying(
        mail("taro@customer.test", &[], "late@c.test", "Re: 質問"),
        "r@c.test",
    );
    let mut late = imap(mb, 1, 4, late);
    late.received_at = t0() + Duration::days(40);
    let out = ingest(&mut f, vec![late]);
    let new = created(&out[0]);
    assert_ne!(new, n);
}

#[test]
fn a_new_uidvalidity_refetches_without_duplicates() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    assert!(
        !f.store.set_uidvalidity(mb, 100).unwrap(),
        "first UIDVALIDITY is no change"
    );
    let mails = |v| {
        (1..=3)
            .map(|i| {
                imap(
                    mb,
                    v,
                    i,
                    mail(
                        "taro@customer.test",
                        &[],
                        &format!("m{i}@c.test"),
                        &format!("s{i}"),
                    ),
                )
            })
            .collect::<Vec<_>>()
    };
    ingest(&mut f, mails(100));
    assert!(f.store.set_uidvalidity(mb, 200).unwrap());
    assert_eq!(f.store.mailbox(f.support, "INBOX").unwrap().last_uid, 0);
    let out = ingest(&mut f, mails(200));
    assert!(
        out.iter().all(|o| matches!(o, Outcome::Duplicate { .. })),
        "{out:?}"
    );
    assert_eq!(f.store.stats().unwrap().messages, 3);
    assert_eq!(f.store.mailbox(f.support, "INBOX").unwrap().last_uid, 3);
}

#[test]
fn a_failing_batch_commits_nothing() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let good = imap(mb, 1, 1, mail("taro@customer.test", &[], "g@c.test", "ok"));
    // A mailbox that does not exist: recording its UID violates a foreign key.
    let broken = imap(
        MailboxId(999),
        1,
        2,
        mail("taro@customer.test", &[], "b@c.test", "x"),
    );
    assert!(
        f.store
            .ingest(&[good, broken], &ThreadingPolicy::default())
            .is_err()
    );
    let s = f.store.stats().unwrap();
    assert_eq!((s.tickets, s.messages, s.raw_bytes), (0, 0, 0));
    assert_eq!(f.store.mailbox(f.support, "INBOX").unwrap().last_uid, 0);
}

#[test]
fn one_syncer_per_mailbox() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let a = f
        .store
        .acquire_lease(mb, "host-a:1", Duration::minutes(2))
        .unwrap();
    assert!(a.is_some());
    assert!(
        f.store
            .acquire_lease(mb, "host-b:2", Duration::minutes(2))
            .unwrap()
            .is_none()
    );
    assert!(
        f.store
            .acquire_lease(mb, "host-a:1", Duration::minutes(2))
            .unwrap()
            .is_some(),
        "renewal"
    );
    f.advance(Duration::minutes(3));
    assert!(
        f.store
            .acquire_lease(mb, "host-b:2", Duration::minutes(2))
            .unwrap()
            .is_some(),
        "expired lease taken over"
    );
    let b = f
        .store
        .acquire_lease(mb, "host-b:2", Duration::minutes(2))
        .unwrap()
        .unwrap();
    f.store.release_lease(&b).unwrap();
    assert!(
        f.store
            .acquire_lease(mb, "host-a:1", Duration::minutes(2))
            .unwrap()
            .is_some()
    );
}

#[test]
fn reprocessing_a_quarantined_mail_resolves_it_or_keeps_one_entry() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let bad = IncomingMail {
        source: Source::Imap {
            mailbox: mb,
            uidvalidity: 1,
            uid: 1,
        },
        inbox: f.support,
        raw: b"Subject: huge\r\n\r\n...".to_vec(),
        received_at: t0(),
        content: Content::Unparseable {
            reason: "too large".into(),
        },
    };
    ingest(&mut f, vec![bad.clone()]);
    let q = f.store.quarantine(false).unwrap();
    let again = IncomingMail {
        source: Source::Quarantine { id: q[0].id },
        content: Content::Unparseable {
            reason: "still too large".into(),
        },
        ..bad.clone()
    };
    ingest(&mut f, vec![again]);
    let q = f.store.quarantine(true).unwrap();
    assert_eq!(q.len(), 1, "one entry, not two");
    assert_eq!(q[0].reason, "still too large");
    let fixed = IncomingMail {
        source: Source::Quarantine { id: q[0].id },
        content: Content::Parsed(Box::new(mail(
            "taro@customer.test",
            &[],
            "huge@c.test",
            "huge",
        ))),
        ..bad
    };
    let out = ingest(&mut f, vec![fixed]);
    assert!(matches!(out[0], Outcome::Created { .. }), "{out:?}");
    assert!(f.store.quarantine(false).unwrap().is_empty());
    assert!(f.store.quarantine(true).unwrap()[0].resolved_at.is_some());
}

#[test]
fn actions_after_the_commit_are_remembered_until_done() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let mails = (1..=3)
        .map(|i| {
            imap(
                mb,
                5,
                i,
                mail("taro@customer.test", &[], &format!("p{i}@c.test"), "p"),
            )
        })
        .collect();
    ingest(&mut f, mails);
    // The process died before flagging: all three are still to do.
    assert_eq!(f.store.pending_actions(mb, 5).unwrap(), [1, 2, 3]);
    f.store.mark_acted(mb, 5, &[1, 2]).unwrap();
    assert_eq!(f.store.pending_actions(mb, 5).unwrap(), [3]);
    assert!(f.store.pending_actions(mb, 6).unwrap().is_empty());
    f.store.set_import_below(mb, 4).unwrap();
    assert_eq!(f.store.mailbox(f.support, "INBOX").unwrap().import_below, 4);
}

#[test]
fn old_mail_threads_by_subject_as_of_when_it_arrived() {
    let mut f = Fixture::new();
    // Imported today, written two months ago, two days apart, no references.
    let mut first = imap(
        MailboxId(0),
        1,
        1,
        mail("taro@customer.test", &[], "old1@c.test", "見積りの件"),
    );
    first.source = Source::Import {
        label: "old.mbox#1".into(),
    };
    first.received_at = t0() - Duration::days(60);
    let mut second = first.clone();
    second.content = Content::Parsed(Box::new(mail(
        "taro@customer.test",
        &[],
        "old2@c.test",
        "見積りの件",
    )));
    second.received_at = t0() - Duration::days(58);
    f.advance(Duration::days(1));
    let out = ingest(&mut f, vec![first, second]);
    let n = created(&out[0]);
    assert!(
        matches!(out[1], Outcome::Appended { ticket, .. } if ticket == n),
        "{out:?}"
    );
}

#[test]
fn an_ingested_message_keeps_its_raw_mail() {
    let mut f = Fixture::new();
    let mb = f.store.mailbox(f.support, "INBOX").unwrap().id;
    let m = imap(
        mb,
        1,
        1,
        mail("taro@customer.test", &[], "raw@c.test", "原文"),
    );
    let raw = m.raw.clone();
    let n = created(&ingest(&mut f, vec![m])[0]);
    let d = f.store.ticket_detail(n).unwrap();
    let hash = d.messages[0]
        .raw
        .clone()
        .expect("the message links its raw mail");
    assert_eq!(f.store.blob(&hash).unwrap(), raw);
}
