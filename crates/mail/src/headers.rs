//! Header fields of one message: names matched case-insensitively, values taken from
//! mail-parser and repaired from the raw bytes when damaged ([`crate::rfc2047`]), addresses as
//! [`Participant`]s, message ids without brackets, the date in UTC.

use chrono::{DateTime, Utc};
use hako_domain::Participant;
use mail_parser::parsers::MessageStream;
use mail_parser::{Address, Header, HeaderValue};

use crate::rfc2047::{self, Output, push_note};

pub(crate) struct Headers<'a, 'x> {
    raw: &'a [u8],
    list: &'a [Header<'x>],
}

impl<'a, 'x> Headers<'a, 'x> {
    /// `raw` is the buffer the header offsets point into.
    pub(crate) fn new(raw: &'a [u8], list: &'a [Header<'x>]) -> Self {
        Headers { raw, list }
    }

    pub(crate) fn all<'n>(
        &self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a Header<'x>> + use<'a, 'x, 'n> {
        self.list
            .iter()
            .filter(move |h| h.name.as_str().eq_ignore_ascii_case(name))
    }

    pub(crate) fn first(&self, name: &str) -> Option<&'a Header<'x>> {
        self.all(name).next()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.first(name).is_some()
    }

    pub(crate) fn raw_value(&self, header: &Header<'_>) -> &'a [u8] {
        let start = (header.offset_start as usize).min(self.raw.len());
        let end = (header.offset_end as usize).clamp(start, self.raw.len());
        &self.raw[start..end]
    }

    /// Raw values, unfolded, decoded as far as the raw bytes go (no encoded-words), trimmed.
    pub(crate) fn raw_texts(&self, name: &str) -> Vec<String> {
        self.all(name)
            .map(|h| {
                let mut ignored = Vec::new();
                rfc2047::raw_to_string(self.raw_value(h), &mut ignored)
                    .trim()
                    .to_owned()
            })
            .collect()
    }

    /// Raw values of several fields, in header order.
    pub(crate) fn raw_texts_of(&self, names: &[&str]) -> Vec<String> {
        self.list
            .iter()
            .filter(|h| {
                names
                    .iter()
                    .any(|n| h.name.as_str().eq_ignore_ascii_case(n))
            })
            .map(|h| {
                let mut ignored = Vec::new();
                rfc2047::raw_to_string(self.raw_value(h), &mut ignored)
                    .trim()
                    .to_owned()
            })
            .collect()
    }

    pub(crate) fn raw_text(&self, name: &str) -> Option<String> {
        self.raw_texts(name).into_iter().next()
    }

    /// An unstructured field (Subject), repaired when damaged.
    pub(crate) fn text(&self, name: &str, warnings: &mut Vec<String>) -> Option<String> {
        let header = self.first(name)?;
        let parsed = header.value.as_text().unwrap_or_default();
        let raw = self.raw_value(header);
        if !rfc2047::needs_repair(raw, [parsed]) {
            return Some(parsed.to_owned());
        }
        let repaired = rfc2047::repair(raw, Output::Reencoded);
        note_all(warnings, name, repaired.notes);
        let reparsed = reparse(&repaired.value, Field::Unstructured);
        Some(reparsed.as_text().unwrap_or_default().to_owned())
    }

    /// All addresses in every field of this name (groups flattened), repaired when damaged.
    pub(crate) fn addresses(&self, name: &str, warnings: &mut Vec<String>) -> Vec<Participant> {
        let mut found = Vec::new();
        for header in self.all(name) {
            let raw = self.raw_value(header);
            let parsed = participants(&header.value);
            let names = parsed.iter().filter_map(|p| p.name.as_deref());
            if !rfc2047::needs_repair(raw, names) && !participants_damaged(&parsed) {
                found.extend(parsed);
                continue;
            }
            let repaired = rfc2047::repair(raw, Output::Reencoded);
            note_all(warnings, name, repaired.notes);
            found.extend(participants(&reparse(&repaired.value, Field::Address)));
        }
        found
    }

    /// Message ids (Message-ID, In-Reply-To, References) without angle brackets.
    pub(crate) fn ids(&self, name: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for header in self.all(name) {
            let values: Vec<&str> = match &header.value {
                HeaderValue::Text(id) => vec![id.as_ref()],
                HeaderValue::TextList(list) => list.iter().map(|id| id.as_ref()).collect(),
                _ => Vec::new(),
            };
            for id in values {
                let id = id
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .trim();
                if !id.is_empty() && !ids.iter().any(|known| known == id) {
                    ids.push(id.to_owned());
                }
            }
        }
        ids
    }

    pub(crate) fn date(&self, warnings: &mut Vec<String>) -> Option<DateTime<Utc>> {
        let header = self.first("Date")?;
        let parsed = header
            .value
            .as_datetime()
            .filter(|d| d.is_valid())
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0));
        if parsed.is_none() {
            let raw = self.raw_text("Date").unwrap_or_default();
            warnings.push(format!("date: cannot parse {raw:?}"));
        }
        parsed
    }
}

