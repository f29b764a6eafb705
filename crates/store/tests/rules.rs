//! Rules on new tickets through `Store::ingest`: order, what wins, disabled rules, the
//! interplay with the inbox's strategy, automatic and imported mail, the audit events, and
//! trying a rule on an existing ticket without changing it.

mod common;

use common::{Fixture, mail, mail_to, with_message};
use hako_domain::assignment::Strategy;
use hako_domain::rules::{Condition, Field, Rule, RuleAction};
use hako_domain::{Action, Actor, AgentId, EmailAddress, LabelId, StatusKind, TicketNumber};
use hako_store::{NewInbox, StoreError};

fn cond(field: Field, values: &[&str]) -> Condition {
    Condition {
        field,
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn rule(name: &str, conditions: Vec<Condition>, actions: Vec<RuleAction>) -> Rule {
    Rule {
        id: None,
        name: name.into(),
        enabled: true,
        conditions,
        actions,
    }
}

fn label(f: &mut Fixture, name: &str) -> LabelId {
    f.store.add_label(Actor::System, name, None).unwrap().id
}

/// The ticket's audit trail as (action, after) pairs, in order.
fn trail(f: &Fixture, n: TicketNumber) -> Vec<(Action, String)> {
    f.store
        .ticket_detail(n)
        .unwrap()
        .events
        .into_iter()
        .map(|(e, _)| (e.action, e.after.unwrap_or_default()))
        .collect()
}

fn label_names(f: &Fixture, n: TicketNumber) -> Vec<String> {
    let d = f.store.ticket_detail(n).unwrap();
    d.labels.into_iter().map(|l| l.name).collect()
}

#[test]
fn rules_fire_in_order_labels_add_up_and_the_first_assignee_wins() {
    let mut f = Fixture::new();
    let billing = label(&mut f, "請求");
    let vip = label(&mut f, "VIP");
    let subject = cond(Field::Subject, &["請求書", "invoice"]);
    let (sato, suzuki) = (f.sato, f.suzuki);
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "請求書",
                vec![subject.clone()],
                vec![RuleAction::AddLabel(billing), RuleAction::Assign(sato)],
            ),
            None,
        )
        .unwrap();
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "example.jp VIP",
                vec![cond(Field::Domain, &["example.jp"])],
                vec![RuleAction::AddLabel(vip), RuleAction::Assign(suzuki)],
            ),
            None,
        )
        .unwrap();

    let n = f.ingest_new(mail(
        "taro@mail.example.jp",
        "請求書の再発行",
        "お願いします",
    ));
    let t = f.store.ticket_detail(n).unwrap();
    assert_eq!(
        t.ticket.assignee,
        Some(sato),
        "the first rule's assignee wins"
    );
    assert_eq!(label_names(&f, n), ["VIP", "請求"]);
    let trail = trail(&f, n);
    let applied: Vec<&str> = trail
        .iter()
        .filter(|(a, _)| *a == Action::RuleApplied)
        .map(|(_, s)| s.as_str())
        .collect();
    assert_eq!(
        applied,
        [
            "rule 1 (請求書): label 請求; assign sato@example.test",
            "rule 2 (example.jp VIP): label VIP; assign suzuki@example.test \
             (skipped: overridden by rule 1 (請求書))",
        ]
    );
    assert!(
        trail.contains(&(Action::Assigned, "sato@example.test (rule 請求書)".into())),
        "{trail:?}"
    );
    // Every event of the rules is the system's.
    let d = f.store.ticket_detail(n).unwrap();
    assert!(d.events.iter().all(|(_, who)| who.is_none()));

    // Moving the VIP rule first makes its assignee win.
    let vip_rule = f.store.rule_by_ref("example.jp vip").unwrap().id();
    f.store.move_rule(Actor::System, vip_rule, 1).unwrap();
    let n = f.ingest_new(mail("hanako@example.jp", "invoice", ""));
    assert_eq!(
        f.store.ticket_detail(n).unwrap().ticket.assignee,
        Some(suzuki)
    );
}

