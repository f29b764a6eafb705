//! The query language, Gmail-like: free words and "quoted phrases" (AND by default), `OR`
//! between two terms, `-term` to exclude, and operators `from:` `to:` `subject:` `label:`
//! `status:` `assignee:` `inbox:` `before:` `after:` `has:attachment`, whose values may be
//! quoted (`subject:"請求書 再発行"`). An unknown `foo:bar` is plain text, so URLs work.
//!
//! The input is NFKC-normalised first, so full-width spaces, colons and quotes typed with a
//! Japanese IME work like ASCII ones.
//!
//! Dates are days in the team's time zone: `after:2026-11-01` matches from the start of that
//! day (inclusive), `before:2026-11-01` up to the start of that day (exclusive), so
//! `after:D before:D+1` is exactly day D.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use unicode_normalization::UnicodeNormalization;

use crate::error::QueryError;
use crate::lexer::{Item, lex};
use crate::normalize::normalize;

/// A parsed query: every clause must match. Empty matches everything (in scope).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub clauses: Vec<Clause>,
}

/// Alternatives joined by `OR`: a message matches when any of them does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Atom>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atom {
    /// Written with a leading `-`: the message must not match.
    pub negated: bool,
    pub condition: Condition,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// A word or quoted phrase: its tokens, adjacent, in the subject, body, sender, recipients
    /// or attachment names.
    Text(String),
    From(AddressMatch),
    /// To or Cc.
    To(AddressMatch),
    /// A phrase in the subject.
    Subject(String),
    /// A label, normalised (NFKC, lowercase).
    Label(String),
    /// `open`, `pending`, `snoozed`, `closed`, `spam` or `trash`.
    Status(String),
    /// An assignee's address (normalised), or `None` for unassigned tickets.
    Assignee(Option<String>),
    /// An inbox name, normalised.
    Inbox(String),
    /// Strictly before this instant.
    Before(DateTime<Utc>),
    /// At or after this instant.
    After(DateTime<Utc>),
    HasAttachment,
}

/// How `from:`/`to:` match, decided by the value's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressMatch {
    /// `taro@example.jp`: the whole address, case-insensitive.
    Exact(String),
    /// `example.jp` or `@example.jp`: that domain or a subdomain of it.
    Domain(String),
    /// Anything else (`山田`, `"Taro Yamada"`): words of the name or address, as a phrase.
    Words(String),
}

/// Parses `input`; dates are read as days in `tz`.
pub fn parse_query(input: &str, tz: Tz) -> Result<SearchQuery, QueryError> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or = false;
    for item in lex(&input.nfkc().collect::<String>()) {
        match item {
            Item::Or => pending_or = true,
            Item::Term {
                negated,
                key,
                value,
                part,
            } => {
                let condition = match key {
                    Some(key) => operator(&key, &value, &part, tz)?,
                    None => Condition::Text(value),
                };
                let atom = Atom { negated, condition };
                match clauses.last_mut() {
                    Some(last) if pending_or => last.alternatives.push(atom),
                    _ => clauses.push(Clause {
                        alternatives: vec![atom],
                    }),
                }
                pending_or = false;
            }
        }
    }
    Ok(SearchQuery { clauses })
}

/// Whether `key` is an operator; anything else before a colon is text.
pub(crate) fn is_operator(key: &str) -> bool {
    matches!(
        key,
        "from"
            | "to"
            | "subject"
            | "label"
            | "status"
            | "assignee"
            | "inbox"
            | "before"
            | "after"
            | "has"
    )
}

fn operator(key: &str, value: &str, part: &str, tz: Tz) -> Result<Condition, QueryError> {
    let missing = || QueryError::MissingValue {
        part: part.to_string(),
    };
    if value.trim().is_empty() {
        return Err(missing());
    }
    Ok(match key {
        "from" => Condition::From(address_match(value).ok_or_else(missing)?),
        "to" => Condition::To(address_match(value).ok_or_else(missing)?),
        "subject" => Condition::Subject(value.to_string()),
        "label" => Condition::Label(normalize(value)),
        "status" => Condition::Status(
            status(value)
                .ok_or_else(|| QueryError::BadStatus {
                    part: part.to_string(),
                })?
                .into(),
        ),
        "assignee" => match normalize(value).as_str() {
            "none" | "なし" | "未割り当て" => Condition::Assignee(None),
            address => Condition::Assignee(Some(address.to_string())),
        },
        "inbox" => Condition::Inbox(normalize(value)),
        "before" | "after" => {
            let day = parse_day(value).ok_or_else(|| QueryError::BadDate { part: part.into() })?;
            let start = start_of_day(day, tz);
            if key == "before" {
                Condition::Before(start)
            } else {
                Condition::After(start)
            }
        }
        _ => match normalize(value).as_str() {
            "attachment" | "attachments" | "添付" | "添付ファイル" => {
                Condition::HasAttachment
            }
            _ => {
                return Err(QueryError::BadHas {
                    part: part.to_string(),
                });
            }
        },
    })
}

fn address_match(value: &str) -> Option<AddressMatch> {
    let v = normalize(value);
    if let Some(domain) = v.strip_prefix('@') {
        return (!domain.is_empty()).then(|| AddressMatch::Domain(domain.to_string()));
    }
    if v.contains('@') && !v.contains(char::is_whitespace) {
        return Some(AddressMatch::Exact(v));
    }
    let domain_like = v.contains('.')
        && !v.starts_with('.')
        && !v.ends_with('.')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    Some(if domain_like {
        AddressMatch::Domain(v)
    } else {
        AddressMatch::Words(value.to_string())
    })
}

