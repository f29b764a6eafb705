//! ISO-2022-JP (RFC 1468) with the extensions real mailers send. encoding_rs decodes the
//! WHATWG form, which already covers CP50221 (NEC row 13 ①㈱, IBM extensions 髙﨑, `ESC ( I`
//! half-width katakana). This splits the stream at escape sequences so that what encoding_rs
//! does not know still decodes as far as possible:
//! - SO/SI half-width katakana (CP50222): read as `ESC ( I`;
//! - JIS X 0213 plane 1 (ISO-2022-JP-3/2004, `ESC $ ( O` / `ESC $ ( Q`): read as JIS X 0208,
//!   which it extends;
//! - JIS X 0212, JIS X 0213 plane 2, GB 2312, KS C 5601 and single shifts (ISO-2022-JP-2/-3):
//!   U+FFFD per character, with a note.

use encoding_rs::ISO_2022_JP;

use super::Decoded;

const ESC: u8 = 0x1b;
const SO: u8 = 0x0e;
const SI: u8 = 0x0f;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    Ascii,
    Roman,
    Katakana,
    Jis0208,
    /// A two-byte set encoding_rs cannot decode.
    Unsupported,
}

/// Whether ASCII bytes contain an ISO-2022-JP designation (`ESC $ B`, `ESC $ @`, `ESC ( I`,
/// `ESC ( J`, `ESC $ ( …`).
pub(crate) fn has_escapes(bytes: &[u8]) -> bool {
    bytes.windows(3).any(|w| {
        matches!(
            w,
            [ESC, b'$', b'B' | b'@' | b'(' | b'A'] | [ESC, b'(', b'I' | b'J']
        )
    })
}

pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut notes: Vec<String> = Vec::new();
    let mut note = |n: &str| {
        if !notes.iter().any(|x| x == n) {
            notes.push(n.to_owned());
        }
    };
    let mut set = Set::Ascii;
    let mut before_shift_out: Option<Set> = None;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != ESC && b != SO && b != SI {
            i += 1;
            continue;
        }
        flush(&bytes[start..i], set, &mut text);
        match b {
            SO => {
                note("half-width katakana in SO/SI form (CP50222) decoded");
                before_shift_out.get_or_insert(set);
                set = Set::Katakana;
                i += 1;
            }
            SI => {
                set = before_shift_out.take().unwrap_or(Set::Ascii);
                i += 1;
            }
            _ => {
                let (next, len) = match &bytes[i + 1..] {
                    [b'(', b'B', ..] => (Some(Set::Ascii), 3),
                    [b'(', b'J' | b'H', ..] => (Some(Set::Roman), 3),
                    [b'(', b'I', ..] => (Some(Set::Katakana), 3),
                    [b'$', b'@' | b'B', ..] => (Some(Set::Jis0208), 3),
                    [b'$', b'(', b'O' | b'Q', ..] => {
                        note("JIS X 0213 (ISO-2022-JP-3) read as JIS X 0208");
                        (Some(Set::Jis0208), 4)
                    }
                    [b'$', b'(', _, ..] | [b'$', b'A', ..] => {
                        note("ISO-2022-JP-2/-3 character set not supported: shown as U+FFFD");
                        let len = if bytes.get(i + 2) == Some(&b'(') {
                            4
                        } else {
                            3
                        };
                        (Some(Set::Unsupported), len)
                    }
                    // JIS X 0208-1990 announcer before `ESC $ B`; G2 designations.
                    [b'&', b'@', ..] | [b'.', _, ..] => (None, 3),
                    [b'N', _, ..] => {
                        note("ISO-2022-JP-2 character set not supported: shown as U+FFFD");
                        text.push('\u{FFFD}');
                        (None, 3)
                    }
                    _ => {
                        note("unknown escape sequence in ISO-2022-JP");
                        text.push('\u{FFFD}');
                        (None, 1)
                    }
                };
                if let Some(next) = next {
                    set = next;
                    before_shift_out = None;
                }
                i = (i + len).min(bytes.len());
            }
        }
        start = i;
    }
    flush(&bytes[start..], set, &mut text);
    Decoded { text, notes }
}

fn flush(segment: &[u8], set: Set, text: &mut String) {
    if segment.is_empty() {
        return;
    }
    let prefix: &[u8] = match set {
        Set::Ascii => b"",
        Set::Roman => b"\x1b(J",
        Set::Katakana => b"\x1b(I",
        Set::Jis0208 => b"\x1b$B",
        Set::Unsupported => {
            // Two bytes per character; control bytes (line ends) pass through.
            let mut pending = 0;
            for &b in segment {
                if b < 0x21 {
                    text.push(b as char);
                    pending = 0;
                } else {
                    pending += 1;
                    if pending == 2 {
                        text.push('\u{FFFD}');
                        pending = 0;
                    }
                }
            }
            return;
        }
    };
    let mut buf = Vec::with_capacity(prefix.len() + segment.len());
    buf.extend_from_slice(prefix);
    buf.extend_from_slice(segment);
    text.push_str(&ISO_2022_JP.decode_without_bom_handling(&buf).0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jis(s: &str) -> Vec<u8> {
        ISO_2022_JP.encode(s).0.into_owned()
    }

    #[test]
    fn plain_and_windows_extensions() {
        let d = decode(&jis("見積書①㈱髙～の件"));
        assert_eq!(d.text, "見積書①㈱髙～の件");
        assert!(d.notes.is_empty());
        // Half-width katakana designated with ESC ( I (CP50221).
        assert_eq!(decode(b"\x1b(I6E\x1b(B").text, "ｶﾅ");
    }

    #[test]
    fn shift_out_katakana() {
        let d = decode(b"\x1b$B8+@Q\x1b(B \x0e6E\x0f OK");
        assert_eq!(d.text, "見積 ｶﾅ OK");
        assert_eq!(
            d.notes,
            ["half-width katakana in SO/SI form (CP50222) decoded"]
        );
    }

    #[test]
    fn jis_x_0212_is_replaced_but_the_rest_decodes() {
        let d = decode(b"\x1b$B8+@Q\x1b$(D0!\x1b(B ok");
        assert_eq!(d.text, "見積\u{FFFD} ok");
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn jis_x_0213_plane_1_reads_as_0208() {
        assert_eq!(decode(b"\x1b$(Q8+@Q\x1b(B").text, "見積");
    }

    #[test]
    fn detects_escapes() {
        assert!(has_escapes(&jis("見積")));
        assert!(!has_escapes(b"plain ascii"));
    }
}
