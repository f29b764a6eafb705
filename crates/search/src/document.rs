//! [`MessageDoc`], one message as the store hands it over, and its conversion into a tantivy
//! document (derived fields: sender and recipient domains, `has_attachment`, `assignee_key`).

use chrono::{DateTime, Utc};
use tantivy::TantivyDocument;

use crate::normalize::normalize;
use crate::schema::Fields;

/// Bodies longer than this many bytes are cut (at a character boundary) before indexing and
/// storing: the rest of a huge pasted log is not worth the index space.
pub const MAX_BODY_BYTES: usize = 200_000;

/// One message of a ticket, with the ticket's current state. Labels, status and assignee are
/// the ticket's, repeated on each of its messages; re-send all of a ticket's messages through
/// [`crate::SearchIndex::replace_tickets`] when any of them changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageDoc {
    pub message_id: i64,
    pub ticket_id: i64,
    pub ticket_number: i64,
    pub inbox_id: i64,
    /// The inbox's name, matched by `inbox:`.
    pub inbox: String,
    /// `incoming`, `outgoing` or `note`.
    pub direction: String,
    pub from_address: String,
    pub from_name: String,
    /// To addresses.
    pub to: Vec<String>,
    /// Cc addresses.
    pub cc: Vec<String>,
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    pub attachment_names: Vec<String>,
    pub labels: Vec<String>,
    /// `open`, `pending`, `snoozed`, `closed`, `spam` or `trash`.
    pub status: String,
    /// The assignee's email address.
    pub assignee: Option<String>,
    pub date: DateTime<Utc>,
}

/// The domain of `address` and its parents down to two labels: `mail.example.co.jp` gives
/// `mail.example.co.jp`, `example.co.jp`, `co.jp`. A one-label domain is kept as is.
pub(crate) fn domains(address: &str) -> Vec<String> {
    let normalized = normalize(address);
    let Some((_, domain)) = normalized.rsplit_once('@') else {
        return Vec::new();
    };
    let domain = domain.trim_matches('.');
    let mut out = vec![domain.to_string()];
    let mut rest = domain;
    while let Some((_, parent)) = rest.split_once('.') {
        if !parent.contains('.') {
            break;
        }
        out.push(parent.to_string());
        rest = parent;
    }
    out.retain(|d| !d.is_empty());
    out
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl MessageDoc {
    pub(crate) fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_i64(f.message_id, self.message_id);
        doc.add_i64(f.ticket_id, self.ticket_id);
        doc.add_i64(f.ticket_number, self.ticket_number);
        doc.add_i64(f.inbox_id, self.inbox_id);
        doc.add_text(f.inbox, &self.inbox);
        doc.add_text(f.direction, &self.direction);
        doc.add_text(f.from_address, &self.from_address);
        for domain in domains(&self.from_address) {
            doc.add_text(f.from_domain, domain);
        }
        doc.add_text(f.from_text, &self.from_name);
        doc.add_text(f.from_text, &self.from_address);
        for address in self.to.iter().chain(&self.cc) {
            doc.add_text(f.to_address, address);
            for domain in domains(address) {
                doc.add_text(f.to_domain, domain);
            }
            doc.add_text(f.to_text, address);
        }
        doc.add_text(f.subject, &self.subject);
        doc.add_text(f.body, truncate(&self.body, MAX_BODY_BYTES));
        for name in &self.attachment_names {
            doc.add_text(f.attachments, name);
        }
        doc.add_bool(f.has_attachment, !self.attachment_names.is_empty());
        for label in &self.labels {
            doc.add_text(f.labels, label);
        }
        doc.add_text(f.status, &self.status);
        match &self.assignee {
            Some(assignee) => {
                doc.add_text(f.assignee_key, assignee);
                doc.add_text(f.assignee, assignee);
            }
            None => doc.add_text(f.assignee_key, "none"),
        }
        doc.add_i64(f.date, self.date.timestamp());
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_walk_up_to_two_labels() {
        assert_eq!(
            domains("Taro@Mail.Example.co.jp"),
            ["mail.example.co.jp", "example.co.jp", "co.jp"]
        );
        assert_eq!(domains("a@example.jp"), ["example.jp"]);
        assert_eq!(domains("root@localhost"), ["localhost"]);
        assert!(domains("no address").is_empty());
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("請求書", 4), "請");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
