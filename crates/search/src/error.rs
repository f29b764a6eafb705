//! Errors: [`SearchError`] for the index (naming the directory where there is one) and
//! [`QueryError`] for the query language (naming the bad part of the query).

use std::path::PathBuf;

/// Something went wrong with the index. None of these is helped by retrying, except
/// [`SearchError::Tantivy`] on a busy writer lock.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot use search index directory {dir}: {source}")]
    Dir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "search index at {dir} has schema version {found}, this hako needs {expected}: run `hako reindex`"
    )]
    SchemaVersion {
        dir: PathBuf,
        found: String,
        expected: u32,
    },
    #[error("cannot open search index at {dir}: {source}")]
    Open {
        dir: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("message {message_id} belongs to ticket {ticket_id}, which is not being replaced")]
    ForeignTicket { message_id: i64, ticket_id: i64 },
    #[error("search index writer lock poisoned by an earlier panic")]
    Poisoned,
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A query the parser cannot read. The message starts with the offending part, e.g.
/// `before:2026-13-01: not a date (use YYYY-MM-DD)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("{part}: not a date (use YYYY-MM-DD)")]
    BadDate { part: String },
    #[error(
        "{part}: not a status (open, pending, snoozed, closed, spam, trash, 未対応, 保留, 対応完了)"
    )]
    BadStatus { part: String },
    #[error("{part}: only has:attachment is known")]
    BadHas { part: String },
    #[error("{part}: needs a value")]
    MissingValue { part: String },
}