/// The status a word names, in English or in the words Japanese teams use (as in
/// `hako-domain`'s `StatusKind`).
fn status(value: &str) -> Option<&'static str> {
    Some(match normalize(value).as_str() {
        "open" | "未対応" => "open",
        "pending" | "保留" => "pending",
        "snoozed" | "スヌーズ" => "snoozed",
        "closed" | "対応完了" => "closed",
        "spam" | "迷惑メール" => "spam",
        "trash" | "ゴミ箱" => "trash",
        _ => return None,
    })
}

fn parse_day(value: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(value, f).ok())
}

/// The first instant of `day` in `tz`. Where midnight falls in a DST gap, the day starts
/// when the gap ends.
fn start_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    let local = match tz.from_local_datetime(&midnight) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t),
        LocalResult::None => (1..=24).find_map(|q| {
            tz.from_local_datetime(&(midnight + Duration::minutes(15 * q)))
                .earliest()
        }),
    };
    local.map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Tokyo;

    fn atoms(q: &str) -> Vec<Vec<(bool, Condition)>> {
        let parsed = parse_query(q, Tokyo).unwrap();
        parsed
            .clauses
            .into_iter()
            .map(|c| {
                c.alternatives
                    .into_iter()
                    .map(|a| (a.negated, a.condition))
                    .collect()
            })
            .collect()
    }

    fn text(s: &str) -> Condition {
        Condition::Text(s.to_string())
    }

    #[test]
    fn words_phrases_or_and_not() {
        assert_eq!(
            atoms(r#"請求書 "invoice overdue" a OR b -spam"#),
            vec![
                vec![(false, text("請求書"))],
                vec![(false, text("invoice overdue"))],
                vec![(false, text("a")), (false, text("b"))],
                vec![(true, text("spam"))],
            ]
        );
        assert_eq!(atoms("OR"), vec![vec![(false, text("OR"))]]);
    }

    #[test]
    fn operators() {
        use AddressMatch::*;
        assert_eq!(
            atoms("from:Taro@Example.JP")[0][0].1,
            Condition::From(Exact("taro@example.jp".into()))
        );
        assert_eq!(
            atoms("from:@example.jp")[0][0].1,
            Condition::From(Domain("example.jp".into()))
        );
        assert_eq!(
            atoms("to:example.jp")[0][0].1,
            Condition::To(Domain("example.jp".into()))
        );
        assert_eq!(
            atoms("from:山田")[0][0].1,
            Condition::From(Words("山田".into()))
        );
        assert_eq!(
            atoms(r#"subject:"請求書 再発行""#)[0][0].1,
            Condition::Subject("請求書 再発行".into())
        );
        assert_eq!(
            atoms("status:保留")[0][0].1,
            Condition::Status("pending".into())
        );
        assert_eq!(
            atoms("Status:Closed")[0][0].1,
            Condition::Status("closed".into())
        );
        assert_eq!(atoms("assignee:none")[0][0].1, Condition::Assignee(None));
        assert_eq!(
            atoms("label:ＶＩＰ")[0][0].1,
            Condition::Label("vip".into())
        );
        assert_eq!(atoms("has:attachment")[0][0].1, Condition::HasAttachment);
        assert_eq!(
            atoms("-label:spam")[0][0],
            (true, Condition::Label("spam".into()))
        );
    }

    #[test]
    fn unknown_operators_and_urls_are_text() {
        assert_eq!(atoms("foo:bar")[0][0].1, text("foo:bar"));
        assert_eq!(
            atoms("https://example.jp/a?b=c")[0][0].1,
            text("https://example.jp/a?b=c")
        );
    }

    #[test]
    fn full_width_input_from_an_ime() {
        assert_eq!(atoms("ｆｒｏｍ：山田　請求書").len(), 2);
        assert_eq!(
            atoms("ｆｒｏｍ：山田　請求書")[0][0].1,
            Condition::From(AddressMatch::Words("山田".into()))
        );
    }

    #[test]
    fn dates_are_days_in_the_team_time_zone() {
        let after = atoms("after:2026-11-01")[0][0].1.clone();
        let expected = "2026-10-31T15:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(after, Condition::After(expected));
        assert_eq!(
            atoms("before:2026/11/01")[0][0].1,
            Condition::Before(expected)
        );
    }

    #[test]
    fn errors_name_the_bad_part() {
        let err = parse_query("請求書 before:2026-13-01", Tokyo).unwrap_err();
        assert_eq!(
            err.to_string(),
            "before:2026-13-01: not a date (use YYYY-MM-DD)"
        );
        assert!(
            parse_query("status:done", Tokyo)
                .unwrap_err()
                .to_string()
                .starts_with("status:done: ")
        );
        assert!(parse_query("has:pdf", Tokyo).is_err());
        assert_eq!(
            parse_query("from:", Tokyo).unwrap_err().to_string(),
            "from:: needs a value"
        );
    }

    #[test]
    fn dst_gap_at_midnight() {
        // Chile moves clocks forward at midnight: 2026-09-06 starts at 01:00 local.
        let start = start_of_day(
            NaiveDate::from_ymd_opt(2026, 9, 6).unwrap(),
            chrono_tz::America::Santiago,
        );
        assert_eq!(
            start,
            "2026-09-06T04:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
