//! Header text decoded again when mail-parser's result is damaged (JAPANESE.md fixes 1–4):
//! - raw ISO-2022-JP (escape sequences, no encoded-word) is decoded as ISO-2022-JP;
//! - raw 8-bit text is UTF-8 (RFC 6532) when valid, else chardetng's guess;
//! - RFC 2047 encoded-words are decoded with our charset aliases, and adjacent words of the same
//!   charset are joined *before* charset decoding, as Thunderbird and neomutt do, so a
//!   character split across two words (which RFC 2047 §5 forbids but Outlook and PHP produce)
//!   comes out whole.
//!
//! The result is either plain text or, for structured headers, the same header with each run of
//! encoded-words replaced by one UTF-8 encoded-word, so mail-parser's address and parameter
//! parsers can read it again with their quoting rules intact.

use crate::charset::{self, iso2022jp};
use crate::transfer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repaired {
    pub value: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// Decoded text.
    Text,
    /// Header syntax kept; encoded-word runs become `=?UTF-8?B?…?=`.
    Reencoded,
}

/// Whether a header needs [`repair`]: its raw bytes hold escapes or non-UTF-8 bytes, it names a
/// charset mail-parser does not know, or what mail-parser decoded shows damage.
pub(crate) fn needs_repair<'a>(raw: &[u8], decoded: impl IntoIterator<Item = &'a str>) -> bool {
    raw.contains(&0x1b)
        || std::str::from_utf8(raw).is_err()
        || decoded.into_iter().any(charset::looks_damaged)
        || words(&String::from_utf8_lossy(raw))
            .iter()
            .any(|w| !charset::mail_parser_knows(w.charset))
}

/// Decodes a raw header value (folded lines allowed); see the module documentation.
pub(crate) fn repair(raw: &[u8], output: Output) -> Repaired {
    let mut notes = Vec::new();
    let text = raw_to_string(raw, &mut notes);
    let value = decode_words(&text, output, &mut notes);
    Repaired { value, notes }
}

