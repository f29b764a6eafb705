//! `/settings/audit`: the whole team's audit log for admins, newest first, 100 events a page —
//! ticket changes (linked to their ticket) and team changes (users, labels, templates, rules,
//! assignment, inboxes) with who made them and what changed. The CLI's `hako audit` shows
//! the same events.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use hako_domain::EventId;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::guard;
use crate::render::{page, ser};
use crate::session::User;
use crate::{AppState, WebError};

/// Events per page.
const PAGE: u32 = 100;

#[derive(Deserialize)]
pub(crate) struct AuditQuery {
    /// Show the events older than this one (the "older" link).
    before: Option<i64>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let before = q.before.map(EventId);
    // One more than a page: whether there is an older page.
    let mut entries = state
        .db(move |s| Ok(s.audit_log_before(before, PAGE + 1)?))
        .await?;
    let more = entries.len() > PAGE as usize;
    entries.truncate(PAGE as usize);
    let older = more.then(|| entries.last().map(|e| e.event.id.0)).flatten();
    let events: Vec<Value> = entries
        .iter()
        .map(|e| {
            context! {
                at => ser(&e.event.at),
                actor => e.actor_email.clone(),
                action => e.event.action.as_str(),
                ticket => e.number.map(|n| n.0),
                before => e.event.before.clone(),
                after => e.event.after.clone(),
            }
        })
        .collect();
    let ctx = context! { section => "audit", events, older, newest => before.is_none() };
    Ok(page(&state, &user, "settings_audit.html", ctx)?.into_response())
}
