//! One syncer per (inbox, folder): the IMAP worker. A pass takes the mailbox's lease (one
//! syncer per mailbox, even across hako processes), opens the folder, reconciles UIDVALIDITY,
//! finishes after-ingest actions a crash left undone, then fetches new UIDs in batches; each
//! batch is parsed and committed in one transaction together with the cursor, and only then
//! flagged or moved on the server. `run` repeats passes, waiting with IDLE (re-issued every
//! few minutes) or polling, and reconnects with backoff.

use chrono::{Duration as Span, Utc};
use hako_config::{AfterIngest, Config, ImapConfig, InboxConfig, InitialImport};
use hako_domain::InboxId;
use hako_store::ingest::{Lease, MailboxId, Source};
use hako_store::{Store, StoreError};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use thiserror::Error;
use tokio::sync::watch;

use crate::imap::{self, Client, IdleOutcome, ImapError};
use crate::pipeline::{Ingestor, Tally, prepare, settings};

/// How long a lease lasts without renewal: longer than one IDLE wait, so a live syncer never
/// loses it, short enough that a crashed one is replaced soon.
const LEASE: i64 = 10;
/// One IDLE wait; RFC 2177 asks clients to re-issue IDLE at least every 29 minutes, and
/// some servers and NATs drop quieter connections much sooner.
const IDLE_WAIT: Duration = Duration::from_secs(4 * 60);

#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Imap(#[from] ImapError),
    #[error("inbox {inbox} folder {folder}: cannot {doing}: {source}")]
    Store {
        inbox: String,
        folder: String,
        doing: &'static str,
        source: Box<StoreError>,
    },
    #[error("inbox {inbox} folder {folder}: another hako process ({owner}) is syncing it")]
    Busy {
        inbox: String,
        folder: String,
        owner: String,
    },
    #[error("inbox {inbox}: has no [inbox.imap] settings")]
    NoImap { inbox: String },
}

impl SyncError {
    /// Whether a later attempt may succeed without anyone changing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Imap(e) => e.is_retryable(),
            SyncError::Store { source, .. } => source.is_retryable(),
            SyncError::Busy { .. } => true,
            SyncError::NoImap { .. } => false,
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PassReport {
    pub inbox: String,
    pub folder: String,
    pub fetched: u64,
    #[serde(flatten)]
    pub tally: Tally,
    pub uidvalidity_changed: bool,
}

impl std::fmt::Display for PassReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "inbox {} folder {}: {} fetched, {}{}",
            self.inbox,
            self.folder,
            self.fetched,
            self.tally,
            if self.uidvalidity_changed {
                " (UIDVALIDITY changed: rescanned)"
            } else {
                ""
            }
        )
    }
}

pub struct Syncer {
    inbox: InboxId,
    inbox_name: String,
    folder: String,
    cfg: ImapConfig,
    batch: usize,
    owner: String,
    mailbox: MailboxId,
    /// The store is blocking: every use goes through `spawn_blocking`.
    ingestor: Arc<Mutex<Ingestor>>,
    lease: Option<Lease>,
    /// `run`'s stop signal, checked between batches so a stop does not wait for a long pass.
    stop: Option<watch::Receiver<bool>>,
}

