//! The store's error type. Each variant names the object involved, so the CLI can print one
//! line and the web layer can map it to a status code (NotFound → 404, Conflict → 409).

use hako_domain::{DomainError, TicketNumber};
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{what}: not found")]
    NotFound { what: String },

    /// The actor may not do this (approve their own reply, send without approval).
    #[error("{what}: not allowed: {why}")]
    NotAllowed { what: String, why: String },

    #[error("{what}: already exists")]
    AlreadyExists { what: String },

    /// Someone else changed the ticket since the caller looked at it.
    #[error(
        "ticket {ticket}: changed by {by} since you loaded it (now version {actual}, you had \
         {expected}); reload and try again"
    )]
    Conflict {
        ticket: TicketNumber,
        expected: i64,
        actual: i64,
        by: String,
    },

    /// `take` on a ticket another agent holds.
    #[error("ticket {ticket}: already held by {holder}; assign it explicitly to take it over")]
    HeldByOther {
        ticket: TicketNumber,
        holder: String,
    },

    #[error("ticket {ticket}: was merged into {into}; work on {into} instead")]
    Merged {
        ticket: TicketNumber,
        into: TicketNumber,
    },

    #[error("{what}: {why}")]
    Invalid { what: String, why: String },

    #[error("{context}: {source}")]
    Domain {
        context: String,
        source: DomainError,
    },

    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error("database {path}: {why}")]
    Migration { path: PathBuf, why: String },

    #[error("cannot {context}: {source}")]
    Sql {
        context: &'static str,
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// For `map_err`: wraps a SQLite error with what we were trying to do.
    pub(crate) fn sql(context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
        move |source| StoreError::Sql { context, source }
    }

    pub(crate) fn domain(context: impl Into<String>) -> impl FnOnce(DomainError) -> StoreError {
        let context = context.into();
        move |source| StoreError::Domain { context, source }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> StoreError {
        StoreError::NotFound { what: what.into() }
    }

    pub(crate) fn invalid(what: impl Into<String>, why: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            what: what.into(),
            why: why.into(),
        }
    }

    /// True when retrying the same request later may succeed (lock contention, conflicts).
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Conflict { .. } => true,
            StoreError::Sql { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            _ => false,
        }
    }
}
