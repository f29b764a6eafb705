//! Approval (承認) on a real database: who waits, who may approve, return with a comment,
//! the author's text kept for the diff of an edit, the Sent-folder copy, and the loop guard
//! of automatic replies.

mod common;

use chrono::Duration;
use common::Fixture;
use hako_domain::{Action, Actor, AgentId, EmailAddress, Role, Status, TicketNumber};
use hako_store::outbox::{Edit, NewReply, OutboxState};
use hako_store::{Expect, NewAgent, NewInbox, StoreError};

fn reply(f: &Fixture, n: TicketNumber, author: AgentId, id: &str) -> NewReply {
    NewReply {
        ticket: n,
        author: Some(author),
        message_id: id.into(),
        raw: format!("Message-ID: <{id}>\r\n\r\n回答\r\n").into_bytes(),
        envelope_from: "info@example.test".into(),
        recipients: vec!["taro@customer.test".into()],
        subject: "Re: 質問".into(),
        text: "山田様\n\n回答です。\n".into(),
        body: "山田様\n\n回答です。".into(),
        draft: "{}".into(),
        nonce: id.into(),
        automatic: false,
        send_at: *f.now.lock().unwrap() + Duration::seconds(10),
        retry_for: Duration::days(2),
        status_after: Some(Status::Closed),
    }
}

/// The fixture with `info` requiring approval.
fn fixture() -> Fixture {
    let mut f = Fixture::new();
    f.store
        .sync_inbox(&NewInbox {
            name: "info".into(),
            address: EmailAddress::parse("info@example.test").unwrap(),
            display_name: "info".into(),
            signature: String::new(),
            requires_approval: true,
            auto_reply: None,
        })
        .unwrap();
    f
}

fn actions(f: &Fixture, n: TicketNumber) -> Vec<Action> {
    let d = f.store.ticket_detail(n).unwrap();
    d.events.iter().map(|(e, _)| e.action).collect()
}

fn not_allowed(e: StoreError) -> String {
    match e {
        StoreError::NotAllowed { why, .. } => why,
        other => panic!("expected NotAllowed, got {other}"),
    }
}

