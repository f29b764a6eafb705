//! Replies end to end through the real MTA into the customer's real mailbox: headers checked
//! with an independent parser (mail-parser itself, not hako's layer), the customer's answer
//! threading back, and what a 451 and a 550 do.

mod common;

use common::Hako;
use hako_testkit::{block_on, mail_servers, unique_token};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::Value;
use std::time::Duration;

/// support@ with IMAP (a fresh folder, so only this test's mail) and SMTP to the local MTA.
fn hako(folder: &str) -> Hako {
    Hako::init_with(&common::support_config(folder, 0))
}

fn customer_mail(
    from: &str,
    message_id: &str,
    subject: &str,
    in_reply_to: Option<&str>,
) -> Vec<u8> {
    let refs = in_reply_to
        .map(|r| format!("In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n"))
        .unwrap_or_default();
    format!(
        "From: 山田 太郎 <{from}>\r\nTo: support@example.test\r\nSubject: {}\r\n\
         Message-ID: <{message_id}>\r\n{refs}Date: Wed, 25 Nov 2026 10:00:00 +0900\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nよろしくお願いします\r\n",
        hako_corpus::encoded_header(subject)
    )
    .into_bytes()
}

#[test]
fn a_reply_reaches_the_customer_threaded_and_their_answer_comes_back_to_the_ticket() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-{token}");
    let subject = format!("請求書の再発行について {token}");
    let first = customer_mail(
        "alice@customer.test",
        &format!("{token}-1@customer.test"),
        &subject,
        None,
    );
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[first], None)).unwrap();
    let h = hako(&folder);
    h.ok(&["sync", "--once"]);
    h.ok(&[
        "reply",
        "1001",
        "--body",
        &format!("山田様\n\n再発行いたしました。{token}"),
        "--then",
        "closed",
    ]);
    let flush = h.json(&["outbox", "flush", "--json"]);
    assert_eq!(flush["sent"], 1, "{flush}");

    // In the customer's real mailbox, read with an independent parser.
    let raw = block_on(s.wait_for_message(
        "alice@customer.test",
        "INBOX",
        &format!("{token}-1@customer.test"),
        Duration::from_secs(30),
    ))
    .unwrap();
    let m = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.subject(),
        Some(format!("Re: {subject}").as_str()),
        "the Japanese subject is intact"
    );
    assert_eq!(
        m.in_reply_to().as_text(),
        Some(format!("{token}-1@customer.test").as_str())
    );
    let from = m.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("support@example.test"));
    assert_eq!(from.name(), Some("Example サポート"));
    let body = m.body_text(0).unwrap();
    assert!(
        body.contains("再発行いたしました") && body.contains("Example サポート窓口"),
        "{body}"
    );
    let our_id = m.message_id().unwrap().to_string();
    assert!(our_id.starts_with("hako."), "{our_id}");

    let t = h.json(&["ticket", "show", "1001", "--json"]);
    assert_eq!(t["ticket"]["status"]["status"], "closed", "send and close");
    assert_eq!(t["messages"].as_array().unwrap().len(), 2);

    // The customer answers our reply from another address of hers: it threads by our
    // signed Message-ID and reopens the ticket.
    let answer = customer_mail(
        "bob@customer.test",
        &format!("{token}-2@customer.test"),
        "Re: お礼",
        Some(&our_id),
    );
    block_on(s.imap_append("support@example.test", &folder, &[answer])).unwrap();
    h.ok(&["sync", "--once"]);
    let t = h.json(&["ticket", "show", "1001", "--json"]);
    assert_eq!(t["messages"].as_array().unwrap().len(), 3, "{t}");
    assert_eq!(t["ticket"]["status"]["status"], "open");
    assert_eq!(h.stats()["tickets"], 1);
}

