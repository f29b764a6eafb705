//! `hako serve` follows the inbox settings saved in the web UI without a restart. A watcher
//! reads them every few seconds and publishes the new effective config; the IMAP workers of
//! an inbox whose settings changed stop (releasing their mailbox leases, so nothing is
//! fetched twice) and start again with the new ones; the outbox takes the new config on its
//! next pass and opens new SMTP connections.

use anyhow::Result;
use hako_config::Config;
use hako_ingest::Syncer;
use hako_store::Store;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::context::effective_config;

pub type Log = Arc<dyn Fn(String) + Send + Sync>;

/// How often the saved settings are read: a save shows in the workers within this.
const EVERY: Duration = Duration::from_secs(3);

/// How often a stopping worker that has not ended yet is logged (it stops between batches
/// and every IMAP command has a timeout, so it ends).
const STOP_WAIT: Duration = Duration::from_secs(15);

/// How often an inbox whose workers could not start is tried again.
const RETRY: Duration = Duration::from_secs(60);

/// Publishes the effective config (the file's with the web UI's inboxes over it) whenever
/// the inbox settings saved in the database change. A saved set that does not fit the file
/// (it cannot happen through the web UI, which checks the same) is logged and not applied.
pub fn watch_config(
    db: PathBuf,
    file: Config,
    initial: Config,
    mut stop: watch::Receiver<bool>,
    log: Log,
) -> (watch::Receiver<Arc<Config>>, JoinHandle<()>) {
    let (tx, rx) = watch::channel(Arc::new(initial));
    let task = tokio::spawn(async move {
        let store = match Store::open(&db) {
            Ok(s) => s,
            Err(e) => return log(format!("inbox settings will not be followed: {e}")),
        };
        // None: the first look publishes, so a change made between the config this serve
        // started with and now is not missed (unchanged inboxes are not restarted).
        let mut last = None;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stop.changed() => return,
            }
            let now = match tokio::task::block_in_place(|| store.edited_inboxes()) {
                Ok(now) => now,
                Err(e) => {
                    log(format!("cannot read the inbox settings: {e}"));
                    continue;
                }
            };
            if last.as_ref() == Some(&now) {
                continue;
            }
            last = Some(now);
            match tokio::task::block_in_place(|| effective_config(&store, &file)) {
                Ok(config) => {
                    log("inbox settings changed in the web UI; applying them".into());
                    let _ = tx.send(Arc::new(config));
                }
                Err(e) => log(format!("inbox settings not applied: {e:#}")),
            }
        }
    });
    (rx, task)
}

/// The IMAP workers of one inbox: one per folder, stopped together.
struct Running {
    /// What the workers were started with; a different one means restart.
    settings: String,
    /// The IMAP account they read; another one restarts the folders' sync state.
    account: Option<(String, String)>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// The workers could not start: tried again every [`RETRY`].
    failed: bool,
}

impl Running {
    /// Stops the workers and waits until every one has ended (and given its mailbox lease
    /// back): only then may new ones start, or two would fetch the same mail.
    async fn stop(self, name: &str, log: &Log) {
        let _ = self.stop.send(true);
        for mut t in self.tasks {
            loop {
                match tokio::time::timeout(STOP_WAIT, &mut t).await {
                    Ok(_) => break,
                    Err(_) => log(format!(
                        "inbox {name}: still waiting for an IMAP worker to stop"
                    )),
                }
            }
        }
    }
}

fn restart_sync(db: &std::path::Path, inbox: &str) -> Result<()> {
    let mut store = Store::open(db)?;
    let id = store.inbox_by_name(inbox)?.id;
    store.restart_sync(id)?;
    Ok(())
}

/// The number of IMAP folders `config` syncs.
pub fn folder_count(config: &Config) -> usize {
    config
        .inbox
        .iter()
        .filter_map(|i| i.imap.as_ref())
        .map(|m| m.folders.len())
        .sum()
}

/// What an inbox's IMAP workers use: its name, address and `[imap]` table. A new signature
/// restarts nothing; a new password does (kept in memory only).
fn fingerprint(inbox: &hako_config::InboxConfig) -> String {
    let used = hako_config::InboxConfig {
        display_name: String::new(),
        signature: String::new(),
        require_approval: false,
        auto_reply: None,
        smtp: None,
        ..inbox.clone()
    };
    hako_config::inbox_to_toml(&used).unwrap_or_default()
}

