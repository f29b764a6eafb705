use super::matching::fold;
use super::*;
use crate::{AgentId, LabelId, RuleId, StatusKind};

fn cond(field: Field, values: &[&str]) -> Condition {
    Condition {
        field,
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn rule(name: &str, conditions: Vec<Condition>, actions: Vec<RuleAction>) -> Rule {
    Rule {
        id: Some(RuleId(1)),
        name: name.into(),
        enabled: true,
        conditions,
        actions,
    }
}

fn label(n: i64) -> RuleAction {
    RuleAction::AddLabel(LabelId(n))
}

fn assign(n: i64) -> RuleAction {
    RuleAction::Assign(AgentId(n))
}

struct Mail {
    sender: Option<String>,
    recipients: Vec<String>,
    subject: String,
    body: String,
}

impl Mail {
    fn new(sender: &str, subject: &str, body: &str) -> Mail {
        Mail {
            sender: Some(sender.into()),
            recipients: vec!["support@example.test".into()],
            subject: subject.into(),
            body: body.into(),
        }
    }

    fn facts(&self) -> MailFacts<'_> {
        MailFacts {
            inbox: "support",
            sender: self.sender.as_deref(),
            recipients: &self.recipients,
            subject: &self.subject,
            body: &self.body,
        }
    }
}

fn matches(c: Condition, m: &Mail) -> bool {
    rule("r", vec![c], vec![label(1)]).matches(&m.facts())
}

#[test]
fn japanese_substrings_match_in_subject_and_body() {
    let m = Mail::new(
        "taro@example.jp",
        "請求書の再発行",
        "先月分の領収書もお願いします",
    );
    assert!(matches(cond(Field::Subject, &["請求書"]), &m));
    assert!(!matches(cond(Field::Subject, &["領収書"]), &m));
    assert!(matches(cond(Field::Body, &["領収書"]), &m));
    assert!(!matches(cond(Field::Body, &["請求書"]), &m));
}

#[test]
fn words_match_case_insensitively_and_full_width_as_ascii() {
    let m = Mail::new(
        "a@b.test",
        "ＩＮＶＯＩＣＥ　Nr. 12",
        "Please send the Invoice",
    );
    assert!(matches(cond(Field::Subject, &["invoice nr"]), &m));
    assert!(matches(cond(Field::Body, &["INVOICE"]), &m));
    assert_eq!(fold("Ｔａｒｏ１２３"), "taro123");
}

#[test]
fn addresses_match_whole_and_domains_include_subdomains() {
    let m = Mail::new("Taro@Mail.Example.JP", "x", "y");
    assert!(matches(cond(Field::Sender, &["taro@mail.example.jp"]), &m));
    assert!(!matches(cond(Field::Sender, &["aro@mail.example.jp"]), &m));
    assert!(matches(cond(Field::Domain, &["example.jp"]), &m));
    assert!(matches(cond(Field::Domain, &["mail.example.jp"]), &m));
    assert!(!matches(cond(Field::Domain, &["ample.jp"]), &m));
    assert!(matches(
        cond(Field::Recipient, &["SUPPORT@example.test"]),
        &m
    ));
    assert!(!matches(cond(Field::Recipient, &["info@example.test"]), &m));
    assert!(matches(cond(Field::Inbox, &["Support"]), &m));
}

#[test]
fn the_null_sender_matches_no_sender_or_domain_condition() {
    let mut m = Mail::new("x@y.test", "Undelivered Mail", "");
    m.sender = None;
    assert!(!matches(cond(Field::Domain, &["y.test"]), &m));
    assert!(matches(cond(Field::Subject, &["undelivered"]), &m));
}

#[test]
fn values_are_or_conditions_are_and() {
    let r = rule(
        "billing from example.jp",
        vec![
            cond(Field::Domain, &["example.jp", "example.com"]),
            cond(Field::Subject, &["請求書", "invoice"]),
        ],
        vec![label(1)],
    );
    assert!(r.matches(&Mail::new("a@example.com", "invoice 12", "").facts()));
    assert!(r.matches(&Mail::new("a@example.jp", "請求書", "").facts()));
    assert!(!r.matches(&Mail::new("a@example.jp", "配送", "").facts()));
    assert!(!r.matches(&Mail::new("a@other.jp", "請求書", "").facts()));
    let checks = r.check(&Mail::new("a@other.jp", "請求書", "").facts());
    assert_eq!(checks[0].matched, None);
    assert_eq!(checks[1].matched.as_deref(), Some("請求書"));
}

#[test]
fn every_matching_rule_acts_and_the_first_assignee_and_status_win() {
    let all = cond(Field::Subject, &["請求"]);
    let rules = vec![
        rule(
            "vip",
            vec![cond(Field::Domain, &["vip.jp"])],
            vec![assign(9)],
        ),
        rule("billing", vec![all.clone()], vec![label(1), assign(2)]),
        Rule {
            enabled: false,
            ..rule("off", vec![all.clone()], vec![label(5)])
        },
        rule(
            "spam words",
            vec![all.clone()],
            vec![label(3), RuleAction::SetStatus(StatusKind::Spam), assign(4)],
        ),
    ];
    let m = Mail::new("a@example.jp", "請求書", "");
    let e = evaluate(&rules, &m.facts());
    let got: Vec<(usize, RuleAction, Option<usize>)> = e
        .iter()
        .map(|e| (e.rule, e.action, e.overridden_by))
        .collect();
    assert_eq!(
        got,
        [
            (1, label(1), None),
            (1, assign(2), None),
            (3, label(3), None),
            (3, RuleAction::SetStatus(StatusKind::Spam), None),
            (3, assign(4), Some(1)),
        ]
    );
    // The VIP rule comes first: its assignee wins over the billing rule's.
    let vip = Mail::new("boss@vip.jp", "請求書", "");
    let e = evaluate(&rules, &vip.facts());
    assert_eq!(
        (e[0].rule, e[0].action, e[0].overridden_by),
        (0, assign(9), None)
    );
    assert_eq!(e[2].overridden_by, Some(0));
    assert!(evaluate(&rules, &Mail::new("a@b.jp", "配送", "").facts()).is_empty());
}

#[test]
fn normalizing_trims_lowercases_and_refuses_rules_that_cannot_work() {
    let r = rule(
        "  請求書  ",
        vec![
            cond(Field::Domain, &[" @Example.JP ", "example.jp"]),
            cond(Field::Sender, &["Taro@Example.JP"]),
        ],
        vec![label(1), label(1), RuleAction::SetStatus(StatusKind::Spam)],
    )
    .normalized()
    .unwrap();
    assert_eq!(r.name, "請求書");
    assert_eq!(r.conditions[0].values, ["example.jp"]);
    assert_eq!(r.conditions[1].values, ["taro@example.jp"]);
    assert_eq!(r.actions.len(), 2);

    let refused = |r: Rule, why: &str| {
        let e = r.normalized().unwrap_err().to_string();
        assert!(e.contains(why) && e.contains("rule"), "{e}");
    };
    let subj = || vec![cond(Field::Subject, &["x"])];
    refused(rule("a", vec![], vec![label(1)]), "at least one condition");
    refused(rule("a", subj(), vec![]), "at least one action");
    refused(rule(" ", subj(), vec![label(1)]), "name");
    refused(
        rule("a", vec![cond(Field::Subject, &[" "])], vec![label(1)]),
        "empty",
    );
    refused(
        rule("a", vec![cond(Field::Body, &[])], vec![label(1)]),
        "no value",
    );
    refused(
        rule("a", vec![cond(Field::Sender, &["taro"])], vec![label(1)]),
        "not an email",
    );
    refused(
        rule("a", subj(), vec![assign(1), assign(2)]),
        "two assignees",
    );
    refused(
        rule(
            "a",
            subj(),
            vec![RuleAction::SetStatus(StatusKind::Snoozed)],
        ),
        "cannot set status snoozed",
    );
}
