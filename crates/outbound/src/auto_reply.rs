//! Automatic replies: the acknowledgement an inbox with `auto_reply = "TEMPLATE"` sends to
//! the customer of each new ticket. Ingest queues the ticket (never for robots, bounces,
//! lists or old mail); this renders the template, composes through the same path as an
//! agent's reply, and queues it as automatic — where the store's loop guard allows at most
//! one automatic message per address a day. Each outcome ends the ticket's queue entry:
//! an automatic reply that cannot be sent now is never sent later.

use chrono::Duration;
use hako_config::Config;
use hako_store::{Expect, Store, StoreError};
use serde::Serialize;

use crate::draft::{DraftError, DraftOptions, ReplyRequest, prepare, render_template};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct AutoReport {
    pub queued: u64,
    /// Held back by the loop guard or the safety rules (a robot, ourselves).
    pub skipped: u64,
    /// One line per ticket skipped or failed, naming it.
    pub notes: Vec<String>,
}

/// Queues the automatic replies that are due, up to `limit`.
pub fn queue_auto_replies(
    store: &mut Store,
    config: &Config,
    limit: u32,
) -> Result<AutoReport, StoreError> {
    let mut report = AutoReport::default();
    for due in store.due_auto_replies(limit)? {
        if due.template.is_empty() {
            store.auto_reply_done(due.ticket)?;
            continue;
        }
        let outcome = render_template(store, &due.template, due.ticket, None, "", config.timezone)
            .and_then(|body| {
                let now = store.now();
                let request = ReplyRequest {
                    ticket: due.ticket,
                    author: None,
                    body,
                    options: DraftOptions::default(),
                    send_at: now,
                    retry_for: Duration::hours(i64::from(config.outbox.retry_hours)),
                    status_after: None,
                    automatic: true,
                };
                let new = prepare(store, &request)?;
                Ok(store.queue_reply(hako_domain::Actor::System, &new, Expect::Any)?)
            });
        match outcome {
            Ok(_) => report.queued += 1,
            Err(DraftError::Store(StoreError::NotAllowed { why, .. })) => {
                report.skipped += 1;
                report
                    .notes
                    .push(format!("ticket {}: no automatic reply: {why}", due.ticket));
            }
            Err(DraftError::Compose { source, .. }) => {
                report.skipped += 1;
                report.notes.push(format!(
                    "ticket {}: no automatic reply: {source}",
                    due.ticket
                ));
            }
            Err(e) => report.notes.push(format!(
                "ticket {}: automatic reply failed: {e}",
                due.ticket
            )),
        }
        store.auto_reply_done(due.ticket)?;
    }
    Ok(report)
}
