//! `hako bench corpus`: writes the generated support mailbox of `hako-corpus` as a Maildir,
//! the input of the ingest benchmark (`scripts/bench-ingest`, BENCHMARKS.md). The same
//! `--messages` and `--seed` always give the same files.

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, TimeZone, Utc};
use hako_corpus::{CorpusSpec, generate, write_maildir};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct CorpusArgs {
    /// The Maildir to write (created; must not hold mail yet).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Mails to generate.
    #[arg(long, default_value_t = 10_000)]
    pub messages: u64,
    /// Seed: the same seed and size give the same mails.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Distinct customers [default: one per four mails].
    #[arg(long)]
    pub customers: Option<u64>,
    /// Our addresses the mail is sent to, the first most often [default: support@ and
    /// info@example.test].
    #[arg(long = "inbox", value_name = "ADDRESS")]
    pub inboxes: Vec<String>,
    /// Day the first mail arrives (UTC).
    #[arg(long, default_value = "2026-01-05")]
    pub start: NaiveDate,
    /// Days the mail arrives over.
    #[arg(long, default_value_t = 182)]
    pub days: u32,
}

pub fn run(a: &CorpusArgs) -> Result<()> {
    let cur = a.out.join("cur");
    if cur.is_dir() && std::fs::read_dir(&cur)?.next().is_some() {
        bail!(
            "{}: already holds mail; choose an empty folder",
            a.out.display()
        );
    }
    let mut spec = CorpusSpec::new(a.messages, a.seed);
    if let Some(n) = a.customers {
        spec.customers = n.max(1);
    }
    if !a.inboxes.is_empty() {
        spec.inboxes = a.inboxes.clone();
    }
    spec.start = Utc.from_utc_datetime(&a.start.and_hms_opt(0, 0, 0).expect("midnight"));
    spec.days = a.days.max(1);
    let started = Instant::now();
    let mut bytes = 0u64;
    let mails = generate(&spec).inspect(|m| bytes += m.len() as u64);
    let n = write_maildir(&a.out, mails).with_context(|| format!("write {}", a.out.display()))?;
    println!(
        "wrote {n} mails ({:.1} MiB, seed {}) to {} in {:.1} s",
        bytes as f64 / (1024.0 * 1024.0),
        a.seed,
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
