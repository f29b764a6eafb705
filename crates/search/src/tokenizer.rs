//! The `hako_cjk` tokenizer, after Lucene's CJKAnalyzer / Elasticsearch's `cjk` analyzer (see
//! JAPANESE.md): text is normalised (NFKC, lowercase, 〜/～ and −/－ folded), runs of
//! letters and digits become whole words, and runs of kanji/kana/hangul become overlapping
//! bigrams with real, increasing positions, so a phrase query enforces adjacency: `請求書` is
//! the phrase 請求 求書 and does not match 請求 … 要求書. A lone CJK character is a unigram.
//!
//! Index mode also emits the last character of every longer CJK run as a unigram, at the
//! position of the run's last bigram. Together with the bigrams that start with it, every
//! occurrence of a character is then a term starting with that character, so a one-character
//! query (`車`) is a prefix query over the term dictionary — no second unigram field. Sharing
//! the position keeps phrases intact: `東京 tower` matches `東京 Tower` in both modes.
//!
//! Words longer than [`MAX_WORD_CHARS`] (base64, hashes) are dropped but keep their position.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::normalize::{CharClass, NormChar, classify, normalize_with_offsets};

/// The name the text fields' tokenizer is registered under.
pub const TOKENIZER_NAME: &str = "hako_cjk";
/// The name of the keyword fields' tokenizer: the whole value, normalised, as one token.
pub const KEYWORD_TOKENIZER_NAME: &str = "hako_keyword";
/// Longer words are not indexed.
pub const MAX_WORD_CHARS: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Adds the trailing unigram of each CJK run (see the module header).
    Index,
    Query,
}

/// Tokenizes `text` into `out` (cleared first), reusing `scratch` for the normalised text.
pub(crate) fn tokenize(text: &str, mode: Mode, scratch: &mut Vec<NormChar>, out: &mut Vec<Token>) {
    out.clear();
    normalize_with_offsets(text, scratch);
    let chars = scratch.as_slice();
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        match classify(chars[i].c) {
            CharClass::Word => {
                let start = i;
                while i < chars.len()
                    && matches!(classify(chars[i].c), CharClass::Word | CharClass::Mark)
                {
                    i += 1;
                }
                if i - start <= MAX_WORD_CHARS {
                    out.push(token(&chars[start..i], position));
                }
                position += 1;
            }
            CharClass::Cjk => {
                let start = i;
                while i < chars.len() && classify(chars[i].c) == CharClass::Cjk {
                    i += 1;
                }
                let run = &chars[start..i];
                if run.len() == 1 {
                    out.push(token(run, position));
                    position += 1;
                    continue;
                }
                for pair in run.windows(2) {
                    out.push(token(pair, position));
                    position += 1;
                }
                if mode == Mode::Index {
                    out.push(token(&run[run.len() - 1..], position - 1));
                }
            }
            CharClass::Mark | CharClass::Other => i += 1,
        }
    }
}

fn token(chars: &[NormChar], position: usize) -> Token {
    Token {
        offset_from: chars[0].from,
        offset_to: chars[chars.len() - 1].to,
        position,
        text: chars.iter().map(|n| n.c).collect(),
        position_length: 1,
    }
}

/// Whether a token is a single CJK character: alone in a query it can only be matched as a
/// prefix (see the module header).
pub(crate) fn is_lone_cjk(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if classify(c) == CharClass::Cjk)
}

/// The `hako_cjk` tokenizer in index mode, for tantivy.
#[derive(Clone, Default)]
pub struct HakoTokenizer {
    scratch: Vec<NormChar>,
    tokens: Vec<Token>,
}

