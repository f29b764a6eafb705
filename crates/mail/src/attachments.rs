//! Attachments: every part mail-parser lists outside the main body — files, inline images,
//! calendar parts, TNEF (`winmail.dat`, kept as received), delivery-status reports and attached
//! messages. An attached message (message/rfc822, e.g. forwarded "as attachment") stays one
//! attachment, named `<its subject>.eml` unless it carries a name; its parts are not merged
//! into the body. Names are repaired from the raw headers when damaged ([`crate::params`]).

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::charset;
use crate::headers::Headers;
use crate::message::ParsedAttachment;
use crate::params;
use crate::rfc2047::push_note;
use crate::transfer::{self, Cte};

pub(crate) fn collect(
    message: &Message<'_>,
    raw: &[u8],
    warnings: &mut Vec<String>,
) -> Vec<ParsedAttachment> {
    message
        .attachments
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .filter(|part| !matches!(part.body, PartType::Multipart(_)))
        .enumerate()
        .map(|(index, part)| attachment(index + 1, part, raw, warnings))
        .collect()
}

fn attachment(
    index: usize,
    part: &MessagePart<'_>,
    raw: &[u8],
    warnings: &mut Vec<String>,
) -> ParsedAttachment {
    let content_type = content_type(part);
    let cte = Cte::of(part);
    let mut bytes = match &part.body {
        PartType::Binary(b) | PartType::InlineBinary(b) if !part.is_encoding_problem => b.to_vec(),
        _ => transfer::decoded_body(part, raw),
    };
    let mut notes = Vec::new();
    if part.is_encoding_problem && cte != Cte::Identity {
        notes.push(format!(
            "damaged {} decoded leniently",
            crate::body::cte_name(cte)
        ));
    }
    // Line ends of text sent without base64 depend on how the mail was stored; use the MIME
    // canonical CRLF so size and hash do not.
    if cte != Cte::Base64
        && (content_type.starts_with("text/") || content_type.starts_with("message/"))
    {
        bytes = to_crlf(&bytes);
    }
    let mut filename = name(part, raw, &mut notes);
    if filename.is_none() && matches!(part.body, PartType::Message(_)) {
        filename = Some(message_name(&bytes));
    }
    let label = filename.clone().unwrap_or_else(|| format!("#{index}"));
    for note in notes {
        push_note(warnings, format!("attachment {label}: {note}"));
    }
    let content_id = part
        .content_id()
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
        .filter(|id| !id.is_empty());
    let inline = match part.content_disposition() {
        Some(disposition) => disposition.is_inline(),
        None => content_id.is_some(),
    };
    ParsedAttachment {
        filename,
        content_type,
        size: bytes.len() as u64,
        content_id,
        inline,
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
    }
}

fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => format!(
            "{}/{}",
            ct.ctype().trim(),
            ct.subtype().map_or("octet-stream", str::trim)
        )
        .to_ascii_lowercase(),
        None if matches!(part.body, PartType::Message(_)) => "message/rfc822".into(),
        None => "text/plain".into(),
    }
}

/// The file name from Content-Disposition `filename` or Content-Type `name`, read again from
/// the raw header when mail-parser's value is damaged.
fn name(part: &MessagePart<'_>, raw: &[u8], notes: &mut Vec<String>) -> Option<String> {
    let parsed = part
        .attachment_name()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let headers = Headers::new(raw, part.headers());
    let raw_of = |field: &str| headers.first(field).map(|h| headers.raw_value(h));
    let (disposition, ctype) = (raw_of("Content-Disposition"), raw_of("Content-Type"));
    let raw_damaged =
        |r: Option<&[u8]>| r.is_some_and(|r| r.contains(&0x1b) || std::str::from_utf8(r).is_err());
    let damaged = parsed.is_some_and(charset::looks_damaged)
        || raw_damaged(disposition)
        || raw_damaged(ctype);
    if !damaged {
        return parsed.map(clean_name);
    }
    let repaired = disposition
        .and_then(|r| params::param(r, "filename"))
        .filter(|r| !r.value.trim().is_empty())
        .or_else(|| ctype.and_then(|r| params::param(r, "name")))?;
    notes.push("name decoded again from the raw header".into());
    notes.extend(repaired.notes);
    Some(clean_name(&repaired.value))
}

/// `<subject>.eml` for an attached message without a name.
fn message_name(bytes: &[u8]) -> String {
    let subject = MessageParser::new()
        .parse_headers(bytes)
        .and_then(|nested| {
            let mut ignored = Vec::new();
            Headers::new(bytes, nested.root_part().headers()).text("Subject", &mut ignored)
        })
        .map(|s| s.replace(['/', '\\'], "_"))
        .map(|s| clean_name(&s))
        .filter(|s| !s.is_empty());
    format!("{}.eml", subject.as_deref().unwrap_or("message"))
}

/// Control characters (folding left in names) become spaces; blanks at the ends go.
fn clean_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn to_crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut previous = 0u8;
    for &b in bytes {
        match b {
            b'\n' if previous != b'\r' => out.extend_from_slice(b"\r\n"),
            _ if previous == b'\r' && b != b'\n' => {
                out.push(b'\n');
                out.push(b);
            }
            _ => out.push(b),
        }
        previous = b;
    }
    if previous == b'\r' {
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_crlf() {
        assert_eq!(to_crlf(b"a\nb\r\nc\rd\r"), b"a\r\nb\r\nc\r\nd\r\n");
    }

    #[test]
    fn names_of_attached_messages() {
        let subject = transfer::base64_encode("見積書/再送".as_bytes());
        let raw = format!("Subject: =?UTF-8?B?{subject}?=\r\n\r\nbody");
        assert_eq!(message_name(raw.as_bytes()), "見積書_再送.eml");
        assert_eq!(
            message_name(b"From: a@example.test\r\n\r\nbody"),
            "message.eml"
        );
    }
}
