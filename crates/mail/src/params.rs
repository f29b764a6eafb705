//! A Content-Type / Content-Disposition parameter read again from the raw header, used when
//! mail-parser's attachment name is damaged. RFC 2231 continuations (`filename*0*=…;
//! filename*1*=…`) are joined as bytes before charset decoding, because mailers split them
//! inside ISO-2022-JP escape runs and multi-byte characters; charsets go through our alias
//! table; quoted values may hold RFC 2047 encoded-words or raw 8-bit / ISO-2022-JP text.

use crate::charset;
use crate::rfc2047::{self, Output, Repaired};

/// The decoded value of parameter `name` (lowercase) in a raw header value, if present.
pub(crate) fn param(raw_header: &[u8], name: &str) -> Option<Repaired> {
    let mut notes = Vec::new();
    let text = rfc2047::raw_to_string(raw_header, &mut notes);
    let params = split_params(&text);

    let mut plain = None;
    let mut extended = None;
    let mut segments: Vec<(u32, bool, &str)> = Vec::new();
    for (key, value) in &params {
        let Some(suffix) = key.strip_prefix(name) else {
            continue;
        };
        match suffix {
            "" => plain = Some(value.as_str()),
            "*" => extended = Some(value.as_str()),
            _ => {
                let Some(suffix) = suffix.strip_prefix('*') else {
                    continue;
                };
                let (number, is_extended) = match suffix.strip_suffix('*') {
                    Some(n) => (n, true),
                    None => (suffix, false),
                };
                if suffix.starts_with(|c: char| c.is_ascii_digit())
                    && let Ok(n) = number.parse::<u32>()
                {
                    segments.push((n, is_extended, value.as_str()));
                }
            }
        }
    }

    let value = if !segments.is_empty() {
        segments.sort_by_key(|s| s.0);
        // Joined before percent-decoding: some mailers even split inside a `%XX`.
        let mut label = None;
        let mut encoded = String::new();
        for (i, (_, is_extended, value)) in segments.iter().enumerate() {
            if *is_extended {
                let mut data = *value;
                if i == 0 {
                    let (l, d) = split_charset(value);
                    label = l;
                    data = d;
                }
                encoded.push_str(data);
            } else {
                encoded.push_str(&value.replace('%', "%25"));
            }
        }
        decode(&percent_decode(&encoded), label, &mut notes)
    } else if let Some(value) = extended {
        let (label, data) = split_charset(value);
        decode(&percent_decode(data), label, &mut notes)
    } else {
        let repaired = rfc2047::repair(plain?.as_bytes(), Output::Text);
        notes.extend(repaired.notes);
        repaired.value
    };
    Some(Repaired { value, notes })
}

fn decode(bytes: &[u8], label: Option<&str>, notes: &mut Vec<String>) -> String {
    let decoded = charset::decode(bytes, label);
    notes.extend(decoded.notes);
    decoded.text
}

/// `charset'language'data` → (charset, data).
fn split_charset(value: &str) -> (Option<&str>, &str) {
    let mut fields = value.splitn(3, '\'');
    match (fields.next(), fields.next(), fields.next()) {
        (Some(label), Some(_language), Some(data)) => (Some(label).filter(|l| !l.is_empty()), data),
        _ => (None, value),
    }
}

fn percent_decode(data: &str) -> Vec<u8> {
    let bytes = data.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// `type/subtype; a=b; c="d; e"` → [("a", "b"), ("c", "d; e")], keys lowercased.
fn split_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    // Skip the type (or disposition) itself.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut key = String::new();
        for c in chars.by_ref() {
            if c == '=' || c == ';' {
                break;
            }
            key.push(c);
        }
        let key = key.trim().to_ascii_lowercase();
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    _ => value.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                value.push(c);
            }
            value = value.trim().to_owned();
        }
        if !key.is_empty() {
            params.push((key, value));
        }
        if chars.peek().is_none() {
            break;
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_2022_JP, SHIFT_JIS};

    fn pct(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("%{b:02X}")).collect()
    }

    #[test]
    fn continuations_split_inside_an_escape_run() {
        let encoded = pct(&ISO_2022_JP.encode("見積書（２０２４年度）.pdf").0);
        let raw = format!(
            "attachment;\r\n filename*0*=ISO-2022-JP''{};\r\n filename*1*={}\r\n",
            &encoded[..20],
            &encoded[20..]
        );
        let repaired = param(raw.as_bytes(), "filename").unwrap();
        assert_eq!(repaired.value, "見積書（２０２４年度）.pdf");
        assert!(repaired.notes.is_empty());
    }

    #[test]
    fn unknown_charset_and_quoted_values() {
        let raw = format!(
            "attachment; filename*=cp932''{}",
            pct(&SHIFT_JIS.encode("請求書.pdf").0)
        );
        let repaired = param(raw.as_bytes(), "filename").unwrap();
        assert_eq!(repaired.value, "請求書.pdf");
        assert_eq!(
            repaired.notes,
            ["unknown charset cp932 decoded as Shift_JIS"]
        );

        let raw = b"application/pdf; charset=\"x\"; name=\"a \\\"b\\\"; c.pdf\"";
        assert_eq!(param(raw, "name").unwrap().value, "a \"b\"; c.pdf");
        assert_eq!(param(raw, "filename"), None);
    }

    #[test]
    fn raw_shift_jis_name() {
        let mut raw = b"application/pdf; name=\"".to_vec();
        raw.extend_from_slice(&SHIFT_JIS.encode("見積書.pdf").0);
        raw.push(b'"');
        let repaired = param(&raw, "name").unwrap();
        assert_eq!(repaired.value, "見積書.pdf");
        assert_eq!(
            repaired.notes,
            ["raw 8-bit text decoded as Shift_JIS (chardetng)"]
        );
    }
}