/// Unfolds and decodes the raw bytes themselves (not the encoded-words in them).
pub(crate) fn raw_to_string(raw: &[u8], notes: &mut Vec<String>) -> String {
    let unfolded: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    if unfolded.contains(&0x1b) {
        notes.push("raw ISO-2022-JP decoded".into());
        let decoded = iso2022jp::decode(&unfolded);
        notes.extend(decoded.notes);
        return decoded.text;
    }
    match String::from_utf8(unfolded) {
        Ok(text) => text,
        Err(err) => {
            let bytes = err.into_bytes();
            let encoding = charset::guess(&bytes);
            notes.push(format!(
                "raw 8-bit text decoded as {} (chardetng)",
                encoding.name()
            ));
            encoding.decode_without_bom_handling(&bytes).0.into_owned()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word<'a> {
    start: usize,
    end: usize,
    charset: &'a str,
    base64: bool,
    data: &'a str,
}

/// Finds `=?charset?B|Q?data?=` words. Data may not contain `?`; Q data may contain spaces
/// (some mailers forget to encode them).
fn words(text: &str) -> Vec<Word<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("=?") {
        let start = from + offset;
        from = start + 2;
        let rest = &text[start + 2..];
        let mut fields = rest.splitn(3, '?');
        let (Some(charset), Some(encoding), Some(tail)) =
            (fields.next(), fields.next(), fields.next())
        else {
            break;
        };
        let Some(data_len) = tail.find("?=") else {
            continue;
        };
        let data = &tail[..data_len];
        let base64 = encoding.eq_ignore_ascii_case("b");
        let known_encoding = base64 || encoding.eq_ignore_ascii_case("q");
        let blank_in_base64 = base64 && data.contains(char::is_whitespace);
        let valid = known_encoding
            && !blank_in_base64
            && !charset.is_empty()
            && !charset.contains(char::is_whitespace)
            && !data.contains('?');
        if !valid {
            continue;
        }
        let end = start + 2 + charset.len() + 1 + encoding.len() + 1 + data_len + 2;
        found.push(Word {
            start,
            end,
            charset,
            base64,
            data,
        });
        from = end;
    }
    found
}

/// The bytes of a run of words in one charset. Base64 data is joined before decoding when a
/// word's data is not a whole number of quanta (the split fell inside a quantum).
fn run_bytes(run: &[Word<'_>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut pending = String::new();
    for word in run {
        if word.base64 {
            pending.push_str(word.data);
            if pending.len().is_multiple_of(4) {
                bytes.extend(transfer::base64_decode(pending.as_bytes()));
                pending.clear();
            }
        } else {
            bytes.extend(transfer::base64_decode(pending.as_bytes()));
            pending.clear();
            bytes.extend(transfer::q_decode(word.data.as_bytes()));
        }
    }
    bytes.extend(transfer::base64_decode(pending.as_bytes()));
    bytes
}

fn decode_words(text: &str, output: Output, notes: &mut Vec<String>) -> String {
    let found = words(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < found.len() {
        // A run: adjacent words (only blanks between them) in the same charset.
        let mut j = i + 1;
        while j < found.len()
            && text[found[j - 1].end..found[j].start].trim().is_empty()
            && found[j].charset.eq_ignore_ascii_case(found[i].charset)
        {
            j += 1;
        }
        let run = &found[i..j];
        let between = &text[last..run[0].start];
        // Blanks between two encoded-words are not displayed (RFC 2047 §6.2).
        if !(i > 0 && between.trim().is_empty()) {
            out.push_str(between);
        }
        let decoded = charset::decode(&run_bytes(run), Some(run[0].charset));
        if run.len() > 1 {
            let one_by_one: String = run
                .iter()
                .map(|w| charset::decode(&run_bytes(std::slice::from_ref(w)), Some(w.charset)).text)
                .collect();
            if one_by_one != decoded.text {
                push_note(notes, "re-decoded split encoded-words".into());
            }
        }
        for note in decoded.notes {
            push_note(notes, note);
        }
        match output {
            Output::Text => out.push_str(&decoded.text),
            Output::Reencoded => {
                out.push_str("=?UTF-8?B?");
                out.push_str(&transfer::base64_encode(decoded.text.as_bytes()));
                out.push_str("?=");
            }
        }
        last = run[run.len() - 1].end;
        i = j;
    }
    out.push_str(&text[last..]);
    out
}

pub(crate) fn push_note(notes: &mut Vec<String>, note: String) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_2022_JP, SHIFT_JIS};

    fn b64(bytes: &[u8]) -> String {
        transfer::base64_encode(bytes)
    }

    #[test]
    fn split_utf8_word_is_joined() {
        let bytes = "請求書の件".as_bytes();
        let raw = format!(
            "=?UTF-8?B?{}?=\r\n =?UTF-8?B?{}?=",
            b64(&bytes[..4]),
            b64(&bytes[4..])
        );
        let repaired = repair(raw.as_bytes(), Output::Text);
        assert_eq!(repaired.value, "請求書の件");
        assert_eq!(repaired.notes, ["re-decoded split encoded-words"]);
    }

    #[test]
    fn split_inside_a_base64_quantum() {
        let data = b64("見積".as_bytes()); // 8 characters
        let raw = format!("=?utf-8?b?{}?= =?utf-8?b?{}?=", &data[..5], &data[5..]);
        assert_eq!(repair(raw.as_bytes(), Output::Text).value, "見積");
    }

    #[test]
    fn unknown_charset_in_a_word() {
        let raw = format!("Re: =?cp932?B?{}?=", b64(&SHIFT_JIS.encode("①請求").0));
        let repaired = repair(raw.as_bytes(), Output::Text);
        assert_eq!(repaired.value, "Re: ①請求");
        assert_eq!(
            repaired.notes,
            ["unknown charset cp932 decoded as Shift_JIS"]
        );
    }

    #[test]
    fn raw_iso_2022_jp_and_reencoding() {
        let mut raw = ISO_2022_JP.encode("山田 太郎").0.into_owned();
        raw.extend_from_slice(b" <taro@example.jp>");
        let repaired = repair(&raw, Output::Reencoded);
        assert_eq!(repaired.value, "山田 太郎 <taro@example.jp>");
        assert_eq!(repaired.notes, ["raw ISO-2022-JP decoded"]);
        let raw = format!(
            "=?ISO-2022-JP?B?{}?= <a@example.jp>",
            b64(&ISO_2022_JP.encode("山田").0)
        );
        let repaired = repair(raw.as_bytes(), Output::Reencoded);
        assert_eq!(
            repaired.value,
            format!("=?UTF-8?B?{}?= <a@example.jp>", b64("山田".as_bytes()))
        );
    }

    #[test]
    fn raw_shift_jis() {
        let raw = SHIFT_JIS.encode("Re: 見積書の件").0;
        let repaired = repair(&raw, Output::Text);
        assert_eq!(repaired.value, "Re: 見積書の件");
        assert_eq!(
            repaired.notes,
            ["raw 8-bit text decoded as Shift_JIS (chardetng)"]
        );
    }

    #[test]
    fn blanks_between_words_and_text_are_kept_right() {
        let raw = "=?utf-8?q?a?= =?iso-8859-1?q?b?= c =?utf-8?q?d_e?=";
        assert_eq!(repair(raw.as_bytes(), Output::Text).value, "ab c d e");
        assert!(words("=? not a word ?= =?x?y?z?=").is_empty());
    }

    #[test]
    fn repair_is_needed_only_for_damage() {
        assert!(!needs_repair(b"=?UTF-8?B?5L2V?=", ["何"]));
        assert!(needs_repair(b"=?cp932?B?gqA=?=", ["\u{FFFD}"]));
        assert!(needs_repair(b"=?cp932?B?QUJD?=", ["ABC"]));
        assert!(needs_repair(b"\x1b$B8+\x1b(B", ["\u{1b}$B8+\u{1b}(B"]));
        assert!(needs_repair(b"\x8c\xa9", ["??"]));
    }
}
