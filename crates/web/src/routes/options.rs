//! The choices forms offer (statuses, snooze presets, the agents one may assign to), labelled
//! in the page's language, and how the values they post are read back.

use chrono_tz::Tz;
use hako_domain::when::parse_when;
use hako_domain::{Agent, InboxId, Role, Status, StatusKind, Timestamp};
use minijinja::context;
use minijinja::value::Value;

use crate::WebError;
use crate::i18n::{Lang, text};

/// The status filter of the inbox view: one status, the three "still to do", or all.
pub(crate) fn status_filter(lang: Lang) -> Vec<Value> {
    let mut v = vec![context! { value => "active", label => text(lang, "filter.active") }];
    v.extend(StatusKind::ALL.iter().map(|k| {
        context! { value => k.as_str(), label => text(lang, &format!("status.{}", k.as_str())) }
    }));
    v.push(context! { value => "all", label => text(lang, "filter.all_statuses") });
    v
}

/// The statuses an agent sets directly (snoozing has its own form: it needs a time).
pub(crate) fn settable_statuses(lang: Lang) -> Vec<Value> {
    StatusKind::ALL
        .iter()
        .filter(|k| **k != StatusKind::Snoozed)
        .map(|k| context! { value => k.as_str(), label => text(lang, &format!("status.{}", k.as_str())) })
        .collect()
}

/// Snooze presets, the same words `hako ticket snooze` and `parse_when` understand.
pub(crate) fn snooze_presets(lang: Lang) -> Vec<Value> {
    [
        ("later", "snooze.later"),
        ("tomorrow", "snooze.tomorrow"),
        ("next-week", "snooze.next_week"),
    ]
    .iter()
    .map(|(v, k)| context! { value => *v, label => text(lang, k) })
    .collect()
}

/// Reads a posted status (not snoozed: see [`snooze_until`]).
pub(crate) fn status_from(kind: &str, reason: Option<&str>) -> Result<Status, WebError> {
    let k = StatusKind::parse(kind).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok(match k {
        StatusKind::Open => Status::Open,
        StatusKind::Pending => Status::Pending {
            reason: reason.map(str::to_string),
        },
        StatusKind::Closed => Status::Closed,
        StatusKind::Spam => Status::Spam,
        StatusKind::Trash => Status::Trash,
        StatusKind::Snoozed => {
            return Err(WebError::BadRequest(
                "to snooze, choose when the ticket should come back".into(),
            ));
        }
    })
}

/// A preset or a time typed by the user (`2026-12-01T09:30` from a datetime field), read in
/// the user's timezone.
pub(crate) fn snooze_until(input: &str, now: Timestamp, tz: Tz) -> Result<Status, WebError> {
    let until = parse_when(input, now, tz).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Status::snooze(until, now).map_err(|e| WebError::BadRequest(e.to_string()))
}

/// Active agents who could hold a ticket of one of `inboxes` (`None`: any inbox).
pub(crate) fn assignable(agents: &[Agent], inboxes: Option<&[InboxId]>) -> Vec<Value> {
    agents
        .iter()
        .filter(|a| a.active)
        .filter(|a| match inboxes {
            None => true,
            Some(list) => a.role != Role::Agent || list.iter().any(|i| a.inboxes.contains(i)),
        })
        .map(|a| context! { name => a.name.clone(), email => a.email.as_str() })
        .collect()
}