impl Tokenizer for HakoTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        tokenize(text, Mode::Index, &mut self.scratch, &mut self.tokens);
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// The `hako_keyword` tokenizer: the whole value normalised as one token (none if empty).
#[derive(Clone, Default)]
pub struct KeywordTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        let value = crate::normalize::normalize(text);
        if !value.is_empty() {
            self.tokens.push(Token {
                offset_to: text.len(),
                position: 0,
                text: value,
                ..Token::default()
            });
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// Replays tokens computed up front.
pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(text: &str) -> Vec<(String, usize)> {
        let mut tokenizer = HakoTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut got = Vec::new();
        while let Some(token) = stream.next() {
            got.push((token.text.clone(), token.position));
        }
        got
    }

    fn query(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        tokenize(text, Mode::Query, &mut Vec::new(), &mut out);
        out.into_iter().map(|t| (t.text, t.position)).collect()
    }

    fn pairs(expected: &[(&str, usize)]) -> Vec<(String, usize)> {
        expected.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    }

    #[test]
    fn cjk_runs_are_bigrams_with_real_positions() {
        assert_eq!(
            stream("請求書"),
            pairs(&[("請求", 0), ("求書", 1), ("書", 1)])
        );
        assert_eq!(query("請求書"), pairs(&[("請求", 0), ("求書", 1)]));
        assert_eq!(
            stream("お問い合わせ"),
            pairs(&[
                ("お問", 0),
                ("問い", 1),
                ("い合", 2),
                ("合わ", 3),
                ("わせ", 4),
                ("せ", 4)
            ])
        );
    }

    #[test]
    fn lone_cjk_character_is_a_unigram() {
        assert_eq!(stream("車"), pairs(&[("車", 0)]));
        assert_eq!(
            stream("2026年11月"),
            pairs(&[("2026", 0), ("年", 1), ("11", 2), ("月", 3)])
        );
        assert!(is_lone_cjk("車"));
        assert!(!is_lone_cjk("a"));
        assert!(!is_lone_cjk("車検"));
    }

    #[test]
    fn latin_words_are_whole_and_lowercased() {
        assert_eq!(
            stream("Invoice #42 for ＡＣＭＥ"),
            pairs(&[("invoice", 0), ("42", 1), ("for", 2), ("acme", 3)])
        );
        assert_eq!(
            query("taro.yamada@example.jp"),
            pairs(&[("taro", 0), ("yamada", 1), ("example", 2), ("jp", 3)])
        );
    }

    #[test]
    fn mixed_scripts_keep_one_position_sequence() {
        assert_eq!(
            stream("車検のご案内 Toyota"),
            pairs(&[
                ("車検", 0),
                ("検の", 1),
                ("のご", 2),
                ("ご案", 3),
                ("案内", 4),
                ("内", 4),
                ("toyota", 5)
            ])
        );
        assert_eq!(stream("カルモ・ジャパン"), stream("ｶﾙﾓ･ｼﾞｬﾊﾟﾝ"));
        assert_eq!(stream("10時〜18時"), stream("10時～18時"));
        assert_eq!(
            query("10時〜18時"),
            pairs(&[("10", 0), ("時〜", 1), ("18", 2), ("時", 3)])
        );
        assert_eq!(query("10時~18時"), query("10時～18時"));
    }

    #[test]
    fn offsets_cover_the_original_text() {
        let text = "ｶﾙﾓです";
        let mut tokenizer = HakoTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), text[t.offset_from..t.offset_to].to_string()));
        }
        assert_eq!(got[0], ("カル".to_string(), "ｶﾙ".to_string()));
        assert_eq!(got[2], ("モで".to_string(), "ﾓで".to_string()));
    }

    #[test]
    fn long_words_are_dropped_but_keep_their_position() {
        let long = "a".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(stream(&format!("x {long} y")), pairs(&[("x", 0), ("y", 2)]));
    }

    #[test]
    fn keyword_tokenizer_is_one_normalised_token() {
        let mut tokenizer = KeywordTokenizer::default();
        let mut stream = tokenizer.token_stream(" Taro@ＥＸＡＭＰＬＥ.jp ");
        assert_eq!(
            stream.next().map(|t| t.text.clone()),
            Some("taro@example.jp".to_string())
        );
        assert!(stream.next().is_none());
        assert!(tokenizer.token_stream("  ").next().is_none());
    }
}
