//! Encodings a sender's mailer applies: charsets (with encoding_rs, so ISO-2022-JP and
//! Shift_JIS come out as Japanese mailers write them), base64 and quoted-printable
//! (RFC 2045 §6.7–6.8), RFC 2047 encoded-words for headers, and RFC 2231 parameter values
//! for attachment names.

use encoding_rs::{Encoding, ISO_2022_JP, SHIFT_JIS};

/// The charset a mailer writes text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Charset {
    Iso2022Jp,
    ShiftJis,
    Utf8,
    /// `us-ascii`; text that is not ASCII is written as UTF-8 instead, as mailers do.
    Ascii,
}

impl Charset {
    /// The label in `charset=` and in encoded-words, spelled as the usual mailers spell it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Charset::Iso2022Jp => "ISO-2022-JP",
            Charset::ShiftJis => "Shift_JIS",
            Charset::Utf8 => "UTF-8",
            Charset::Ascii => "us-ascii",
        }
    }

    /// The charset actually usable for `text`: ASCII-only senders switch to UTF-8 for
    /// anything else, and the Japanese charsets fall back to UTF-8 for characters they
    /// cannot encode (emoji), as Thunderbird and Outlook do.
    pub(crate) fn for_text(self, text: &str) -> Charset {
        match self {
            Charset::Ascii if !text.is_ascii() => Charset::Utf8,
            Charset::Iso2022Jp | Charset::ShiftJis if !encodable(self, text) => Charset::Utf8,
            c => c,
        }
    }

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            Charset::Iso2022Jp => Some(ISO_2022_JP),
            Charset::ShiftJis => Some(SHIFT_JIS),
            Charset::Utf8 | Charset::Ascii => None,
        }
    }
}

/// What Windows mailers write for characters the WHATWG tables lack: CP932 encodes the
/// full-width tilde ～ as the wave dash's bytes (which decode as 〜).
fn windows_map(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('～') {
        text.replace('～', "〜").into()
    } else {
        text.into()
    }
}

/// Whether every character of `text` exists in `charset`.
pub(crate) fn encodable(charset: Charset, text: &str) -> bool {
    match charset.encoding() {
        Some(e) => !e.encode(&windows_map(text)).2,
        None => charset != Charset::Ascii || text.is_ascii(),
    }
}

