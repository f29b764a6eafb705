//! Filing sent replies: the outbox marks a reply's Sent-folder copy `pending` when the
//! server accepted it (for inboxes with `[inbox.imap] sent_folder`); this appends each to
//! that folder over IMAP and marks it done. One connection per inbox per pass; a failure is
//! kept on the row and tried again next pass — the reply itself has gone out either way.

use hako_config::Config;
use hako_domain::InboxId;
use hako_store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::imap::{Client, connect};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub filed: u64,
    /// One line per failure: outbox id, inbox, the server's answer.
    pub errors: Vec<String>,
}

/// Appends every pending Sent-folder copy (up to `limit`).
pub async fn file_sent_copies(store: &mut Store, config: &Config, limit: u32) -> FileReport {
    let mut report = FileReport::default();
    let pending = match tokio::task::block_in_place(|| store.pending_sent_copies(limit)) {
        Ok(p) => p,
        Err(e) => {
            report.errors.push(format!("Sent-folder copies: {e}"));
            return report;
        }
    };
    if pending.is_empty() {
        return report;
    }
    let names: HashMap<InboxId, String> = match store.inboxes() {
        Ok(list) => list.into_iter().map(|i| (i.id, i.name)).collect(),
        Err(e) => {
            report.errors.push(format!("Sent-folder copies: {e}"));
            return report;
        }
    };
    let mut clients: HashMap<InboxId, Client> = HashMap::new();
    for copy in pending {
        let name = names.get(&copy.inbox).cloned().unwrap_or_default();
        let imap = config.inbox(&name).and_then(|i| i.imap.clone());
        let Some((imap, folder)) = imap.and_then(|c| c.sent_folder.clone().map(|f| (c, f))) else {
            // The setting was removed since: nothing to file into.
            let _ = tokio::task::block_in_place(|| store.sent_copy_done(copy.id, "(none)"));
            continue;
        };
        let raw = tokio::task::block_in_place(|| store.blob(&copy.raw));
        let outcome = async {
            let raw = raw.map_err(|e| e.to_string())?;
            let client = match clients.entry(copy.inbox) {
                Entry::Occupied(c) => c.into_mut(),
                Entry::Vacant(v) => v.insert(connect(&imap).await.map_err(|e| e.to_string())?),
            };
            let r = client.append_seen(&folder, &raw).await;
            if r.is_err() {
                clients.remove(&copy.inbox);
            }
            r.map_err(|e| e.to_string())
        }
        .await;
        let saved = tokio::task::block_in_place(|| match &outcome {
            Ok(()) => store.sent_copy_done(copy.id, &folder),
            Err(e) => store.sent_copy_failed(copy.id, e),
        });
        match (outcome, saved) {
            (Ok(()), Ok(())) => report.filed += 1,
            (Err(e), _) => report
                .errors
                .push(format!("outbox {} (inbox {name}): {e}", copy.id)),
            (_, Err(e)) => report.errors.push(format!("outbox {}: {e}", copy.id)),
        }
    }
    for (_, c) in clients {
        let _ = c.logout().await;
    }
    report
}
