use super::*;
use chrono::TimeZone;
use hako_mail::{Limits, parse};

fn key() -> SigningKey {
    SigningKey::new(b"test key".to_vec())
}

fn ours() -> Vec<String> {
    vec!["support@example.test".into(), "info@example.test".into()]
}

fn reply<'a>(
    key: &'a SigningKey,
    ours: &'a [String],
    others: &'a [String],
    refs: &'a [String],
) -> Reply<'a> {
    Reply {
        inbox_address: "support@example.test",
        inbox_display_name: "Example サポート",
        signature: "--\nExample サポート窓口",
        ticket: TicketId(42),
        subject_tag: None,
        customer: "taro@customer.test",
        customer_name: Some("山田 太郎"),
        others,
        reply_all: true,
        original_subject: "Re: 請求書の再発行について",
        in_reply_to: Some("<m2@customer.test>"),
        references: refs,
        quote: Some(Quote {
            who: "山田 太郎",
            date: Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap(),
            text: "再発行をお願いします。\n\nよろしく",
        }),
        body: "山田様\n\n再発行いたしました。",
        our_addresses: ours,
        key,
        nonce: "abc123",
        date: Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
        attachments: &[],
        charset: Charset::Utf8,
        automatic: false,
    }
}

#[test]
fn a_reply_threads_and_carries_a_signed_ticket_reference() {
    let (k, o) = (key(), ours());
    let others = vec![
        "support@example.test".to_string(),
        "keiri@customer.test".to_string(),
    ];
    let refs = vec!["<m1@customer.test>".to_string()];
    let c = compose(&reply(&k, &o, &others, &refs)).unwrap();
    assert_eq!(k.verify(&c.message_id), Some(TicketId(42)));
    assert!(c.message_id.ends_with("@example.test"));
    // Read back with our own parser: what a mail client sees.
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.subject, "Re: 請求書の再発行について");
    assert_eq!(p.message_id, c.message_id);
    assert_eq!(p.in_reply_to, ["m2@customer.test"]);
    assert_eq!(p.references, ["m1@customer.test", "m2@customer.test"]);
    let from = p.from.unwrap();
    assert_eq!(
        (from.name.as_deref(), from.address.as_str()),
        (Some("Example サポート"), "support@example.test")
    );
    assert_eq!(p.to[0].address, "taro@customer.test");
    assert_eq!(p.to[0].name.as_deref(), Some("山田 太郎"));
    let cc: Vec<&str> = p.cc.iter().map(|x| x.address.as_str()).collect();
    assert_eq!(
        cc,
        ["keiri@customer.test"],
        "our own address is dropped from Cc"
    );
    assert!(
        p.text
            .starts_with("山田様\n\n再発行いたしました。\n\n--\nExample サポート窓口"),
        "{}",
        p.text
    );
    assert!(
        p.text.contains("> 再発行をお願いします。\n>\n> よろしく"),
        "{}",
        p.text
    );
}

#[test]
fn a_tag_can_be_added_and_references_stay_bounded() {
    let (k, o) = (key(), ours());
    let refs: Vec<String> = (0..40).map(|i| format!("<r{i}@x.test>")).collect();
    let mut r = reply(&k, &o, &[], &refs);
    r.subject_tag = Some(1042);
    r.reply_all = false;
    let c = compose(&r).unwrap();
    assert_eq!(c.subject, "Re: 請求書の再発行について [#1042]");
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.references.len(), MAX_REFERENCES);
    assert_eq!(p.references[0], "r0@x.test", "the thread's root stays");
    assert_eq!(p.references.last().unwrap(), "m2@customer.test");
    assert!(p.cc.is_empty());
}

#[test]
fn unsafe_replies_are_refused() {
    let (k, o) = (key(), ours());
    let mut r = reply(&k, &o, &[], &[]);
    r.original_subject = "hello\r\nBcc: everyone@x.test";
    assert!(matches!(compose(&r), Err(ComposeError::Unsafe(_))));
    let mut r = reply(&k, &o, &[], &[]);
    r.customer = "MAILER-DAEMON@mx.customer.test";
    assert!(matches!(compose(&r), Err(ComposeError::Unsafe(_))));
}

mod attachments;
mod iso2022jp;

/// What an independent parser (upstream mail-parser, no hako repairs) reads.
fn upstream(raw: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default().parse(raw).unwrap()
}

/// LF line ends, as `Composed::text` has them.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}
