//! The last resort when mail-parser finds no header at all and gives up (`parse` returns
//! `None`): header lines are read by hand, the rest is decoded as text (chardetng when it is
//! not UTF-8), and a warning says so. The mail is kept rather than lost.

use mail_parser::{DateTime, HeaderValue};

use crate::charset;
use crate::headers::{Field, bare_address, reparse};
use crate::message::{MailKind, ParsedMessage};
use crate::parse::message_id;
use crate::rfc2047::{self, Output};
use crate::subject::{normalize_subject, ticket_tags};

pub(crate) fn parse(raw: &[u8], mail: &[u8]) -> ParsedMessage {
    let (fields, body) = split(mail);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| rfc2047::repair(v, Output::Reencoded).value)
    };
    let mut warnings =
        vec!["mime: no header could be parsed; the mail was read as plain text".to_owned()];

    let subject = field("Subject")
        .map(|v| reparse(&v, Field::Unstructured))
        .and_then(|v| v.as_text().map(str::to_owned))
        .unwrap_or_default();
    let addresses = |name: &str| match field(name).map(|v| reparse(&v, Field::Address)) {
        Some(HeaderValue::Address(address)) => address
            .iter()
            .filter_map(|a| {
                Some(hako_domain::Participant {
                    name: a.name().map(str::to_owned),
                    address: a.address()?.to_owned(),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let ids = field("Message-ID")
        .map(|v| bare_address(&v))
        .filter(|id| !id.is_empty())
        .into_iter()
        .collect();
    let (message_id, message_id_derived) = message_id(ids, raw);
    let decoded = charset::decode_unlabelled(body);
    warnings.extend(decoded.notes.into_iter().map(|n| format!("body: {n}")));

    ParsedMessage {
        message_id,
        message_id_derived,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        from: addresses("From").into_iter().next(),
        sender: None,
        reply_to: Vec::new(),
        to: addresses("To"),
        cc: addresses("Cc"),
        delivered_to: Vec::new(),
        return_path: field("Return-Path").map(|v| bare_address(&v)),
        date: field("Date")
            .and_then(|v| DateTime::parse_rfc822(v.trim()))
            .filter(DateTime::is_valid)
            .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0)),
        thread_subject: normalize_subject(&subject),
        ticket_tags: ticket_tags(&subject),
        subject,
        text: crate::body::normalize_newlines(&decoded.text)
            .trim_end()
            .to_owned(),
        html: None,
        attachments: Vec::new(),
        kind: MailKind::Normal,
        auto_submitted: false,
        warnings,
    }
}

/// Header lines (`Name: value`, folded lines joined) up to the first empty line; when the first
/// line is not a header, there are none and everything is body.
fn split(mail: &[u8]) -> (Vec<(String, Vec<u8>)>, &[u8]) {
    let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
    let mut offset = 0;
    for line in mail.split_inclusive(|&b| b == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.is_empty() {
            return (fields, &mail[offset + line.len()..]);
        }
        if content.starts_with(b" ") || content.starts_with(b"\t") {
            match fields.last_mut() {
                Some((_, value)) => value.extend_from_slice(line),
                None => return (Vec::new(), mail),
            }
        } else {
            let colon = content.iter().position(|&b| b == b':');
            let name = colon
                .map(|c| &content[..c])
                .filter(|n| !n.is_empty() && n.iter().all(|&b| b.is_ascii_graphic() && b != b':'));
            let Some(name) = name else {
                return (Vec::new(), mail);
            };
            fields.push((
                String::from_utf8_lossy(name).into_owned(),
                line[name.len() + 1..].to_vec(),
            ));
        }
        offset += line.len();
    }
    (fields, &mail[mail.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_headers_at_all() {
        let parsed = parse(b"just text\nsecond line\n", b"just text\nsecond line\n");
        assert_eq!(parsed.text, "just text\nsecond line");
        assert!(parsed.message_id_derived);
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn hand_read_headers() {
        let raw = b"Subject: =?UTF-8?B?6KaL56mN?=\nFrom: A <a@example.test>\n\nbody";
        let parsed = parse(raw, raw);
        assert_eq!(parsed.subject, "見積");
        assert_eq!(parsed.from.unwrap().address, "a@example.test");
        assert_eq!(parsed.text, "body");
    }
}
