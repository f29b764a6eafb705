//! [`parse`]: limits first, then mail-parser for the structure, then each field taken from it
//! and repaired where needed, in the order the fields appear in [`ParsedMessage`].

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::classify::{Signals, classify};
use crate::headers::{Headers, bare_address};
use crate::limits::{Limits, ParseError};
use crate::message::ParsedMessage;
use crate::rfc2047::push_note;
use crate::subject::{normalize_subject, ticket_tags};
use crate::{attachments, body, fallback};

/// Parses one raw mail (as fetched over IMAP, LF or CRLF line ends). Malformed mail parses as
/// far as possible, with [`ParsedMessage::warnings`]; only exceeding `limits` is an error.
pub fn parse(raw: &[u8], limits: &Limits) -> Result<ParsedMessage, ParseError> {
    limits.check_size(raw)?;
    limits.prescan(raw)?;
    let mail = skip_mbox_separator(raw);
    let Some(mut message) = MessageParser::new().parse(mail) else {
        return Ok(fallback::parse(raw, mail));
    };
    limits.check_tree(&message)?;

    let mut warnings = Vec::new();
    repair_structure(&mut message, mail, &mut warnings);
    let root = message.root_part();
    let headers = Headers::new(mail, root.headers());

    let subject = headers.text("Subject", &mut warnings).unwrap_or_default();
    let from = headers.addresses("From", &mut warnings).into_iter().next();
    let sender = headers
        .addresses("Sender", &mut warnings)
        .into_iter()
        .next();
    let reply_to = headers.addresses("Reply-To", &mut warnings);
    let to = headers.addresses("To", &mut warnings);
    let cc = headers.addresses("Cc", &mut warnings);
    let date = headers.date(&mut warnings);
    let return_path = headers.raw_text("Return-Path").map(|v| bare_address(&v));
    let body = body::extract(&message, mail, &mut warnings);
    let attachments = attachments::collect(&message, mail, &mut warnings);

    let signals = Signals {
        auto_submitted: headers.raw_text("Auto-Submitted").map(|v| first_token(&v)),
        autoreply_header: [
            "X-Autoreply",
            "X-Autorespond",
            "X-AutoReply-From",
            "X-Mail-Autoreply",
        ]
        .iter()
        .filter_map(|name| headers.raw_text(name))
        .any(|v| !v.eq_ignore_ascii_case("no")),
        precedence: headers.raw_text("Precedence").map(|v| first_token(&v)),
        list_header: ["List-Id", "List-Unsubscribe", "List-Post"]
            .iter()
            .any(|name| headers.has(name)),
        null_sender: return_path.as_deref() == Some(""),
        from_daemon: from.as_ref().is_some_and(|f| is_daemon(&f.address)),
        failed_recipients: headers.has("X-Failed-Recipients"),
        report_type: root
            .content_type()
            .filter(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
            .filter(|ct| {
                ct.subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            })
            .and_then(|ct| ct.attribute("report-type"))
            .map(first_token),
        subject: subject.clone(),
    };
    let (kind, auto_submitted) = classify(&signals);
    let (message_id, message_id_derived) = message_id(headers.ids("Message-ID"), raw);

    Ok(ParsedMessage {
        message_id,
        message_id_derived,
        in_reply_to: headers.ids("In-Reply-To"),
        references: headers.ids("References"),
        from,
        sender,
        reply_to,
        to,
        cc,
        delivered_to: delivered_to(&headers),
        return_path,
        date,
        thread_subject: normalize_subject(&subject),
        ticket_tags: ticket_tags(&subject),
        subject,
        text: body.text,
        html: body.html,
        attachments,
        kind,
        auto_submitted,
        warnings,
    })
}

/// The first Message-ID, else one derived from the raw bytes with line ends folded to LF, so
/// that the same mail stored with LF or CRLF gets the same id.
pub(crate) fn message_id(ids: Vec<String>, raw: &[u8]) -> (String, bool) {
    if let Some(id) = ids.into_iter().next() {
        return (id, false);
    }
    let mut hasher = Sha256::new();
    let mut rest = raw;
    while let Some(cr) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..cr]);
        rest = &rest[cr + 1..];
    }
    hasher.update(rest);
    let digest = hex::encode(hasher.finalize());
    (format!("{}@hako.invalid", &digest[..32]), true)
}

/// An mbox `From ` separator line before the headers is not a header.
fn skip_mbox_separator(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        let end = raw
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |n| n + 1);
        return &raw[end..];
    }
    raw
}

