//! The web UI in a real headless Chromium against a real `hako serve`, with mail coming in
//! from the local Dovecot and replies going out through the local Postfix: the day's main
//! path in Japanese (sign in, inbox, take, label, reply with a template and see it sent and
//! delivered, snooze, split), and stored XSS in a customer's HTML mail.
//!
//! Each step holds a `failure_shot` guard, so a failure leaves `<step>-<n>.png` and `.html`
//! in `<target>/browser-failures/` and prints their paths; `hako serve`'s log is printed too.
//! Needs `scripts/browser install` and `scripts/mail-servers start` (`scripts/test` does both).

mod board;
#[path = "../common/mod.rs"]
mod common;
mod inbox_settings;
mod setup;

use hako_testkit::browser::Browser;
use hako_testkit::{block_on, mail_servers, unique_token};
use mail_parser::MessageParser;
use serde_json::Value;
use setup::{Serve, WAIT, customer_mail, hako, number_of, sign_in, text_has, text_is};
use std::time::{Duration, Instant};

#[test]
fn the_days_main_path_in_japanese_sign_in_take_label_reply_snooze_split() {
    let s = mail_servers();
    let token = unique_token();
    let (billing, delivery, returns) = (
        format!("請求書の再発行 {token}"),
        format!("配送日の変更 {token}"),
        format!("返品について {token}"),
    );
    let taro_id = format!("{token}-taro@customer.test");
    let bob_id = format!("{token}-bob@customer.test");
    let mails = vec![
        customer_mail(
            "山田 太郎 <taro@customer.test>",
            &taro_id,
            &billing,
            None,
            "先月分の請求書を再発行してください。",
            false,
        ),
        customer_mail(
            "鈴木 花子 <alice@customer.test>",
            &format!("{token}-alice@customer.test"),
            &delivery,
            None,
            "配送日を来週に変更できますか。",
            false,
        ),
        customer_mail(
            "田中 一郎 <bob@customer.test>",
            &bob_id,
            &returns,
            None,
            "届いた商品を返品したいです。",
            false,
        ),
        customer_mail(
            "田中 一郎 <bob@customer.test>",
            &format!("{token}-bob2@customer.test"),
            &format!("Re: {returns}"),
            Some(&bob_id),
            "別件ですが、領収書も送っていただけますか。",
            false,
        ),
    ];
    let h = hako(&format!("browser-{token}"), mails);
    let (t_billing, t_delivery, t_returns) = (
        number_of(&h, &billing),
        number_of(&h, &delivery),
        number_of(&h, &returns),
    );
    let shown = h.json(&["ticket", "show", &t_returns.to_string(), "--json"]);
    assert_eq!(shown["messages"].as_array().unwrap().len(), 2, "{shown}");
    let serve = Serve::start(&h);
    let b = Browser::start().unwrap();

    {
        let _shot = b.failure_shot("1 sign in and choose Japanese");
        sign_in(&b, &serve);
        b.goto(&serve.at("/me")).unwrap();
        b.select_by_value("select[name=language]", "ja").unwrap();
        b.find("form[action='/me'] button.primary")
            .unwrap()
            .click()
            .unwrap();
        text_is(&b, "p.notice[role=status]", "設定を保存しました。");
        assert_eq!(
            b.execute("return document.documentElement.lang", &[])
                .unwrap(),
            "ja"
        );
    }

    {
        let _shot = b.failure_shot("2 inbox");
        b.goto(&serve.url).unwrap();
        text_is(&b, "header.top nav a[href='/']", "受信箱");
        let rows = b.find_all("table.tickets tbody tr").unwrap();
        assert_eq!(rows.len(), 3, "three tickets");
        let table = b.find("table.tickets tbody").unwrap().text().unwrap();
        for (n, subject) in [
            (t_billing, &billing),
            (t_delivery, &delivery),
            (t_returns, &returns),
        ] {
            assert!(table.contains(&format!("#{n}")), "#{n} in {table}");
            assert!(table.contains(subject.as_str()), "{subject} in {table}");
        }
        assert_eq!(table.matches("未対応").count(), 3, "{table}");
        assert!(table.contains("山田 太郎"), "{table}");
        let tabs = b.find("nav.tabs").unwrap().text().unwrap();
        assert!(
            tabs.contains("すべての受信箱") && tabs.contains("自分の担当"),
            "{tabs}"
        );
        text_is(&b, "[data-count=all]", "3");
        text_is(&b, "[data-count=mine]", "0");
        text_is(&b, "[data-count=support]", "3");
    }

    let ticket_url = serve.at(&format!("/t/{t_billing}"));
    {
        let _shot = b.failure_shot("3 open a ticket");
        b.find(&format!("table.tickets a[href='/t/{t_billing}']"))
            .unwrap()
            .click()
            .unwrap();
        text_has(&b, "h1", &billing);
        text_has(
            &b,
            "article.msg.incoming",
            "先月分の請求書を再発行してください。",
        );
        text_is(&b, ".ticket-head .status", "未対応");
    }

    {
        let _shot = b.failure_shot("4 take");
        text_is(&b, "aside.actions section:first-of-type > p", "担当者なし");
        let take = b.find("form[action$='/take'] button").unwrap();
        assert_eq!(take.text().unwrap(), "自分が担当する");
        take.click().unwrap();
        text_is(&b, "aside.actions section:first-of-type > p", "佐藤");
        assert!(b.find_all("form[action$='/take']").unwrap().is_empty());
    }

    {
        let _shot = b.failure_shot("5 label");
        let add = "form[action$='/labels']:has(input[name=op][value=add])";
        b.select_by_value(&format!("{add} select[name=label]"), "請求")
            .unwrap();
        let button = b.find(&format!("{add} button")).unwrap();
        assert_eq!(button.text().unwrap(), "付ける");
        button.click().unwrap();
        text_has(&b, "form.chip[action$='/labels']", "請求");
    }

    let typed = format!("再発行した請求書を添付いたしました。{token}");
    {
        let _shot = b.failure_shot("6 reply with a template");
        b.select_by_value("select[name=template]", "default-ja")
            .unwrap();
        b.find("textarea[name=body]")
            .unwrap()
            .send_keys(&typed)
            .unwrap();
        // The live preview fills the template with this ticket's customer and agent.
        let preview = text_has(&b, "#composer .preview-text", &typed);
        assert!(
            preview.contains("山田 太郎様") && preview.contains("このたびは"),
            "{preview}"
        );
        let send = b.find("#composer button[name=then][value=keep]").unwrap();
        assert_eq!(send.text().unwrap(), "送信");
        send.click().unwrap();
        text_is(&b, "#outbox .outbox-item .status", "送信待ち");
        text_is(
            &b,
            "#outbox .outbox-item form[action$='/cancel'] button",
            "送信を取り消す",
        );
        text_has(&b, "#outbox .outbox-item pre.body", &typed);
    }

    {
        let _shot = b.failure_shot("7 see it sent");
        // The undo window passes and `hako serve`'s outbox pass (every ~2 s) sends it.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let state = b
                .find_all("#outbox .outbox-item .status")
                .ok()
                .and_then(|v| v.into_iter().next())
                .and_then(|e| e.text().ok());
            if state.as_deref() == Some("送信済み") {
                break;
            }
            assert!(Instant::now() < deadline, "not sent after 20 s: {state:?}");
            std::thread::sleep(Duration::from_millis(500));
            b.goto(&ticket_url).unwrap();
        }
        assert!(
            b.find_all("#outbox form[action$='/cancel']")
                .unwrap()
                .is_empty(),
            "a sent reply cannot be undone"
        );
        text_has(&b, "article.msg.outgoing", &typed);

        // It really arrived in the customer's mailbox, greeting and text intact.
        let raw = block_on(s.wait_for_message(
            "taro@customer.test",
            "INBOX",
            &taro_id,
            Duration::from_secs(30),
        ))
        .unwrap();
        let m = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(m.subject(), Some(format!("Re: {billing}").as_str()));
        let body = m.body_text(0).unwrap();
        for want in [
            "山田 太郎様",
            "このたびはExample サポートにお問い合わせいただき",
            "担当の佐藤です",
            typed.as_str(),
            "Example サポート窓口",
        ] {
            assert!(body.contains(want), "{want:?} in {body}");
        }
    }

    {
        let _shot = b.failure_shot("8 inbox after taking");
        b.goto(&serve.url).unwrap();
        text_is(&b, "[data-count=mine]", "1");
        let row = b
            .find_all("table.tickets tbody tr")
            .unwrap()
            .into_iter()
            .map(|r| r.text().unwrap())
            .find(|t| t.contains(&billing))
            .unwrap();
        assert!(row.contains("佐藤") && !row.contains("担当者なし"), "{row}");
        text_is(&b, "table.tickets tbody span.chip", "請求");
    }

    {
        let _shot = b.failure_shot("9 snooze");
        b.goto(&serve.at(&format!("/t/{t_delivery}"))).unwrap();
        text_has(&b, "h1", &delivery);
        let tomorrow = b
            .find("form[action$='/snooze'] button[value=tomorrow]")
            .unwrap();
        assert_eq!(tomorrow.text().unwrap(), "明日の朝");
        tomorrow.click().unwrap();
        text_is(&b, ".ticket-head .status", "スヌーズ");
        text_has(&b, ".ticket-head", "再開：");
        let t = h.json(&["ticket", "show", &t_delivery.to_string(), "--json"]);
        assert_eq!(t["ticket"]["status"]["status"], "snoozed", "{t}");
    }

    {
        let _shot = b.failure_shot("10 split");
        let from_url = serve.at(&format!("/t/{t_returns}"));
        b.goto(&from_url).unwrap();
        text_has(&b, "h1", &returns);
        let buttons = b.find_all("form[action$='/split'] button").unwrap();
        assert_eq!(buttons.len(), 2, "a split button on each message");
        assert_eq!(buttons[1].text().unwrap(), "チケットの分割");
        buttons[1].click().unwrap();
        b.wait_until(|b| b.current_url().is_ok_and(|u| u != from_url), WAIT)
            .unwrap();
        let url = b.current_url().unwrap();
        let new: i64 = url
            .rsplit('/')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("not a ticket page: {url}"));
        assert!(new > t_returns, "{new}");
        text_has(&b, "h1", &format!("#{new}"));
        let head = text_has(&b, ".ticket-head", "分割元");
        assert!(head.contains(&format!("分割元 #{t_returns}")), "{head}");
        let messages = b.find_all("article.msg").unwrap();
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0]
                .text()
                .unwrap()
                .contains("領収書も送っていただけますか")
        );

        b.find(&format!(".ticket-head a[href='/t/{t_returns}']"))
            .unwrap()
            .click()
            .unwrap();
        text_has(&b, "h1", &returns);
        let left: Vec<String> = b
            .find_all("article.msg")
            .unwrap()
            .iter()
            .map(|m| m.text().unwrap())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left[0].contains("返品したい"), "{left:?}");
    }
}

