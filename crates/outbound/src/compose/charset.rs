//! The charset a reply is written in, chosen per contact: UTF-8, or ISO-2022-JP (RFC 1468)
//! for customers whose older Japanese mailers and groupware read nothing else.
//!
//! encoding_rs follows the WHATWG tables, which hold ～ (U+FF5E) where Japanese text usually
//! has 〜 (U+301C), －(U+FF0D) for −, ∥ for ‖ and so on; those look-alikes are mapped before
//! encoding. Whatever is still missing (emoji, accented Latin) makes the whole reply fall back
//! to UTF-8: half a message in another charset is worse than a charset an old client lacks.
//!
//! Headers are RFC 2047 `B` encoded-words of whole characters, at most 75 characters each;
//! an ISO-2022-JP word starts in ASCII and ends with `ESC ( B` (RFC 2047 §5, RFC 1468).

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use encoding_rs::ISO_2022_JP;
use lettre::message::header::{ContentTransferEncoding, Header, HeaderName, HeaderValue, Headers};
use lettre::message::{Body, SinglePart};

/// The charset of a reply's text and headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Charset {
    #[default]
    Utf8,
    Iso2022Jp,
}

impl Charset {
    /// The label in `charset=` and in encoded-words, spelled as mailers spell it.
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Iso2022Jp => "ISO-2022-JP",
        }
    }

    fn encode(self, text: &str) -> Cow<'_, [u8]> {
        match self {
            Charset::Utf8 => Cow::Borrowed(text.as_bytes()),
            Charset::Iso2022Jp => ISO_2022_JP.encode(text).0,
        }
    }
}

/// What people type → the look-alike ISO-2022-JP has (as encoding_rs encodes it).
const LOOK_ALIKES: &[(char, char)] = &[
    ('\u{301C}', '\u{FF5E}'), // 〜 wave dash → ～
    ('\u{2212}', '\u{FF0D}'), // − minus sign → －
    ('\u{2016}', '\u{2225}'), // ‖ → ∥
    ('\u{2014}', '\u{2015}'), // — em dash → ―
    ('\u{00A2}', '\u{FFE0}'), // ¢ → ￠
    ('\u{00A3}', '\u{FFE1}'), // £ → ￡
    ('\u{00AC}', '\u{FFE2}'), // ¬ → ￢
    ('\u{00A6}', '\u{FFE4}'), // ¦ → ￤
    ('\u{00A0}', ' '),        // no-break space, pasted from web pages
];

fn look_alike(c: char) -> char {
    LOOK_ALIKES
        .iter()
        .find(|(from, _)| *from == c)
        .map_or(c, |(_, to)| *to)
}

/// `text` with look-alikes mapped, or `None` if ISO-2022-JP still cannot encode it.
fn mapped(text: &str) -> Option<String> {
    let text: String = text.chars().map(look_alike).collect();
    let (_, _, unmappable) = ISO_2022_JP.encode(&text);
    (!unmappable).then_some(text)
}

/// A reply's text and header values ready for ISO-2022-JP.
pub(crate) struct Jis {
    /// As the customer will read them (encoding_rs also turns half-width katakana full-width).
    pub subject: String,
    pub text: String,
    pub from_name: String,
    pub to_name: Option<String>,
    /// The text in ISO-2022-JP with CRLF line ends.
    body: Vec<u8>,
}

impl Jis {
    /// `None` when anything cannot be written in ISO-2022-JP: the reply stays UTF-8.
    pub fn new(subject: &str, text: &str, from_name: &str, to_name: Option<&str>) -> Option<Jis> {
        let as_read = |s: &str| {
            let bytes = ISO_2022_JP.encode(s).0;
            ISO_2022_JP
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned()
        };
        let text = as_read(&mapped(&text.replace("\r\n", "\n"))?);
        // ISO-2022-JP's bytes for Japanese are 0x21..=0x7E: every 0x0A is a line end.
        let mut body = vec![];
        for &b in ISO_2022_JP.encode(&text).0.iter() {
            if b == b'\n' {
                body.push(b'\r');
            }
            body.push(b);
        }
        Some(Jis {
            subject: as_read(&mapped(subject)?),
            text,
            from_name: mapped(from_name)?,
            to_name: match to_name {
                Some(n) => Some(mapped(n)?),
                None => None,
            },
            body,
        })
    }

    /// The text part: 7bit as Japanese mailers send it, base64 if a line is too long for that.
    /// `alone`: the part is the whole message, whose body lettre ends with a CRLF of its own
    /// (in a multipart that CRLF belongs to the boundary).
    pub fn part(&self, alone: bool) -> SinglePart {
        let body = if seven_bit(&self.body) {
            let mut body = self.body.clone();
            if alone && body.ends_with(b"\r\n") {
                body.truncate(body.len() - 2);
            }
            Body::dangerous_pre_encoded(body, ContentTransferEncoding::SevenBit)
        } else {
            Body::new_with_encoding(self.body.clone(), ContentTransferEncoding::Base64)
                .unwrap_or_else(|_| unreachable!("base64 takes any bytes"))
        };
        SinglePart::builder().header(JisText).body(body)
    }

    /// Replaces lettre's UTF-8 Subject, From and To with ISO-2022-JP encoded-words.
    pub fn rewrite(&self, headers: &mut Headers, from: &str, to: &str) {
        let mut set = |name: &'static str, value: String| {
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str(name),
                value,
            ));
        };
        if !self.subject.is_ascii() {
            set(
                "Subject",
                encoded_words(&self.subject, Charset::Iso2022Jp, 67),
            );
        }
        if !self.from_name.is_ascii() {
            let name = encoded_words(&self.from_name, Charset::Iso2022Jp, 70);
            set("From", format!("{name} <{from}>"));
        }
        if let Some(n) = self.to_name.as_deref().filter(|n| !n.is_ascii()) {
            let name = encoded_words(n, Charset::Iso2022Jp, 72);
            set("To", format!("{name} <{to}>"));
        }
    }
}

/// Whether `body` (ASCII, CRLF) can go as 7bit: no NUL, no bare CR, lines ≤ 998 (RFC 5322 §2.1.1).
fn seven_bit(body: &[u8]) -> bool {
    body.split(|&b| b == b'\n').all(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line.len() <= 998 && !line.iter().any(|&b| b == 0 || b == b'\r')
    })
}

/// `Content-Type: text/plain; charset=ISO-2022-JP`, spelled as Japanese mailers write it
/// (lettre's `ContentType` lowercases the charset).
#[derive(Clone)]
struct JisText;

impl Header for JisText {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Type")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(JisText)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "text/plain; charset=ISO-2022-JP".into())
    }
}

/// `text` as `B` encoded-words separated by spaces (lettre folds there), never splitting a
/// character: the first word at most `first` characters long (what the line has left after
/// the header's name), the others at most 75.
pub(crate) fn encoded_words(text: &str, charset: Charset, first: usize) -> String {
    let word = |s: &str| {
        format!(
            "=?{}?B?{}?=",
            charset.label(),
            BASE64.encode(charset.encode(s))
        )
    };
    let overhead = charset.label().len() + 7;
    let (mut words, mut start, mut end, mut width) = (vec![], 0, 0, first);
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        let len = charset.encode(&text[start..next]).len().div_ceil(3) * 4 + overhead;
        if len > width && end > start {
            words.push(word(&text[start..end]));
            (start, width) = (end, 75);
        }
        end = next;
    }
    if start < text.len() {
        words.push(word(&text[start..]));
    }
    words.join(" ")
}
