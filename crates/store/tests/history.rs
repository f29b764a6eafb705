//! Sender history and the index feed on a real database.

mod common;

use common::Fixture;
use hako_domain::{Actor, EmailAddress, StatusKind, TicketId};
use hako_store::{Change, Expect, HistoryOf};

fn e(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

#[test]
fn history_of_an_address_a_contact_and_a_domain_across_inboxes() {
    let mut f = Fixture::new();
    f.at("2026-10-01T00:00:00Z");
    let a = f.ticket(f.support, "taro@work.example.jp", "請求書");
    f.at("2026-11-01T00:00:00Z");
    let b = f.ticket(f.info, "taro@work.example.jp", "配送");
    f.incoming(b, "追伸");
    let c = f.ticket(f.info, "hanako@work.example.jp", "返品");
    let d = f.ticket(f.support, "taro@home.test", "私用アドレスから");
    let billing = f.store.add_label(Actor::System, "請求", None).unwrap();
    f.store
        .apply(Actor::System, a, &Change::AddLabel(billing.id), Expect::Any)
        .unwrap();

    let h = f
        .store
        .history(&HistoryOf::Address(e("Taro@Work.example.jp")), None, 50)
        .unwrap();
    assert_eq!(h.ticket_count, 2);
    // The fixture's "incoming" message comes from taro@customer.test, not this address.
    assert_eq!(h.message_count, 2);
    let numbers: Vec<_> = h.entries.iter().map(|x| x.ticket).collect();
    assert_eq!(numbers, [b, a], "newest first");
    assert_eq!(h.entries[1].labels, ["請求"]);
    assert_eq!(h.entries[1].status, StatusKind::Open);
    assert_eq!(
        h.first_contact.unwrap().to_rfc3339(),
        "2026-10-01T00:00:00+00:00"
    );

    // Linked addresses make one history.
    f.store
        .link_address(
            Actor::System,
            &e("taro@work.example.jp"),
            &e("taro@home.test"),
        )
        .unwrap();
    let h = f
        .store
        .history(&HistoryOf::Address(e("taro@home.test")), None, 50)
        .unwrap();
    assert_eq!(h.ticket_count, 3);
    assert_eq!(h.entries[0].ticket, d);

    // The whole domain, and only what the asker may see.
    let dom = f
        .store
        .history(&HistoryOf::Domain("work.example.jp".into()), None, 50)
        .unwrap();
    assert_eq!(dom.ticket_count, 3);
    assert!(dom.entries.iter().any(|x| x.ticket == c));
    let support_only = f
        .store
        .history(
            &HistoryOf::Domain("@Work.Example.JP".into()),
            Some(&[f.support]),
            50,
        )
        .unwrap();
    assert_eq!(support_only.ticket_count, 1);
    assert!(support_only.entries.iter().all(|x| x.inbox == "support"));
    let limited = f
        .store
        .history(&HistoryOf::Domain("work.example.jp".into()), None, 1)
        .unwrap();
    assert_eq!((limited.entries.len(), limited.message_count), (1, 3));
}

#[test]
fn every_change_queues_its_ticket_for_the_index() {
    let mut f = Fixture::new();
    let a = f.ticket(f.support, "taro@customer.test", "a");
    let b = f.ticket(f.support, "hanako@customer.test", "b");
    let (queued, upto) = f.store.pending_index(100).unwrap();
    assert_eq!(queued.len(), 2);
    f.store.ack_index(&queued, upto.unwrap()).unwrap();
    assert_eq!(f.store.index_backlog().unwrap(), 0);
    f.store
        .apply(
            Actor::System,
            a,
            &Change::SetStatus(hako_domain::Status::Closed),
            Expect::Any,
        )
        .unwrap();
    f.store.merge(Actor::System, b, a, Expect::Any).unwrap();
    let (queued, _) = f.store.pending_index(100).unwrap();
    assert_eq!(
        queued.len(),
        2,
        "the merged pointer is queued too, to drop its documents"
    );
    let ta = f.store.ticket(a).unwrap().id;
    let tb = f.store.ticket(b).unwrap().id;
    let docs = f.store.index_docs(&[ta, tb]).unwrap();
    assert_eq!(docs.len(), 2);
    assert!(
        docs.iter()
            .all(|d| d.ticket_id == ta.0 && d.status == "closed")
    );
    assert!(f.store.index_docs(&[TicketId(tb.0)]).unwrap().is_empty());
}
