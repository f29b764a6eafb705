//! An admin edits an inbox in a real browser: tests the typed settings against the real
//! Dovecot and Postfix without saving, saves a new signature and the approval rule, and the
//! running `hako serve` takes them without restarting the inbox's IMAP worker, which goes on
//! fetching.

use hako_testkit::browser::Browser;
use hako_testkit::{block_on, mail_servers, unique_token};
use std::time::{Duration, Instant};

use crate::setup::{Serve, customer_mail, hako, sign_in_as, text_has};

const ADMIN: &str = "admin@example.test";
const ADMIN_PASSWORD: &str = "admin-password-1";

#[test]
fn an_admin_edits_an_inbox_tests_its_servers_and_serve_goes_on_fetching() {
    let token = unique_token();
    let folder = format!("inbox-edit-{token}");
    let h = hako(&folder, vec![]);
    let serve = Serve::start(&h);
    let b = Browser::start().unwrap();
    {
        let _shot = b.failure_shot("inbox-edit-test");
        sign_in_as(&b, &serve, ADMIN, ADMIN_PASSWORD, "Admin");
        b.goto(&serve.at("/settings/inboxes/support")).unwrap();
        b.find("button[name=do][value=test]")
            .unwrap()
            .click()
            .unwrap();
        // Both servers answered the real test, and nothing was saved.
        text_has(&b, ".tested", "IMAP");
        let ok = b.find_all(".tested p.notice").unwrap().len();
        let text = b.find(".tested").unwrap().text().unwrap();
        assert_eq!(ok, 2, "IMAP and SMTP both fine: {text}");
        assert!(h.json(&["inbox", "list", "--json"])[0]["settings"] == "config");
    }
    {
        let _shot = b.failure_shot("inbox-edit-save");
        let signature = b.find("textarea[name=signature]").unwrap();
        signature.clear().unwrap();
        signature.send_keys("サポート窓口（編集）").unwrap();
        b.find("input[name=require_approval]")
            .unwrap()
            .click()
            .unwrap();
        b.find("button[name=do][value=save]")
            .unwrap()
            .click()
            .unwrap();
        text_has(&b, "#inbox-support", "サポート窓口（編集）");
        let list = h.json(&["inbox", "list", "--json"]);
        assert_eq!(list[0]["settings"], "web over config");
        assert_eq!(list[0]["requires_approval"], true);
    }
    // serve takes the saved settings and keeps fetching.
    let subject = format!("設定変更のあと {token}");
    let mail = customer_mail(
        "山田 太郎 <taro@customer.test>",
        &format!("{token}-after@customer.test"),
        &subject,
        None,
        "届きますか。",
        false,
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !serve
        .log()
        .contains("inbox settings changed in the web UI; applying them")
    {
        assert!(
            Instant::now() < deadline,
            "serve did not pick up the change"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    block_on(mail_servers().imap_append("support@example.test", &folder, &[mail])).unwrap();
    loop {
        let list = h.json(&["tickets", "list", "--status", "all", "--json"]);
        if list
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["subject"] == subject)
        {
            break;
        }
        assert!(Instant::now() < deadline, "the mail never arrived");
        std::thread::sleep(Duration::from_millis(200));
    }
    // A new signature and approval rule: nothing for the IMAP worker to restart for.
    let log = serve.log();
    assert!(!log.contains("stopping its IMAP worker"), "{log}");
}
