//! Snippets: a short, HTML-escaped window of a message body with `<b>…</b>` around what the
//! query's words and phrases matched. Phrases are matched on token positions, as the index
//! does, so `請求書` lights up 請求書 and not the 請求 or 要求書 around it; the bigrams of a
//! match are merged into one highlight. Whitespace runs become one space.
//!
//! Only the first [`SCAN_BYTES`] of a body are scanned; a body whose matches lie further on
//! shows its beginning without highlights.

use tantivy::tokenizer::Token;

use crate::compile::query_tokens;
use crate::query::{Condition, SearchQuery};
use crate::tokenizer::{Mode, is_lone_cjk, tokenize};

pub(crate) const SCAN_BYTES: usize = 16 * 1024;
/// Characters of text in a snippet, not counting the ellipses.
pub(crate) const SNIPPET_CHARS: usize = 160;
/// Characters shown before the first highlight.
const LEAD_CHARS: usize = 30;

/// One token of a query phrase: its offset in the phrase and its text, or its first
/// character for a lone CJK character (matched as a prefix, like the index query does).
struct PhraseToken {
    offset: usize,
    text: String,
    prefix: bool,
}

pub(crate) struct Highlighter {
    phrases: Vec<Vec<PhraseToken>>,
}

impl Highlighter {
    /// Highlights what the positive free-text words and phrases of `q` match.
    pub fn new(q: &SearchQuery) -> Highlighter {
        let phrases = q
            .clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .filter(|a| !a.negated)
            .filter_map(|a| match &a.condition {
                Condition::Text(text) => Some(phrase(&query_tokens(text))),
                _ => None,
            })
            .filter(|p| !p.is_empty())
            .collect();
        Highlighter { phrases }
    }

    /// The snippet of `text` as HTML.
    pub fn snippet(&self, text: &str) -> String {
        let mut end = text.len().min(SCAN_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let scanned = &text[..end];
        let ranges = self.ranges(scanned);
        render(scanned, end < text.len(), &ranges)
    }

    /// Byte ranges to highlight, sorted and merged.
    fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        let mut tokens = Vec::new();
        tokenize(text, Mode::Index, &mut Vec::new(), &mut tokens);
        let mut at: Vec<Vec<&Token>> = Vec::new();
        for t in &tokens {
            if at.len() <= t.position {
                at.resize_with(t.position + 1, Vec::new);
            }
            at[t.position].push(t);
        }
        let mut ranges = Vec::new();
        for phrase in &self.phrases {
            for start in 0..at.len() {
                let mut span: Option<(usize, usize)> = None;
                let all = phrase.iter().all(|p| {
                    let found = at
                        .get(start + p.offset)
                        .and_then(|ts| ts.iter().find_map(|t| matched(p, t, text)));
                    if let Some((from, to)) = found {
                        span = Some(span.map_or((from, to), |(a, b)| (a.min(from), b.max(to))));
                    }
                    found.is_some()
                });
                if all && let Some(span) = span {
                    ranges.push(span);
                }
            }
        }
        ranges.sort_unstable();
        ranges.dedup();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (from, to) in ranges {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        merged
    }
}

fn phrase(tokens: &[Token]) -> Vec<PhraseToken> {
    let first = tokens.first().map_or(0, |t| t.position);
    let last = tokens.len().saturating_sub(1);
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| PhraseToken {
            offset: t.position - first,
            text: t.text.clone(),
            // As in the index query: a lone CJK character alone or at the end is a prefix.
            prefix: i == last && is_lone_cjk(&t.text),
        })
        .collect()
}

/// The byte range of `t` that `p` matches, if it does: all of it, or for a prefix matching a
/// bigram the original of its first character.
fn matched(p: &PhraseToken, t: &Token, text: &str) -> Option<(usize, usize)> {
    if p.prefix && t.text.starts_with(&p.text) {
        let original = &text[t.offset_from..t.offset_to];
        let to = match t.text.chars().count() {
            1 => t.offset_to,
            _ => t.offset_from + original.chars().next().map_or(0, char::len_utf8),
        };
        return Some((t.offset_from, to));
    }
    (t.text == p.text).then_some((t.offset_from, t.offset_to))
}

/// Writes the window of `text` that holds the most highlights, starting a little before the
/// first of them. `cut` says the text was cut before the end.
fn render(text: &str, cut: bool, ranges: &[(usize, usize)]) -> String {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
    let mut first = 0;
    if !ranges.is_empty() {
        let ends: Vec<usize> = ranges.iter().map(|r| char_at(r.1)).collect();
        let best = (0..ranges.len())
            .max_by_key(|&i| {
                let limit = char_at(ranges[i].0).saturating_sub(LEAD_CHARS) + SNIPPET_CHARS;
                (
                    ends.partition_point(|&e| e <= limit) - i,
                    std::cmp::Reverse(i),
                )
            })
            .unwrap_or(0);
        first = char_at(ranges[best].0).saturating_sub(LEAD_CHARS);
    }
    let first = first.min(n.saturating_sub(SNIPPET_CHARS));
    let last = (first + SNIPPET_CHARS).min(n);

    let mut html = String::new();
    let mut open = false;
    let mut space = false;
    let mut next_range = ranges.iter().peekable();
    for &at in &starts[first..last] {
        let c = text[at..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            space = !html.is_empty();
            continue;
        }
        while next_range.peek().is_some_and(|r| r.1 <= at) {
            next_range.next();
        }
        let inside = next_range.peek().is_some_and(|r| r.0 <= at);
        if open && !inside {
            html.push_str("</b>");
            open = false;
        }
        if std::mem::take(&mut space) {
            html.push(' ');
        }
        if inside && !open {
            html.push_str("<b>");
            open = true;
        }
        escape(c, &mut html);
    }
    if open {
        html.push_str("</b>");
    }
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    out.push_str(&html);
    if last < n || cut {
        out.push('…');
    }
    out
}

fn escape(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;

    fn snippet(query: &str, text: &str) -> String {
        Highlighter::new(&parse_query(query, chrono_tz::UTC).unwrap()).snippet(text)
    }

    #[test]
    fn highlights_whole_cjk_phrases_only() {
        assert_eq!(
            snippet("請求書", "請求と要求書、請求書です"),
            "請求と要求書、<b>請求書</b>です"
        );
    }

    #[test]
    fn highlights_words_case_insensitively_and_escapes() {
        assert_eq!(
            snippet("invoice", "Your <b>INVOICE</b> & \"receipt\""),
            "Your &lt;b&gt;<b>INVOICE</b>&lt;/b&gt; &amp; &quot;receipt&quot;"
        );
        assert_eq!(
            snippet("x", "<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn half_width_original_is_highlighted() {
        assert_eq!(snippet("カルモ", "ｶﾙﾓです"), "<b>ｶﾙﾓ</b>です");
    }

    #[test]
    fn one_character_prefix() {
        assert_eq!(snippet("車", "自動車と車検"), "自動<b>車</b>と<b>車</b>検");
    }

    #[test]
    fn whitespace_collapses_and_long_text_is_windowed() {
        assert_eq!(snippet("b", "a \n\n  b\tc"), "a <b>b</b> c");
        let text = format!("{} needle {}", "x ".repeat(200), "y ".repeat(200));
        let got = snippet("needle", &text);
        assert!(got.starts_with('…') && got.ends_with('…'), "{got}");
        assert!(got.contains("<b>needle</b>"));
        assert!(got.chars().count() <= SNIPPET_CHARS + 2 + 7);
    }

    #[test]
    fn no_highlight_shows_the_start() {
        assert_eq!(snippet("label:x", "hello world"), "hello world");
    }
}