fn start(
    db: &std::path::Path,
    config: &Config,
    inbox: &hako_config::InboxConfig,
    log: &Log,
) -> Result<Running> {
    let folders = inbox
        .imap
        .as_ref()
        .map(|m| m.folders.clone())
        .unwrap_or_default();
    // Every folder's syncer first: none runs unless all can.
    let syncers = folders
        .iter()
        .map(|folder| Ok(Syncer::new(Store::open(db)?, config, inbox, folder)?))
        .collect::<Result<Vec<_>>>()?;
    let (stop, rx) = watch::channel(false);
    let tasks = syncers
        .into_iter()
        .map(|mut syncer| {
            let (rx, log) = (rx.clone(), log.clone());
            tokio::spawn(async move { syncer.run(rx, log).await })
        })
        .collect();
    Ok(Running {
        settings: fingerprint(inbox),
        account: hako_config::imap_account(inbox),
        stop,
        tasks,
        failed: false,
    })
}

/// Runs the IMAP workers of every inbox in the published config until `stop`, restarting
/// those of an inbox whose settings changed (the old ones have ended before the new ones
/// start), stopping those of an inbox that no longer fetches, starting new ones, and trying
/// again every minute those that could not start.
pub async fn imap_workers(
    db: PathBuf,
    mut config: watch::Receiver<Arc<Config>>,
    mut stop: watch::Receiver<bool>,
    log: Log,
) {
    let mut running: HashMap<String, Running> = HashMap::new();
    let mut first = true;
    loop {
        let current = config.borrow_and_update().clone();
        let wanted: HashMap<&str, String> = current
            .inbox
            .iter()
            .filter(|i| i.imap.is_some())
            .map(|i| (i.name.as_str(), fingerprint(i)))
            .collect();
        let outdated: Vec<String> = running
            .iter()
            .filter(|(name, r)| r.failed || wanted.get(name.as_str()) != Some(&r.settings))
            .map(|(name, _)| name.clone())
            .collect();
        for name in outdated {
            if let Some(r) = running.remove(&name) {
                if !r.failed {
                    log(format!(
                        "inbox {name}: settings changed; stopping its IMAP worker(s)"
                    ));
                }
                let account = r.account.clone();
                r.stop(&name, &log).await;
                // Again here, with the old workers ended: the web UI restarted it when it
                // saved, but an old worker may have synced the old account since.
                let now = current.inbox(&name).and_then(hako_config::imap_account);
                if now.is_some() && now != account {
                    match restart_sync(&db, &name) {
                        Ok(()) => log(format!(
                            "inbox {name}: another IMAP account; its folders sync from the start"
                        )),
                        Err(e) => log(format!("inbox {name}: {e:#}")),
                    }
                }
            }
        }
        for inbox in current.inbox.iter().filter(|i| i.imap.is_some()) {
            if running.contains_key(&inbox.name) {
                continue;
            }
            if !first {
                log(format!("inbox {}: starting its IMAP worker(s)", inbox.name));
            }
            let r = start(&db, &current, inbox, &log).unwrap_or_else(|e| {
                log(format!(
                    "inbox {}: IMAP worker not started: {e:#}; trying again in {} s",
                    inbox.name,
                    RETRY.as_secs()
                ));
                Running {
                    settings: fingerprint(inbox),
                    account: hako_config::imap_account(inbox),
                    stop: watch::channel(false).0,
                    tasks: vec![],
                    failed: true,
                }
            });
            running.insert(inbox.name.clone(), r);
        }
        first = false;
        let any_failed = running.values().any(|r| r.failed);
        let retry = async {
            if any_failed {
                tokio::time::sleep(RETRY).await
            } else {
                std::future::pending().await
            }
        };
        tokio::select! {
            r = config.changed() => if r.is_err() { break },
            _ = retry => {}
            _ = stop.changed() => break,
        }
    }
    for (name, r) in running.drain() {
        r.stop(&name, &log).await;
    }
}
