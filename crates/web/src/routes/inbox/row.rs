//! One row of the inbox view as the template reads it (`r.number`, `r.subject`, `r.new`, …),
//! from a list page or from search hits.
//!
//! An object rather than a `context!` map: a page has 50 rows and reads ~20 fields of each,
//! so the fields become template values only when read (moved in, not cloned first), and a
//! field is found by a `match` rather than by comparing the name with each key of a map.

use hako_domain::{StatusKind, Timestamp};
use minijinja::value::{Enumerator, Object, Value};
use std::sync::Arc;

use crate::render::instant;

#[derive(Debug)]
pub(crate) struct Row {
    pub number: i64,
    pub subject: String,
    /// The customer's name, or else their first address.
    pub customer: String,
    pub inbox: String,
    pub status: StatusKind,
    pub until: Option<Timestamp>,
    pub assignee: Option<String>,
    pub assignee_colour: Option<String>,
    /// `{name, colour}` of each label.
    pub labels: Value,
    pub activity: Timestamp,
    pub waiting: Option<Timestamp>,
    /// Search results only: the matching text, HTML with the matches in `<b>`.
    pub snippet: Option<String>,
    /// Activity the user has not seen.
    pub new: bool,
}

const FIELDS: &[&str] = &[
    "number",
    "subject",
    "customer",
    "inbox",
    "status",
    "until",
    "assignee",
    "assignee_colour",
    "labels",
    "activity",
    "waiting",
    "snippet",
    "new",
];

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    /// Instants as RFC 3339 strings, for the `dt` filter; absent ones as none.
    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(match key {
            "number" => Value::from(self.number),
            "subject" => Value::from(self.subject.as_str()),
            "customer" => Value::from(self.customer.as_str()),
            "inbox" => Value::from(self.inbox.as_str()),
            "status" => Value::from(self.status.as_str()),
            "until" => instant(self.until.as_ref()),
            "assignee" => Value::from(self.assignee.as_deref()),
            "assignee_colour" => Value::from(self.assignee_colour.as_deref()),
            "labels" => self.labels.clone(),
            "activity" => instant(Some(&self.activity)),
            "waiting" => instant(self.waiting.as_ref()),
            "snippet" => Value::from(self.snippet.as_deref()),
            "new" => Value::from(self.new),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(FIELDS)
    }
}
