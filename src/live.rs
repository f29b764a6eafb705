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

/// How long a stopping worker may take to log out before it is left behind.
const STOP_WAIT: Duration = Duration::from_secs(15);

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
        let mut last = store.edited_inboxes().ok();
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
    /// The inbox's settings when started; a different one means restart.
    settings: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = tokio::time::timeout(STOP_WAIT, t).await;
        }
    }
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

fn fingerprint(inbox: &hako_config::InboxConfig) -> String {
    // Includes the passwords: a new password must reconnect too. Kept in memory only.
    hako_config::inbox_to_toml(inbox).unwrap_or_default()
}

fn start(
    db: &std::path::Path,
    config: &Config,
    inbox: &hako_config::InboxConfig,
    log: &Log,
) -> Result<Running> {
    let (stop, rx) = watch::channel(false);
    let mut tasks = vec![];
    let folders = inbox
        .imap
        .as_ref()
        .map(|m| m.folders.clone())
        .unwrap_or_default();
    for folder in folders {
        let mut syncer = Syncer::new(Store::open(db)?, config, inbox, &folder)?;
        let (rx, log) = (rx.clone(), log.clone());
        tasks.push(tokio::spawn(async move { syncer.run(rx, log).await }));
    }
    Ok(Running {
        settings: fingerprint(inbox),
        stop,
        tasks,
    })
}

/// Runs the IMAP workers of every inbox in the published config until `stop`, restarting
/// those of an inbox whose settings changed, stopping those of an inbox that no longer
/// fetches, and starting new ones.
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
        let changed: Vec<String> = running
            .iter()
            .filter(|(name, r)| wanted.get(name.as_str()) != Some(&r.settings))
            .map(|(name, _)| name.clone())
            .collect();
        for name in changed {
            if let Some(r) = running.remove(&name) {
                log(format!(
                    "inbox {name}: settings changed; stopping its IMAP worker(s)"
                ));
                r.stop().await;
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
                    "inbox {}: IMAP worker not started: {e:#}",
                    inbox.name
                ));
                // Remembered as running with no tasks: tried again when the settings change.
                Running {
                    settings: fingerprint(inbox),
                    stop: watch::channel(false).0,
                    tasks: vec![],
                }
            });
            running.insert(inbox.name.clone(), r);
        }
        first = false;
        tokio::select! {
            r = config.changed() => if r.is_err() { break },
            _ = stop.changed() => break,
        }
    }
    for (_, r) in running.drain() {
        r.stop().await;
    }
}
