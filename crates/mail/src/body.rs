//! The body shown for a message: the inline text parts of the main body joined (mail-parser's
//! `text_body`: text/plain, or HTML where an alternative has no plain text, converted with
//! [`html_to_text`]), and the HTML parts of the main body as received. Each part is decoded
//! again from the raw bytes when its charset is unknown to mail-parser, missing on 8-bit text,
//! or the decoded text shows damage. Line ends become `\n` so LF and CRLF copies of a mail
//! parse the same.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use crate::charset;
use crate::html::html_to_text;
use crate::rfc2047::push_note;
use crate::transfer::{self, Cte};

pub(crate) struct Body {
    pub text: String,
    pub html: Option<String>,
}

pub(crate) fn extract(message: &Message<'_>, raw: &[u8], warnings: &mut Vec<String>) -> Body {
    let mut text = String::new();
    for part in message
        .text_body
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
    {
        let piece = match &part.body {
            PartType::Text(_) => part_text(part, raw, warnings),
            PartType::Html(_) => html_to_text(&part_text(part, raw, warnings)),
            _ => continue,
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&piece);
    }
    let html: Vec<String> = message
        .html_body
        .iter()
        .filter_map(|&id| message.parts.get(id as usize))
        .filter(|part| matches!(part.body, PartType::Html(_)))
        .map(|part| part_text(part, raw, warnings))
        .collect();
    let html = (!html.is_empty()).then(|| html.join("\n"));
    // Some mailers send an empty text/plain alternative next to the real HTML.
    if text.trim().is_empty()
        && let Some(html) = &html
    {
        text = html_to_text(html);
    }
    Body {
        text: trim_blank_lines(&text),
        html,
    }
}

/// The decoded text of a text part, re-decoded from the raw bytes when needed.
pub(crate) fn part_text(part: &MessagePart<'_>, raw: &[u8], warnings: &mut Vec<String>) -> String {
    let parsed = part.text_contents().unwrap_or_default();
    let declared = part.content_type().and_then(|ct| ct.attribute("charset"));
    // An HTML part without a charset parameter may name one in a <meta> tag.
    let meta = match (&part.body, declared) {
        (PartType::Html(html), None) => meta_charset(html)
            .filter(|m| charset::resolve(m).is_some_and(|e| e != encoding_rs::UTF_8)),
        _ => None,
    };
    let label = declared.or(meta.as_deref());
    let cte = Cte::of(part);
    let broken_encoding = part.is_encoding_problem && cte != Cte::Identity;
    let suspicious_label = meta.is_some() || label.is_some_and(is_ascii_label);
    let mut bytes = None;
    let needed = broken_encoding
        || charset::looks_damaged(parsed)
        || label.is_some_and(|l| !charset::mail_parser_knows(l))
        || (suspicious_label
            && !bytes
                .get_or_insert_with(|| transfer::decoded_body(part, raw))
                .is_ascii());
    if !needed {
        return normalize_newlines(parsed);
    }
    let bytes = bytes.unwrap_or_else(|| transfer::decoded_body(part, raw));
    let decoded = charset::decode(&bytes, label);
    if broken_encoding {
        push_note(
            warnings,
            format!("body: damaged {} decoded leniently", cte_name(cte)),
        );
    }
    if let Some(meta) = &meta {
        push_note(
            warnings,
            format!("body: charset {meta} taken from the HTML <meta> tag"),
        );
    }
    for note in decoded.notes {
        push_note(warnings, format!("body: {note}"));
    }
    normalize_newlines(&decoded.text)
}

/// Blank lines at the start and white space at the end removed; the first line keeps its
/// indentation.
pub(crate) fn trim_blank_lines(text: &str) -> String {
    let text = text.trim_end();
    let start = text
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |first| {
            text[..first].rfind('\n').map_or(0, |n| n + 1)
        });
    text[start..].to_owned()
}

pub(crate) fn cte_name(cte: Cte) -> &'static str {
    match cte {
        Cte::Base64 => "base64",
        Cte::QuotedPrintable => "quoted-printable",
        Cte::Identity => "content",
    }
}

fn is_ascii_label(label: &str) -> bool {
    matches!(charset::clean_label(label).as_str(), "us-ascii" | "ascii")
}

pub(crate) fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// `<meta charset="x">` or `<meta http-equiv="Content-Type" content="text/html; charset=x">`
/// in the first few kilobytes of an HTML part without a charset parameter.
fn meta_charset(html: &str) -> Option<String> {
    let head: String = html
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    for (at, _) in head.match_indices("<meta") {
        let tag = &head[at..head[at..].find('>').map_or(head.len(), |end| at + end)];
        let Some(start) = tag.find("charset=") else {
            continue;
        };
        let value: String = tag[start + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
            .collect();
        if !value.is_empty() {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charsets() {
        assert_eq!(
            meta_charset(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
            ),
            Some("shift_jis".into())
        );
        assert_eq!(
            meta_charset("<meta charset='euc-jp'/>"),
            Some("euc-jp".into())
        );
        assert_eq!(meta_charset("<p>charset=x</p>"), None);
    }

    #[test]
    fn blank_lines() {
        assert_eq!(trim_blank_lines("\n \n  indented\nx \n\n"), "  indented\nx");
        assert_eq!(trim_blank_lines(" \n"), "");
    }

    #[test]
    fn newlines() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
