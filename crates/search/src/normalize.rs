//! Text normalisation shared by indexing and querying, as JAPANESE.md describes: Unicode NFKC
//! (UAX #15; folds half-width kana ｶﾙﾓ → カルモ and full-width ＩＮＶＯＩＣＥ → INVOICE),
//! lowercase, and the folds NFKC leaves out: the wave dash 〜 (U+301C) with the full-width
//! tilde ～ (U+FF5E, which NFKC turns into `~`), and the minus sign − (U+2212) with － (U+FF0D,
//! which NFKC turns into `-`). The prolonged sound mark ー (U+30FC) is left alone.
//!
//! [`normalize_with_offsets`] keeps, for every output character, the byte range of the input it
//! came from, so token offsets (and so snippets) point into the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One normalised character and the byte range of the original text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NormChar {
    pub c: char,
    pub from: usize,
    pub to: usize,
}

/// The folds NFKC does not do. Applied after NFKC, so `～` arrives here as `~`.
fn fold(c: char) -> char {
    match c {
        '~' | '\u{FF5E}' | '\u{301C}' => '\u{301C}',
        '\u{2212}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

/// Pushes `c`, folded and lowercased, with the original range `from..to`.
fn push_folded(c: char, from: usize, to: usize, out: &mut Vec<NormChar>) {
    let c = fold(c);
    if c.is_ascii() {
        out.push(NormChar {
            c: c.to_ascii_lowercase(),
            from,
            to,
        });
    } else {
        out.extend(c.to_lowercase().map(|c| NormChar { c, from, to }));
    }
}

/// Whether `c` only modifies the character before it once compatibility-decomposed (a
/// combining accent, or the half-width voiced sound mark ﾞ that NFKC joins to ｶ as ガ).
fn joins_previous(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut first = None;
    decompose_compatible(c, |d| {
        first.get_or_insert(d);
    });
    first.is_some_and(is_combining_mark)
}

/// Normalises `text` into `out` (cleared first). Each cluster — a character and the combining
/// marks that follow it — is NFKC-normalised on its own, and every character it yields maps
/// to the cluster's whole original range.
pub(crate) fn normalize_with_offsets(text: &str, out: &mut Vec<NormChar>) {
    out.clear();
    let mut chars = text.char_indices().peekable();
    while let Some((from, c)) = chars.next() {
        let mut to = from + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek() {
            if !joins_previous(next) {
                break;
            }
            to = next_at + next.len_utf8();
            chars.next();
        }
        if to == from + c.len_utf8() && c.is_ascii() {
            push_folded(c, from, to, out);
        } else {
            for n in text[from..to].nfkc() {
                push_folded(n, from, to, out);
            }
        }
    }
}

/// Normalises `text` to a plain string: the form keyword fields (addresses, labels, status,
/// inbox) are stored and compared in, with surrounding whitespace trimmed.
pub fn normalize(text: &str) -> String {
    let mut chars = Vec::new();
    normalize_with_offsets(text.trim(), &mut chars);
    chars.iter().map(|n| n.c).collect()
}

/// How the tokenizer treats a normalised character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CharClass {
    /// Kanji, kana (with ー and the kana iteration marks), hangul, and the wave dash 〜: runs of
    /// these become bigrams.
    Cjk,
    /// Letters and digits of other scripts: runs of these become words.
    Word,
    /// A combining mark: continues a word, otherwise ignored.
    Mark,
    /// Everything else separates tokens.
    Other,
}

pub(crate) fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Other
        };
    }
    if is_cjk(c) {
        CharClass::Cjk
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else if is_combining_mark(c) {
        CharClass::Mark
    } else {
        CharClass::Other
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF    // CJK and Kangxi radicals
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x301C             // 〜 (the fold target of ～ and ~)
        | 0x3021..=0x3029    // Hangzhou numerals
        | 0x3031..=0x3035    // vertical kana repeat marks
        | 0x303B             // 〻
        | 0x3041..=0x309F    // Hiragana (with the voiced sound marks)
        | 0x30A1..=0x30FA    // Katakana, without ゠
        | 0x30FC..=0x30FF    // ー ヽ ヾ ヿ (the middle dot ・ U+30FB separates)
        | 0x3131..=0x318E    // Hangul compatibility jamo
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xA960..=0xA97F    // Hangul jamo extended A
        | 0xAC00..=0xD7FF    // Hangul syllables and jamo extended B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3FFFF  // CJK extensions B and later
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_width_and_case() {
        assert_eq!(normalize("ｶﾙﾓ"), "カルモ");
        assert_eq!(normalize("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalize("ＩＮＶＯＩＣＥ"), "invoice");
        assert_eq!(normalize("  Taro@Example.JP "), "taro@example.jp");
        assert_eq!(normalize("㈱"), "(株)");
    }

    #[test]
    fn wave_dash_minus_and_prolonged_sound_mark() {
        assert_eq!(normalize("10時〜18時"), normalize("10時～18時"));
        assert_eq!(normalize("10時~18時"), "10時〜18時");
        assert_eq!(normalize("03−1234"), "03-1234");
        assert_eq!(normalize("03－1234"), "03-1234");
        assert_eq!(normalize("ｻｰﾋﾞｽ"), "サービス");
        assert_eq!(classify('ー'), CharClass::Cjk);
        assert_eq!(classify('・'), CharClass::Other);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "aｶﾞb";
        let mut out = Vec::new();
        normalize_with_offsets(text, &mut out);
        let got: Vec<(char, &str)> = out.iter().map(|n| (n.c, &text[n.from..n.to])).collect();
        assert_eq!(got, vec![('a', "a"), ('ガ', "ｶﾞ"), ('b', "b")]);
    }
}
