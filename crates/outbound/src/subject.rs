//! The subject of a reply: "Re: " once, never "Re: Re: AW: 返信:", and optionally the ticket
//! tag `[#1042]` that lets a customer's later mail find its ticket by subject.

/// Reply and forward prefixes mailers add, in the languages our customers write in.
const PREFIXES: [&str; 12] = [
    "re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "rv", "返信", "転送", "回复",
];

/// Strips leading reply/forward prefixes (`Re:`, `RE[2]:`, `Fwd:`, `AW:`, `返信：` …) and
/// `[#N]` ticket tags, keeping the rest as the customer wrote it.
pub fn strip_prefixes(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let before = s;
        if let Some(rest) = strip_tag(s) {
            s = rest.trim_start();
        }
        for p in PREFIXES {
            if let Some(rest) = strip_prefix(s, p) {
                s = rest.trim_start();
                break;
            }
        }
        if s == before {
            return s;
        }
    }
}

/// `[#1042]` at the start.
fn strip_tag(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("[#")?;
    let end = rest.find(']')?;
    rest[..end]
        .chars()
        .all(|c| c.is_ascii_digit())
        .then(|| &rest[end + 1..])
}

/// `p:` / `p：` / `p[2]:` at the start, case-insensitively.
fn strip_prefix<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    if !head.eq_ignore_ascii_case(p) {
        return None;
    }
    let mut rest = &s[p.len()..];
    if let Some(counted) = rest.strip_prefix('[') {
        let end = counted.find(']')?;
        if !counted[..end].chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        rest = &counted[end + 1..];
    }
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// "Re: <subject>", with " [#N]" appended when `tag` is given.
pub fn reply_subject(original: &str, tag: Option<i64>) -> String {
    let base = strip_prefixes(original);
    let base = if base.is_empty() {
        "(no subject)"
    } else {
        base
    };
    match tag {
        Some(n) => format!("Re: {base} [#{n}]"),
        None => format!("Re: {base}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_re_however_many_prefixes() {
        assert_eq!(reply_subject("請求書の件", None), "Re: 請求書の件");
        assert_eq!(
            reply_subject("Re: Re: RE[2]: AW: 請求書", None),
            "Re: 請求書"
        );
        assert_eq!(reply_subject("返信： Fwd: 見積り", None), "Re: 見積り");
        assert_eq!(
            reply_subject("Re: [#1042] 見積り", Some(1042)),
            "Re: 見積り [#1042]"
        );
        assert_eq!(reply_subject("", None), "Re: (no subject)");
        // Words that merely start like a prefix stay.
        assert_eq!(
            reply_subject("Review of the contract", None),
            "Re: Review of the contract"
        );
        assert_eq!(reply_subject("Fwd is broken", None), "Re: Fwd is broken");
    }
}
