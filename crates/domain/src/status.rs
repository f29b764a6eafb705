//! Ticket status and the rules that move it without an agent: a customer writing again, and a
//! snooze running out. Japanese teams call the states 未対応, 保留, 対応完了.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{DomainError, Timestamp};

/// Where a ticket stands. Snoozed is a state of its own carrying the time it comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    /// 未対応: waiting for the team.
    Open,
    /// 保留: waiting for someone else (the customer, a colleague, a supplier).
    Pending {
        reason: Option<String>,
    },
    /// Out of the way until `until`; then open again.
    Snoozed {
        until: Timestamp,
    },
    /// 対応完了.
    Closed,
    Spam,
    Trash,
}

/// The status without its data, for filters, counts and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusKind {
    Open,
    Pending,
    Snoozed,
    Closed,
    Spam,
    Trash,
}

impl StatusKind {
    pub const ALL: [StatusKind; 6] = [
        StatusKind::Open,
        StatusKind::Pending,
        StatusKind::Snoozed,
        StatusKind::Closed,
        StatusKind::Spam,
        StatusKind::Trash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Open => "open",
            StatusKind::Pending => "pending",
            StatusKind::Snoozed => "snoozed",
            StatusKind::Closed => "closed",
            StatusKind::Spam => "spam",
            StatusKind::Trash => "trash",
        }
    }

    /// Accepts the English names and the Japanese words teams use.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Ok(match s.trim().to_lowercase().as_str() {
            "open" | "未対応" => StatusKind::Open,
            "pending" | "保留" => StatusKind::Pending,
            "snoozed" | "スヌーズ" => StatusKind::Snoozed,
            "closed" | "対応完了" => StatusKind::Closed,
            "spam" | "迷惑メール" => StatusKind::Spam,
            "trash" | "ゴミ箱" => StatusKind::Trash,
            _ => return Err(DomainError::UnknownStatus(s.to_string())),
        })
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            StatusKind::Open => "未対応",
            StatusKind::Pending => "保留",
            StatusKind::Snoozed => "スヌーズ",
            StatusKind::Closed => "対応完了",
            StatusKind::Spam => "迷惑メール",
            StatusKind::Trash => "ゴミ箱",
        }
    }

    /// Work still to do: these count as "held" by an agent and can be reopened by a reply.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            StatusKind::Open | StatusKind::Pending | StatusKind::Snoozed
        )
    }
}

impl fmt::Display for StatusKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::Open => StatusKind::Open,
            Status::Pending { .. } => StatusKind::Pending,
            Status::Snoozed { .. } => StatusKind::Snoozed,
            Status::Closed => StatusKind::Closed,
            Status::Spam => StatusKind::Spam,
            Status::Trash => StatusKind::Trash,
        }
    }

    pub fn pending_reason(&self) -> Option<&str> {
        match self {
            Status::Pending { reason } => reason.as_deref(),
            _ => None,
        }
    }

    pub fn snoozed_until(&self) -> Option<Timestamp> {
        match self {
            Status::Snoozed { until } => Some(*until),
            _ => None,
        }
    }

    /// Snoozing needs a time in the future: a snooze into the past would be an instant wake.
    pub fn snooze(until: Timestamp, now: Timestamp) -> Result<Status, DomainError> {
        if until <= now {
            return Err(DomainError::SnoozeInPast(until.to_rfc3339()));
        }
        Ok(Status::Snoozed { until })
    }

    /// What a new customer message does to the ticket it threads into. A customer writing
    /// again means the team owes an answer, so waiting states open; spam and trash stay put
    /// (the mail is still stored, nobody is asked to answer it). Whether a closed ticket is
    /// reopened or a new one is started is the threading rule's choice, made before this.
    pub fn on_customer_message(&self) -> Option<Status> {
        match self {
            Status::Pending { .. } | Status::Snoozed { .. } | Status::Closed => Some(Status::Open),
            Status::Open | Status::Spam | Status::Trash => None,
        }
    }

    /// A snooze that has run out at `now` opens the ticket.
    pub fn wake(&self, now: Timestamp) -> Option<Status> {
        match self {
            Status::Snoozed { until } if *until <= now => Some(Status::Open),
            _ => None,
        }
    }

    /// A short text for the audit log and the CLI: `pending (waiting for invoice)`.
    pub fn describe(&self) -> String {
        match self {
            Status::Pending { reason: Some(r) } => format!("pending ({r})"),
            Status::Snoozed { until } => format!("snoozed until {}", until.to_rfc3339()),
            other => other.kind().as_str().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(h: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap()
    }

    #[test]
    fn kinds_round_trip_and_accept_japanese() {
        for k in StatusKind::ALL {
            assert_eq!(StatusKind::parse(k.as_str()).unwrap(), k);
            assert_eq!(StatusKind::parse(k.label_ja()).unwrap(), k);
        }
        assert!(StatusKind::parse("done").is_err());
    }

    #[test]
    fn a_customer_message_opens_waiting_tickets_but_not_spam() {
        let snoozed = Status::Snoozed { until: t(12) };
        assert_eq!(snoozed.on_customer_message(), Some(Status::Open));
        let pending = Status::Pending {
            reason: Some("invoice".into()),
        };
        assert_eq!(pending.on_customer_message(), Some(Status::Open));
        assert_eq!(Status::Closed.on_customer_message(), Some(Status::Open));
        assert_eq!(Status::Open.on_customer_message(), None);
        assert_eq!(Status::Spam.on_customer_message(), None);
        assert_eq!(Status::Trash.on_customer_message(), None);
    }

    #[test]
    fn snooze_wakes_exactly_when_due() {
        let s = Status::snooze(t(12), t(10)).unwrap();
        assert_eq!(s.wake(t(11)), None);
        assert_eq!(s.wake(t(12)), Some(Status::Open));
        assert_eq!(Status::Open.wake(t(13)), None);
        assert!(Status::snooze(t(10), t(10)).is_err());
    }

    #[test]
    fn only_work_in_progress_is_active() {
        assert!(StatusKind::Snoozed.is_active());
        assert!(!StatusKind::Closed.is_active());
        assert!(!StatusKind::Trash.is_active());
    }
}