/// The MIME structure problems mail-parser recovers from silently: a multipart whose boundary
/// never occurs (its body becomes the text), and a missing close delimiter (a warning).
fn repair_structure(
    message: &mut mail_parser::Message<'_>,
    mail: &[u8],
    warnings: &mut Vec<String>,
) {
    let root = message.root_part();
    if let (Some(ct), PartType::Text(_) | PartType::Html(_)) = (root.content_type(), &root.body)
        && ct.ctype().eq_ignore_ascii_case("multipart")
    {
        let boundary = ct.attribute("boundary").unwrap_or_default();
        warnings.push(format!(
            "mime: boundary {boundary:?} declared but not found; body read as text"
        ));
        message.text_body = vec![0];
        message.html_body.clear();
        message.attachments.retain(|&id| id != 0);
        return;
    }
    rescue_damaged_text(message);
    for part in &message.parts {
        let Some(boundary) = part
            .content_type()
            .filter(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
            .and_then(|ct| ct.attribute("boundary"))
        else {
            continue;
        };
        let close = format!("--{boundary}--");
        if !mail.windows(close.len()).any(|w| w == close.as_bytes()) {
            push_note(
                warnings,
                format!("mime: closing boundary {boundary:?} missing"),
            );
        }
    }
}

/// mail-parser turns a text part whose transfer encoding is damaged into an attachment; when
/// the body has no text otherwise, that part is the body.
fn rescue_damaged_text(message: &mut mail_parser::Message<'_>) {
    let is_text = |id: &u32| {
        message
            .parts
            .get(*id as usize)
            .is_some_and(|p| matches!(p.body, PartType::Text(_) | PartType::Html(_)))
    };
    if message.text_body.iter().any(is_text) {
        return;
    }
    let rescued = message.attachments.iter().copied().find(|&id| {
        message.parts.get(id as usize).is_some_and(|part| {
            part.is_encoding_problem
                && part.attachment_name().is_none()
                && !part
                    .content_disposition()
                    .is_some_and(|d| d.is_attachment())
                && part.content_type().is_some_and(|ct| {
                    ct.ctype().eq_ignore_ascii_case("text")
                        && ct.subtype().is_some_and(|s| {
                            s.eq_ignore_ascii_case("plain") || s.eq_ignore_ascii_case("html")
                        })
                })
        })
    });
    if let Some(id) = rescued {
        message.attachments.retain(|&a| a != id);
        message.text_body = vec![id];
    }
}

fn delivered_to(headers: &Headers<'_, '_>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for value in headers.raw_texts_of(&[
        "Delivered-To",
        "X-Original-To",
        "X-Delivered-To",
        "Envelope-To",
    ]) {
        for address in value.split(',') {
            let address = bare_address(address).to_lowercase();
            if !address.is_empty() && !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found
}

/// `auto-replied (vacation)` → `auto-replied`; `bulk` → `bulk`.
fn first_token(value: &str) -> String {
    value
        .trim()
        .split([';', '(', ' ', '\t'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_daemon(address: &str) -> bool {
    let local = address
        .split('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(
        local.as_str(),
        "mailer-daemon" | "mail-daemon" | "mailerdaemon" | "postmaster"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_ignore_line_ends() {
        let (lf, derived) = message_id(Vec::new(), b"Subject: x\n\nbody\n");
        let (crlf, _) = message_id(Vec::new(), b"Subject: x\r\n\r\nbody\r\n");
        assert!(derived);
        assert_eq!(lf, crlf);
        assert_eq!(lf.len(), 32 + "@hako.invalid".len());
        assert_eq!(message_id(vec!["a@b".into()], b""), ("a@b".into(), false));
    }

    #[test]
    fn degenerate_input_still_parses() {
        let limits = Limits::default();
        let empty = parse(b"", &limits).unwrap();
        assert!(empty.message_id_derived && empty.text.is_empty());
        assert_eq!(empty.warnings.len(), 1);

        let no_headers = parse(b"\r\n\r\nonly a body\r\n", &limits).unwrap();
        assert_eq!(no_headers.text, "only a body");

        let binary = parse(&[0xff, 0xfe, 0x00, 0x1b, 0x0e, b'\n', 0x80], &limits).unwrap();
        assert!(binary.message_id_derived);

        let mbox = parse(
            b"From a@example.test Mon Jan  1 00:00:00 2024\nSubject: hi\n\nx\n",
            &limits,
        )
        .unwrap();
        assert_eq!(mbox.subject, "hi");
        assert!(mbox.warnings.is_empty());
    }

    #[test]
    fn encoded_words_in_quoted_names_are_repaired() {
        let name = crate::transfer::base64_encode(&encoding_rs::SHIFT_JIS.encode("山田, 太郎").0);
        let raw = format!(
            "From: \"=?cp932?B?{name}?=\" <yamada@example.jp>\r\nTo: a@example.test, \"=?cp932?B?{name}?=\" <b@example.test>\r\n\r\nx"
        );
        let parsed = parse(raw.as_bytes(), &Limits::default()).unwrap();
        let from = parsed.from.unwrap();
        assert_eq!(
            (from.name.as_deref(), from.address.as_str()),
            (Some("山田, 太郎"), "yamada@example.jp")
        );
        assert_eq!(parsed.to.len(), 2);
        assert_eq!(parsed.to[1].name.as_deref(), Some("山田, 太郎"));
    }

    #[test]
    fn tokens() {
        assert_eq!(first_token(" Auto-Replied (vacation)"), "auto-replied");
        assert_eq!(
            first_token("auto-generated; owner-email=\"a@b\""),
            "auto-generated"
        );
        assert!(is_daemon("MAILER-DAEMON@mx.example.test") && !is_daemon("daemon@x"));
    }
}
