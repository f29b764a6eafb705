//! Charset labels and decoding with encoding_rs (the WHATWG Encoding Standard), extended for
//! Japanese mail:
//! - an alias table for labels that neither WHATWG nor mail-parser know (`cp932`, `eucjp-ms`,
//!   `cp50221`, …), so such parts are re-decoded instead of read as UTF-8;
//! - ISO-2022-JP through [`crate::charset::iso2022jp`], which also reads the CP50222 and
//!   ISO-2022-JP-2/-3 extensions as far as it can;
//! - chardetng (TLD hint `jp`, then no hint) for unlabelled 8-bit text and text that does not
//!   decode in its declared charset.

pub(crate) mod iso2022jp;

use chardetng::EncodingDetector;
use encoding_rs::{EUC_JP, Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8};

/// Labels Japanese mailers send that `Encoding::for_label` does not know. Written with `-`;
/// [`resolve`] folds `_` to `-` before looking here.
const ALIASES: &[(&str, &Encoding)] = &[
    ("cp932", SHIFT_JIS),
    ("ms-932", SHIFT_JIS),
    ("windows-932", SHIFT_JIS),
    ("x-ms-cp932", SHIFT_JIS),
    ("cswindows31j", SHIFT_JIS),
    ("ibm-943", SHIFT_JIS),
    ("ibm943", SHIFT_JIS),
    ("cp943c", SHIFT_JIS),
    ("sjis-open", SHIFT_JIS),
    ("sjis-win", SHIFT_JIS),
    ("x-sjis-cp932", SHIFT_JIS),
    ("shiftjis", SHIFT_JIS),
    ("x-shift-jis", SHIFT_JIS),
    ("shift-jisx0213", SHIFT_JIS),
    ("shift-jis-2004", SHIFT_JIS),
    ("eucjp", EUC_JP),
    ("x-eucjp", EUC_JP),
    ("eucjp-ms", EUC_JP),
    ("euc-jp-ms", EUC_JP),
    ("eucjp-win", EUC_JP),
    ("eucjp-open", EUC_JP),
    ("cp51932", EUC_JP),
    ("ujis", EUC_JP),
    ("euc-jisx0213", EUC_JP),
    ("euc-jis-2004", EUC_JP),
    ("cp50220", ISO_2022_JP),
    ("cp50221", ISO_2022_JP),
    ("cp50222", ISO_2022_JP),
    ("iso-2022-jp-1", ISO_2022_JP),
    ("iso-2022-jp-2", ISO_2022_JP),
    ("iso-2022-jp-3", ISO_2022_JP),
    ("iso-2022-jp-2004", ISO_2022_JP),
    ("iso-2022-jp-ms", ISO_2022_JP),
    ("x-windows-iso2022jp", ISO_2022_JP),
    ("jis", ISO_2022_JP),
    ("utf8", UTF_8),
];

/// A label as found in a header: quotes, blanks and an RFC 2231 language suffix
/// (`ISO-2022-JP*ja`) removed, lowercased.
pub(crate) fn clean_label(label: &str) -> String {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let label = label.split('*').next().unwrap_or(label);
    label.to_ascii_lowercase()
}

/// The encoding for a label: our alias table first, then WHATWG's labels.
pub(crate) fn resolve(label: &str) -> Option<&'static Encoding> {
    let label = clean_label(label);
    let dashed = label.replace('_', "-");
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == dashed)
        .map(|(_, encoding)| *encoding)
        .or_else(|| Encoding::for_label(label.as_bytes()))
        .or_else(|| Encoding::for_label(dashed.as_bytes()))
}

/// Whether mail-parser decodes this label itself (else it reads the bytes as UTF-8).
pub(crate) fn mail_parser_knows(label: &str) -> bool {
    let label = clean_label(label);
    matches!(label.as_str(), "utf-8" | "utf8")
        || mail_parser::decoders::charsets::map::charset_decoder(label.as_bytes()).is_some()
}

fn is_ascii_label(label: &str) -> bool {
    matches!(
        clean_label(label).as_str(),
        "us-ascii" | "ascii" | "ansi_x3.4-1968" | "7bit"
    )
}

/// Text and what was noticed while decoding it (unknown label, guessed charset, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub notes: Vec<String>,
}

/// Guesses the charset of 8-bit text: chardetng with the `.jp` hint (the team reads Japanese
/// mail), and without it when the hinted guess does not decode cleanly (e.g. a short Latin-1
/// name such as "Müller" that the hint would read as Shift_JIS).
pub(crate) fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    let hinted = detector.guess(Some(b"jp"), true);
    if hinted
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
    {
        hinted
    } else {
        detector.guess(None, true)
    }
}

