//! `hako bench`: generates a store (100k tickets, 500k messages by default) and times the
//! queries behind the inbox view, the per-agent load and the weekly label report against
//! their targets. A benchmark, not a test: it exits 0 even when a target is missed, and says
//! so plainly. `hako bench corpus` writes the ingest benchmark's generated Maildir instead
//! (see `corpus`); `hako bench search` and `hako bench outbox` are the search and outbox
//! benchmarks; `hako bench web` prepares the data folder that `scripts/bench-web` serves.

mod corpus;
mod maildir;
mod outbox;
mod search;
mod web;

use anyhow::{Context, Result};
use chrono_tz::Tz;
use hako_domain::report::WeekRange;
use hako_domain::{AgentId, ContactId, InboxId, LabelId, StatusKind};
use hako_store::synthetic::{self, SyntheticSpec};
use hako_store::{AssigneeFilter, Page, Sort, Store, TicketFilter};
use serde::Serialize;
use std::hint::black_box;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// List queries (one page of the inbox view, with its total) must answer within this, p99.
const LIST_TARGET_MS: f64 = 5.0;
/// The 52-week label report, p99.
const REPORT_TARGET_MS: f64 = 200.0;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// Without a suite: the store benchmark, with the options below.
    #[command(subcommand)]
    pub suite: Option<Suite>,
    /// Tickets to generate.
    #[arg(long, default_value_t = 100_000)]
    pub tickets: u64,
    /// Messages to generate (at least one per ticket).
    #[arg(long, default_value_t = 500_000)]
    pub messages: u64,
    /// Timed runs of each query, after a warm-up.
    #[arg(long, default_value_t = 200)]
    pub iterations: u32,
    /// Keep the generated database in FILE and reuse it when it exists. Default: a temporary
    /// file, removed afterwards.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Seed for the generated data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print the results as one JSON array (machine details go to stderr).
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand)]
pub enum Suite {
    /// Write a generated support mailbox (Japanese and English, threads, attachments) as a
    /// Maildir: the input of scripts/bench-ingest.
    Corpus(corpus::CorpusArgs),
    /// Sender history and full-text search on N generated messages, against notmuch with
    /// --notmuch: the search benchmark (scripts/bench-search).
    Search(search::SearchBenchArgs),
    /// Replies through the outbox to the local Postfix (scripts/mail-servers): messages/s
    /// and the delay from queueing to the server's 250 (scripts/bench-outbox).
    Outbox(outbox::OutboxBenchArgs),
    /// Prepare a data folder for the web UI benchmark (scripts/bench-web): N generated
    /// tickets, a config without inboxes, sessions for a supervisor and an agent; prints
    /// shell assignments.
    Web(web::WebBenchArgs),
}

/// One measured query.
#[derive(Debug, Serialize)]
struct Measurement {
    query: String,
    /// `list`, `search`, `counts`, `load` or `report`.
    kind: &'static str,
    iterations: u32,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
    /// The p99 target, when the query has one.
    target_ms: Option<f64>,
    pass: Option<bool>,
    /// What the query found: the list's total, count rows, agents, or tickets in the report.
    rows: u64,
}

/// Removes the temporary database (and its WAL files) when the benchmark ends.
struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

pub fn run(args: &BenchArgs, tz: Tz) -> Result<()> {
    match &args.suite {
        Some(Suite::Corpus(c)) => return corpus::run(c),
        Some(Suite::Search(s)) => return search::run(s),
        Some(Suite::Outbox(o)) => return outbox::run(o),
        Some(Suite::Web(w)) => return web::run(w),
        None => {}
    }
    anyhow::ensure!(args.iterations > 0, "--iterations must be at least 1");
    // Declared before the store so the store closes first and the files can go.
    let (_temp, path) = match &args.db {
        Some(p) => (None, p.clone()),
        None => {
            let p = std::env::temp_dir().join(format!("hako-bench-{}.db", std::process::id()));
            (Some(TempDb(p.clone())), p)
        }
    };
    let reuse = path.exists() && std::fs::metadata(&path)?.len() > 0;
    let mut store = Store::open(&path)
        .with_context(|| format!("open the bench database {}", path.display()))?;
    // Each query runs 200 times on an unchanged database: with the memo, every run after the
    // first would time the memo instead of the query.
    store.keep_reads(false);

    let generation = if reuse && store.stats()?.tickets > 0 {
        eprintln!("reusing {} (generated earlier)", path.display());
        None
    } else {
        Some(generate(&mut store, args)?)
    };
    let stats = store.stats()?;
    if reuse && stats.tickets != args.tickets {
        eprintln!(
            "note: {} holds {} tickets, not the {} asked for; measuring what it holds",
            path.display(),
            stats.tickets,
            args.tickets
        );
    }

    let machine = Machine::detect();
    let mut header = vec![];
    header.extend(machine.header());
    header.push(format!("data:      {}", data_summary(&stats)));
    if let Some((elapsed, rows)) = generation {
        header.push(format!(
            "generated: in {:.1} s ({:.0} rows/s incl. indexes and ANALYZE)",
            elapsed.as_secs_f64(),
            rows as f64 / elapsed.as_secs_f64()
        ));
    }
    header.push(format!(
        "database:  {} ({:.0} MiB)",
        path.display(),
        db_size(&path) as f64 / (1024.0 * 1024.0)
    ));
    header.push(format!(
        "timing:    {} runs per query after {} warm-up runs; report weeks in {}",
        args.iterations,
        warmups(args.iterations),
        tz.name()
    ));
    for line in &header {
        if args.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }

    let results = measure_all(&store, args.iterations, tz)?;

    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        println!();
        print_table(&results);
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.pass == Some(false))
        .map(|r| r.query.as_str())
        .collect();
    if failed.is_empty() {
        eprintln!("all targets met");
    } else {
        eprintln!(
            "FAIL: {} of {} targets missed: {}",
            failed.len(),
            results.iter().filter(|r| r.pass.is_some()).count(),
            failed.join("; ")
        );
    }
    Ok(())
}

