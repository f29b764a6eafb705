//! Inboxes edited in the web UI: saved with the inbox row and an audit event, listed, and
//! reverted to the config file's version.

mod common;

use common::Fixture;
use hako_domain::{Action, Actor, EmailAddress};
use hako_store::{InboxEdit, NewInbox, StoreError};

fn row(name: &str, address: &str, signature: &str) -> NewInbox {
    NewInbox {
        name: name.into(),
        address: EmailAddress::parse(address).unwrap(),
        display_name: format!("{name} team"),
        signature: signature.into(),
        requires_approval: true,
        auto_reply: None,
    }
}

#[test]
fn a_save_updates_the_inbox_at_once_and_a_revert_brings_the_file_back() {
    let mut f = Fixture::new();
    let edit = InboxEdit {
        before: "signature: ''".into(),
        after: "signature: '-- 箱'".into(),
        new_account: false,
    };
    let saved = f
        .store
        .save_edited_inbox(
            Actor::Agent(f.boss),
            &row("support", "support@example.test", "-- 箱"),
            "name = \"support\"",
            &edit,
        )
        .unwrap();
    assert_eq!(saved.id, f.support, "the same inbox, not a new one");
    let inbox = f.store.inbox_by_name("support").unwrap();
    assert_eq!(inbox.signature, "-- 箱");
    assert!(inbox.requires_approval);
    let edited = f.store.edited_inboxes().unwrap();
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0].settings, "name = \"support\"");
    assert_eq!(edited[0].updated_by, Some(f.boss));
    let log = f.store.audit_log(1).unwrap();
    assert_eq!(log[0].event.action, Action::InboxEdited);
    assert_eq!(log[0].actor_email.as_deref(), Some("boss@example.test"));
    assert_eq!(
        log[0].event.after.as_deref(),
        Some("support: signature: '-- 箱'")
    );

    // A new inbox gets a row of its own.
    let sales = f
        .store
        .save_edited_inbox(
            Actor::Agent(f.boss),
            &row("sales", "sales@example.test", ""),
            "name = \"sales\"",
            &InboxEdit::default(),
        )
        .unwrap();
    assert_ne!(sales.id, f.support);
    // Another inbox's address is refused, and nothing of the attempt is kept.
    let err = f
        .store
        .save_edited_inbox(
            Actor::Agent(f.boss),
            &row("sales", "info@example.test", ""),
            "name = \"sales\"\n# clash",
            &InboxEdit::default(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    assert_eq!(
        f.store.edited_inboxes().unwrap()[0].settings,
        "name = \"sales\""
    );

    let file = NewInbox {
        requires_approval: false,
        ..row("support", "support@example.test", "")
    };
    assert!(
        f.store
            .revert_edited_inbox(Actor::Agent(f.boss), "support", Some(&file))
            .unwrap()
    );
    let inbox = f.store.inbox_by_name("support").unwrap();
    assert_eq!(inbox.signature, "");
    assert!(!inbox.requires_approval);
    let names: Vec<String> = f
        .store
        .edited_inboxes()
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["sales"]);
    assert_eq!(
        f.store.audit_log(1).unwrap()[0].event.action,
        Action::InboxReverted
    );
    assert!(
        !f.store
            .revert_edited_inbox(Actor::Agent(f.boss), "support", Some(&file))
            .unwrap(),
        "nothing left to revert"
    );
}