#[test]
fn a_disabled_rule_does_nothing_and_unmatched_mail_is_untouched() {
    let mut f = Fixture::new();
    let spam = rule(
        "spam words",
        vec![cond(Field::Body, &["casino"])],
        vec![RuleAction::SetStatus(StatusKind::Spam)],
    );
    let id = f.store.add_rule(Actor::System, &spam, None).unwrap().id();
    f.store.set_rule_enabled(Actor::System, id, false).unwrap();
    let n = f.ingest_new(mail("x@spam.test", "hello", "best CASINO offers"));
    assert_eq!(
        f.store.ticket_detail(n).unwrap().ticket.status.kind(),
        StatusKind::Open
    );
    assert!(!trail(&f, n).iter().any(|(a, _)| *a == Action::RuleApplied));

    f.store.set_rule_enabled(Actor::System, id, true).unwrap();
    let n = f.ingest_new(mail("y@spam.test", "hello", "best ＣＡＳＩＮＯ offers"));
    assert_eq!(
        f.store.ticket_detail(n).unwrap().ticket.status.kind(),
        StatusKind::Spam
    );
    let n = f.ingest_new(mail("z@customer.test", "hello", "a real question"));
    assert_eq!(
        trail(&f, n).len(),
        2,
        "created, message_added: {:?}",
        trail(&f, n)
    );
}

#[test]
fn a_rules_assignee_wins_over_the_strategy_which_assigns_the_rest() {
    let mut f = Fixture::new();
    let (support, suzuki, sato) = (f.support, f.suzuki, f.sato);
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, None)
        .unwrap();
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "請求は鈴木",
                vec![cond(Field::Subject, &["請求"])],
                vec![RuleAction::Assign(suzuki)],
            ),
            None,
        )
        .unwrap();
    let by_rule = f.ingest_new(mail("a@customer.test", "請求について", ""));
    let first = f.ingest_new(mail("b@customer.test", "配送について", ""));
    let second = f.ingest_new(mail("c@customer.test", "返品について", ""));
    let assignee = |f: &Fixture, n| f.store.ticket_detail(n).unwrap().ticket.assignee;
    assert_eq!(assignee(&f, by_rule), Some(suzuki));
    // The rule's assignment does not move the round-robin turn: sato, then suzuki.
    assert_eq!(assignee(&f, first), Some(sato));
    assert_eq!(assignee(&f, second), Some(suzuki));
    assert!(
        trail(&f, first).contains(&(Action::Assigned, "sato@example.test (round-robin)".into()))
    );
    assert!(
        !trail(&f, by_rule)
            .iter()
            .any(|(_, s)| s.contains("round-robin"))
    );
}

#[test]
fn spam_by_rule_is_neither_assigned_nor_auto_acknowledged() {
    let mut f = Fixture::new();
    f.store
        .sync_inbox(&NewInbox {
            name: "support".into(),
            address: EmailAddress::parse("support@example.test").unwrap(),
            display_name: "support".into(),
            signature: String::new(),
            requires_approval: false,
            auto_reply: Some("auto-ack-ja".into()),
        })
        .unwrap();
    let support = f.support;
    f.store
        .set_assignment(Actor::System, support, Strategy::LeastLoaded, None)
        .unwrap();
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "迷惑",
                vec![cond(Field::Domain, &["spam.test"])],
                vec![RuleAction::SetStatus(StatusKind::Spam)],
            ),
            None,
        )
        .unwrap();
    let spam = f.ingest_new(mail("x@spam.test", "お得な情報", ""));
    let real = f.ingest_new(mail("taro@customer.test", "質問", ""));
    let t = f.store.ticket_detail(spam).unwrap().ticket;
    assert_eq!((t.status.kind(), t.assignee), (StatusKind::Spam, None));
    assert!(
        f.store
            .ticket_detail(real)
            .unwrap()
            .ticket
            .assignee
            .is_some()
    );
    let due: Vec<TicketNumber> = f
        .store
        .due_auto_replies(10)
        .unwrap()
        .into_iter()
        .map(|d| d.ticket)
        .collect();
    assert_eq!(due, [real]);
}

