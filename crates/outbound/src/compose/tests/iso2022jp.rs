use super::*;
use base64::Engine;
use encoding_rs::ISO_2022_JP;

const SUBJECT: &str = "ご請求書〜再発行のお願いと今後のお支払い方法の変更についての確認事項および関連する契約条件の見直しに関するご相談";

fn jis<'a>(k: &'a SigningKey, o: &'a [String]) -> Reply<'a> {
    let mut r = reply(k, o, &[], &[]);
    r.original_subject = SUBJECT;
    r.body = "山田様\n\n10時〜12時にお電話いたします。残高は−500円です。\n\
              本件につきましては、弊社経理部にて確認のうえ、改めて正式な請求書を発行させていただきます。ご不明な点がございましたらお気軽にお問い合わせください。";
    r.charset = Charset::Iso2022Jp;
    r
}

/// Every encoded-word in the header section: at most 75 characters, and an ISO-2022-JP
/// word decodes on its own and ends back in ASCII.
fn check_words(raw: &str) -> usize {
    let head = &raw[..raw.find("\r\n\r\n").unwrap()];
    let mut n = 0;
    for token in head.split([' ', '\r', '\n', '"']) {
        let Some(b64) = token
            .strip_prefix("=?ISO-2022-JP?B?")
            .and_then(|t| t.strip_suffix("?="))
        else {
            continue;
        };
        assert!(token.len() <= 75, "{token}");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        if bytes.contains(&0x1b) {
            assert!(bytes.ends_with(b"\x1b(B"), "{token}");
        }
        let (_, bad) = ISO_2022_JP.decode_without_bom_handling(&bytes);
        assert!(!bad, "{token}");
        n += 1;
    }
    n
}

#[test]
fn iso_2022_jp_is_7bit_and_decodes_exactly_in_both_parsers() {
    let (k, o) = (key(), ours());
    let r = jis(&k, &o);
    let c = compose(&r).unwrap();
    assert_eq!(c.charset, Charset::Iso2022Jp);
    assert!(c.raw.is_ascii(), "pure 7-bit");
    let raw = String::from_utf8(c.raw.clone()).unwrap();
    assert!(
        raw.to_ascii_lowercase()
            .contains("content-type: text/plain; charset=iso-2022-jp"),
        "{raw}"
    );
    assert!(raw.contains("Content-Transfer-Encoding: 7bit"), "{raw}");
    assert!(raw.contains("\x1b$B"), "the body is JIS, not base64: {raw}");
    assert!(raw.contains("Subject: =?ISO-2022-JP?B?"), "{raw}");
    assert!(raw.contains("From: =?ISO-2022-JP?B?"), "{raw}");
    assert!(raw.contains("To: =?ISO-2022-JP?B?"), "{raw}");
    let words = check_words(&raw);
    assert!(words >= 5, "the long subject is folded over several words");
    for line in raw[..raw.find("\r\n\r\n").unwrap()].lines() {
        assert!(line.len() <= 76, "{line}");
    }

    // What the customer reads: the same reply in UTF-8, look-alikes mapped.
    let mut u = r;
    u.charset = Charset::Utf8;
    let plain = compose(&u).unwrap();
    let subject = plain.subject.replace('〜', "～");
    let text = plain.text.replace('〜', "～").replace('−', "－");
    assert_eq!(c.subject, subject);
    assert_eq!(c.text, text);

    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.subject, subject);
    assert_eq!(p.from.unwrap().name.as_deref(), Some("Example サポート"));
    assert_eq!(p.to[0].name.as_deref(), Some("山田 太郎"));
    assert_eq!(p.text.trim_end(), text.trim_end());
    assert_eq!(p.references, ["m2@customer.test"]);

    let m = upstream(&c.raw);
    assert_eq!(m.subject(), Some(subject.as_str()));
    assert_eq!(
        m.from().unwrap().first().unwrap().name(),
        Some("Example サポート")
    );
    assert_eq!(m.to().unwrap().first().unwrap().name(), Some("山田 太郎"));
    assert_eq!(
        m.to().unwrap().first().unwrap().address(),
        Some("taro@customer.test")
    );
    assert_eq!(lf(&m.body_text(0).unwrap()), text);
    assert_eq!(m.message_id(), Some(c.message_id.as_str()));
}

#[test]
fn iso_2022_jp_carries_attachments() {
    let (k, o) = (key(), ours());
    let blob: Vec<u8> = (0..=255u8).rev().collect();
    let files = [Attachment {
        filename: "請求書.pdf".into(),
        content_type: "application/pdf".into(),
        data: blob.clone(),
    }];
    let mut r = jis(&k, &o);
    r.attachments = &files;
    let c = compose(&r).unwrap();
    assert_eq!(c.charset, Charset::Iso2022Jp);
    assert!(c.raw.is_ascii());
    let m = upstream(&c.raw);
    assert_eq!(lf(&m.body_text(0).unwrap()), c.text);
    let a = m.attachments().next().unwrap();
    assert_eq!(
        mail_parser::MimeHeaders::attachment_name(a),
        Some("請求書.pdf")
    );
    assert_eq!(a.contents(), &blob[..]);
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.text.trim_end(), c.text.trim_end());
    assert_eq!(p.attachments[0].bytes, blob);
}

#[test]
fn what_iso_2022_jp_cannot_hold_falls_back_to_utf8() {
    let (k, o) = (key(), ours());
    let mut r = jis(&k, &o);
    r.body = "山田様\n\nありがとうございます😊 Müller様にもよろしく。";
    let c = compose(&r).unwrap();
    assert_eq!(c.charset, Charset::Utf8);
    let raw = String::from_utf8(c.raw.clone()).expect("valid UTF-8");
    assert!(!raw.to_ascii_uppercase().contains("ISO-2022-JP"), "{raw}");
    assert!(c.text.starts_with(r.body), "nothing mapped: {}", c.text);
    assert!(c.subject.contains('〜'), "nothing mapped: {}", c.subject);
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.text.trim_end(), c.text.trim_end());
    assert_eq!(p.subject, c.subject);
    let m = upstream(&c.raw);
    assert_eq!(lf(&m.body_text(0).unwrap()), c.text);
    assert_eq!(m.subject(), Some(c.subject.as_str()));

    // A name or a subject alone is enough.
    let mut r = jis(&k, &o);
    r.customer_name = Some("José 山田");
    assert_eq!(compose(&r).unwrap().charset, Charset::Utf8);
    let mut r = jis(&k, &o);
    r.original_subject = "ご確認🙏";
    assert_eq!(compose(&r).unwrap().charset, Charset::Utf8);
    // NEC special characters are in encoding_rs's table: no fallback for ① or ㈱.
    let mut r = jis(&k, &o);
    r.body = "①㈱髙橋";
    assert_eq!(compose(&r).unwrap().charset, Charset::Iso2022Jp);
}

#[test]
fn a_line_too_long_for_7bit_goes_base64_and_still_decodes() {
    let (k, o) = (key(), ours());
    let long = "長い行です。".repeat(100);
    let mut r = jis(&k, &o);
    r.body = &long;
    let c = compose(&r).unwrap();
    assert_eq!(c.charset, Charset::Iso2022Jp);
    let raw = String::from_utf8(c.raw.clone()).unwrap();
    assert!(raw.contains("Content-Transfer-Encoding: base64"), "{raw}");
    assert!(raw.lines().all(|l| l.len() <= 998));
    assert_eq!(lf(&upstream(&c.raw).body_text(0).unwrap()), c.text);
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.text.trim_end(), c.text.trim_end());
}