fn generate(store: &mut Store, args: &BenchArgs) -> Result<(Duration, u64)> {
    let spec = SyntheticSpec {
        tickets: args.tickets,
        messages: args.messages,
        seed: args.seed,
        ..SyntheticSpec::default()
    };
    let started = Instant::now();
    let mut stderr = std::io::stderr();
    // On a terminal one line counts up; in a log, a line every 100k rows.
    let tty = stderr.is_terminal();
    let mut logged = 0;
    let summary = synthetic::generate(store, &spec, &mut |done, total| {
        if tty {
            let _ = write!(
                stderr,
                "\rgenerating: {done}/{total} rows (tickets + messages), {:.0} s",
                started.elapsed().as_secs_f64()
            );
            let _ = stderr.flush();
        } else if done - logged >= 100_000 || done == total {
            logged = done;
            let _ = writeln!(
                stderr,
                "generating: {done}/{total} rows (tickets + messages), {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    })
    .context("generate the bench data")?;
    if tty {
        eprintln!();
    }
    let rows = summary.tickets
        + summary.messages
        + summary.contacts
        + summary.contact_addresses
        + summary.ticket_labels
        + summary.events;
    Ok((started.elapsed(), rows))
}

fn warmups(iterations: u32) -> u32 {
    (iterations / 10).clamp(3, 20)
}

/// Times `f`: a few warm-up runs, then `iterations` timed runs.
fn time<T>(
    query: &str,
    kind: &'static str,
    target_ms: Option<f64>,
    iterations: u32,
    rows_of: impl Fn(&T) -> u64,
    mut f: impl FnMut() -> Result<T>,
) -> Result<Measurement> {
    let mut rows = 0;
    for _ in 0..warmups(iterations) {
        rows = rows_of(&black_box(f().with_context(|| query.to_string())?));
    }
    let mut samples: Vec<f64> = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let started = Instant::now();
        let out = f().with_context(|| query.to_string())?;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        black_box(out);
    }
    samples.sort_by(f64::total_cmp);
    let pct =
        |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    let p99 = pct(0.99);
    // Microseconds are the resolution that means anything here.
    let us = |ms: f64| (ms * 1000.0).round() / 1000.0;
    Ok(Measurement {
        query: query.to_string(),
        kind,
        iterations,
        p50_ms: us(pct(0.50)),
        p99_ms: us(p99),
        max_ms: us(samples[samples.len() - 1]),
        mean_ms: us(samples.iter().sum::<f64>() / samples.len() as f64),
        target_ms,
        pass: target_ms.map(|t| p99 < t),
        rows,
    })
}

/// The realistic cases: the busiest inbox, the busiest agent, the most used label.
struct Subjects {
    inbox: InboxId,
    inbox_name: String,
    agent: AgentId,
    agent_email: String,
    agent_inboxes: Vec<InboxId>,
    label: LabelId,
    label_name: String,
}

fn subjects(store: &Store) -> Result<Subjects> {
    let mut per_inbox: Vec<(String, u64)> = vec![];
    for c in store.counts(None)? {
        match per_inbox.iter_mut().find(|(n, _)| *n == c.inbox) {
            Some((_, n)) => *n += c.count,
            None => per_inbox.push((c.inbox.clone(), c.count)),
        }
    }
    let inbox_name = per_inbox
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(name, _)| name.clone())
        .context("the bench database has no tickets")?;
    let inbox = store.inbox_by_name(&inbox_name)?.id;
    let busiest = store
        .agent_load()?
        .into_iter()
        .next()
        .context("the bench database has no agents")?;
    let agent = store.agent_by_email(&busiest.agent)?;
    let mut label = None;
    for l in store.labels()? {
        let f = TicketFilter {
            label: Some(l.id),
            ..Default::default()
        };
        let n = store
            .list_tickets(
                &f,
                Sort::LastActivity,
                Page {
                    limit: 1,
                    offset: 0,
                },
            )?
            .total;
        if label.as_ref().is_none_or(|(_, _, best)| n > *best) {
            label = Some((l.id, l.name, n));
        }
    }
    let (label, label_name, _) = label.context("the bench database has no labels")?;
    Ok(Subjects {
        inbox,
        inbox_name,
        agent: agent.id,
        agent_email: agent.email.as_str().to_string(),
        agent_inboxes: agent.inboxes,
        label,
        label_name,
    })
}

fn measure_all(store: &Store, iterations: u32, tz: Tz) -> Result<Vec<Measurement>> {
    let s = subjects(store)?;
    let page1 = Page::default();
    let list = |query: String, f: TicketFilter, sort: Sort, page: Page| {
        time(
            &query,
            "list",
            Some(LIST_TARGET_MS),
            iterations,
            |p: &hako_store::TicketPage| p.total,
            || Ok(store.list_tickets(&f, sort, page)?),
        )
    };
    let open = vec![StatusKind::Open];
    let mut out = vec![
        list(
            format!(
                "list: inbox {} open, last activity, page 1 (agent)",
                s.inbox_name
            ),
            TicketFilter {
                visible: Some(s.agent_inboxes.clone()),
                inbox: Some(s.inbox),
                statuses: open.clone(),
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
        list(
            "list: all inboxes open, last activity (supervisor)".into(),
            TicketFilter {
                statuses: open.clone(),
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
        list(
            format!("list: mine ({}), open", s.agent_email),
            TicketFilter {
                visible: Some(s.agent_inboxes.clone()),
                statuses: open.clone(),
                assignee: AssigneeFilter::Agent(s.agent),
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
        list(
            format!("list: inbox {} open, unassigned", s.inbox_name),
            TicketFilter {
                visible: Some(s.agent_inboxes.clone()),
                inbox: Some(s.inbox),
                statuses: open.clone(),
                assignee: AssigneeFilter::Unassigned,
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
        list(
            format!("list: label {} open, all inboxes", s.label_name),
            TicketFilter {
                statuses: open.clone(),
                label: Some(s.label),
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
        list(
            format!("list: inbox {} open, oldest waiting", s.inbox_name),
            TicketFilter {
                visible: Some(s.agent_inboxes.clone()),
                inbox: Some(s.inbox),
                statuses: open.clone(),
                ..Default::default()
            },
            Sort::OldestWaiting,
            page1,
        )?,
        list(
            format!("list: inbox {} closed, offset 1000 (page 21)", s.inbox_name),
            TicketFilter {
                inbox: Some(s.inbox),
                statuses: vec![StatusKind::Closed],
                ..Default::default()
            },
            Sort::LastActivity,
            Page {
                limit: 50,
                offset: 1000,
            },
        )?,
        list(
            "list: one customer's tickets (ticket sidebar)".into(),
            TicketFilter {
                contact: Some(ContactId(1)),
                ..Default::default()
            },
            Sort::LastActivity,
            page1,
        )?,
    ];
    // Not an inbox tab (those always have a status): `hako tickets list --status all
    // --label X`. Shown for what it costs, without a target: its exact total over a quarter
    // of all tickets is counted row by row (BENCHMARKS.md).
    let any_status = TicketFilter {
        label: Some(s.label),
        ..Default::default()
    };
    out.push(time(
        &format!("search: label {}, any status (no target)", s.label_name),
        "search",
        None,
        iterations,
        |p: &hako_store::TicketPage| p.total,
        || Ok(store.list_tickets(&any_status, Sort::LastActivity, page1)?),
    )?);
    out.push(time(
        "counts: every inbox × status",
        "counts",
        None,
        iterations,
        |c: &Vec<hako_store::InboxCount>| c.len() as u64,
        || Ok(store.counts(None)?),
    )?);
    let active = [StatusKind::Open, StatusKind::Pending, StatusKind::Snoozed];
    out.push(time(
        "counts: inbox × open/pending/snoozed (tabs)",
        "counts",
        None,
        iterations,
        |c: &Vec<hako_store::InboxCount>| c.len() as u64,
        || Ok(store.counts_of(None, &active)?),
    )?);
    out.push(time(
        "latest activity, all inboxes (inbox view)",
        "counts",
        None,
        iterations,
        |t: &Option<hako_domain::Timestamp>| u64::from(t.is_some()),
        || Ok(store.latest_activity(None)?),
    )?);
    out.push(time(
        "load: open/pending/snoozed per agent",
        "load",
        None,
        iterations,
        |l: &Vec<hako_store::AgentLoad>| l.len() as u64,
        || Ok(store.agent_load()?),
    )?);
    let range = WeekRange::last_n(store.now(), tz, 52);
    out.push(time(
        "report: 52 weeks × labels, all inboxes",
        "report",
        Some(REPORT_TARGET_MS),
        iterations,
        |r: &hako_domain::report::LabelReport| r.grand_total(),
        || Ok(store.label_report(range, tz, None)?),
    )?);
    out.push(time(
        &format!("report: 52 weeks × labels, inbox {}", s.inbox_name),
        "report",
        Some(REPORT_TARGET_MS),
        iterations,
        |r: &hako_domain::report::LabelReport| r.grand_total(),
        || Ok(store.label_report(range, tz, Some((s.inbox, s.inbox_name.clone())))?),
    )?);
    Ok(out)
}

fn print_table(results: &[Measurement]) {
    let width = results
        .iter()
        .map(|r| r.query.chars().count())
        .max()
        .unwrap_or(5);
    println!(
        "| {:<width$} | {:>8} | {:>8} | {:>8} | {:>8} | {:>6} | {:<6} |",
        "query", "p50 ms", "p99 ms", "max ms", "rows", "target", "result"
    );
    println!(
        "|{}|---------:|---------:|---------:|---------:|-------:|:-------|",
        "-".repeat(width + 2)
    );
    for r in results {
        // Pad by characters, not bytes: label and agent names may be Japanese.
        let pad = width - r.query.chars().count();
        let (target, result) = match (r.target_ms, r.pass) {
            (Some(t), Some(true)) => (format!("<{t:.0}"), "PASS"),
            (Some(t), _) => (format!("<{t:.0}"), "FAIL"),
            _ => ("–".to_string(), "–"),
        };
        println!(
            "| {}{} | {:>8.2} | {:>8.2} | {:>8.2} | {:>8} | {:>6} | {:<6} |",
            r.query,
            " ".repeat(pad),
            r.p50_ms,
            r.p99_ms,
            r.max_ms,
            r.rows,
            target,
            result
        );
    }
}

/// The database file with its write-ahead log, in bytes.
/// `N tickets (closed …, open …), N messages, N contacts, N inboxes, N agents, N labels`:
/// the benchmark reports' `data:` line.
pub(crate) fn data_summary(stats: &hako_store::Stats) -> String {
    let by_status: Vec<String> = stats
        .tickets_by_status
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    format!(
        "{} tickets ({}), {} messages, {} contacts, {} inboxes, {} agents, {} labels",
        stats.tickets,
        by_status.join(", "),
        stats.messages,
        stats.contacts,
        stats.inboxes,
        stats.agents,
        stats.labels
    )
}

pub(crate) fn db_size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| {
            let mut p = path.to_path_buf().into_os_string();
            p.push(s);
            std::fs::metadata(p).ok()
        })
        .map(|m| m.len())
        .sum()
}

/// What the numbers were measured on.
struct Machine {
    date: String,
    cpu: String,
    cores: usize,
    memory_gib: Option<f64>,
    os: String,
    rustc: Option<String>,
}

impl Machine {
    /// The date, machine and software lines every benchmark report starts with.
    fn header(&self) -> Vec<String> {
        vec![
            format!("date:      {}", self.date),
            format!("machine:   {}", self.describe()),
            format!(
                "software:  hako {} ({} build), SQLite {}{}",
                env!("CARGO_PKG_VERSION"),
                if cfg!(debug_assertions) {
                    "DEBUG — numbers are meaningless, use --release"
                } else {
                    "release"
                },
                synthetic::sqlite_version(),
                self.rustc
                    .as_deref()
                    .map(|r| format!(", {r}"))
                    .unwrap_or_default()
            ),
        ]
    }

    fn detect() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown CPU".to_string());
        let memory_gib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                m.lines()
                    .find(|l| l.starts_with("MemTotal:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
            .map(|kb| kb / (1024.0 * 1024.0));
        let os = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                    .map(|v| v.trim_matches('"').to_string())
            })
            .unwrap_or_else(|| std::env::consts::OS.to_string());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| format!(", Linux {}", k.trim()))
            .unwrap_or_default();
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        Machine {
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib,
            os: format!("{os}{kernel}, {}", std::env::consts::ARCH),
            rustc,
        }
    }

    fn describe(&self) -> String {
        let mem = self
            .memory_gib
            .map(|g| format!(", {g:.1} GiB RAM"))
            .unwrap_or_default();
        format!("{}, {} cores{mem}; {}", self.cpu, self.cores, self.os)
    }
}