#[test]
fn automatic_mail_meets_the_rules_but_not_the_strategy_and_old_mail_neither() {
    let mut f = Fixture::new();
    let bounce = label(&mut f, "bounce");
    let support = f.support;
    f.store
        .set_assignment(Actor::System, support, Strategy::RoundRobin, None)
        .unwrap();
    let everything = rule(
        "配信エラー",
        vec![cond(Field::Subject, &["undelivered"])],
        vec![RuleAction::AddLabel(bounce)],
    );
    f.store.add_rule(Actor::System, &everything, None).unwrap();
    let auto = with_message(
        mail("mailer-daemon@customer.test", "Undelivered Mail", ""),
        |m| m.automatic = true,
    );
    let n = f.ingest_new(auto);
    let t = f.store.ticket_detail(n).unwrap();
    assert_eq!(label_names(&f, n), ["bounce"]);
    assert_eq!(t.ticket.assignee, None);

    let old = with_message(mail("x@customer.test", "Undelivered Mail", ""), |m| {
        m.imported = true
    });
    let n = f.ingest_new(old);
    assert!(label_names(&f, n).is_empty());
    assert_eq!(f.store.ticket_detail(n).unwrap().ticket.assignee, None);
}

#[test]
fn rules_do_not_run_again_when_a_mail_joins_a_ticket() {
    let mut f = Fixture::new();
    let billing = label(&mut f, "請求");
    let n = f.ingest_new(mail("taro@customer.test", "質問", ""));
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "請求",
                vec![cond(Field::Body, &["請求書"])],
                vec![RuleAction::AddLabel(billing)],
            ),
            None,
        )
        .unwrap();
    // Same sender, same subject: threaded into the ticket (rule 4 of threading).
    let out = f.ingest(vec![mail("taro@customer.test", "質問", "請求書も")]);
    assert!(matches!(out[0], hako_store::ingest::Outcome::Appended { ticket, .. } if ticket == n));
    assert!(label_names(&f, n).is_empty());
}

#[test]
fn an_action_that_cannot_apply_is_skipped_and_said_so() {
    let mut f = Fixture::new();
    let billing = label(&mut f, "請求");
    let sato = f.sato;
    // sato works support only; mail to info@ cannot go to him.
    f.store
        .add_rule(
            Actor::System,
            &rule(
                "請求は佐藤",
                vec![cond(Field::Subject, &["請求"])],
                vec![RuleAction::AddLabel(billing), RuleAction::Assign(sato)],
            ),
            None,
        )
        .unwrap();
    let n = f.ingest_new(mail_to(
        "info@example.test",
        "a@customer.test",
        "請求書",
        "",
    ));
    let t = f.store.ticket_detail(n).unwrap();
    assert_eq!(t.inbox.name, "info");
    assert_eq!(t.ticket.assignee, None);
    assert_eq!(label_names(&f, n), ["請求"]);
    let applied = trail(&f, n)
        .into_iter()
        .find(|(a, _)| *a == Action::RuleApplied)
        .unwrap()
        .1;
    assert!(
        applied.contains("assign sato@example.test (skipped: is not a member"),
        "{applied}"
    );
}

