//! The supervisor board in a real browser: a supervisor sees who holds which ticket and
//! reassigns one from the board; the change is in the ticket and its audit trail.

use hako_testkit::browser::Browser;
use hako_testkit::unique_token;
use serde_json::Value;

use crate::setup::{SATO, Serve, customer_mail, hako, number_of, sign_in_as, text_has};

const BOSS: &str = "boss@example.test";
const TANAKA: &str = "tanaka@example.test";
const PASSWORD: &str = "board-password-1";

#[test]
fn a_supervisor_reassigns_a_ticket_from_the_board() {
    let token = unique_token();
    let subject = format!("解約の相談 {token}");
    let mails = vec![customer_mail(
        "山田 太郎 <taro@customer.test>",
        &format!("{token}-1@customer.test"),
        &subject,
        None,
        "来月で解約したいです。",
        false,
    )];
    let h = hako(&format!("board-{token}"), mails);
    let password = [("HAKO_USER_PASSWORD", PASSWORD)];
    h.ok_env(
        &[
            "user",
            "add",
            "--email",
            BOSS,
            "--name",
            "上司",
            "--role",
            "supervisor",
        ],
        &password,
    );
    h.ok_env(
        &[
            "user", "add", "--email", TANAKA, "--name", "田中", "--inbox", "support",
        ],
        &password,
    );
    let n = number_of(&h, &subject);
    h.ok(&["ticket", "assign", &n.to_string(), "--to", SATO]);
    // The board's team table shows 佐藤's longest-waiting ticket with a reassign form.
    let serve = Serve::start(&h);
    let b = Browser::start().unwrap();
    {
        let _shot = b.failure_shot("board-sign-in");
        sign_in_as(&b, &serve, BOSS, PASSWORD, "上司");
        b.goto(&serve.at("/board")).unwrap();
        text_has(&b, ".board", "佐藤");
        text_has(&b, ".board", &subject);
    }
    {
        let _shot = b.failure_shot("board-reassign");
        let form = format!("form[action='/board/assign/{n}']");
        b.select_by_value(&format!("{form} select"), TANAKA)
            .unwrap();
        // A mark on this page: gone once the form's answer (the board again) has loaded.
        b.execute("window.__old_page = true; return null;", &[])
            .unwrap();
        b.find(&format!("{form} button")).unwrap().click().unwrap();
        let reloaded =
            "return window.__old_page === undefined && document.readyState === 'complete';";
        b.wait_until(
            |b| b.execute(reloaded, &[]).ok().and_then(|v| v.as_bool()) == Some(true),
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        assert!(
            b.current_url().unwrap().contains("/board"),
            "back on the board"
        );
        // The ticket is now in 田中's row, its select naming him.
        let chosen = b
            .execute(
                &format!("return document.querySelector(\"{form} select\").value;"),
                &[],
            )
            .unwrap();
        assert_eq!(chosen.as_str(), Some(TANAKA));
    }
    let t: Value = h.json(&["ticket", "show", &n.to_string(), "--json"]);
    assert_eq!(t["assignee"]["email"], TANAKA, "{t}");
    let audit = h.ok(&["audit", "--limit", "5"]);
    assert!(
        audit.contains(BOSS) && audit.contains(TANAKA),
        "the reassignment is in the audit log as the supervisor's: {audit}"
    );
}
