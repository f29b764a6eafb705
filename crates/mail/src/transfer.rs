//! Content-Transfer-Encoding (RFC 2045 §6) for parts that must be decoded again from the raw
//! bytes: lenient base64 and quoted-printable decoders (broken input decodes as far as it can
//! instead of being kept encoded), and a base64 encoder for re-encoded header words.

use mail_parser::{MessagePart, MimeHeaders};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cte {
    Identity,
    Base64,
    QuotedPrintable,
}

impl Cte {
    pub(crate) fn of(part: &MessagePart<'_>) -> Cte {
        match part.content_transfer_encoding().map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("base64") => Cte::Base64,
            Some(v) if v.eq_ignore_ascii_case("quoted-printable") => Cte::QuotedPrintable,
            _ => Cte::Identity,
        }
    }
}

/// The raw (still transfer-encoded) body of a part.
pub(crate) fn raw_body<'a>(part: &MessagePart<'_>, raw: &'a [u8]) -> &'a [u8] {
    let start = (part.offset_body as usize).min(raw.len());
    let end = (part.offset_end as usize).clamp(start, raw.len());
    &raw[start..end]
}

/// The part's body with its transfer encoding removed, read from the raw bytes.
pub(crate) fn decoded_body(part: &MessagePart<'_>, raw: &[u8]) -> Vec<u8> {
    let body = raw_body(part, raw);
    match Cte::of(part) {
        Cte::Base64 => base64_decode(body),
        Cte::QuotedPrintable => qp_decode(body),
        Cte::Identity => body.to_vec(),
    }
}

fn b64_value(b: u8) -> Option<u32> {
    Some(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes base64 leniently, line by line: a line that is mostly base64 is decoded with its
/// stray bytes skipped (a gateway inserted a character); a line that is mostly not base64 is
/// dropped (text got mixed into the encoded block). Decoding stops at padding. The URL-safe
/// alphabet is accepted too.
pub(crate) fn base64_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for line in input.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        let invalid = line
            .iter()
            .filter(|&&b| b64_value(b).is_none() && b != b'=')
            .count();
        if invalid > 1 && invalid * 10 > line.len() {
            continue;
        }
        for &b in line {
            if b == b'=' {
                return out;
            }
            let Some(v) = b64_value(b) else { continue };
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
    }
    out
}

pub(crate) fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | ((b as u32) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decodes quoted-printable; an `=` not followed by two hex digits or a line break is kept.
pub(crate) fn qp_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &input[i + 1..];
        // Soft line break: "=" then optional trailing blanks then CRLF or LF.
        let blanks = rest
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        match &rest[blanks..] {
            [b'\r', b'\n', ..] => i += 1 + blanks + 2,
            [b'\n', ..] => i += 1 + blanks + 1,
            [] => i += 1 + blanks,
            [h, l, ..] if hex(*h).is_some() && hex(*l).is_some() => {
                out.push((hex(*h).unwrap_or(0) << 4) | hex(*l).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

/// Encoded-word "Q" decoding (RFC 2047 §4.2): quoted-printable where `_` is a space.
pub(crate) fn q_decode(input: &[u8]) -> Vec<u8> {
    let underscores: Vec<u8> = input
        .iter()
        .map(|&b| if b == b'_' { b' ' } else { b })
        .collect();
    qp_decode(&underscores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_leniency() {
        for s in ["", "a", "ab", "abc", "abcd", "見積書.pdf"] {
            assert_eq!(
                base64_decode(base64_encode(s.as_bytes()).as_bytes()),
                s.as_bytes()
            );
        }
        assert_eq!(base64_encode(b"abcd"), "YWJjZA==");
        assert_eq!(base64_decode(b"YWJj\r\nZA==\r\n"), b"abcd");
        assert_eq!(base64_decode(b"YWJj!ZA=="), b"abcd");
        // A line of text inside the block is dropped, not decoded into garbage.
        assert_eq!(
            base64_decode(b"YWJj\n*** corrupted line ***\nZA=="),
            b"abcd"
        );
    }

    #[test]
    fn quoted_printable() {
        assert_eq!(
            qp_decode(b"caf=C3=A9 =\r\nau lait"),
            "café au lait".as_bytes()
        );
        assert_eq!(qp_decode(b"a=\nb = c =zz"), b"ab = c =zz");
        assert_eq!(q_decode(b"Keld_J=F8rn"), b"Keld J\xf8rn");
    }
}