/// Tells apart the syncers of one process (`hako serve` restarts an inbox's syncers when its
/// settings change): each holds leases under its own owner name.
static SYNCERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Syncer {
    /// A syncer for one folder of one inbox, with its own store connection.
    pub fn new(
        mut store: Store,
        config: &Config,
        inbox: &InboxConfig,
        folder: &str,
    ) -> Result<Syncer, SyncError> {
        let cfg = inbox.imap.clone().ok_or_else(|| SyncError::NoImap {
            inbox: inbox.name.clone(),
        })?;
        let err = |doing| {
            let (inbox, folder) = (inbox.name.clone(), folder.to_string());
            move |source| SyncError::Store {
                inbox,
                folder,
                doing,
                source: Box::new(source),
            }
        };
        let id = store
            .inbox_by_name(&inbox.name)
            .map_err(err("find the inbox"))?
            .id;
        let mailbox = store
            .mailbox(id, folder)
            .map_err(err("open the mailbox state"))?
            .id;
        let (policy, limits) = settings(config);
        Ok(Syncer {
            inbox: id,
            inbox_name: inbox.name.clone(),
            folder: folder.to_string(),
            cfg,
            batch: config.ingest.batch.max(1) as usize,
            owner: format!(
                "{}:{}#{}",
                hostname(),
                std::process::id(),
                SYNCERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ),
            mailbox,
            ingestor: Arc::new(Mutex::new(Ingestor::new(store, policy, limits))),
            lease: None,
            stop: None,
        })
    }

    fn store_err(&self, doing: &'static str) -> impl FnOnce(StoreError) -> SyncError + use<> {
        let (inbox, folder) = (self.inbox_name.clone(), self.folder.clone());
        move |source| SyncError::Store {
            inbox,
            folder,
            doing,
            source: Box::new(source),
        }
    }

    /// Runs blocking store work off the async threads.
    async fn db<T: Send + 'static>(
        &self,
        doing: &'static str,
        f: impl FnOnce(&mut Ingestor) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, SyncError> {
        let ing = self.ingestor.clone();
        let out = tokio::task::spawn_blocking(move || {
            let mut guard = ing.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .expect("store task panicked");
        out.map_err(self.store_err(doing))
    }

    async fn take_lease(&mut self) -> Result<(), SyncError> {
        let (mailbox, owner) = (self.mailbox, self.owner.clone());
        let lease = self
            .db("take the mailbox lease", move |i| {
                i.store.acquire_lease(mailbox, &owner, Span::minutes(LEASE))
            })
            .await?;
        match lease {
            Some(l) => {
                self.lease = Some(l);
                Ok(())
            }
            None => {
                let mailbox = self.mailbox;
                let holder = self
                    .db("read the mailbox", move |i| {
                        Ok(i.store
                            .mailboxes()?
                            .into_iter()
                            .find(|m| m.id == mailbox)
                            .and_then(|m| m.lease_owner))
                    })
                    .await?;
                // A process on this machine that died (kill -9, power cut of the process)
                // cannot renew its lease; waiting for it to expire would stall a restart.
                if let Some(dead) = holder.clone().filter(|h| is_dead_local_owner(h)) {
                    let owner = self.owner.clone();
                    let lease = self
                        .db("take over the mailbox lease", move |i| {
                            i.store
                                .take_over_lease(mailbox, &dead, &owner, Span::minutes(LEASE))
                        })
                        .await?;
                    if let Some(l) = lease {
                        self.lease = Some(l);
                        return Ok(());
                    }
                }
                Err(SyncError::Busy {
                    inbox: self.inbox_name.clone(),
                    folder: self.folder.clone(),
                    owner: holder.unwrap_or_default(),
                })
            }
        }
    }

    /// Gives the mailbox back so another process may sync it at once.
    pub async fn release(&mut self) -> Result<(), SyncError> {
        if let Some(lease) = self.lease.take() {
            self.db("release the mailbox lease", move |i| {
                i.store.release_lease(&lease)
            })
            .await?;
        }
        Ok(())
    }

    /// One pass on an open connection: everything new in the folder is fetched and
    /// committed, and the after-ingest action done.
    pub async fn pass(&mut self, client: &mut Client) -> Result<PassReport, SyncError> {
        self.take_lease().await?;
        let mut report = PassReport {
            inbox: self.inbox_name.clone(),
            folder: self.folder.clone(),
            ..PassReport::default()
        };
        let info = client.select(&self.folder).await?;
        let mailbox = self.mailbox;
        let before = self
            .db("read the mailbox", move |i| {
                let all = i.store.mailboxes()?;
                Ok(all
                    .into_iter()
                    .find(|m| m.id == mailbox)
                    .expect("created in new()"))
            })
            .await?;
        let v = info.uidvalidity;
        let first_sync = before.uidvalidity.is_none();
        report.uidvalidity_changed = self
            .db("record UIDVALIDITY", move |i| {
                i.store.set_uidvalidity(mailbox, v)
            })
            .await?;
        let mut import_below = before.import_below;
        if first_sync {
            // Mail already in the folder at the first sync is old mail: imported silently,
            // or not at all, as the account's policy says.
            let uid_next = match info.uid_next {
                Some(n) => n,
                None => client.uids_after(0).await?.last().map_or(1, |u| u + 1),
            };
            import_below = uid_next;
            let policy = self.cfg.initial_import;
            self.db("record the first sync", move |i| {
                i.store.set_import_below(mailbox, uid_next)?;
                if policy == InitialImport::New {
                    i.store.skip_to_uid(mailbox, uid_next.saturating_sub(1))?;
                }
                Ok(())
            })
            .await?;
        }
        self.finish_actions(client, v).await?;

        let last_uid = self
            .db("read the cursor", move |i| {
                Ok(i.store
                    .mailboxes()?
                    .into_iter()
                    .find(|m| m.id == mailbox)
                    .map_or(0, |m| m.last_uid))
            })
            .await?;
        let mut uids = client.uids_after(last_uid).await?;
        if self.cfg.initial_import == InitialImport::Since
            && let Some(since) = self.cfg.import_since
            && uids.first().is_some_and(|u| *u < import_below)
        {
            let wanted = client.uids_since(since).await?;
            uids.retain(|u| *u >= import_below || wanted.binary_search(u).is_ok());
        }
        for chunk in uids.chunks(self.batch) {
            let fetched = client.fetch(chunk).await?;
            report.fetched += fetched.len() as u64;
            let (inbox, now) = (self.inbox, Utc::now());
            let outcomes = self
                .db("store fetched mail", move |i| {
                    let limits = i.limits;
                    let mails: Vec<_> = fetched
                        .into_iter()
                        .map(|f| {
                            let source = Source::Imap {
                                mailbox,
                                uidvalidity: v,
                                uid: f.uid,
                            };
                            let old = f.uid < import_below;
                            prepare(f.raw, source, inbox, f.internal_date, old, &limits, now)
                        })
                        .collect();
                    i.persist(&mails)
                })
                .await?;
            outcomes.iter().for_each(|o| report.tally.count(o));
            // Only now, with the mail committed, may the server copy change.
            self.act(client, v, chunk).await?;
            if self.stop.as_ref().is_some_and(|s| *s.borrow()) {
                // The rest is fetched by whoever syncs next: the cursor is at this batch.
                break;
            }
            self.take_lease().await?;
        }
        Ok(report)
    }

    /// Does the after-ingest action for UIDs committed before a crash.
    async fn finish_actions(&mut self, client: &mut Client, v: u32) -> Result<(), SyncError> {
        if self.cfg.after_ingest == AfterIngest::Leave {
            return Ok(());
        }
        let mailbox = self.mailbox;
        let pending = self
            .db("list pending actions", move |i| {
                i.store.pending_actions(mailbox, v)
            })
            .await?;
        for chunk in pending.chunks(self.batch) {
            self.act(client, v, chunk).await?;
        }
        Ok(())
    }

    async fn act(&mut self, client: &mut Client, v: u32, uids: &[u32]) -> Result<(), SyncError> {
        match self.cfg.after_ingest {
            AfterIngest::Leave => return Ok(()),
            AfterIngest::Seen => client.mark_seen(uids).await?,
            AfterIngest::Move => {
                let to = self.cfg.move_to.clone().unwrap_or_default();
                client.move_to(uids, &to).await?
            }
        }
        let (mailbox, done) = (self.mailbox, uids.to_vec());
        self.db("record done actions", move |i| {
            i.store.mark_acted(mailbox, v, &done)
        })
        .await
    }

    /// `hako sync --once`: connect, one pass, log out, give the lease back.
    pub async fn once(&mut self) -> Result<PassReport, SyncError> {
        let mut client = imap::connect(&self.cfg).await?;
        let report = self.pass(&mut client).await;
        let _ = client.logout().await;
        self.release().await?;
        report
    }

    /// `hako serve`: passes until `stop` turns true, waiting for new mail with IDLE (or
    /// polling every `poll_seconds`), reconnecting with backoff after errors. Each pass's
    /// report and each error go to `log`.
    pub async fn run(
        &mut self,
        mut stop: watch::Receiver<bool>,
        log: Arc<dyn Fn(String) + Send + Sync>,
    ) {
        self.stop = Some(stop.clone());
        let mut attempt = 0u32;
        while !*stop.borrow() {
            let result = self.session(&mut stop, &log).await;
            if *stop.borrow() {
                break;
            }
            if let Err(e) = result {
                let wait = imap::backoff(attempt);
                attempt = attempt.saturating_add(1);
                log(format!("{e}; retrying in {}s", wait.as_secs()));
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        let _ = self.release().await;
    }

    /// One connection's life: passes and waits until an error or `stop`.
    async fn session(
        &mut self,
        stop: &mut watch::Receiver<bool>,
        log: &Arc<dyn Fn(String) + Send + Sync>,
    ) -> Result<(), SyncError> {
        let mut client = imap::connect(&self.cfg).await?;
        loop {
            let r = self.pass(&mut client).await?;
            if r.fetched > 0 || r.uidvalidity_changed {
                log(r.to_string());
            }
            let stopped = async {
                let _ = stop.changed().await;
            };
            if self.cfg.idle && client.has_idle() {
                if client.idle_until(IDLE_WAIT, stopped).await? == IdleOutcome::Interrupted {
                    let _ = client.logout().await;
                    return Ok(());
                }
            } else {
                let poll = Duration::from_secs(u64::from(self.cfg.poll_seconds.max(5)));
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = stopped => {
                        let _ = client.logout().await;
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// `host:pid` names a process on this host that no longer runs.
fn is_dead_local_owner(owner: &str) -> bool {
    let Some((host, pid)) = owner.rsplit_once(':') else {
        return false;
    };
    // `host:pid#n`; owners written before the `#n` have none.
    let pid = pid.split('#').next().unwrap_or(pid);
    host == hostname()
        && pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_owner_is_known_by_its_pid_with_or_without_the_syncer_number() {
        let host = hostname();
        // Beyond pid_max (4194304 at most on Linux): no such process.
        assert!(is_dead_local_owner(&format!("{host}:99999999#3")));
        assert!(is_dead_local_owner(&format!("{host}:99999999")));
        let me = std::process::id();
        assert!(
            !is_dead_local_owner(&format!("{host}:{me}#0")),
            "this process"
        );
        assert!(
            !is_dead_local_owner("elsewhere.example:99999999#1"),
            "another host"
        );
    }
}