/// Which of mail-parser's field parsers [`reparse`] runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field {
    Unstructured,
    Address,
}

/// Runs one of mail-parser's field parsers over a repaired value.
pub(crate) fn reparse(value: &str, field: Field) -> HeaderValue<'static> {
    let line = format!("{value}\n");
    let mut stream = MessageStream::new(line.as_bytes());
    match field {
        Field::Unstructured => stream.parse_unstructured(),
        Field::Address => stream.parse_address(),
    }
    .into_owned()
}

fn note_all(warnings: &mut Vec<String>, field: &str, notes: Vec<String>) {
    for note in notes {
        push_note(warnings, format!("{}: {note}", field.to_ascii_lowercase()));
    }
}

fn participants(value: &HeaderValue<'_>) -> Vec<Participant> {
    let addrs: Vec<_> = match value {
        HeaderValue::Address(Address::List(list)) => list.iter().collect(),
        HeaderValue::Address(Address::Group(groups)) => {
            groups.iter().flat_map(|g| g.addresses.iter()).collect()
        }
        _ => Vec::new(),
    };
    addrs
        .into_iter()
        .filter_map(|addr| {
            let address = addr.address.as_deref()?.trim();
            let name = addr
                .name
                .as_deref()
                .map(clean_display_name)
                .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(address));
            Some(Participant {
                name,
                address: address.to_owned(),
            })
        })
        .collect()
}

/// Blanks and the quotes Outlook leaves around names (`'Kato, Nana'`) removed.
fn clean_display_name(name: &str) -> String {
    let name = name.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = name.strip_prefix(quote).and_then(|n| n.strip_suffix(quote))
            && !inner.is_empty()
        {
            return inner.trim().to_owned();
        }
    }
    name.to_owned()
}

/// mail-parser read the field, but an address came out with blanks or without an `@`.
fn participants_damaged(list: &[Participant]) -> bool {
    list.iter()
        .any(|p| p.address.contains(char::is_whitespace) || charset_damage(&p.address))
}

fn charset_damage(s: &str) -> bool {
    crate::charset::looks_damaged(s)
}

/// The address inside `<…>` (or the whole value), for Return-Path and Delivered-To.
pub(crate) fn bare_address(value: &str) -> String {
    let value = value.trim();
    match (value.find('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => value[open + 1..close].trim().to_owned(),
        _ => value
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses() {
        assert_eq!(bare_address(" <>"), "");
        assert_eq!(
            bare_address("<bounce+x@example.test>"),
            "bounce+x@example.test"
        );
        assert_eq!(
            bare_address("support@example.jp (comment)"),
            "support@example.jp"
        );
        assert_eq!(bare_address(""), "");
    }

    #[test]
    fn display_names() {
        assert_eq!(clean_display_name(" 'Kato, Nana' "), "Kato, Nana");
        assert_eq!(clean_display_name("\"山田\""), "山田");
        assert_eq!(clean_display_name("O'Brien"), "O'Brien");
    }
}
