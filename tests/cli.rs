//! The `hako` binary end to end on a fresh data folder: the admin's and scripts' view.
//! Each test gets its own folder and config, so they run in parallel.

mod common;

use common::{Hako, numbers, stderr};
use std::process::Command;

#[test]
fn a_day_of_work_from_the_command_line() {
    let h = Hako::init();
    let out = h.run_env(
        &[
            "user",
            "add",
            "--email",
            "sato@example.test",
            "--name",
            "佐藤",
            "--inbox",
            "support",
        ],
        &[("HAKO_USER_PASSWORD", "agent-password-1")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    h.ok(&["label", "add", "請求"]);
    h.ok(&["label", "add", "配送", "--colour", "#ff8800"]);
    let labels = h.json(&["label", "list", "--json"]);
    assert_eq!(labels[1]["name"], "配送");
    assert_eq!(labels[1]["colour"], "#ff8800");

    h.ok(&[
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        "taro@customer.test",
        "--customer-name",
        "山田太郎",
        "--subject",
        "請求書の再発行",
        "--body",
        "再発行してください",
        "--label",
        "請求",
    ]);
    h.ok(&[
        "ticket",
        "new",
        "--inbox",
        "info",
        "--customer-name",
        "鈴木様",
        "--subject",
        "電話: 配送日",
        "--channel",
        "phone",
    ]);
    h.ok(&["--as", "sato@example.test", "ticket", "take", "1001"]);
    h.ok(&["ticket", "label", "1001", "1002", "-l", "配送"]);
    h.ok(&[
        "ticket",
        "status",
        "1002",
        "--to",
        "保留",
        "--reason",
        "倉庫確認中",
    ]);
    h.ok(&[
        "--as",
        "sato@example.test",
        "ticket",
        "note",
        "#1001",
        "--body",
        "確認中",
    ]);

    let mine = h.json(&[
        "--as",
        "sato@example.test",
        "tickets",
        "list",
        "--assignee",
        "me",
        "--json",
    ]);
    assert_eq!(numbers(&mine), [1001]);
    assert_eq!(mine[0]["labels"], serde_json::json!(["請求", "配送"]));
    let pending = h.json(&["tickets", "list", "--status", "pending", "--json"]);
    assert_eq!(numbers(&pending), [1002]);
    assert_eq!(pending[0]["reason"], "倉庫確認中");
    let all = h.json(&["tickets", "list", "--status", "all", "--json"]);
    assert_eq!(numbers(&all).len(), 2);
    let limited = h.json(&[
        "tickets", "list", "--status", "all", "--json", "--limit", "1",
    ]);
    assert_eq!(numbers(&limited).len(), 1);

    let show = h.json(&["ticket", "show", "1001", "--json"]);
    assert_eq!(show["ticket"]["assignee"], show["assignee"]["id"]);
    assert_eq!(show["contact"]["name"], "山田太郎");
    assert_eq!(show["messages"].as_array().unwrap().len(), 2);
    let actions: Vec<&str> = show["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "message_added",
            "label_added",
            "assigned",
            "label_added",
            "note_added"
        ]
    );
    assert_eq!(show["events"][3]["actor"], "sato@example.test");

    let text = h.ok(&["ticket", "show", "1001"]);
    assert!(
        text.contains("請求書の再発行") && text.contains("佐藤"),
        "{text}"
    );

    let stats = h.json(&["stats", "--json"]);
    assert_eq!(stats["inboxes"], 2);
    assert_eq!(stats["tickets"], 2);
    assert_eq!(stats["tickets_by_status"]["pending"], 1);
    assert_eq!(stats["contacts"], 2);
}

#[test]
fn split_merge_and_snooze_from_the_command_line() {
    let h = Hako::init();
    let t = h.json(&[
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        "taro@customer.test",
        "--subject",
        "two questions",
        "--body",
        "first",
        "--json",
    ]);
    assert_eq!(t["number"], 1001);
    h.phone_ticket("support", "taro@customer.test", "again", "same question");
    h.ok(&["ticket", "merge", "1002", "--into", "1001"]);
    let merged = h.json(&["ticket", "show", "1001", "--json"]);
    let msgs = merged["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    let second = msgs[1]["id"].as_i64().unwrap().to_string();
    let err = h.fails(&["ticket", "status", "1002", "--to", "closed"]);
    assert!(
        err.contains("#1002") && err.contains("merged into #1001"),
        "{err}"
    );

    let split = h.json(&["ticket", "split", "1001", "--message", &second, "--json"]);
    assert_eq!(split["number"], 1003);
    let t3 = h.json(&["ticket", "show", "1003", "--json"]);
    assert_eq!(t3["split_from"], 1001);
    assert_eq!(t3["messages"].as_array().unwrap().len(), 1);

    h.ok(&["ticket", "snooze", "1003", "--until", "+2h"]);
    let snoozed = h.json(&["tickets", "list", "--status", "snoozed", "--json"]);
    assert_eq!(numbers(&snoozed), [1003]);
    let err = h.fails(&["ticket", "snooze", "1003", "--until", "someday"]);
    assert!(err.contains("--until") && err.contains("someday"), "{err}");
}

#[test]
fn label_report_formats_agree() {
    let h = Hako::init();
    h.ok(&["label", "add", "請求"]);
    h.ok(&[
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        "a@customer.test",
        "--subject",
        "a",
        "--label",
        "請求",
    ]);
    h.phone_ticket("info", "b@customer.test", "b", "");
    let json = h.json(&["report", "labels", "--format", "json"]);
    let weeks = json.as_array().unwrap();
    assert_eq!(weeks.len(), 8, "eight weeks by default, ending this week");
    let this_week = weeks.last().unwrap();
    assert_eq!(this_week["labels"]["請求"], 1);
    assert_eq!(this_week["no_label"], 1);
    assert_eq!(this_week["total"], 2);
    let week = this_week["week"].as_str().unwrap();
    let csv = h.ok(&[
        "report", "labels", "--from", week, "--to", week, "--format", "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "week,week_start,請求,no label,total");
    assert!(
        lines[1].starts_with(week) && lines[1].ends_with(",1,1,2"),
        "{csv}"
    );
    let info = h.json(&[
        "report", "labels", "--from", week, "--to", week, "--inbox", "info", "--format", "json",
    ]);
    assert_eq!(info[0]["total"], 1);
    assert_eq!(info[0]["inbox"], "info");
    let table = h.ok(&["report", "labels", "--from", week, "--to", week]);
    assert!(table.contains("請求") && table.contains("total"), "{table}");
    let err = h.fails(&["report", "labels", "--from", "2026-W50", "--to", "2026-W40"]);
    assert!(err.contains("2026-W50"), "{err}");
}

#[test]
fn errors_name_the_object_and_exit_non_zero() {
    let h = Hako::init();
    assert!(
        h.fails(&["ticket", "show", "9999"])
            .contains("ticket #9999: not found")
    );
    assert!(
        h.fails(&["ticket", "assign", "1", "--to", "nobody@example.test"])
            .contains("user nobody@example.test: not found")
    );
    assert!(h.fails(&["label", "add", "a,b"]).contains("a,b"));
    assert!(
        h.fails(&[
            "--as",
            "admin@example.test",
            "ticket",
            "note",
            "1001",
            "--body",
            "x"
        ])
        .contains("#1001")
    );
    assert!(h.fails(&["ticket", "take", "1001"]).contains("--as"));
    h.phone_ticket("support", "a@customer.test", "a", "");
    let err = h.fails(&[
        "ticket",
        "assign",
        "1001",
        "--to",
        "admin@example.test",
        "--expect-version",
        "1",
    ]);
    assert!(err.contains("#1001") && err.contains("reload"), "{err}");
    assert!(
        h.fails(&["tickets", "list", "--inbox", "nope"])
            .contains("inbox nope")
    );
}

#[test]
fn init_is_unattended_idempotent_and_needs_a_password() {
    let h = Hako::init();
    let again = h.ok(&["init", "--admin-email", "admin@example.test"]);
    assert!(again.contains("already exists"), "{again}");
    let err = h.fails(&["init", "--admin-email", "second@example.test"]);
    assert!(err.contains("HAKO_ADMIN_PASSWORD"), "{err}");
    let users = h.json(&["user", "list", "--json"]);
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["role"], "admin");
    assert_eq!(users[0]["inboxes"], serde_json::json!(["support", "info"]));
}

#[test]
fn a_bad_config_names_the_key() {
    let h = Hako::with_config("data_dir = \"DATA\"\ntimezon = \"Asia/Tokyo\"\n");
    let err = h.fails(&["init"]);
    assert!(err.contains("timezon"), "{err}");
    let missing = Command::new(env!("CARGO_BIN_EXE_hako"))
        .args(["--config", "/nonexistent/hako.toml", "stats"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("/nonexistent/hako.toml"));
}

#[test]
fn commands_before_init_say_so() {
    let h = Hako::with_config("data_dir = \"DATA\"\n");
    let err = h.fails(&["stats"]);
    assert!(err.contains("hako init"), "{err}");
}

#[test]
fn a_contact_with_two_addresses_has_one_history() {
    let h = Hako::init();
    h.ok(&[
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        "taro@work.test",
        "--customer-name",
        "山田太郎",
        "--subject",
        "from work",
    ]);
    h.phone_ticket("info", "taro@home.test", "from home", "");
    h.ok(&["contact", "link", "taro@work.test", "taro@home.test"]);
    let c = h.json(&["contact", "show", "taro@home.test", "--json"]);
    assert_eq!(c["contact"]["name"], "山田太郎");
    assert_eq!(c["contact"]["addresses"].as_array().unwrap().len(), 2);
    assert_eq!(numbers(&c["tickets"]), [1002, 1001]);
    assert!(
        h.fails(&["contact", "show", "nobody@x.test"])
            .contains("contact nobody@x.test")
    );
}

#[test]
fn the_audit_log_shows_who_changed_what() {
    let h = Hako::init();
    h.ok(&["--as", "admin@example.test", "label", "add", "請求"]);
    h.phone_ticket("support", "a@customer.test", "a", "");
    h.ok(&[
        "--as",
        "admin@example.test",
        "ticket",
        "label",
        "1001",
        "-l",
        "請求",
    ]);
    let log = h.json(&["audit", "--json", "--limit", "3"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["action"], "label_added");
    assert_eq!(log[0]["number"], 1001);
    assert_eq!(log[0]["actor_email"], "admin@example.test");
    let all = h.json(&["audit", "--json"]);
    let label = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "label_created")
        .unwrap();
    assert_eq!(label["after"], "請求");
    assert_eq!(label["actor_email"], "admin@example.test");
}

#[test]
fn history_of_a_customer_and_of_a_domain() {
    let h = Hako::init();
    h.ok(&[
        "ticket",
        "new",
        "--inbox",
        "support",
        "--customer",
        "taro@example.jp",
        "--customer-name",
        "山田太郎",
        "--subject",
        "一件目",
        "--channel",
        "email",
    ]);
    h.email_ticket("info", "taro@example.jp", "二件目", "");
    h.email_ticket("info", "hanako@example.jp", "別の人", "");
    let entries = h.json(&["history", "taro@example.jp", "--json"]);
    let subjects: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["二件目", "一件目"]);
    let summary = h.json(&["history", "taro@example.jp", "--json", "--summary"]);
    assert_eq!(summary["ticket_count"], 2);
    assert_eq!(summary["contact"]["name"], "山田太郎");
    let domain = h.json(&["history", "@example.jp", "--json"]);
    assert_eq!(domain.as_array().unwrap().len(), 3);
    let text = h.ok(&["history", "example.jp"]);
    assert!(
        text.contains("3 ticket(s)") && text.contains("別の人"),
        "{text}"
    );
}

#[test]
fn reply_templates_greet_new_and_repeat_customers_and_bad_ones_are_refused() {
    let h = Hako::init();
    let list = h.json(&["template", "list", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["auto-ack-en", "auto-ack-ja", "default-en", "default-ja"]
    );
    h.email_ticket("support", "taro@example.jp", "一件目", "はじめまして");
    let first = h.ok(&[
        "template",
        "preview",
        "default-ja",
        "--ticket",
        "1001",
        "--body",
        "回答です",
    ]);
    assert!(
        first.contains("お問い合わせいただき") && first.contains("回答です"),
        "{first}"
    );
    h.email_ticket("support", "taro@example.jp", "二件目", "また質問です");
    let again = h.ok(&["template", "preview", "default-ja", "--ticket", "1002"]);
    assert!(
        again.contains("いつもExample Supportをご利用いただき"),
        "{again}"
    );

    // A template with a typo is refused with its line, and the old one stays.
    let bad = h.dir.path().join("bad.jinja");
    std::fs::write(&bad, "{{ customer.name }}様\n{{ custmer.name }}\n").unwrap();
    let err = h.fails(&[
        "template",
        "set",
        "default-ja",
        "--file",
        bad.to_str().unwrap(),
        "--ticket",
        "1001",
    ]);
    assert!(err.contains("line 2"), "{err}");
    assert!(
        h.ok(&["template", "show", "default-ja"])
            .contains("ご利用いただき")
    );

    // A reply from a template goes to the outbox with the rendered text.
    let item = h.json(&[
        "reply",
        "1002",
        "--template",
        "default-ja",
        "--body",
        "ご確認ください。",
        "--json",
    ]);
    assert_eq!(item["state"], "queued");
    let t = h.json(&["ticket", "show", "1002", "--json"]);
    assert!(
        t["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "reply_queued")
    );
    let missing = h.fails(&["reply", "1002", "--template", "nope"]);
    assert!(missing.contains("template nope"), "{missing}");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_without_a_panic() {
    use std::process::Stdio;
    let h = Hako::init();
    let mut child = h
        .command(&["inbox", "list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c0`: the reader is gone before hako writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    // Ended by SIGPIPE, like `cat` into a closed pipe (a panic would exit with 101).
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
}

#[test]
fn a_config_file_that_clashes_with_an_inbox_saved_in_the_web_ui_is_named_and_mendable() {
    let h = Hako::init();
    common::save_inbox_as_web_ui(
        &h,
        "name = \"sales\"\naddress = \"sales@example.test\"\ndisplay_name = \"Sales\"\n",
    );
    let list = h.json(&["inbox", "list", "--json"]);
    let settings: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["settings"].as_str().unwrap()))
        .collect();
    assert_eq!(
        settings,
        [("info", "config"), ("sales", "web"), ("support", "config")]
    );
    // The file now says info@ is sales@ too.
    let file = std::fs::read_to_string(h.config()).unwrap();
    let clash = file.replace(
        "address = \"info@example.test\"",
        "address = \"SALES@example.test\"",
    );
    std::fs::write(h.config(), &clash).unwrap();
    let err = h.fails(&["tickets", "list"]);
    assert!(
        err.contains("clashes with inbox settings saved in the web UI")
            && err.contains("hako inbox revert")
            && err.contains("already used by inbox `info`"),
        "{err}"
    );
    let out = h.run(&["inbox", "list"]);
    assert!(
        out.status.success(),
        "inbox list still runs: {}",
        stderr(&out)
    );
    assert!(stderr(&out).starts_with("warning: "), "{}", stderr(&out));
    std::fs::write(h.config(), &file).unwrap();
    h.ok(&["tickets", "list"]);
}
