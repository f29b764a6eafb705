//! Conversions between SQLite columns and domain values: times as epoch milliseconds,
//! lists as JSON text, enums as their lowercase names.

use hako_domain::{Status, StatusKind, Timestamp};
use rusqlite::types::Type;
use serde::{Serialize, de::DeserializeOwned};

pub(crate) fn ms(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn opt_ms(t: Option<Timestamp>) -> Option<i64> {
    t.map(ms)
}

pub(crate) fn from_ms(v: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_millis(v).unwrap_or_default()
}

pub(crate) fn opt_from_ms(v: Option<i64>) -> Option<Timestamp> {
    v.map(from_ms)
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

/// A JSON column that fails to parse is a conversion error naming the column, not a panic.
pub(crate) fn from_json<T: DeserializeOwned>(idx: usize, s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

pub(crate) fn bad_value(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, what.to_string().into())
}

/// Rebuilds a [`Status`] from the status, pending_reason and snoozed_until columns.
pub(crate) fn status(
    idx: usize,
    kind: &str,
    reason: Option<String>,
    until: Option<i64>,
) -> rusqlite::Result<Status> {
    let kind = StatusKind::parse(kind).map_err(|_| bad_value(idx, "unknown status"))?;
    Ok(match kind {
        StatusKind::Open => Status::Open,
        StatusKind::Pending => Status::Pending { reason },
        StatusKind::Snoozed => Status::Snoozed {
            until: from_ms(until.ok_or_else(|| bad_value(idx, "snoozed without a time"))?),
        },
        StatusKind::Closed => Status::Closed,
        StatusKind::Spam => Status::Spam,
        StatusKind::Trash => Status::Trash,
    })
}