#[test]
fn a_hostile_html_mail_runs_no_script_and_loads_no_remote_image_until_asked() {
    let token = unique_token();
    let subject = format!("XSS {token}");
    let html = "<p>XSS probe: look at this</p>\
         <img src=x onerror=window.__xss=1>\
         <svg onload=window.__xss=1><circle r=5></circle></svg>\
         <script>window.__xss=1</script>\
         <p><a href=\"javascript:window.__xss=1\">click me</a></p>\
         <p><img src=\"https://203.0.113.9/p.png\" alt=\"tracker\"></p>";
    let mail = customer_mail(
        "Mallory <alice@customer.test>",
        &format!("{token}-xss@customer.test"),
        &subject,
        None,
        html,
        true,
    );
    let h = hako(&format!("browser-xss-{token}"), vec![mail]);
    let n = number_of(&h, &subject);
    let serve = Serve::start(&h);
    let b = Browser::start().unwrap();
    let xss_free = |b: &Browser| {
        b.execute("return window.__xss === undefined", &[]).unwrap() == Value::Bool(true)
    };

    {
        let _shot = b.failure_shot("xss open the ticket");
        sign_in(&b, &serve);
        b.goto(&serve.at(&format!("/t/{n}"))).unwrap();
        text_has(&b, "article.msg .body.html", "XSS probe");
        // Give an event handler that slipped through the time to run.
        std::thread::sleep(Duration::from_millis(300));
        assert!(xss_free(&b), "a script of the mail ran");
        for hostile in [
            "script",
            "svg",
            "[onerror]",
            "[onload]",
            "a[href^='javascript']",
        ] {
            let found = b
                .find_all(&format!("article.msg .body.html {hostile}"))
                .unwrap();
            assert!(found.is_empty(), "{hostile} survived sanitising");
        }
        let link = b.find("article.msg .body.html a").unwrap();
        assert_eq!(link.attr("href").unwrap(), None);
        link.click().unwrap();
        assert!(xss_free(&b), "the javascript: link ran");
        let outside = b.requests_to_outside_hosts().unwrap();
        assert!(outside.is_empty(), "requests to other hosts: {outside:?}");
    }

    {
        let _shot = b.failure_shot("xss show images");
        b.find("a[href$='?images=1']").unwrap().click().unwrap();
        // Proof the check above can fail: asked for, the remote image is requested.
        b.wait_until(
            |b| {
                b.requests_to_outside_hosts()
                    .is_ok_and(|urls| urls.iter().any(|u| u.contains("203.0.113.9")))
            },
            WAIT,
        )
        .unwrap();
        assert!(b.current_url().unwrap().ends_with("?images=1"));
        assert!(
            xss_free(&b),
            "a script of the mail ran after showing images"
        );
        let outside = b.requests_to_outside_hosts().unwrap();
        assert!(
            outside.iter().all(|u| u == "https://203.0.113.9/p.png"),
            "only the image: {outside:?}"
        );
    }
}
