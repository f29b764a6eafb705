//! Splits a (normalised) query into terms: whitespace separates, `"…"` (or `“…”`) groups, a
//! leading `-` negates, `key:value` and `key:"…"` are operators when `key` is one, and `OR`
//! between two terms joins them. An unclosed quote runs to the end of the input.

use crate::query::is_operator;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Item {
    Or,
    Term {
        negated: bool,
        /// The operator, lowercased; `None` for text.
        key: Option<String>,
        value: String,
        /// The term as written (without the `-`), for error messages.
        part: String,
    },
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

pub(crate) fn lex(input: &str) -> Vec<Item> {
    let chars: Vec<char> = input.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i == chars.len() {
            break;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        let start = i;
        if is_quote(chars[i]) {
            let value = quoted(&chars, &mut i);
            let part = chars[start..i].iter().collect();
            items.push(Item::Term {
                negated,
                key: None,
                value,
                part,
            });
            continue;
        }
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ':' {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect::<String>().to_lowercase();
        let item = if i < chars.len() && chars[i] == ':' && is_operator(&key) {
            i += 1;
            let value = if i < chars.len() && is_quote(chars[i]) {
                quoted(&chars, &mut i)
            } else {
                word(&chars, &mut i)
            };
            let part = chars[start..i].iter().collect();
            Item::Term {
                negated,
                key: Some(key),
                value,
                part,
            }
        } else {
            i = start;
            let value = word(&chars, &mut i);
            Item::Term {
                negated,
                key: None,
                part: value.clone(),
                value,
            }
        };
        items.push(item);
    }
    mark_or(items)
}

/// Reads a quoted value starting at the opening quote; leaves `i` after the closing one.
fn quoted(chars: &[char], i: &mut usize) -> String {
    *i += 1;
    let start = *i;
    while *i < chars.len() && !is_quote(chars[*i]) {
        *i += 1;
    }
    let value = chars[start..*i].iter().collect();
    *i = (*i + 1).min(chars.len());
    value
}

/// Reads up to the next whitespace.
fn word(chars: &[char], i: &mut usize) -> String {
    let start = *i;
    while *i < chars.len() && !chars[*i].is_whitespace() {
        *i += 1;
    }
    chars[start..*i].iter().collect()
}

/// A plain, un-negated `OR` is the operator only between two terms; elsewhere it is a word.
fn mark_or(items: Vec<Item>) -> Vec<Item> {
    let is_or = |item: &Item| matches!(item, Item::Term { negated: false, key: None, part, .. } if part == "OR");
    let n = items.len();
    let flags: Vec<bool> = (0..n)
        .map(|k| {
            is_or(&items[k]) && k > 0 && k + 1 < n && !is_or(&items[k - 1]) && !is_or(&items[k + 1])
        })
        .collect();
    items
        .into_iter()
        .zip(flags)
        .map(|(item, or)| if or { Item::Or } else { item })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(negated: bool, key: Option<&str>, value: &str, part: &str) -> Item {
        Item::Term {
            negated,
            key: key.map(str::to_string),
            value: value.into(),
            part: part.into(),
        }
    }

    #[test]
    fn splits_quotes_operators_and_negation() {
        assert_eq!(
            lex(r#"-"a b" From:"x y" label:請求 http://x.jp/p -"#),
            vec![
                term(true, None, "a b", r#""a b""#),
                term(false, Some("from"), "x y", r#"From:"x y""#),
                term(false, Some("label"), "請求", "label:請求"),
                term(false, None, "http://x.jp/p", "http://x.jp/p"),
                term(false, None, "-", "-"),
            ]
        );
    }

    #[test]
    fn or_only_between_terms() {
        assert_eq!(lex("a OR b").get(1), Some(&Item::Or));
        assert!(!lex("OR a").contains(&Item::Or));
        assert!(!lex("a OR").contains(&Item::Or));
        assert!(!lex("a or b").contains(&Item::Or));
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        assert_eq!(
            lex(r#""請求書 再発行"#),
            vec![term(false, None, "請求書 再発行", r#""請求書 再発行"#)]
        );
    }
}
