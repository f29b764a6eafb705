//! `hako search`, `hako reindex` and `hako index check` end to end: Japanese and English,
//! operators, scope, and the index as derived data (queue repair, rebuild).

mod common;

use common::{Hako, numbers};
use serde_json::Value;

fn search(h: &Hako, query: &str) -> Vec<i64> {
    numbers(&h.json(&["search", query, "--json"]))
}

fn fixture() -> Hako {
    let h = Hako::init();
    h.email_ticket(
        "support",
        "taro@example.jp",
        "車検の予約",
        "来週の車検を予約したいです。",
    );
    h.email_ticket(
        "support",
        "hanako@example.jp",
        "請求書の再発行",
        "請求書を再発行してください。",
    );
    h.email_ticket(
        "info",
        "alice@example.com",
        "Invoice question",
        "Where is my invoice for October?",
    );
    h.email_ticket(
        "info",
        "bob@example.com",
        "Pricing",
        "It involves a voice plan and extra ice.",
    );
    h.email_ticket(
        "support",
        "kana@example.jp",
        "ｶﾙﾓの件",
        "10時〜12時に電話ください",
    );
    h.email_ticket(
        "support",
        "req@example.jp",
        "要求",
        "請求の件と、別の要求書について",
    );
    h
}

#[test]
fn japanese_and_english_queries_find_the_right_tickets() {
    let h = fixture();
    assert_eq!(search(&h, "車検"), [1001]);
    assert_eq!(search(&h, "請求書"), [1002], "not 請求 … 要求書 (#1006)");
    assert_eq!(search(&h, "カルモ"), [1005], "full-width finds half-width");
    assert_eq!(search(&h, "10時～12時"), [1005], "～ finds 〜");
    assert_eq!(search(&h, "invoice"), [1003], "not 'involves a voice'");
    assert_eq!(search(&h, "\"invoice for October\""), [1003]);
    assert_eq!(search(&h, "from:example.jp 請求書"), [1002]);
    assert_eq!(search(&h, "inbox:info"), [1004, 1003]);
    let hit = &h.json(&["search", "車検", "--json"])[0];
    assert_eq!(hit["subject"], "車検の予約");
    assert!(
        hit["snippet_html"].as_str().unwrap().contains("<b>"),
        "{hit}"
    );
}

#[test]
fn ticket_changes_reach_the_index_and_agents_see_only_their_inboxes() {
    let h = fixture();
    h.ok(&["label", "add", "請求"]);
    assert!(search(&h, "label:請求").is_empty());
    h.ok(&["ticket", "label", "1002", "1003", "-l", "請求"]);
    assert_eq!(search(&h, "label:請求"), [1003, 1002]);
    h.ok(&["ticket", "status", "1003", "--to", "closed"]);
    assert_eq!(search(&h, "label:請求 status:closed"), [1003]);
    assert_eq!(search(&h, "label:請求 status:対応完了"), [1003]);
    // An agent of `support` never sees `info`'s tickets.
    h.ok_env(
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
        &[],
    );
    let mine = numbers(&h.json(&[
        "--as",
        "sato@example.test",
        "search",
        "label:請求",
        "--json",
    ]));
    assert_eq!(mine, [1002]);
    // A merged ticket's messages are found on the ticket they moved to.
    h.ok(&["ticket", "merge", "1006", "--into", "1002"]);
    assert_eq!(search(&h, "要求書"), [1002]);
}

#[test]
fn a_crash_between_the_database_and_the_index_is_repaired() {
    let h = Hako::init();
    // The ticket is committed and queued; the index has not seen it ("crash" here).
    h.email_ticket(
        "support",
        "taro@example.jp",
        "お問い合わせ",
        "商品についてのお問い合わせです",
    );
    let check = h.json(&["index", "check", "--json"]);
    assert_eq!(check["missing"].as_array().unwrap().len(), 1);
    assert_eq!(check["queued_tickets"], 1);
    // The next run drains the queue first.
    assert_eq!(search(&h, "お問い合わせ"), [1001]);
    let check = h.json(&["index", "check", "--json"]);
    assert!(check["missing"].as_array().unwrap().is_empty(), "{check}");
    assert_eq!(check["queued_tickets"], 0);
}

#[test]
fn an_index_rebuilt_after_deletion_answers_exactly_as_before() {
    let h = fixture();
    h.ok(&["label", "add", "bug"]);
    h.ok(&["ticket", "label", "1004", "-l", "bug"]);
    let queries = [
        "車検",
        "請求書",
        "invoice",
        "label:bug",
        "from:example.com",
        "inbox:support",
    ];
    let before: Vec<Value> = queries
        .iter()
        .map(|q| h.json(&["search", q, "--json"]))
        .collect();
    std::fs::remove_dir_all(h.data().join("index")).unwrap();
    let out = h.ok(&["reindex"]);
    assert!(out.contains("6 tickets indexed"), "{out}");
    let after: Vec<Value> = queries
        .iter()
        .map(|q| h.json(&["search", q, "--json"]))
        .collect();
    assert_eq!(before, after);
    let check = h.json(&["index", "check", "--json"]);
    assert!(check["missing"].as_array().unwrap().is_empty());
    assert_eq!(check["indexed"], 6);
}

#[test]
fn a_bad_query_names_the_bad_part() {
    let h = Hako::init();
    let err = h.fails(&["search", "before:2026-13-01"]);
    assert!(err.contains("2026-13-01"), "{err}");
}
