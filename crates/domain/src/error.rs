//! Errors from parsing domain values and from rules that refuse a change.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("invalid email address {0:?}: {1}")]
    InvalidEmail(String, &'static str),
    #[error("invalid colour {0:?}: expected #rrggbb")]
    InvalidColour(String),
    #[error("unknown status {0:?}: expected open, pending, snoozed, closed, spam or trash")]
    UnknownStatus(String),
    #[error("unknown role {0:?}: expected agent, supervisor or admin")]
    UnknownRole(String),
    #[error("unknown channel {0:?}: expected email, phone, line, chat or other")]
    UnknownChannel(String),
    #[error("invalid ticket number {0:?}: expected a number such as 1042 or #1042")]
    InvalidTicketNumber(String),
    #[error("invalid ISO week {0:?}: expected YYYY-Www such as 2026-W40")]
    InvalidWeek(String),
    #[error("invalid number of weeks {0}: expected 1 to {max}", max = crate::report::MAX_WEEKS)]
    InvalidWeekCount(usize),
    #[error("week range {from} .. {to} is empty: --from must not be after --to")]
    EmptyWeekRange { from: String, to: String },
    #[error("invalid name {0:?}: {1}")]
    InvalidName(String, &'static str),
    #[error("cannot split: {0}")]
    Split(&'static str),
    #[error("cannot merge: {0}")]
    Merge(&'static str),
    #[error("snooze time {0} is not in the future")]
    SnoozeInPast(String),
    #[error("invalid time {0:?}: use +2h, +3d, tomorrow, next-week, YYYY-MM-DD HH:MM or RFC 3339")]
    InvalidTime(String),
    #[error("unknown assignment strategy {0:?}: expected manual, round-robin or least-loaded")]
    UnknownStrategy(String),
    #[error("rule {rule:?}: {why}")]
    InvalidRule { rule: String, why: String },
    #[error("cannot hash password: {0}")]
    Password(String),
}