#[test]
fn testing_a_rule_on_a_ticket_explains_and_changes_nothing() {
    let mut f = Fixture::new();
    let billing = label(&mut f, "請求");
    let sato = f.sato;
    let n = f.ingest_new(mail(
        "Taro@Example.JP",
        "請求書の再発行",
        "先月分をお願いします",
    ));
    let before = f.store.ticket_detail(n).unwrap();
    let audit_before = f.store.audit_log(1000).unwrap().len();
    let r = rule(
        "請求書",
        vec![
            cond(Field::Domain, &["example.jp"]),
            cond(Field::Subject, &["請求書"]),
            cond(Field::Recipient, &["support@example.test"]),
        ],
        vec![RuleAction::AddLabel(billing), RuleAction::Assign(sato)],
    );
    let test = f.store.test_rule(&r, n).unwrap();
    assert!(test.matched);
    assert_eq!(test.checks[1].matched.as_deref(), Some("請求書"));
    let did: Vec<&str> = test
        .actions
        .iter()
        .map(|a| a.description.as_str())
        .collect();
    assert_eq!(did, ["label 請求", "assign sato@example.test"]);
    assert!(test.actions.iter().all(|a| a.skipped.is_none()));

    let miss = rule(
        "配送",
        vec![cond(Field::Body, &["配送"])],
        vec![RuleAction::AddLabel(billing)],
    );
    let test = f.store.test_rule(&miss, n).unwrap();
    assert!(!test.matched && test.actions.is_empty());
    assert_eq!(test.checks[0].matched, None);

    let after = f.store.ticket_detail(n).unwrap();
    assert_eq!(format!("{after:?}"), format!("{before:?}"));
    assert_eq!(f.store.audit_log(1000).unwrap().len(), audit_before);
    assert!(f.store.rules().unwrap().is_empty());

    // A rule that could not be saved cannot be tested either.
    let bad = rule("x", vec![], vec![RuleAction::AddLabel(billing)]);
    let err = f.store.test_rule(&bad, n).unwrap_err().to_string();
    assert!(
        err.starts_with("rule x: ") && err.contains("condition"),
        "{err}"
    );
}

#[test]
fn rules_keep_their_order_through_add_move_and_delete() {
    let mut f = Fixture::new();
    let l = label(&mut f, "x");
    let add = |f: &mut Fixture, name: &str, at: Option<u32>| {
        let r = rule(
            name,
            vec![cond(Field::Subject, &[name])],
            vec![RuleAction::AddLabel(l)],
        );
        f.store.add_rule(Actor::System, &r, at).unwrap().id()
    };
    let a = add(&mut f, "a", None);
    let b = add(&mut f, "b", None);
    add(&mut f, "c", Some(1));
    let order = |f: &Fixture| -> Vec<(u32, String)> {
        f.store
            .rules()
            .unwrap()
            .into_iter()
            .map(|e| (e.position, e.rule.name))
            .collect()
    };
    let names = |f: &Fixture| -> Vec<String> { order(f).into_iter().map(|o| o.1).collect() };
    assert_eq!(names(&f), ["c", "a", "b"]);
    f.store.move_rule(Actor::System, b, 1).unwrap();
    assert_eq!(names(&f), ["b", "c", "a"]);
    f.store.move_rule(Actor::System, b, 3).unwrap();
    assert_eq!(names(&f), ["c", "a", "b"]);
    f.store.delete_rule(Actor::System, a).unwrap();
    assert_eq!(order(&f), [(1, "c".into()), (2, "b".into())]);

    let err = f
        .store
        .move_rule(Actor::System, b, 5)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!("rule {b} (b): position 5")),
        "{err}"
    );
    let dup = rule(
        "B",
        vec![cond(Field::Subject, &["x"])],
        vec![RuleAction::AddLabel(l)],
    );
    assert!(matches!(
        f.store.add_rule(Actor::System, &dup, None),
        Err(StoreError::AlreadyExists { .. })
    ));
    let ghost = rule(
        "g",
        vec![cond(Field::Subject, &["x"])],
        vec![RuleAction::Assign(AgentId(99))],
    );
    let err = f
        .store
        .add_rule(Actor::System, &ghost, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("rule g: ") && err.contains("user 99"),
        "{err}"
    );
    let nowhere = rule(
        "n",
        vec![cond(Field::Inbox, &["sales"])],
        vec![RuleAction::AddLabel(l)],
    );
    let err = f
        .store
        .add_rule(Actor::System, &nowhere, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("inbox sales does not exist"), "{err}");

    let team: Vec<String> = f
        .store
        .audit_log(100)
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.event.action, Action::RuleSaved | Action::RuleDeleted))
        .map(|e| e.event.after.unwrap_or_default())
        .collect();
    assert!(team.contains(&format!("rule {a} (a)")), "{team:?}");
    assert!(
        team.contains(&format!("rule {b} (b): moved 1 → 3")),
        "{team:?}"
    );
}