/// Decoded bodies of the messages in `user`'s INBOX that contain `needle` once decoded
/// (bodies travel base64 or quoted-printable, so the raw bytes do not show it), waiting up to
/// `wait` for at least `at_least` of them.
fn delivered(user: &str, needle: &str, at_least: usize, wait: Duration) -> Vec<String> {
    let deadline = std::time::Instant::now() + wait;
    loop {
        let found: Vec<String> = block_on(mail_servers().imap_fetch_all(user, "INBOX"))
            .unwrap()
            .iter()
            .filter_map(|raw| {
                let m = MessageParser::default().parse(raw)?;
                let body = m.body_text(0)?.into_owned();
                body.contains(needle).then_some(body)
            })
            .collect();
        if found.len() >= at_least || std::time::Instant::now() >= deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn outbox(h: &Hako) -> Vec<Value> {
    h.json(&["outbox", "list", "--all", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_451_is_retried_later_and_a_550_fails_at_once_both_shown_on_the_ticket() {
    let folder = format!("reply-fail-{}", unique_token());
    block_on(mail_servers().imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    for customer in ["tempfail@customer.test", "reject@customer.test"] {
        h.email_ticket("support", customer, "test", "");
    }
    h.ok(&["reply", "1001", "--body", "一時エラーのはず"]);
    h.ok(&["reply", "1002", "--body", "恒久エラーのはず"]);
    let flush = h.json(&["outbox", "flush", "--json"]);
    assert_eq!(
        (
            flush["sent"].as_u64(),
            flush["retrying"].as_u64(),
            flush["failed"].as_u64()
        ),
        (Some(0), Some(1), Some(1)),
        "{flush}"
    );
    let items = outbox(&h);
    let by_ticket = |n: i64| items.iter().find(|o| o["ticket"] == n).unwrap().clone();
    let temp = by_ticket(1001);
    assert_eq!(temp["state"], "queued");
    assert!(
        temp["last_error"].as_str().unwrap().contains("451"),
        "{temp}"
    );
    assert!(temp["next_attempt_at"].as_str().unwrap() > temp["send_at"].as_str().unwrap());
    let perm = by_ticket(1002);
    assert_eq!(perm["state"], "failed");
    assert!(
        perm["last_error"].as_str().unwrap().contains("550"),
        "{perm}"
    );
    // Not due again yet: a second flush sends nothing.
    assert_eq!(h.json(&["outbox", "flush", "--json"])["retrying"], 0);
    // The failures are on the tickets, with the server's answer.
    let t = h.json(&["ticket", "show", "1002", "--json"]);
    let failed = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "reply_failed")
        .unwrap();
    assert!(
        failed["after"].as_str().unwrap().contains("550"),
        "{failed}"
    );
    // A queued reply can be cancelled.
    let id = temp["id"].to_string();
    h.ok(&["outbox", "cancel", &id]);
    assert_eq!(
        outbox(&h).iter().find(|o| o["ticket"] == 1001).unwrap()["state"],
        "cancelled"
    );
}

#[test]
fn a_scheduled_reply_waits_for_its_time() {
    let folder = format!("reply-later-{}", unique_token());
    block_on(mail_servers().imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    h.email_ticket("support", "taro@customer.test", "予約", "");
    h.ok(&[
        "reply",
        "1001",
        "--body",
        "明日送ります",
        "--send-at",
        "tomorrow",
    ]);
    let flush = h.json(&["outbox", "flush", "--json"]);
    assert_eq!(flush["sent"], 0, "{flush}");
    assert_eq!(outbox(&h)[0]["state"], "queued");
}

#[test]
fn smtp_down_then_back_up_delivers_exactly_once() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-down-{token}");
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    h.email_ticket("support", "taro@customer.test", &token, "");
    h.ok(&["reply", "1001", "--body", &format!("down {token}")]);
    // "Down": nothing listens on port 1.
    let down = [("HAKO_INBOX__SUPPORT__SMTP__PORT", "1")];
    let flush = h.json_env(&["outbox", "flush", "--json"], &down);
    assert_eq!(flush["retrying"], 1, "{flush}");
    let item = &outbox(&h)[0];
    assert_eq!(item["state"], "queued");
    assert!(
        item["last_error"]
            .as_str()
            .unwrap()
            .contains("smtp 127.0.0.1:1"),
        "{item}"
    );
    // Back up: the retry goes out, once.
    let id = item["id"].to_string();
    h.ok(&["outbox", "retry", &id]);
    assert_eq!(h.json(&["outbox", "flush", "--json"])["sent"], 1);
    assert_eq!(h.json(&["outbox", "flush", "--json"])["sent"], 0);
    let needle = format!("down {token}");
    delivered("taro@customer.test", &needle, 1, Duration::from_secs(30));
    // Give a stray second copy time to arrive, then count.
    std::thread::sleep(Duration::from_secs(1));
    let copies = delivered("taro@customer.test", &needle, 2, Duration::ZERO).len();
    assert_eq!(copies, 1);
}

#[test]
fn a_restart_with_100_queued_replies_delivers_each_once() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-100-{token}");
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    h.email_ticket("support", "bob@customer.test", &token, "");
    for i in 0..100 {
        h.ok(&["reply", "1001", "--body", &format!("{token} #{i:03}")]);
    }
    // serve starts sending; it is stopped (SIGTERM) after the first replies went out.
    let mut serve = h
        .command(&["serve"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let sent = |h: &Hako| outbox(h).iter().filter(|o| o["state"] == "sent").count();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while sent(&h) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::process::Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(serve.wait().unwrap().success());
    // The restart (here a flush) sends the rest.
    h.ok(&["outbox", "flush"]);
    assert_eq!(sent(&h), 100);
    let mine = delivered("bob@customer.test", &token, 100, Duration::from_secs(60));
    assert_eq!(mine.len(), 100, "each reply exactly once");
    let t = h.json(&["ticket", "show", "1001", "--json"]);
    assert_eq!(t["messages"].as_array().unwrap().len(), 101);
}

#[test]
fn approval_blocks_a_reply_until_a_supervisor_approves_and_the_edit_is_what_arrives() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-approval-{token}");
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    let approval = [("HAKO_INBOX__SUPPORT__REQUIRE_APPROVAL", "true")];
    for (email, role) in [
        ("sato@example.test", "agent"),
        ("boss@example.test", "supervisor"),
    ] {
        h.ok(&[
            "user", "add", "--email", email, "--name", email, "--role", role, "--inbox", "support",
        ]);
    }
    h.email_ticket("support", "taro@customer.test", "承認のテスト", "");
    let sato = ["--as", "sato@example.test"];
    let out = h.ok_env(
        &[
            &sato[..],
            &["reply", "1001", "--body", &format!("下書き {token}")],
        ]
        .concat(),
        &approval,
    );
    assert!(out.contains("waits for approval"), "{out}");
    let flush = h.json_env(&["outbox", "flush", "--json"], &approval);
    assert_eq!(flush["sent"], 0, "not sent before approval: {flush}");
    assert_eq!(outbox(&h)[0]["state"], "approval");
    // The author cannot approve their own reply.
    let err = h.fails(&[&sato[..], &["outbox", "approve", "1"]].concat());
    assert!(err.contains("other than its author"), "{err}");

    let edited = format!("承認済みの文面 {token}");
    h.ok_env(
        &[
            "--as",
            "boss@example.test",
            "outbox",
            "approve",
            "1",
            "--body",
            &edited,
            "--comment",
            "敬語を修正",
        ],
        &approval,
    );
    let show = h.ok(&["outbox", "show", "1"]);
    assert!(
        show.contains(&format!("- 下書き {token}")) && show.contains(&format!("+ {edited}")),
        "the diff of the approver's edit: {show}"
    );
    let flush = h.json_env(&["outbox", "flush", "--json"], &approval);
    assert_eq!(flush["sent"], 1, "{flush}");
    let got = delivered("taro@customer.test", &token, 1, Duration::from_secs(30));
    assert_eq!(got.len(), 1, "delivered once");
    assert!(
        got[0].contains(&edited) && !got[0].contains("下書き"),
        "{}",
        got[0]
    );
    let audit = h.ok(&["ticket", "show", "1001"]);
    assert!(
        audit.contains("reply_approved") || audit.contains("approved"),
        "{audit}"
    );
}

#[test]
fn an_iso_2022_jp_reply_with_a_japanese_attachment_arrives_intact_and_is_copied_to_sent() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-jis-{token}");
    let sent = format!("Sent-{token}");
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    let env = [("HAKO_INBOX__SUPPORT__IMAP__SENT_FOLDER", sent.as_str())];
    h.email_ticket(
        "support",
        "bob@customer.test",
        &format!("見積書 {token}"),
        "",
    );
    h.ok(&["contact", "charset", "bob@customer.test", "iso-2022-jp"]);
    let file = h.data().join("見積書 2026年11月.pdf");
    let pdf: Vec<u8> = (0u8..=255).cycle().take(3000).collect();
    std::fs::write(&file, &pdf).unwrap();
    let body = format!("山田様\n\n見積書〜添付いたします。{token}");
    h.ok_env(
        &[
            "reply",
            "1001",
            "--body",
            &body,
            "--attach",
            file.to_str().unwrap(),
        ],
        &env,
    );
    let flush = h.json_env(&["outbox", "flush", "--json"], &env);
    assert_eq!(
        (flush["sent"].as_u64(), flush["filed"].as_u64()),
        (Some(1), Some(1)),
        "{flush}"
    );

    let found = delivered("bob@customer.test", &token, 1, Duration::from_secs(30));
    assert_eq!(found.len(), 1);
    let all = block_on(s.imap_fetch_all("bob@customer.test", "INBOX")).unwrap();
    let ours = all
        .iter()
        .find(|r| {
            MessageParser::default()
                .parse(r)
                .and_then(|m| m.body_text(0).map(|b| b.contains(&token)))
                .unwrap_or(false)
        })
        .unwrap();
    assert!(ours.is_ascii(), "ISO-2022-JP mail is 7-bit");
    let head = String::from_utf8_lossy(ours).to_ascii_lowercase();
    assert!(head.contains("charset=iso-2022-jp"), "{head}");
    let m = MessageParser::default().parse(ours).unwrap();
    assert_eq!(m.subject(), Some(format!("Re: 見積書 {token}").as_str()));
    assert!(
        m.body_text(0).unwrap().contains("見積書～添付いたします"),
        "〜 mapped to ～"
    );
    let a = m.attachments().next().expect("the attachment");
    assert_eq!(a.attachment_name(), Some("見積書 2026年11月.pdf"));
    assert_eq!(a.contents(), &pdf[..]);

    // The copy in support@'s Sent folder, flagged as read.
    let copies = block_on(s.imap_fetch_all("support@example.test", &sent)).unwrap();
    assert_eq!(copies.len(), 1);
    let copy = MessageParser::default().parse(&copies[0]).unwrap();
    assert_eq!(copy.message_id(), m.message_id(), "the same message");
    let t = h.ok(&["ticket", "show", "1001"]);
    assert!(t.contains(&format!("copied to {sent}")), "{t}");
}

#[test]
fn an_inbox_auto_reply_goes_once_a_day_to_a_person_and_never_to_automatic_mail() {
    let s = mail_servers();
    let token = unique_token();
    let folder = format!("reply-auto-{token}");
    let mail = |from: &str, n: u32, extra: &str| {
        format!(
            "From: {from}\r\nTo: support@example.test\r\nSubject: 質問{n} {token}\r\n\
             Message-ID: <{token}-{n}@customer.test>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0900\r\n\
             {extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nこんにちは\r\n"
        )
        .into_bytes()
    };
    let mails = [
        mail("alice@customer.test", 1, ""),
        // A second ticket from the same person the same day: the loop guard holds it back.
        mail("alice@customer.test", 2, ""),
        // Someone's auto-responder: stored, never answered automatically.
        mail("bob@customer.test", 3, "Auto-Submitted: auto-replied\r\n"),
    ];
    // Mail of the first sync is old mail (imported, answered by no one automatically):
    // these arrive after it.
    block_on(s.imap_fresh_folder("support@example.test", &folder, &[], None)).unwrap();
    let h = hako(&folder);
    let env = [("HAKO_INBOX__SUPPORT__AUTO_REPLY", "auto-ack-ja")];
    h.ok_env(&["sync", "--once"], &env);
    block_on(s.imap_append("support@example.test", &folder, &mails)).unwrap();
    h.ok_env(&["sync", "--once"], &env);
    assert_eq!(h.stats()["tickets"], 3);
    let flush = h.json_env(&["outbox", "flush", "--json"], &env);
    assert_eq!(flush["auto_replies"], 1, "{flush}");
    assert_eq!(flush["sent"], 1, "{flush}");
    let errors = flush["errors"].to_string();
    assert!(errors.contains("loop guard"), "{errors}");

    let got = delivered("alice@customer.test", &token, 1, Duration::from_secs(30));
    assert_eq!(got.len(), 1, "one automatic reply to alice");
    assert!(
        got[0].contains("受け付けました") && got[0].contains(&format!("質問1 {token}")),
        "{}",
        got[0]
    );
    let all = block_on(s.imap_fetch_all("alice@customer.test", "INBOX")).unwrap();
    let ours = all
        .iter()
        .filter_map(|r| MessageParser::default().parse(r))
        .find(|m| m.body_text(0).is_some_and(|b| b.contains(&token)))
        .unwrap();
    assert_eq!(
        ours.header("Auto-Submitted").and_then(|v| v.as_text()),
        Some("auto-replied")
    );
    assert!(delivered("bob@customer.test", &token, 1, Duration::from_secs(2)).is_empty());
    // Nothing is left to send on the next pass.
    let again = h.json_env(&["outbox", "flush", "--json"], &env);
    assert_eq!(
        (again["auto_replies"].as_u64(), again["sent"].as_u64()),
        (Some(0), Some(0))
    );
}
