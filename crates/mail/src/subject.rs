//! Subject normalisation for threading, and `[#1042]` ticket tags.
//!
//! The key is NFKC-normalised first (not only NFC): Japanese subjects come back from other
//! mailers with width changes (`Ｒｅ：`, half-width ｶﾅ, full-width digits in `［＃１０４２］`), and
//! NFKC makes those compare equal. Reply and forward prefixes are stripped with mail-parser's
//! `thread_name()` (Re:, Fwd:, AW:, WG:, SV:, 回复:, `Re[2]:`, leading `[list]` tags, trailing
//! `(fwd)`), plus the Japanese 返信: and 転送: and automatic-reply prefixes (自動応答:,
//! Automatic reply:) it lacks, repeatedly; ticket tags are removed
//! anywhere; white space is folded and the result lowercased.

use icu_normalizer::ComposingNormalizerBorrowed;
use mail_parser::parsers::fields::thread::thread_name;

/// Reply, forward and automatic-reply prefixes `thread_name()` does not know (compared after
/// NFKC and case-insensitively, so `返信：` and `AUTOMATIC REPLY:` are covered).
const MORE_PREFIXES: &[&str] = &[
    "返信",
    "転送",
    "自動応答",
    "自動返信",
    "不在通知",
    "automatic reply",
    "auto reply",
    "autoreply",
    "out of office",
];

/// The subject as a threading key: replies and forwards of a message get the same key.
pub fn normalize_subject(subject: &str) -> String {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(subject);
    let mut rest: &str = nfkc.trim();
    loop {
        let before = rest;
        rest = thread_name(rest).trim();
        rest = strip_more_prefixes(rest);
        if let Some((_, end)) = tag_at(rest, 0) {
            rest = rest[end..].trim_start();
        }
        if rest == before {
            break;
        }
    }
    let mut untagged = String::with_capacity(rest.len());
    let mut last = 0;
    for (start, end) in tags(rest) {
        untagged.push_str(&rest[last..start]);
        untagged.push(' ');
        last = end;
    }
    untagged.push_str(&rest[last..]);
    untagged
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Ticket numbers from `[#1042]` tags (also full-width `［＃１０４２］`), in order, no duplicates.
pub fn ticket_tags(subject: &str) -> Vec<i64> {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(subject);
    let mut numbers = Vec::new();
    for (start, end) in tags(&nfkc) {
        if let Ok(n) = nfkc[start + 2..end - 1].parse::<i64>()
            && !numbers.contains(&n)
        {
            numbers.push(n);
        }
    }
    numbers
}

fn strip_more_prefixes(s: &str) -> &str {
    for prefix in MORE_PREFIXES {
        if let Some(head) = s.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
            && let Some(rest) = s[prefix.len()..].trim_start().strip_prefix(':')
        {
            return rest.trim_start();
        }
    }
    s
}

/// A `[#digits]` tag starting at byte `at`: (start, end).
fn tag_at(s: &str, at: usize) -> Option<(usize, usize)> {
    let digits = s[at..].strip_prefix("[#")?;
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    (len > 0 && len <= 18 && digits[len..].starts_with(']')).then_some((at, at + 2 + len + 1))
}

fn tags(s: &str) -> Vec<(usize, usize)> {
    s.match_indices("[#")
        .filter_map(|(at, _)| tag_at(s, at))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_stripped() {
        for (subject, expected) in [
            ("Re: Invoice 42", "invoice 42"),
            ("RE: RE: Invoice 42", "invoice 42"),
            ("Fwd: Invoice 42", "invoice 42"),
            ("FW: Invoice 42", "invoice 42"),
            ("AW: WG: Rechnung", "rechnung"),
            ("Re[2]: Invoice 42", "invoice 42"),
            ("返信: 見積書の件", "見積書の件"),
            ("転送: Re: 見積書の件", "見積書の件"),
            ("Re: 返信: 転送: 見積書の件", "見積書の件"),
            ("Ｒｅ：見積書の件", "見積書の件"),
            ("返信：見積書の件", "見積書の件"),
            ("自動応答: 見積書の件", "見積書の件"),
            ("Automatic reply: RE: Invoice 42", "invoice 42"),
            ("[#1042] Re: 見積書の件", "見積書の件"),
            ("Re: [#1042] 見積書の件", "見積書の件"),
            ("Re: 返信: [#1042] 見積書の件", "見積書の件"),
            ("Re: 見積書の件 [#1042]", "見積書の件"),
            ("  Invoice\t  42  ", "invoice 42"),
            ("見積書　の件", "見積書 の件"),
            ("ｶﾀｶﾅ", "カタカナ"),
            ("Re:", ""),
            ("", ""),
            ("Regarding: your order", "regarding: your order"),
        ] {
            assert_eq!(normalize_subject(subject), expected, "{subject:?}");
        }
    }

    #[test]
    fn nfd_and_nfc_compare_equal() {
        // "が" as か + combining dakuten (macOS file names pasted into subjects).
        assert_eq!(
            normalize_subject("か\u{3099}いと"),
            normalize_subject("がいと")
        );
    }

    #[test]
    fn tags_are_found() {
        assert_eq!(ticket_tags("Re: 返信: [#1042] 見積"), [1042]);
        assert_eq!(ticket_tags("[#1] a [#2] b [#1]"), [1, 2]);
        assert_eq!(ticket_tags("［＃１０４２］ 見積"), [1042]);
        assert!(ticket_tags("[#] [#x1] [1042] #1042").is_empty());
        assert!(ticket_tags("[#99999999999999999999]").is_empty());
    }
}