#[test]
fn an_agents_reply_from_an_approval_inbox_waits_until_a_supervisor_approves() {
    let mut f = fixture();
    let n = f.ticket(f.info, "taro@customer.test", "質問");
    let r = reply(&f, n, f.suzuki, "a1@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.suzuki), &r, Expect::Any)
        .unwrap();
    assert_eq!(item.state, OutboxState::Approval);
    f.advance(Duration::minutes(5));
    assert!(
        f.store.due_outbox(10).unwrap().is_empty(),
        "not sent unapproved"
    );
    assert_eq!(f.store.approvals().unwrap().len(), 1);

    // Neither the author, another agent, nor an unnamed operator may approve.
    let e = f
        .store
        .outbox_approve(Actor::Agent(f.suzuki), item.id, None, None);
    assert!(not_allowed(e.unwrap_err()).contains("other than its author"));
    let e = f
        .store
        .outbox_approve(Actor::Agent(f.sato), item.id, None, None);
    assert!(not_allowed(e.unwrap_err()).contains("supervisors"));
    let e = f.store.outbox_approve(Actor::System, item.id, None, None);
    assert!(not_allowed(e.unwrap_err()).contains("named supervisor"));

    let ok = f
        .store
        .outbox_approve(Actor::Agent(f.boss), item.id, None, Some("OK"))
        .unwrap();
    assert_eq!(ok.state, OutboxState::Queued);
    assert_eq!(ok.reviewer, Some(f.boss));
    // Approved after its undo window: due at once.
    assert_eq!(f.store.due_outbox(10).unwrap().len(), 1);
    let acts = actions(&f, n);
    assert!(acts.contains(&Action::ReplySubmitted) && acts.contains(&Action::ReplyApproved));
    // Approving twice is refused, not repeated.
    assert!(
        f.store
            .outbox_approve(Actor::Agent(f.boss), item.id, None, None)
            .is_err()
    );
}

#[test]
fn a_supervisors_own_reply_and_a_plain_inbox_do_not_wait() {
    let mut f = fixture();
    let n = f.ticket(f.info, "taro@customer.test", "質問");
    let r = reply(&f, n, f.boss, "a2@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.boss), &r, Expect::Any)
        .unwrap();
    assert_eq!(item.state, OutboxState::Queued);
    let m = f.ticket(f.support, "taro@customer.test", "質問");
    let r = reply(&f, m, f.sato, "a3@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.sato), &r, Expect::Any)
        .unwrap();
    assert_eq!(item.state, OutboxState::Queued);
}

#[test]
fn an_agent_who_cannot_send_always_submits_for_approval() {
    let mut f = fixture();
    let trainee = f
        .store
        .add_agent(
            Actor::System,
            &NewAgent {
                name: "trainee".into(),
                email: EmailAddress::parse("trainee@example.test").unwrap(),
                role: Role::Agent,
                colour: None,
                inboxes: vec![f.support],
                password: None,
                can_send: false,
            },
        )
        .unwrap();
    let n = f.ticket(f.support, "taro@customer.test", "質問");
    let r = reply(&f, n, trainee.id, "c1@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(trainee.id), &r, Expect::Any)
        .unwrap();
    assert_eq!(item.state, OutboxState::Approval);
    let d = f.store.ticket_detail(n).unwrap();
    let submitted = d
        .events
        .iter()
        .find(|(e, _)| e.action == Action::ReplySubmitted)
        .unwrap();
    assert!(
        submitted
            .0
            .after
            .as_deref()
            .unwrap()
            .contains("may not send")
    );
}

#[test]
fn returned_with_a_comment_then_edited_resubmitted_and_approved_with_an_edit_keeps_the_diff() {
    let mut f = fixture();
    let n = f.ticket(f.info, "taro@customer.test", "質問");
    let r = reply(&f, n, f.suzuki, "d1@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.suzuki), &r, Expect::Any)
        .unwrap();
    assert!(
        f.store
            .outbox_return(Actor::Agent(f.boss), item.id, " ")
            .is_err(),
        "needs a comment"
    );
    let back = f
        .store
        .outbox_return(Actor::Agent(f.boss), item.id, "敬語を直してください")
        .unwrap();
    assert_eq!(back.state, OutboxState::Returned);
    assert_eq!(back.review_comment.as_deref(), Some("敬語を直してください"));
    f.advance(Duration::minutes(1));
    assert!(f.store.due_outbox(10).unwrap().is_empty());

    let edit = |body: &str, raw: &str| Edit {
        body: body.into(),
        text: format!("{body}\n"),
        subject: "Re: 質問".into(),
        raw: raw.as_bytes().to_vec(),
        draft: "{}".into(),
    };
    // Only the author resubmits.
    let e = f.store.outbox_resubmit(Actor::Agent(f.sato), item.id, None);
    assert!(not_allowed(e.unwrap_err()).contains("author"));
    let again = f
        .store
        .outbox_resubmit(
            Actor::Agent(f.suzuki),
            item.id,
            Some(&edit("山田様\n\n回答いたします。", "v2")),
        )
        .unwrap();
    assert_eq!(again.state, OutboxState::Approval);

    let done = f
        .store
        .outbox_approve(
            Actor::Agent(f.boss),
            item.id,
            Some(&edit("山田様\n\nご回答いたします。", "v3")),
            None,
        )
        .unwrap();
    assert_eq!(done.body, "山田様\n\nご回答いたします。");
    assert_eq!(
        done.original_body.as_deref(),
        Some("山田様\n\n回答です。"),
        "the author's first text"
    );
    assert_eq!(
        f.store.blob(&done.raw).unwrap(),
        b"v3",
        "the edited message is what is sent"
    );
    assert_eq!(done.message_id, "d1@example.test");
    let d = f.store.ticket_detail(n).unwrap();
    let approved = d
        .events
        .iter()
        .find(|(e, _)| e.action == Action::ReplyApproved)
        .unwrap();
    let note = approved.0.after.clone().unwrap();
    assert!(
        note.contains("- 回答いたします。") && note.contains("+ ご回答いたします。"),
        "{note}"
    );
    assert!(actions(&f, n).contains(&Action::ReplyReturned));
}

#[test]
fn a_reply_waiting_for_approval_can_be_cancelled() {
    let mut f = fixture();
    let n = f.ticket(f.info, "taro@customer.test", "質問");
    let r = reply(&f, n, f.suzuki, "e1@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.suzuki), &r, Expect::Any)
        .unwrap();
    f.store
        .outbox_cancel(Actor::Agent(f.suzuki), item.id)
        .unwrap();
    assert_eq!(
        f.store.outbox_item(item.id).unwrap().state,
        OutboxState::Cancelled
    );
    assert!(
        f.store
            .outbox_approve(Actor::Agent(f.boss), item.id, None, None)
            .is_err()
    );
}

#[test]
fn a_sent_reply_of_an_inbox_with_a_sent_folder_waits_for_its_copy() {
    let mut f = Fixture::new();
    let n = f.ticket(f.support, "taro@customer.test", "質問");
    let r = reply(&f, n, f.sato, "s1@example.test");
    let item = f
        .store
        .queue_reply(Actor::Agent(f.sato), &r, Expect::Any)
        .unwrap();
    f.advance(Duration::seconds(10));
    f.store.outbox_sent(item.id, true).unwrap();
    let pending = f.store.pending_sent_copies(10).unwrap();
    assert_eq!(pending.len(), 1);
    f.store.sent_copy_failed(item.id, "NO [TRYCREATE]").unwrap();
    let pending = f.store.pending_sent_copies(10).unwrap();
    assert_eq!(
        pending[0].last_error.as_deref(),
        Some("NO [TRYCREATE]"),
        "kept, tried again"
    );
    f.store.sent_copy_done(item.id, "Sent").unwrap();
    assert!(f.store.pending_sent_copies(10).unwrap().is_empty());
    assert!(actions(&f, n).contains(&Action::ReplyFiled));
}

#[test]
fn at_most_one_automatic_message_per_address_a_day() {
    let mut f = Fixture::new();
    let auto = |f: &Fixture, n, id: &str| NewReply {
        author: None,
        automatic: true,
        ..reply(f, n, f.sato, id)
    };
    let n = f.ticket(f.support, "taro@customer.test", "一件目");
    f.store
        .queue_reply(Actor::System, &auto(&f, n, "x1@example.test"), Expect::Any)
        .unwrap();
    f.advance(Duration::hours(23));
    let m = f.ticket(f.support, "TARO@customer.test", "二件目");
    let e = f
        .store
        .queue_reply(Actor::System, &auto(&f, m, "x2@example.test"), Expect::Any);
    assert!(not_allowed(e.unwrap_err()).contains("loop guard"));
    // Nothing of the refused one is left behind.
    assert_eq!(f.store.outbox(true).unwrap().len(), 1);
    f.advance(Duration::hours(2));
    f.store
        .queue_reply(Actor::System, &auto(&f, m, "x3@example.test"), Expect::Any)
        .unwrap();
    // A person's reply is never held back by the guard.
    let r = reply(&f, m, f.sato, "x4@example.test");
    f.store
        .queue_reply(Actor::Agent(f.sato), &r, Expect::Any)
        .unwrap();
}