/// Decodes bytes that carry no charset label: ASCII (or ISO-2022-JP when it has escape
/// sequences), UTF-8 when valid, else chardetng's guess.
pub(crate) fn decode_unlabelled(bytes: &[u8]) -> Decoded {
    if bytes.is_ascii() {
        if iso2022jp::has_escapes(bytes) {
            let mut decoded = iso2022jp::decode(bytes);
            decoded
                .notes
                .insert(0, "unlabelled ISO-2022-JP detected".into());
            return decoded;
        }
        return plain(String::from_utf8_lossy(bytes).into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return plain(text.to_owned());
    }
    let encoding = guess(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        notes: vec![format!("charset guessed by chardetng: {}", encoding.name())],
    }
}

fn plain(text: String) -> Decoded {
    Decoded {
        text,
        notes: Vec::new(),
    }
}

/// Decodes bytes in their declared charset, repairing what mail-parser gets wrong: unknown
/// labels via [`resolve`], ISO-2022-JP extensions, `us-ascii` labels on 8-bit text, and text
/// that does not decode in its declared charset (then chardetng decides).
pub(crate) fn decode(bytes: &[u8], label: Option<&str>) -> Decoded {
    let Some(label) = label.map(clean_label).filter(|l| !l.is_empty()) else {
        return decode_unlabelled(bytes);
    };
    let Some(encoding) = resolve(&label) else {
        let mut decoded = decode_unlabelled(bytes);
        decoded.notes.insert(0, format!("unknown charset {label}"));
        return decoded;
    };
    let mut notes = Vec::new();
    if !mail_parser_knows(&label) {
        notes.push(format!(
            "unknown charset {label} decoded as {}",
            encoding.name()
        ));
    }
    // ISO-2022-JP is 7-bit: 8-bit bytes under that label are another charset (mobile mailers
    // labelling Shift_JIS as ISO-2022-JP).
    if encoding == ISO_2022_JP && !bytes.is_ascii() {
        let guessed = guess(bytes);
        if let Some(text) = guessed.decode_without_bom_handling_and_without_replacement(bytes) {
            notes.push(format!(
                "text is not valid {}; charset guessed by chardetng: {}",
                encoding.name(),
                guessed.name()
            ));
            return Decoded {
                text: text.into_owned(),
                notes,
            };
        }
    }
    if encoding == ISO_2022_JP {
        let mut decoded = iso2022jp::decode(bytes);
        notes.append(&mut decoded.notes);
        return Decoded {
            text: decoded.text,
            notes,
        };
    }
    if is_ascii_label(&label) && !bytes.is_ascii() {
        let mut decoded = decode_unlabelled(bytes);
        notes.push(format!("charset {label} declared on 8-bit text"));
        notes.append(&mut decoded.notes);
        return Decoded {
            text: decoded.text,
            notes,
        };
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let guessed = guess(bytes);
        if guessed != encoding
            && let Some(text) = guessed.decode_without_bom_handling_and_without_replacement(bytes)
        {
            notes.push(format!(
                "text is not valid {}; charset guessed by chardetng: {}",
                encoding.name(),
                guessed.name()
            ));
            return Decoded {
                text: text.into_owned(),
                notes,
            };
        }
        notes.push(format!("some bytes are not valid {}", encoding.name()));
    }
    Decoded {
        text: text.into_owned(),
        notes,
    }
}

/// True when a decoded text shows signs of a wrong decode: U+FFFD or an ESC left in it.
pub(crate) fn looks_damaged(text: &str) -> bool {
    text.contains('\u{FFFD}') || text.contains('\u{1b}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sjis(s: &str) -> Vec<u8> {
        SHIFT_JIS.encode(s).0.into_owned()
    }

    #[test]
    fn aliases_resolve() {
        for label in [
            "cp932",
            "CP932",
            "MS932",
            "windows-31j",
            "x-sjis",
            "sjis",
            "Shift-JIS",
            "x_sjis",
            "\"cp932\"",
        ] {
            assert_eq!(resolve(label), Some(SHIFT_JIS), "{label}");
        }
        for label in ["x-euc-jp", "eucJP-ms", "EUC-JP"] {
            assert_eq!(resolve(label), Some(EUC_JP), "{label}");
        }
        assert_eq!(resolve("ISO-2022-JP*ja"), Some(ISO_2022_JP));
        assert_eq!(resolve("iso-2022-jp-2"), Some(ISO_2022_JP));
        assert_eq!(resolve("x-unknown-charset"), None);
    }

    #[test]
    fn mail_parser_label_knowledge() {
        // What mail-parser 0.11.9 knows decides whether a part is decoded again.
        assert!(mail_parser_knows("shift_jis") && mail_parser_knows("windows-31j"));
        assert!(mail_parser_knows("UTF-8"));
        assert!(!mail_parser_knows("cp932"));
    }

    #[test]
    fn decode_with_alias_notes_it() {
        let decoded = decode(&sjis("①㈱髙～"), Some("cp932"));
        assert_eq!(decoded.text, "①㈱髙～");
        assert_eq!(
            decoded.notes,
            ["unknown charset cp932 decoded as Shift_JIS"]
        );
    }

    #[test]
    fn unlabelled_and_mislabelled_text_is_guessed() {
        let bytes = sjis("本文です。よろしくお願いいたします。");
        let decoded = decode(&bytes, None);
        assert_eq!(decoded.text, "本文です。よろしくお願いいたします。");
        assert_eq!(decoded.notes, ["charset guessed by chardetng: Shift_JIS"]);
        let decoded = decode(&bytes, Some("utf-8"));
        assert_eq!(decoded.text, "本文です。よろしくお願いいたします。");
        assert_eq!(
            decoded.notes,
            ["text is not valid UTF-8; charset guessed by chardetng: Shift_JIS"]
        );
        let decoded = decode(&bytes, Some("us-ascii"));
        assert_eq!(decoded.text, "本文です。よろしくお願いいたします。");
    }

    #[test]
    fn shift_jis_labelled_iso_2022_jp() {
        let decoded = decode(&sjis("携帯から送信しました。"), Some("ISO-2022-JP"));
        assert_eq!(decoded.text, "携帯から送信しました。");
        assert_eq!(
            decoded.notes,
            ["text is not valid ISO-2022-JP; charset guessed by chardetng: Shift_JIS"]
        );
    }

    #[test]
    fn latin_names_are_not_read_as_shift_jis() {
        assert_eq!(guess(b"M\xfcller").name(), "windows-1252");
        assert_eq!(decode(b"M\xfcller", None).text, "Müller");
    }
}
