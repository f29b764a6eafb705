//! `hako sync --once` (one pass over every IMAP folder, then exit: for cron and tests) and
//! `hako serve` (the IMAP workers, snooze wake-ups, search indexing, the outbox and the web UI,
//! until Ctrl-C or SIGTERM).

use anyhow::{Context, Result, bail};
use clap::Args;
use hako_ingest::{PassReport, Syncer};
use hako_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use crate::context::{Ctx, db_path};
use crate::output;

#[derive(Args)]
pub struct SyncArgs {
    /// One pass, then exit (the only mode for now; `hako serve` runs continuously).
    #[arg(long, required = true)]
    once: bool,
    /// Only this inbox.
    #[arg(long)]
    inbox: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ServeArgs {}

/// (inbox, folder) pairs to sync, each with its own store connection.
fn syncers(ctx: &Ctx, only: Option<&str>) -> Result<Vec<Syncer>> {
    let mut out = vec![];
    for inbox in &ctx.config.inbox {
        if only.is_some_and(|o| o != inbox.name) {
            continue;
        }
        let Some(imap) = &inbox.imap else { continue };
        for folder in &imap.folders {
            let store = Store::open(&db_path(&ctx.config))?;
            out.push(Syncer::new(store, &ctx.config, inbox, folder)?);
        }
    }
    if let Some(name) = only
        && out.is_empty()
    {
        bail!("inbox {name}: not in the config, or it has no [inbox.imap] settings");
    }
    Ok(out)
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("start the async runtime")
}

pub fn sync_once(ctx: &mut Ctx, a: &SyncArgs) -> Result<()> {
    debug_assert!(a.once);
    let syncers = syncers(ctx, a.inbox.as_deref())?;
    let results: Vec<Result<PassReport, hako_ingest::SyncError>> = runtime()?.block_on(async {
        let tasks: Vec<_> = syncers
            .into_iter()
            .map(|mut s| tokio::spawn(async move { s.once().await }))
            .collect();
        let mut out = vec![];
        for t in tasks {
            out.push(t.await.expect("sync task panicked"));
        }
        out
    });
    let mut reports = vec![];
    let mut failed = vec![];
    for r in results {
        match r {
            Ok(rep) => reports.push(rep),
            Err(e) => failed.push(e.to_string()),
        }
    }
    if a.json {
        output::json(&reports)?;
    } else {
        for r in &reports {
            println!("{r}");
        }
    }
    if !failed.is_empty() {
        bail!("{}", failed.join("; "));
    }
    Ok(())
}

pub fn serve(ctx: &mut Ctx, _: &ServeArgs) -> Result<()> {
    let _lock = crate::data_lock::try_hold(&ctx.config)?.with_context(|| {
        format!(
            "data folder {}: another `hako serve` (or `hako reindex`) is running on it",
            ctx.config.data_dir.display()
        )
    })?;
    let db = db_path(&ctx.config);
    let config = ctx.config.clone();
    let file = ctx.file.clone();
    let log: Arc<dyn Fn(String) + Send + Sync> = Arc::new(|line| {
        eprintln!("{} {line}", chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"));
    });
    // Opened before the workers start: it creates the search index folder on a first run,
    // before the indexer task opens it for writing. The web UI lays the inboxes saved in it
    // over the file's itself, so it gets the file's.
    let web = hako_web::AppState::open(&file).context("web UI")?;
    web.set_connection_tester(crate::connection_test::tester());
    let listen = config.web.listen;
    log(format!(
        "hako serve: {} IMAP folder(s); Ctrl-C to stop",
        crate::live::folder_count(&config)
    ));
    runtime()?.block_on(async move {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = vec![];
        // The inbox settings saved in the web UI reach the IMAP workers and the outbox.
        let (live, watcher) = crate::live::watch_config(
            db.clone(),
            file,
            config.clone(),
            stop_rx.clone(),
            log.clone(),
        );
        tasks.push(watcher);
        // The web UI, on the same runtime; it finishes open requests when told to stop.
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("web UI: listen on {listen}"))?;
        let url = config
            .web
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", listener.local_addr().unwrap_or(listen)));
        log(format!("web UI: {url}"));
        let (mut rx, web_log) = (stop_rx.clone(), log.clone());
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = rx.changed().await;
            };
            if let Err(e) = hako_web::serve(web, listener, stop).await {
                web_log(format!("web UI stopped: {e}"));
            }
        }));
        tasks.push(tokio::spawn(crate::live::imap_workers(
            db.clone(),
            live.clone(),
            stop_rx.clone(),
            log.clone(),
        )));
        // Snoozed tickets come back on time even when nobody runs a command.
        let (mut rx, wake_log, wake_db) = (stop_rx.clone(), log.clone(), db.clone());
        tasks.push(tokio::spawn(async move {
            let mut store = match Store::open(&wake_db) {
                Ok(s) => s,
                Err(e) => return wake_log(format!("snooze wake-ups disabled: {e}")),
            };
            loop {
                match tokio::task::block_in_place(|| store.wake_due()) {
                    Ok(woken) if !woken.is_empty() => {
                        let list: Vec<String> = woken.iter().map(|n| n.to_string()).collect();
                        wake_log(format!("snooze over, open again: {}", list.join(" ")));
                    }
                    Ok(_) => {}
                    Err(e) => wake_log(format!("cannot wake snoozed tickets: {e}")),
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(30)) => {}
                    _ = rx.changed() => return,
                }
            }
        }));
        // The search index follows the database: drain its queue every two seconds.
        let (mut rx, index_log, config) = (stop_rx.clone(), log.clone(), config.clone());
        tasks.push(tokio::spawn(async move {
            let opened = Store::open(&crate::context::db_path(&config))
                .map_err(anyhow::Error::from)
                .and_then(|s| Ok((s, crate::indexer::open(&config)?)));
            let (mut store, index) = match opened {
                Ok(x) => x,
                Err(e) => return index_log(format!("search indexing disabled: {e:#}")),
            };
            loop {
                // In slices, so a long queue (`hako reindex` while serving) shows progress
                // and a stop is noticed between slices.
                let slice = crate::indexer::DRAIN_SLICE;
                let drained = tokio::task::block_in_place(|| {
                    crate::indexer::drain(&mut store, &index, slice)
                });
                let more = match drained {
                    Ok(0) => false,
                    Ok(n) => {
                        let left = store.index_backlog().unwrap_or(0);
                        match left {
                            0 => index_log(format!("search index: {n} ticket(s) updated")),
                            _ => index_log(format!(
                                "search index: {n} ticket(s) updated, {left} to go"
                            )),
                        }
                        left > 0
                    }
                    Err(e) => {
                        index_log(format!("search index: {e:#}"));
                        false
                    }
                };
                let wait = Duration::from_secs(if more { 0 } else { 2 });
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = rx.changed() => return,
                }
            }
        }));
        // Replies go out when their undo window or scheduled time is over.
        let (mut rx, out_log, mut live) = (stop_rx.clone(), log.clone(), live);
        tasks.push(tokio::spawn(async move {
            let store = match Store::open(&db) {
                Ok(s) => s,
                Err(e) => return out_log(format!("outbox disabled: {e}")),
            };
            let first = (**live.borrow_and_update()).clone();
            let mut worker = hako_outbound::worker::OutboxWorker::new(store, first);
            loop {
                if live.has_changed().unwrap_or(false) {
                    worker.set_config((**live.borrow_and_update()).clone());
                }
                let mut busy = false;
                match crate::cmd::reply::outbox_pass(&mut worker).await {
                    Ok(r) => {
                        // A full batch: more may be due, go on without waiting.
                        busy = r.sent + r.retrying + r.failed
                            >= u64::from(hako_outbound::worker::BATCH);
                        if r.sent > 0 {
                            out_log(format!("outbox: {} sent", r.sent));
                        }
                        if r.auto_replies > 0 {
                            out_log(format!(
                                "outbox: {} automatic repl(ies) queued",
                                r.auto_replies
                            ));
                        }
                        for e in r.errors {
                            out_log(e);
                        }
                    }
                    Err(e) => out_log(format!("outbox: {e}")),
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(if busy { 0 } else { 2 })) => {}
                    _ = rx.changed() => return,
                }
            }
        }));
        shutdown_signal().await;
        log("stopping…".into());
        let _ = stop_tx.send(true);
        // A bounded wait: a worker stuck on a dead connection must not hold the exit.
        let all = futures_join(tasks);
        if tokio::time::timeout(Duration::from_secs(15), all)
            .await
            .is_err()
        {
            log("some workers did not stop within 15 s; exiting anyway".into());
        }
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(())
}

async fn futures_join(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for t in tasks {
        let _ = t.await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("install a SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