/// `text` in `charset` (call [`Charset::for_text`] first).
pub(crate) fn to_bytes(charset: Charset, text: &str) -> Vec<u8> {
    match charset.encoding() {
        Some(e) => e.encode(&windows_map(text)).0.into_owned(),
        None => text.as_bytes().to_vec(),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 without line breaks.
pub(crate) fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A base64 body: lines of 76 characters, CRLF.
pub(crate) fn base64_lines(data: &[u8], out: &mut Vec<u8>) {
    let encoded = base64(data);
    for line in encoded.as_bytes().chunks(76) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
}

/// Quoted-printable (RFC 2045 §6.7): lines of at most 76 characters with soft breaks; the
/// input's line ends (LF or CRLF) become CRLF hard breaks.
pub(crate) fn quoted_printable(data: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let text = data.split(|&b| b == b'\n');
    for line in text {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let plain = (b == b'\t' || b == b' ') && !last || (33..=126).contains(&b) && b != b'=';
            let need = if plain { 1 } else { 3 };
            if width + need > 75 {
                out.extend_from_slice(b"=\r\n");
                width = 0;
            }
            if plain {
                out.push(b);
            } else {
                out.extend_from_slice(&[b'=', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
            }
            width += need;
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// A header's text as RFC 2047 `B` encoded-words, folded with CRLF SP between words; ASCII
/// text is returned as is. Each word encodes whole characters (an ISO-2022-JP word ends in
/// ASCII), so every word decodes on its own, as RFC 2047 §5 requires.
pub(crate) fn encoded_words(charset: Charset, text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let charset = charset.for_text(text);
    let chars: Vec<char> = text.chars().collect();
    let words: Vec<String> = chars
        .chunks(12)
        .map(|chunk| {
            let s: String = chunk.iter().collect();
            format!(
                "=?{}?B?{}?=",
                charset.label(),
                base64(&to_bytes(charset, &s))
            )
        })
        .collect();
    words.join("\r\n ")
}

/// Like [`encoded_words`], but split every `bytes` bytes regardless of characters, as
/// Outlook and PHP's `mb_encode_mimeheader` sometimes do (RFC 2047 forbids it; hako joins
/// such words before decoding). UTF-8 and Shift_JIS only: ISO-2022-JP splits differently.
pub(crate) fn split_encoded_words(charset: Charset, text: &str, bytes: usize) -> String {
    let charset = charset.for_text(text);
    let data = to_bytes(charset, text);
    let words: Vec<String> = data
        .chunks(bytes)
        .map(|c| format!("=?{}?B?{}?=", charset.label(), base64(c)))
        .collect();
    words.join("\r\n ")
}

/// Quoted-printable `Q` encoded-words (Apple Mail writes these for short UTF-8 subjects).
pub(crate) fn q_encoded_words(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let words: Vec<String> = chars
        .chunks(6)
        .map(|chunk| {
            let s: String = chunk.iter().collect();
            let mut w = String::from("=?utf-8?Q?");
            for b in s.bytes() {
                match b {
                    b' ' => w.push('_'),
                    b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'.' | b'-' => w.push(b as char),
                    _ => w.push_str(&format!("={b:02X}")),
                }
            }
            w.push_str("?=");
            w
        })
        .collect();
    words.join("\r\n ")
}

/// A mailbox: `Name <addr>` with the name encoded when needed; quoted when it has
/// specials.
pub(crate) fn mailbox(charset: Charset, name: &str, address: &str) -> String {
    if name.is_empty() {
        return format!("<{address}>");
    }
    if name.is_ascii() {
        if name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
            return format!("\"{}\" <{address}>", name.replace('"', "\\\""));
        }
        return format!("{name} <{address}>");
    }
    format!("{} <{address}>", encoded_words(charset, name))
}

/// An RFC 2231 parameter: `name*=charset''%XX…`, or continuations `name*0*=…; name*1*=…`
/// when long, with `;` CRLF SP between segments. ASCII values are quoted plainly.
pub(crate) fn rfc2231(param: &str, charset: Charset, value: &str) -> String {
    if value.is_ascii() {
        return format!("{param}=\"{value}\"");
    }
    let charset = charset.for_text(value);
    let mut encoded = String::new();
    for b in to_bytes(charset, value) {
        if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let head = format!("{}''", charset.label());
    if head.len() + encoded.len() < 60 {
        return format!("{param}*={head}{encoded}");
    }
    // Segments end between `%XX` triplets, never inside one.
    let mut segments = vec![];
    let mut current = head;
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let mut take = rest.len().min(45);
        if let Some(p) = rest[..take].rfind('%')
            && p + 3 > take
        {
            take = p;
        }
        current.push_str(&rest[..take]);
        segments.push(std::mem::take(&mut current));
        rest = &rest[take..];
    }
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{param}*{i}*={s}"))
        .collect::<Vec<_>>()
        .join(";\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn quoted_printable_keeps_lines_short_and_escapes() {
        let mut out = vec![];
        quoted_printable(b"a=b \n", &mut out);
        assert_eq!(out, b"a=3Db=20\r\n\r\n");
        let mut long = vec![];
        quoted_printable("日本語".repeat(20).as_bytes(), &mut long);
        assert!(long.split(|&b| b == b'\n').all(|l| l.len() <= 77));
    }

    #[test]
    fn iso_2022_jp_words_are_self_contained() {
        let words = encoded_words(
            Charset::Iso2022Jp,
            "請求書の再発行についてのお願いと確認事項",
        );
        assert!(words.starts_with("=?ISO-2022-JP?B?"));
        for w in words.split("\r\n ") {
            assert!(w.len() <= 75, "{w}");
        }
    }

    #[test]
    fn charsets_fall_back_for_what_they_cannot_encode() {
        assert_eq!(Charset::Ascii.for_text("Müller"), Charset::Utf8);
        assert_eq!(Charset::Iso2022Jp.for_text("よろしく😊"), Charset::Utf8);
        assert_eq!(Charset::Iso2022Jp.for_text("①㈱髙"), Charset::Iso2022Jp);
    }

    #[test]
    fn long_rfc2231_values_are_continued_between_escapes() {
        let v = rfc2231(
            "filename",
            Charset::Utf8,
            "御見積書_株式会社サンプル商事様_2026年11月分.pdf",
        );
        assert!(v.starts_with("filename*0*=UTF-8''%E5"));
        for seg in v.split(";\r\n ") {
            let value = seg.split_once("*=").unwrap().1;
            let value = value.strip_prefix("UTF-8''").unwrap_or(value);
            let bytes = value.as_bytes();
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'%' {
                    assert!(i + 2 < bytes.len(), "split inside an escape: {seg}");
                }
            }
        }
    }
}
