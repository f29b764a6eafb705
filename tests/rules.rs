//! Rules and automatic assignment from the command line: `hako rule …`, `hako inbox
//! assignment`, `hako user away|back`, and — against the real mail servers — new mail from a
//! sync going through the rules and the inbox's strategy.

mod common;

use common::{Hako, stderr};
use hako_testkit::{block_on, mail_servers, unique_token};
use serde_json::Value;

/// Two inboxes, an admin, sato and suzuki in support, tanaka in info, the labels 請求 and VIP.
fn team() -> Hako {
    let h = Hako::init();
    for (email, inbox) in [
        ("sato@example.test", "support"),
        ("suzuki@example.test", "support"),
        ("tanaka@example.test", "info"),
    ] {
        let out = h.run(&[
            "user", "add", "--email", email, "--name", email, "--inbox", inbox,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    h.ok(&["label", "add", "請求"]);
    h.ok(&["label", "add", "VIP"]);
    h
}

fn ticket(h: &Hako, customer: &str, subject: &str, body: &str) -> Value {
    let args = [
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        customer,
        "--subject",
        subject,
        "--body",
        body,
        "--channel",
        "email",
        "--json",
    ];
    h.json(&args)
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn rules_are_added_listed_moved_switched_and_deleted() {
    let h = team();
    h.ok(&[
        "rule",
        "add",
        "請求書",
        "--if-subject",
        "請求書",
        "--if-subject",
        "invoice",
        "--if-domain",
        "example.jp",
        "--label",
        "請求",
        "--assign",
        "sato@example.test",
    ]);
    h.ok(&[
        "rule",
        "add",
        "迷惑",
        "--if-body",
        "casino",
        "--spam",
        "--position",
        "1",
    ]);
    h.ok(&[
        "rule",
        "add",
        "VIP",
        "--if-sender",
        "boss@vip.test",
        "--label",
        "VIP",
        "--disabled",
    ]);
    let list = h.json(&["rule", "list", "--json"]);
    assert_eq!(names(&list), ["迷惑", "請求書", "VIP"]);
    assert_eq!(list[1]["position"], 2);
    assert_eq!(
        list[1]["conditions"][1]["values"],
        serde_json::json!(["請求書", "invoice"])
    );
    assert_eq!(
        list[1]["does"],
        serde_json::json!(["label 請求", "assign sato@example.test"])
    );
    assert_eq!(list[2]["enabled"], false);
    let text = h.ok(&["rule", "list"]);
    assert!(text.contains("subject has 請求書 or invoice"), "{text}");

    h.ok(&["rule", "move", "VIP", "--to", "1"]);
    h.ok(&["rule", "enable", "VIP"]);
    h.ok(&["rule", "disable", "2"]);
    let one = h.json(&["rule", "show", "vip", "--json"]);
    assert_eq!(
        (one["position"].clone(), one["enabled"].clone()),
        (1.into(), true.into())
    );
    let shown = h.ok(&["rule", "show", "2"]);
    assert!(
        shown.contains("rule 2 (迷惑): position 2, disabled"),
        "{shown}"
    );
    h.ok(&["rule", "delete", "迷惑"]);
    assert_eq!(
        names(&h.json(&["rule", "list", "--json"])),
        ["VIP", "請求書"]
    );
    h.ok(&[
        "rule",
        "edit",
        "VIP",
        "--if-domain",
        "vip.test",
        "--label",
        "VIP",
        "--status",
        "pending",
    ]);
    assert_eq!(
        h.json(&["rule", "show", "VIP", "--json"])["does"],
        serde_json::json!(["label VIP", "status pending"])
    );

    // Errors: one line, naming the rule.
    let e = h.fails(&["rule", "add", "empty", "--label", "請求"]);
    assert!(
        e.contains("rule empty: needs at least one condition"),
        "{e}"
    );
    let e = h.fails(&["rule", "add", "x", "--if-subject", "a", "--label", "nope"]);
    assert!(e.contains("rule x: label nope: not found"), "{e}");
    let e = h.fails(&[
        "rule",
        "add",
        "y",
        "--if-subject",
        "a",
        "--status",
        "snoozed",
    ]);
    assert!(e.contains("rule y: cannot set status snoozed"), "{e}");
    let e = h.fails(&["rule", "move", "VIP", "--to", "9"]);
    assert!(e.contains("rule 3 (VIP): position 9 is outside 1-2"), "{e}");
    let e = h.fails(&["rule", "add", "vip", "--if-subject", "a", "--label", "VIP"]);
    assert!(e.contains("rule vip: already exists"), "{e}");
    let e = h.fails(&["rule", "show", "42"]);
    assert!(e.contains("rule 42: not found"), "{e}");
    let audit = h.json(&["audit", "--json"]);
    let saved = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "rule_saved" || e["action"] == "rule_deleted")
        .count();
    assert_eq!(
        saved, 8,
        "3 added, moved, enabled, disabled, edited, deleted"
    );
}

#[test]
fn a_rule_is_tested_on_a_ticket_before_it_is_saved_and_nothing_changes() {
    let h = team();
    let t = ticket(
        &h,
        "taro@example.jp",
        "請求書の再発行",
        "先月分をお願いします",
    );
    let n = t["number"].to_string();
    let before = h.json(&["ticket", "show", &n, "--json"]);
    let test = h.json(&[
        "rule",
        "test",
        "--ticket",
        &n,
        "--if-domain",
        "example.jp",
        "--if-body",
        "先月",
        "--label",
        "請求",
        "--assign",
        "tanaka@example.test",
        "--json",
    ]);
    assert_eq!(test["matched"], true);
    assert_eq!(test["checks"][1]["matched"], "先月");
    assert_eq!(test["actions"][0]["description"], "label 請求");
    // tanaka works info only: the assignment would be skipped, and the test says why.
    let why = test["actions"][1]["skipped"].as_str().unwrap();
    assert!(why.contains("is not a member of the inbox"), "{why}");
    let text = h.ok(&[
        "rule",
        "test",
        "--ticket",
        &n,
        "--if-subject",
        "配送",
        "--label",
        "VIP",
    ]);
    assert!(
        text.contains("does not match") && text.contains("subject has 配送: no"),
        "{text}"
    );

    h.ok(&[
        "rule",
        "add",
        "請求",
        "--if-subject",
        "請求書",
        "--label",
        "請求",
        "--disabled",
    ]);
    let text = h.ok(&["rule", "test", "請求", "--ticket", &n]);
    assert!(
        text.contains("rule 1 (請求) matches ticket #1001"),
        "{text}"
    );
    assert!(text.contains("would label 請求"), "{text}");
    let e = h.fails(&["rule", "test", "請求", "--ticket", &n, "--label", "VIP"]);
    assert!(
        e.contains("rule 請求: give a saved rule or --if-… flags"),
        "{e}"
    );

    let after = h.json(&["ticket", "show", &n, "--json"]);
    assert_eq!(after, before);
}

#[test]
fn inbox_assignment_is_shown_set_and_used_by_new_tickets() {
    let h = team();
    let shown = h.json(&["inbox", "assignment", "support", "--json"]);
    assert_eq!(shown["strategy"], "manual");
    assert_eq!(shown["cap"], Value::Null);
    // The admin is a member of every inbox but takes no part: agents only.
    let who: Vec<&str> = shown["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["sato@example.test", "suzuki@example.test"]);
    let text = h.ok(&[
        "inbox",
        "assignment",
        "support",
        "--strategy",
        "round-robin",
        "--cap",
        "5",
    ]);
    assert!(
        text.starts_with("inbox support: round-robin, cap 5"),
        "{text}"
    );

    let assignees: Vec<Value> = (0..4)
        .map(|i| {
            ticket(
                &h,
                &format!("c{i}@customer.test"),
                &format!("質問 {i}"),
                "本文",
            )
        })
        .map(|t| t["assignee"].clone())
        .collect();
    let ids: Vec<i64> = assignees.iter().map(|a| a.as_i64().unwrap()).collect();
    assert_eq!(ids[0], ids[2]);
    assert_eq!(ids[1], ids[3]);
    assert_ne!(ids[0], ids[1]);

    h.ok(&["user", "away", "sato@example.test"]);
    let listed = h.ok(&["user", "list"]);
    assert!(listed.contains("away"), "{listed}");
    let shown = h.json(&["inbox", "assignment", "support", "--no-cap", "--json"]);
    assert_eq!(shown["cap"], Value::Null);
    assert_eq!(
        shown["strategy"], "round-robin",
        "kept when only the cap changes"
    );
    assert_eq!(shown["candidates"].as_array().unwrap().len(), 1);
    h.ok(&["user", "back", "sato@example.test"]);

    let show = h.json(&["ticket", "show", "1001", "--json"]);
    let assigned = show["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "assigned")
        .unwrap();
    assert!(
        assigned["after"]
            .as_str()
            .unwrap()
            .ends_with("(round-robin)")
    );
    assert_eq!(assigned["actor"], "system");

    let e = h.fails(&["inbox", "assignment", "support", "--strategy", "random"]);
    assert!(
        e.contains("inbox support: unknown assignment strategy"),
        "{e}"
    );
    let e = h.fails(&["inbox", "assignment", "support", "--cap", "0"]);
    assert!(
        e.contains("inbox support: the cap must be at least 1"),
        "{e}"
    );
    let e = h.fails(&["inbox", "assignment", "sales"]);
    assert!(e.contains("inbox sales: not found"), "{e}");
}

/// Mail arriving after the first sync (old mail triggers nothing) goes through the rules,
/// then the strategy; an auto-reply meets the rules but is not assigned.
#[test]
fn new_mail_from_a_sync_is_ruled_and_assigned() {
    let s = mail_servers();
    let folder = format!("rules-{}", unique_token());
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = Hako::init_with(&format!(
        r#"data_dir = "DATA"
timezone = "Asia/Tokyo"
[[inbox]]
name = "support"
address = "support@example.test"
display_name = "Support"
[inbox.imap]
host = "127.0.0.1"
port = {port}
security = "none"
username = "support@example.test"
password = "{password}"
folders = ["{folder}"]
"#,
        port = s.imap_port,
        password = s.password,
    ));
    for email in ["sato@example.test", "suzuki@example.test"] {
        let out = h.run(&[
            "user", "add", "--email", email, "--name", email, "--inbox", "support",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    h.ok(&["label", "add", "請求"]);
    h.ok(&["label", "add", "自動"]);
    h.ok(&["sync", "--once"]);
    h.ok(&[
        "inbox",
        "assignment",
        "support",
        "--strategy",
        "least-loaded",
    ]);
    h.ok(&[
        "rule",
        "add",
        "請求は鈴木",
        "--if-subject",
        "請求書",
        "--label",
        "請求",
        "--assign",
        "suzuki@example.test",
    ]);
    h.ok(&[
        "rule",
        "add",
        "自動応答",
        "--if-subject",
        "自動応答",
        "--label",
        "自動",
    ]);
    let raw = |from: &str, subject: &str, extra: &str| {
        format!(
            "From: {from}\r\nTo: support@example.test\r\nSubject: {subject}\r\n\
             Message-ID: <{}@customer.test>\r\n{extra}Date: Wed, 25 Nov 2026 10:00:00 +0900\r\n\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n本文\r\n",
            unique_token()
        )
        .into_bytes()
    };
    let mails = [
        raw("alice@customer.test", "請求書の再発行", ""),
        raw("bob@customer.test", "配送について", ""),
        raw(
            "taro@customer.test",
            "自動応答: 不在",
            "Auto-Submitted: auto-replied\r\n",
        ),
    ];
    block_on(s.imap_append("support@example.test", &folder, &mails)).unwrap();
    h.ok(&["sync", "--once"]);
    let all = h.json(&["tickets", "list", "--status", "all", "--json"]);
    let by_subject = |needle: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|t| t["subject"].as_str().unwrap().contains(needle))
            .unwrap()
            .clone()
    };
    let billing = by_subject("請求書");
    assert_eq!(billing["assignee"], "suzuki@example.test");
    assert_eq!(billing["labels"], serde_json::json!(["請求"]));
    // suzuki holds one now: least-loaded gives bob's mail to sato.
    assert_eq!(by_subject("配送")["assignee"], "sato@example.test");
    let auto = by_subject("自動応答");
    assert_eq!(auto["labels"], serde_json::json!(["自動"]));
    assert_eq!(auto["assignee"], Value::Null);
    let n = billing["number"].to_string();
    let show = h.json(&["ticket", "show", &n, "--json"]);
    let applied: Vec<&str> = show["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "rule_applied")
        .map(|e| e["after"].as_str().unwrap())
        .collect();
    assert_eq!(
        applied,
        ["rule 1 (請求は鈴木): label 請求; assign suzuki@example.test"]
    );
}
