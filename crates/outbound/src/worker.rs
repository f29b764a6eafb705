//! The outbox worker: sends due replies and records each outcome in the store. Run by
//! `hako serve` every few seconds and by `hako outbox flush`. A reply is claimed before it is
//! sent (so two processes never send it both), and marked sent only after the server's 250;
//! a crash in between sends it again with the same Message-ID (at-least-once).

use chrono::Utc;
use hako_config::Config;
use hako_domain::InboxId;
use hako_store::outbox::{OutboxItem, OutboxState};
use hako_store::{Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;

use crate::send::{Attempt, Transport, retry_delay};

/// How long a claimed reply is left alone by other workers.
const CLAIM: i64 = 5;

/// Replies sent per pass at most; a full pass means more may be due.
pub const BATCH: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlushReport {
    pub sent: u64,
    pub retrying: u64,
    pub failed: u64,
    /// Automatic replies queued for new tickets this pass (sent in the same pass).
    pub auto_replies: u64,
    /// Sent replies copied to their inbox's IMAP Sent folder (set by the caller, which
    /// speaks IMAP: see `hako_ingest::sent`).
    pub filed: u64,
    /// One line per failure: outbox id, ticket, the server's answer.
    pub errors: Vec<String>,
}

pub struct OutboxWorker {
    store: Store,
    config: Config,
    transports: HashMap<InboxId, Transport>,
}

impl OutboxWorker {
    pub fn new(store: Store, config: Config) -> Self {
        OutboxWorker {
            store,
            config,
            transports: HashMap::new(),
        }
    }

    /// New settings (an admin edited an inbox in the web UI): the SMTP connections open with
    /// the old ones are dropped and made again on the next send.
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
        self.transports.clear();
    }

    /// The settings the worker sends with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn transport(&mut self, inbox: InboxId) -> Result<&Transport, String> {
        if !self.transports.contains_key(&inbox) {
            let inboxes = self.store.inboxes().map_err(|e| e.to_string())?;
            let name = inboxes
                .iter()
                .find(|i| i.id == inbox)
                .map(|i| i.name.clone())
                .ok_or_else(|| format!("inbox {inbox}: not found"))?;
            let smtp = self
                .config
                .inbox(&name)
                .and_then(|i| i.smtp.clone())
                .ok_or_else(|| format!("inbox {name}: has no [inbox.smtp] settings"))?;
            self.transports.insert(inbox, Transport::new(&smtp)?);
        }
        Ok(&self.transports[&inbox])
    }

    /// The IMAP folder that keeps a copy of this inbox's replies, if any.
    pub fn sent_folder(&self, inbox: InboxId) -> Option<String> {
        let inboxes = self.store.inboxes().ok()?;
        let name = &inboxes.iter().find(|i| i.id == inbox)?.name;
        self.config.inbox(name)?.imap.as_ref()?.sent_folder.clone()
    }

    /// The worker's store, for the passes that run beside sending (Sent-folder copies).
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Queues due automatic replies, then sends every reply that is due now, once each.
    pub async fn flush(&mut self) -> Result<FlushReport, StoreError> {
        let mut report = FlushReport::default();
        let auto = tokio::task::block_in_place(|| {
            crate::auto_reply::queue_auto_replies(&mut self.store, &self.config, 100)
        })?;
        report.auto_replies = auto.queued;
        report.errors.extend(auto.notes);
        let due = tokio::task::block_in_place(|| self.store.due_outbox(BATCH))?;
        for item in due {
            let until = Utc::now() + chrono::Duration::minutes(CLAIM);
            if !tokio::task::block_in_place(|| self.store.claim_outbox(item.id, until))? {
                continue;
            }
            let attempt = self.attempt(&item).await;
            let now = Utc::now();
            let outcome = tokio::task::block_in_place(|| match &attempt {
                Attempt::Sent => {
                    let copy = self.sent_folder(item.inbox).is_some();
                    self.store
                        .outbox_sent(item.id, copy)
                        .map(|_| OutboxState::Sent)
                }
                Attempt::Retry(e) => {
                    let jitter = f64::from(now.timestamp_subsec_nanos() % 1000) / 1000.0;
                    let at = now + retry_delay(item.attempts, jitter);
                    self.store.outbox_failed(item.id, e, false, at)
                }
                Attempt::Fail(e) => self.store.outbox_failed(item.id, e, true, now),
            })?;
            match (outcome, &attempt) {
                (OutboxState::Sent, _) => report.sent += 1,
                (OutboxState::Queued, Attempt::Retry(e)) => {
                    report.retrying += 1;
                    report
                        .errors
                        .push(format!("outbox {} ({}): {e}", item.id, item.ticket));
                }
                (_, Attempt::Retry(e) | Attempt::Fail(e)) => {
                    report.failed += 1;
                    report
                        .errors
                        .push(format!("outbox {} ({}): {e}", item.id, item.ticket));
                }
                _ => {}
            }
        }
        Ok(report)
    }

    async fn attempt(&mut self, item: &OutboxItem) -> Attempt {
        let raw = match tokio::task::block_in_place(|| self.store.blob(&item.raw)) {
            Ok(r) => r,
            Err(e) => return Attempt::Fail(e.to_string()),
        };
        let (from, to) = (item.envelope_from.clone(), item.recipients.clone());
        match self.transport(item.inbox) {
            Ok(t) => t.send(&from, &to, &raw).await,
            // Settings can be fixed and the reply retried; keep trying within the window.
            Err(e) => Attempt::Retry(e),
        }
    }
}
