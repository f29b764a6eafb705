use super::*;
use mail_parser::MimeHeaders;

fn file(name: &str, content_type: &str, data: &[u8]) -> Attachment {
    Attachment {
        filename: name.into(),
        content_type: content_type.into(),
        data: data.to_vec(),
    }
}

/// The raw message without its Content-Disposition headers: what groupware that ignores
/// RFC 2231 has left to name the file.
fn without_disposition(raw: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in raw.split_inclusive("\r\n") {
        if line.starts_with("Content-Disposition:") {
            skipping = true;
        } else if !line.starts_with(' ') {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn a_japanese_filename_and_binary_bytes_survive_both_parsers() {
    let (k, o) = (key(), ours());
    let blob: Vec<u8> = (0..=255u8).collect();
    let name = "請求書 2026年11月.pdf";
    let files = [file(name, "application/pdf", &blob)];
    let mut r = reply(&k, &o, &[], &[]);
    r.attachments = &files;
    let c = compose(&r).unwrap();
    let raw = String::from_utf8(c.raw.clone()).unwrap();
    assert!(raw.contains("Content-Type: multipart/mixed"), "{raw}");
    assert!(raw.contains("name=\"=?UTF-8?B?"), "{raw}");
    assert!(raw.contains("Content-Disposition: attachment;"), "{raw}");
    assert!(raw.contains("filename*0*=utf-8''%E8%AB%8B"), "{raw}");
    assert!(raw.contains("Content-Transfer-Encoding: base64"), "{raw}");

    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.attachments.len(), 1);
    assert_eq!(p.attachments[0].filename.as_deref(), Some(name));
    assert_eq!(p.attachments[0].content_type, "application/pdf");
    assert_eq!(p.attachments[0].bytes, blob);
    assert_eq!(p.text.trim_end(), c.text.trim_end());

    let m = upstream(&c.raw);
    let a: Vec<_> = m.attachments().collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].attachment_name(), Some(name));
    assert_eq!(a[0].contents(), &blob[..]);

    // The encoded-word on Content-Type names the file on its own.
    let bare = without_disposition(&raw);
    assert!(!bare.contains("filename"), "{bare}");
    let m = upstream(bare.as_bytes());
    assert_eq!(
        m.attachments().next().unwrap().attachment_name(),
        Some(name)
    );
    let p = parse(bare.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(p.attachments[0].filename.as_deref(), Some(name));
}

#[test]
fn a_long_japanese_filename_is_folded_into_whole_words() {
    let (k, o) = (key(), ours());
    let name = "御見積書_株式会社サンプル商事様_2026年11月分_改訂版_最終確認済み.xlsx";
    let files = [file(name, "application/octet-stream", b"PK")];
    let mut r = reply(&k, &o, &[], &[]);
    r.attachments = &files;
    let c = compose(&r).unwrap();
    let raw = String::from_utf8(c.raw.clone()).unwrap();
    let bare = without_disposition(&raw);
    assert_eq!(
        upstream(bare.as_bytes())
            .attachments()
            .next()
            .unwrap()
            .attachment_name(),
        Some(name)
    );
    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.attachments[0].filename.as_deref(), Some(name));
    for line in raw.lines() {
        assert!(line.len() <= 78, "{line}");
    }
}

#[test]
fn with_two_attachments_the_text_comes_first_and_intact() {
    let (k, o) = (key(), ours());
    let files = [
        file("report.pdf", "application/pdf", b"%PDF-1.7\n"),
        file(
            "見積書.csv",
            "text/csv; charset=UTF-8",
            "品名,数量\n".as_bytes(),
        ),
    ];
    let mut r = reply(&k, &o, &[], &[]);
    r.attachments = &files;
    let c = compose(&r).unwrap();
    assert_eq!(c.charset, Charset::Utf8);
    let raw = String::from_utf8(c.raw.clone()).unwrap();
    assert!(raw.contains("name=\"report.pdf\""), "{raw}");
    assert!(raw.contains("text/csv; charset=utf-8;"), "{raw}");
    assert!(c.text.contains("--\nExample サポート窓口"));
    assert!(c.text.contains("> 再発行をお願いします。"));

    let p = parse(&c.raw, &Limits::default()).unwrap();
    assert_eq!(p.text.trim_end(), c.text.trim_end());
    let names: Vec<_> = p.attachments.iter().map(|a| a.filename.clone()).collect();
    assert_eq!(
        names,
        [Some("report.pdf".into()), Some("見積書.csv".into())]
    );
    assert_eq!(p.attachments[1].bytes, "品名,数量\n".as_bytes());

    let m = upstream(&c.raw);
    assert_eq!(m.parts.len(), 4, "multipart, text, two files");
    assert!(m.parts[1].is_text() && !m.parts[1].is_text_html());
    assert_eq!(m.parts[1].attachment_name(), None);
    assert_eq!(lf(&m.body_text(0).unwrap()), c.text);
    let names: Vec<_> = m.attachments().map(|a| a.attachment_name()).collect();
    assert_eq!(names, [Some("report.pdf"), Some("見積書.csv")]);
    assert_eq!(m.attachments().next().unwrap().contents(), b"%PDF-1.7\n");
}

#[test]
fn without_attachments_the_reply_stays_one_text_part() {
    let (k, o) = (key(), ours());
    let c = compose(&reply(&k, &o, &[], &[])).unwrap();
    let raw = String::from_utf8(c.raw).unwrap();
    assert!(!raw.contains("multipart"), "{raw}");
    assert!(
        raw.contains("Content-Type: text/plain; charset=utf-8"),
        "{raw}"
    );
}

#[test]
fn unsafe_filenames_and_content_types_are_refused() {
    let (k, o) = (key(), ours());
    let cases = [
        ("../../etc/passwd", "text/plain", "path separator"),
        (
            "C:\\Users\\taro\\a.pdf",
            "application/pdf",
            "path separator",
        ),
        (
            "a.pdf\r\nBcc: everyone@x.test",
            "application/pdf",
            "control",
        ),
        ("tab\there.pdf", "application/pdf", "control"),
        ("  ", "application/pdf", "empty"),
        (&"長".repeat(100), "application/pdf", "255 bytes"),
        ("a.pdf", "pdf", "does not parse"),
        (
            "a.pdf",
            "application/pdf\r\nBcc: x@x.test",
            "does not parse",
        ),
        ("a.eml", "message/rfc822", "cannot be attached"),
        (
            "a.mime",
            "multipart/mixed; boundary=x",
            "cannot be attached",
        ),
    ];
    for (name, content_type, why) in cases {
        let files = [file(name, content_type, b"x")];
        let mut r = reply(&k, &o, &[], &[]);
        r.attachments = &files;
        match compose(&r) {
            Err(ComposeError::Unsafe(e)) => {
                assert!(e.contains(why), "{name:?}: {e}");
                assert!(e.starts_with("attachment "), "{e}");
            }
            other => panic!("{name:?} {content_type:?}: {other:?}"),
        }
    }
}
