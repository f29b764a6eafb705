//! `hako bench search`: generates a store of N messages, builds the search index from it the
//! way `hako reindex` does (`crate::indexer::rebuild`), and times sender history
//! (`Store::history`) and full-text search (`SearchIndex::search`) in process, against the
//! targets of issue 4 (history p99 < 10 ms, full text p99 < 50 ms at 1M messages).
//!
//! With `--notmuch` it also exports the same messages as a Maildir (RFC 5322, UTF-8 8bit
//! bodies, RFC 2047 encoded-word subjects, References so notmuch threads are our tickets),
//! indexes it with `notmuch new` under a fresh `NOTMUCH_CONFIG`, and times the same queries
//! end to end as processes: `hako history|search --json` against `notmuch search`. Both pay
//! process start there; the in-process numbers do not.

use anyhow::{Context, Result, bail};
use hako_config::Config;
use hako_domain::{EmailAddress, TicketId};
use hako_search::{Page, Scope, SortBy, parse_query};
use hako_store::synthetic::{self, SyntheticSpec};
use hako_store::{HistoryOf, IndexDoc, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use super::maildir::export_maildir;
use super::{Machine, Measurement, print_table, time};

/// Sender history, p99 at 1M messages.
const HISTORY_TARGET_MS: f64 = 10.0;
/// Full-text search, p99 at 1M messages.
const SEARCH_TARGET_MS: f64 = 50.0;
/// The history page (the ticket sidebar shows 50).
const HISTORY_LIMIT: u32 = 50;
/// The search page (`hako search` shows 25).
const SEARCH_LIMIT: usize = 25;

#[derive(clap::Args)]
pub struct SearchBenchArgs {
    /// Messages to generate.
    #[arg(long, default_value_t = 100_000)]
    pub messages: u64,
    /// Tickets to generate [default: messages / 5].
    #[arg(long)]
    pub tickets: Option<u64>,
    /// Timed runs of each in-process query, after a warm-up.
    #[arg(long, default_value_t = 100)]
    pub iterations: u32,
    /// Timed runs of each command (hako and notmuch processes).
    #[arg(long, default_value_t = 30)]
    pub cli_iterations: u32,
    /// Keep the generated database in FILE and reuse it when it holds tickets.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Data folder (index, hako.toml, Maildir, notmuch database), kept afterwards. Default:
    /// a temporary folder, removed afterwards.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Also export the messages as a Maildir, index it with `notmuch new` and time the same
    /// queries as commands, hako's and notmuch's.
    #[arg(long)]
    pub notmuch: bool,
    /// Seed for the generated data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print the results as JSON (the header goes to stderr).
    #[arg(long)]
    pub json: bool,
}

/// A removed-afterwards data folder.
pub(super) struct TempDir(pub(super) PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One query, as hako and as notmuch spell it (`None`: notmuch has no equivalent).
struct Case {
    name: String,
    hako: Query,
    notmuch: Option<String>,
}

enum Query {
    History(HistoryOf, String),
    Search(String),
}

pub fn run(a: &SearchBenchArgs) -> Result<()> {
    anyhow::ensure!(
        a.iterations > 0 && a.cli_iterations > 0,
        "iterations must be ≥ 1"
    );
    let (_temp, dir) = match &a.keep {
        Some(d) => (None, d.clone()),
        None => {
            let d = std::env::temp_dir().join(format!("hako-bench-search-{}", std::process::id()));
            (Some(TempDir(d.clone())), d)
        }
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
    let db = dir.join("hako.db");
    if let Some(file) = &a.db
        && *file != db
    {
        // The commands find the database in the data folder.
        let _ = std::fs::remove_file(&db);
        let target = std::path::absolute(file)?;
        std::os::unix::fs::symlink(&target, &db)
            .with_context(|| format!("link {} to {}", db.display(), target.display()))?;
    }
    let mut store = Store::open(&db).with_context(|| format!("open {}", db.display()))?;
    let mut header = vec![];
    let machine = Machine::detect();
    header.extend(machine.header());
    if store.stats()?.tickets == 0 {
        let spec = SyntheticSpec {
            tickets: a.tickets.unwrap_or(a.messages / 5).max(1),
            messages: a.messages,
            seed: a.seed,
            ..SyntheticSpec::default()
        };
        let started = Instant::now();
        synthetic::generate(&mut store, &spec, &mut |_, _| {}).context("generate")?;
        header.push(format!(
            "generated: in {:.1} s",
            started.elapsed().as_secs_f64()
        ));
    } else {
        header.push(format!("generated: reused {}", db.display()));
    }
    let stats = store.stats()?;
    header.push(format!(
        "data:      {} tickets, {} messages, {} contacts (synthetic, seed {}); database {:.0} MiB",
        stats.tickets,
        stats.messages,
        stats.contacts,
        a.seed,
        super::db_size(&db) as f64 / MIB
    ));

    // Indexing, through the code path of `hako reindex`.
    let config = Config {
        data_dir: dir.clone(),
        ..Config::default()
    };
    let started = Instant::now();
    let tickets = crate::indexer::rebuild(&mut store, &config, &mut |_, _| {})?;
    let indexing = started.elapsed().as_secs_f64();
    let index = crate::indexer::open(&config)?;
    let indexed = index.num_messages()?;
    anyhow::ensure!(
        indexed == stats.messages,
        "indexed {indexed} of {} messages",
        stats.messages
    );
    header.push(format!(
        "indexing:  {tickets} tickets, {indexed} messages in {indexing:.1} s = {:.0} messages/s \
         (`hako reindex` path, 1 writer thread, 64 MB)",
        indexed as f64 / indexing
    ));

    let scan = Scan::of(&store)?;
    let cases = cases(&scan)?;
    let tz = chrono_tz::UTC;
    let mut results = vec![];
    for c in &cases {
        results.push(match &c.hako {
            Query::History(of, _) => time(
                &c.name,
                "history",
                Some(HISTORY_TARGET_MS),
                a.iterations,
                |h: &hako_store::History| h.ticket_count,
                || Ok(store.history(of, None, HISTORY_LIMIT)?),
            )?,
            Query::Search(text) => {
                let q = parse_query(text, tz).with_context(|| format!("query {text:?}"))?;
                time(
                    &c.name,
                    "search",
                    Some(SEARCH_TARGET_MS),
                    a.iterations,
                    |p: &hako_search::SearchPage| p.total,
                    || {
                        Ok(index.search(
                            &q,
                            &Scope::all(),
                            SortBy::Newest,
                            Page::first(SEARCH_LIMIT),
                        )?)
                    },
                )?
            }
        });
    }
    header.push(format!(
        "index:     {:.1} MiB on disk = {:.1} KiB per 1k messages (database: {:.1} MiB per 1k)",
        dir_size(&crate::indexer::index_dir(&config)) as f64 / MIB,
        dir_size(&crate::indexer::index_dir(&config)) as f64 / 1024.0 / (indexed as f64 / 1000.0),
        super::db_size(&db) as f64 / MIB / (stats.messages as f64 / 1000.0)
    ));
    header.push(format!(
        "timing:    in process, {} runs per query after a warm-up; history page {HISTORY_LIMIT}, \
         search page {SEARCH_LIMIT} (newest first); rows = matching tickets",
        a.iterations
    ));
    drop(index);
    drop(store);

    let mut cli = vec![];
    if a.notmuch {
        cli = compare_notmuch(a, &dir, &cases, &mut header)?;
    }
    for line in &header {
        // A Markdown list, so `scripts/bench-search --record` can paste it as it is.
        if a.json {
            eprintln!("- {line}");
        } else {
            println!("- {line}");
        }
    }
    if a.json {
        let all = serde_json::json!({ "in_process": results, "commands": cli });
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
    println!("\nIn process (`Store::history`, `SearchIndex::search`):\n");
    print_table(&results);
    if !cli.is_empty() {
        println!(
            "\nCommands, end to end (process start, opening the database/index, JSON output; \
             rows: hako = entries printed, at most the limit; notmuch = all matching \
             threads, by `notmuch count --output=threads`):\n"
        );
        print_table(&cli);
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| r.pass == Some(false))
        .map(|r| r.query.as_str())
        .collect();
    if failed.is_empty() {
        eprintln!("all targets met");
    } else {
        eprintln!("FAIL: {}", failed.join("; "));
    }
    Ok(())
}

const MIB: f64 = 1024.0 * 1024.0;

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Every message once, in ticket batches, as the index sees it.
pub(super) fn for_each_doc(
    store: &Store,
    mut f: impl FnMut(&[IndexDoc]) -> Result<()>,
) -> Result<()> {
    let mut after = 0;
    loop {
        let batch: Vec<TicketId> = store.ticket_ids_after(after, 1000)?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = last.0;
        f(&store.index_docs(&batch)?)?;
    }
}

/// What the corpus holds, to choose realistic senders and a rare word.
struct Scan {
    /// Customer messages per sender address.
    senders: BTreeMap<String, u64>,
    domains: BTreeMap<String, u64>,
    /// An order number from some subject: a word found in one ticket or two.
    order_number: Option<String>,
}

impl Scan {
    fn of(store: &Store) -> Result<Scan> {
        let mut s = Scan {
            senders: BTreeMap::new(),
            domains: BTreeMap::new(),
            order_number: None,
        };
        for_each_doc(store, |docs| {
            let customer =
                |d: &&IndexDoc| d.direction == "incoming" && d.from_address.contains('@');
            for d in docs.iter().filter(customer) {
                *s.senders.entry(d.from_address.to_lowercase()).or_default() += 1;
                if let Some((_, dom)) = d.from_address.rsplit_once('@') {
                    *s.domains.entry(dom.to_lowercase()).or_default() += 1;
                }
                if s.order_number.is_none()
                    && let Some((_, rest)) = d.subject.split_once("注文番号：")
                {
                    s.order_number = Some(rest.chars().take_while(char::is_ascii_digit).collect());
                }
            }
            Ok(())
        })?;
        Ok(s)
    }
}

fn cases(s: &Scan) -> Result<Vec<Case>> {
    let most = |m: &BTreeMap<String, u64>| {
        m.iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse((*k).clone())))
            .map(|(k, _)| k.clone())
    };
    let frequent = most(&s.senders).context("no customer messages")?;
    let rare = s
        .senders
        .iter()
        .find(|(k, n)| **n == 1 && !k.ends_with("spam.example"))
        .map(|(k, _)| k.clone())
        .context("no one-message sender")?;
    let domain = most(&s.domains).context("no sender domain")?;
    let order = s
        .order_number
        .clone()
        .context("no order number in any subject")?;
    let addr = |a: &str| -> Result<HistoryOf> { Ok(HistoryOf::Address(EmailAddress::parse(a)?)) };
    let history = |name: String, of: HistoryOf, arg: &str, nm: String| Case {
        name,
        hako: Query::History(of, arg.to_string()),
        notmuch: Some(nm),
    };
    let search = |name: &str, q: &str, nm: Option<&str>| Case {
        name: format!("{name}: {q}"),
        hako: Query::Search(q.to_string()),
        notmuch: nm.map(str::to_string),
    };
    Ok(vec![
        history(
            format!("history: frequent sender ({} msgs)", s.senders[&frequent]),
            addr(&frequent)?,
            &frequent,
            format!("from:{frequent}"),
        ),
        history(
            "history: one-message sender".into(),
            addr(&rare)?,
            &rare,
            format!("from:{rare}"),
        ),
        history(
            format!("history: domain {domain} ({} msgs)", s.domains[&domain]),
            HistoryOf::Domain(domain.clone()),
            &domain,
            format!("from:{domain}"),
        ),
        search("search common ja", "確認", Some("確認")),
        search("search mid ja", "請求書", Some("請求書")),
        search("search rare ja", "ダウングレード", Some("ダウングレード")),
        search("search rare number", &order, Some(&order)),
        search("search en", "invoice", Some("invoice")),
        search(
            "search phrase",
            "\"tracking number\"",
            Some("\"tracking number\""),
        ),
        search("search one char", "傷", Some("傷")),
        search("search operators", "label:請求 status:open", None),
        search(
            "search from:domain + word",
            &format!("from:{domain} 返金"),
            Some(&format!("from:{domain} and 返金")),
        ),
    ])
}

/// Exports the Maildir, runs `notmuch new`, and times every case as commands.
fn compare_notmuch(
    a: &SearchBenchArgs,
    dir: &Path,
    cases: &[Case],
    header: &mut Vec<String>,
) -> Result<Vec<Measurement>> {
    let maildir = dir.join("maildir");
    let store = Store::open(&dir.join("hako.db"))?;
    let started = Instant::now();
    let n = export_maildir(&store, &maildir)?;
    drop(store);
    header.push(format!(
        "maildir:   {n} messages exported in {:.1} s ({:.0} MiB)",
        started.elapsed().as_secs_f64(),
        dir_size(&maildir.join("cur")) as f64 / MIB
    ));
    let nm_config = dir.join("notmuch-config");
    let nm_db = dir.join("notmuch-db");
    let _ = std::fs::remove_dir_all(&nm_db);
    std::fs::create_dir_all(&nm_db)?;
    std::fs::write(
        &nm_config,
        format!(
            "[database]\npath={}\nmail_root={}\n[user]\nname=bench\nprimary_email=bench@hako.example\n\
             [new]\ntags=inbox;\n[maildir]\nsynchronize_flags=false\n",
            nm_db.display(),
            maildir.display()
        ),
    )?;
    let notmuch = |args: &[&str]| {
        let mut c = Command::new("notmuch");
        c.args(args)
            .env("NOTMUCH_CONFIG", &nm_config)
            // Xapian indexes CJK text as n-grams only when asked; without it a Japanese
            // sentence is one term and no Japanese word is found.
            .env("XAPIAN_CJK_NGRAM", "1");
        c
    };
    let started = Instant::now();
    let out = notmuch(&["new", "--quiet"])
        .output()
        .context("run notmuch new")?;
    if !out.status.success() {
        bail!("notmuch new: {}", String::from_utf8_lossy(&out.stderr));
    }
    let nm_secs = started.elapsed().as_secs_f64();
    header.push(format!(
        "notmuch:   `notmuch new` indexed {n} messages in {nm_secs:.1} s = {:.0} messages/s; \
         database {:.1} KiB per 1k messages (XAPIAN_CJK_NGRAM=1, synchronize_flags=false)",
        n as f64 / nm_secs,
        du(&nm_db) as f64 / 1024.0 / (n as f64 / 1000.0)
    ));
    let version = notmuch(&["--version"]).output()?;
    header.push(format!(
        "timing:    commands, {} runs each after a warm-up; hako --json --limit, notmuch \
         search --output=threads --limit; {}",
        a.cli_iterations,
        String::from_utf8_lossy(&version.stdout).trim()
    ));
    let exe = std::env::current_exe()?;
    let toml = dir.join("hako.toml");
    std::fs::write(
        &toml,
        format!("data_dir = {:?}\n", dir.display().to_string()),
    )?;
    let hako = |args: &[String]| {
        let mut c = Command::new(&exe);
        c.arg("--config").arg(&toml).args(args);
        c
    };
    let mut out = vec![];
    for c in cases {
        let (args, limit): (Vec<String>, usize) = match &c.hako {
            Query::History(_, who) => (
                vec![
                    "history".into(),
                    who.clone(),
                    "--json".into(),
                    "--limit".into(),
                    HISTORY_LIMIT.to_string(),
                ],
                HISTORY_LIMIT as usize,
            ),
            Query::Search(q) => (
                vec![
                    "search".into(),
                    q.clone(),
                    "--json".into(),
                    "--limit".into(),
                    SEARCH_LIMIT.to_string(),
                ],
                SEARCH_LIMIT,
            ),
        };
        let count_json = |o: &std::process::Output| {
            serde_json::from_slice::<Vec<serde_json::Value>>(&o.stdout)
                .map_or(0, |v| v.len() as u64)
        };
        out.push(time(
            &format!("hako   {}", c.name),
            "command",
            None,
            a.cli_iterations,
            count_json,
            || run_ok(hako(&args)),
        )?);
        let Some(q) = &c.notmuch else { continue };
        let limit_arg = format!("--limit={limit}");
        let found = notmuch(&["count", "--output=threads", q]).output()?;
        let mut m = time(
            &format!("notmuch {}", c.name),
            "command",
            None,
            a.cli_iterations,
            |_: &std::process::Output| 0,
            || run_ok(notmuch(&["search", "--output=threads", &limit_arg, q])),
        )?;
        m.rows = String::from_utf8_lossy(&found.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        out.push(m);
    }
    Ok(out)
}

fn run_ok(mut c: Command) -> Result<std::process::Output> {
    let o = c.output().with_context(|| format!("run {c:?}"))?;
    if !o.status.success() {
        bail!("{c:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
    Ok(o)
}

/// Bytes under a folder, recursively.
fn du(p: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(p) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => du(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
