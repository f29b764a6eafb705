//! `hako bench outbox`: replies through the outbox to a real SMTP server (the local Postfix of
//! `scripts/mail-servers`), issue 5 point 10. In a fresh data folder with one inbox, replies
//! are composed and queued on the real path (`draft::prepare` + `Store::queue_reply`, undo
//! window 0) and sent by the real worker (`OutboxWorker::flush`), which marks a row sent only
//! after the server's 250. Measured:
//!
//! - latency with an idle queue: one reply queued and flushed at a time, from just before
//!   composing to `flush` returning, and its parts (compose + queue, flush), beside one SMTP
//!   transaction alone (`send::Transport::send`, no store);
//! - throughput: N replies queued, then `flush` called until nothing is due; only the drain
//!   is timed.
//!
//! Every reply must come back `sent`: a retry or a failure is an error, not a slow number.

use anyhow::{Context, Result, bail, ensure};
use hako_config::Config;
use hako_domain::{Actor, Channel, Direction, EmailAddress, Participant, Status, TicketNumber};
use hako_outbound::draft::{self, DraftOptions, ReplyRequest};
use hako_outbound::send::{Attempt, Transport};
use hako_outbound::worker::{FlushReport, OutboxWorker};
use hako_store::outbox::{NewReply, OutboxState};
use hako_store::{CustomerRef, Expect, NewMessage, NewTicket, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::Machine;
use super::search::TempDir;

/// Customers that exist in the local Dovecot (Postfix refuses unknown users of the domain).
const CUSTOMERS: [(&str, &str); 3] = [
    ("taro@customer.test", "山田 太郎"),
    ("alice@customer.test", "Alice Smith"),
    ("bob@customer.test", "Bob Jones"),
];
/// Untimed latency runs first: the first connection, the page cache, the signing key.
const WARMUPS: u32 = 3;

#[derive(clap::Args)]
pub struct OutboxBenchArgs {
    /// Replies drained in the throughput run.
    #[arg(long, default_value_t = 1_000)]
    pub messages: u32,
    /// Timed single replies with an idle queue (after 3 warm-ups).
    #[arg(long, default_value_t = 50)]
    pub latency_runs: u32,
    /// Pause between latency runs, so Postfix has handed the last one to Dovecot.
    #[arg(long, default_value_t = 200)]
    pub pause_ms: u64,
    /// The SMTP server: the local Postfix of scripts/mail-servers (no TLS, no AUTH).
    #[arg(long, default_value = "127.0.0.1")]
    pub smtp_host: String,
    #[arg(long, env = "HAKO_SMTP_PORT", default_value_t = 10025)]
    pub smtp_port: u16,
    /// In every subject, so the delivered mail can be found and removed afterwards.
    #[arg(long)]
    pub marker: Option<String>,
    /// Data folder, kept afterwards. Default: a temporary folder, removed afterwards.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

/// p50, p95 and max of one step, in ms.
struct Spread {
    p50: f64,
    p95: f64,
    max: f64,
}

impl Spread {
    fn of(mut ms: Vec<f64>) -> Spread {
        ms.sort_by(f64::total_cmp);
        // Nearest rank, as the other benchmarks.
        let pct = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Spread {
            p50: pct(0.50),
            p95: pct(0.95),
            max: ms[ms.len() - 1],
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(a: &OutboxBenchArgs) -> Result<()> {
    ensure!(
        a.latency_runs > 0 && a.messages > 0,
        "--messages and --latency-runs must be at least 1"
    );
    let machine = Machine::detect();
    let load_before = load_average();
    let marker = a
        .marker
        .clone()
        .unwrap_or_else(|| format!("hako-bench-outbox-{}", std::process::id()));
    let (_temp, dir) = match &a.keep {
        Some(d) => (None, d.clone()),
        None => {
            let d = std::env::temp_dir().join(format!("hako-bench-outbox-{}", std::process::id()));
            (Some(TempDir(d.clone())), d)
        }
    };
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
    let config = config(&dir, a)?;
    let db = crate::context::db_path(&config);
    let mut store = Store::open(&db).with_context(|| format!("open {}", db.display()))?;
    crate::context::sync_inboxes(&mut store, &config)?;

    let tickets = WARMUPS + a.latency_runs + a.messages;
    let started = Instant::now();
    let first = create_tickets(&mut store, &marker, tickets)?;
    let created = started.elapsed();

    let rt = crate::cmd::sync::runtime()?;
    // lettre's connection pool spawns on the runtime, also when it is dropped.
    let _in_runtime = rt.enter();
    let mut worker = OutboxWorker::new(Store::open(&db)?, config.clone());
    let mut next = first;
    let mut queue = |store: &mut Store| -> Result<NewReply> {
        let n = TicketNumber(next);
        next += 1;
        let req = request(store, n);
        let new = draft::prepare(store, &req)?;
        store.queue_reply(Actor::System, &new, Expect::Any)?;
        Ok(new)
    };

    // Latency: one reply at a time, the queue otherwise empty.
    let (mut total, mut compose, mut flush) = (vec![], vec![], vec![]);
    for run in 0..WARMUPS + a.latency_runs {
        std::thread::sleep(Duration::from_millis(a.pause_ms));
        let t0 = Instant::now();
        queue(&mut store)?;
        let t1 = Instant::now();
        let report = rt.block_on(worker.flush())?;
        let t2 = Instant::now();
        check(&report, 1).with_context(|| format!("latency run {}", run + 1))?;
        if run >= WARMUPS {
            total.push(ms(t2 - t0));
            compose.push(ms(t1 - t0));
            flush.push(ms(t2 - t1));
        }
    }
    // The same SMTP transaction without the store, for comparison (a reply composed again for
    // a ticket already answered, sent directly, never queued).
    let smtp = config.inbox[0].smtp.as_ref().context("no [inbox.smtp]")?;
    let transport = Transport::new(smtp).map_err(anyhow::Error::msg)?;
    let mut bare = vec![];
    for i in 0..a.latency_runs {
        std::thread::sleep(Duration::from_millis(a.pause_ms));
        let n = TicketNumber(first + i64::from(WARMUPS + i));
        let req = request(&store, n);
        let new = draft::prepare(&mut store, &req)?;
        let t0 = Instant::now();
        let attempt = rt.block_on(transport.send(&new.envelope_from, &new.recipients, &new.raw));
        bare.push(ms(t0.elapsed()));
        if let Attempt::Retry(e) | Attempt::Fail(e) = attempt {
            bail!("SMTP alone, run {}: {e}", i + 1);
        }
    }

    // Throughput: N replies queued (not timed), then drained.
    let started = Instant::now();
    let mut sizes = vec![];
    for _ in 0..a.messages {
        sizes.push(queue(&mut store)?.raw.len() as f64);
    }
    let queued = started.elapsed();
    let started = Instant::now();
    let (mut flushes, mut sent, mut drained) = (0, 0, Duration::ZERO);
    loop {
        let report = rt.block_on(worker.flush())?;
        check(&report, report.sent)?;
        if report.sent == 0 {
            break;
        }
        flushes += 1;
        sent += report.sent;
        drained = started.elapsed();
    }
    ensure!(
        sent == u64::from(a.messages),
        "throughput: {sent} of {} replies sent",
        a.messages
    );
    let rows = store.outbox(true)?;
    let not_sent: Vec<String> = rows
        .iter()
        .filter(|o| o.state != OutboxState::Sent)
        .map(|o| format!("outbox {} ({:?}): {:?}", o.id, o.state, o.last_error))
        .collect();
    let expected = (WARMUPS + a.latency_runs + a.messages) as usize;
    if rows.len() != expected || !not_sent.is_empty() {
        bail!(
            "{} outbox rows for {expected} replies; not sent: {}",
            rows.len(),
            not_sent.join("; ")
        );
    }

    let mut header = machine.header();
    header.push(format!(
        "load:      {} before, {} after (1-minute load average, {} cores)",
        load_before,
        load_average(),
        machine.cores
    ));
    header.push(format!(
        "server:    {}:{}, security none, no AUTH (the Postfix of scripts/mail-servers; \
         delivery to Dovecot by LMTP happens after its 250 and is not timed)",
        a.smtp_host, a.smtp_port
    ));
    header.push(format!(
        "data:      fresh data folder, 1 inbox, {tickets} tickets (customers taro, alice, bob \
         @customer.test) created in {:.1} s; subjects carry `{marker}`",
        created.as_secs_f64()
    ));
    let size = Spread::of(sizes);
    header.push(format!(
        "replies:   `draft::prepare` + `Store::queue_reply`, undo window 0, by the operator \
         (no approval); UTF-8, {:.0} bytes p50 ({:.0} max); {} queued for the throughput run \
         in {:.2} s ({:.2} ms each, not in the drain time)",
        size.p50,
        size.max,
        a.messages,
        queued.as_secs_f64(),
        ms(queued) / f64::from(a.messages.max(1))
    ));
    header.push(format!(
        "rows:      all {expected} outbox rows `sent` afterwards ({} latency runs + {WARMUPS} \
         warm-ups + {} throughput; the {} SMTP-alone sends are not outbox rows)",
        a.latency_runs, a.messages, a.latency_runs
    ));
    for line in &header {
        // A Markdown list, so `scripts/bench-outbox --record` can paste it as it is.
        println!("- {line}");
    }
    println!(
        "\nThroughput: {} replies queued, then `OutboxWorker::flush()` until nothing is due \
         (at most 200 per call); only the drain is timed:\n",
        a.messages
    );
    println!("| replies | flush calls | drain s | replies/s | ms per reply | all sent |");
    println!("|--------:|------------:|--------:|----------:|-------------:|:---------|");
    let secs = drained.as_secs_f64();
    println!(
        "| {:>7} | {:>11} | {:>7.2} | {:>9.1} | {:>12.2} | yes      |",
        sent,
        flushes,
        secs,
        sent as f64 / secs,
        1000.0 * secs / sent as f64
    );
    println!(
        "\nLatency with an idle queue: {} runs after {WARMUPS} warm-ups, {} ms apart; each \
         queues one reply due now and calls `flush()`, which returns after the server's 250 \
         and the row marked sent:\n",
        a.latency_runs, a.pause_ms
    );
    println!(
        "| step                                                     |   p50 ms |   p95 ms |   max ms |"
    );
    println!(
        "|----------------------------------------------------------|---------:|---------:|---------:|"
    );
    for (name, s) in [
        (
            "send → 250: `prepare` … `flush()` returns",
            Spread::of(total),
        ),
        (
            "compose + queue (`prepare` + `queue_reply`)",
            Spread::of(compose),
        ),
        (
            "`flush()`: due query, claim, SMTP, mark sent",
            Spread::of(flush),
        ),
        ("SMTP alone (`Transport::send`, no store)", Spread::of(bare)),
    ] {
        let pad = 56 - name.chars().count();
        println!(
            "| {name}{} | {:>8.2} | {:>8.2} | {:>8.2} |",
            " ".repeat(pad),
            s.p50,
            s.p95,
            s.max
        );
    }
    Ok(())
}

/// The bench's config, parsed like a real `hako.toml`.
fn config(dir: &std::path::Path, a: &OutboxBenchArgs) -> Result<Config> {
    let text = format!(
        "data_dir = {:?}\n\
         [outbox]\nundo_seconds = 0\n\
         [[inbox]]\nname = \"support\"\naddress = \"support@example.test\"\n\
         display_name = \"Example サポート\"\n\
         signature = \"--\\nExample サポート窓口\\nsupport@example.test\"\n\
         [inbox.smtp]\nhost = {:?}\nport = {}\nsecurity = \"none\"\n",
        dir.display().to_string(),
        a.smtp_host,
        a.smtp_port
    );
    Ok(Config::from_toml_str(&text, "(bench outbox)", [])?)
}

/// `count` tickets, each opened by a customer's mail; returns the first ticket's number.
fn create_tickets(store: &mut Store, marker: &str, count: u32) -> Result<i64> {
    let inbox = store.inbox_by_name("support")?.id;
    let mut first = None;
    for i in 0..count {
        let (address, name) = CUSTOMERS[i as usize % CUSTOMERS.len()];
        let subject = format!("{marker} #{i} 配送日の確認");
        let from = Participant {
            name: Some(name.to_string()),
            address: address.to_string(),
        };
        let mut message = NewMessage::text(
            Direction::Incoming,
            Some(from),
            &subject,
            "お世話になっております。\n先週注文した商品の配送日を教えてください。\n",
        );
        message.message_id = Some(format!("{marker}-{i}@customer.test"));
        let t = store.create_ticket(
            Actor::System,
            &NewTicket {
                inbox,
                customer: CustomerRef {
                    address: Some(EmailAddress::parse(address)?),
                    name: Some(name.to_string()),
                },
                subject,
                channel: Channel::Email,
                message,
                assignee: None,
                labels: vec![],
                status: Status::Open,
            },
        )?;
        first.get_or_insert(t.number.0);
    }
    first.context("no tickets")
}

fn request(store: &Store, n: TicketNumber) -> ReplyRequest<'static> {
    ReplyRequest {
        ticket: n,
        author: None,
        body: "お問い合わせいただきありがとうございます。\n\
               ご注文の商品は明日発送の予定です。発送後に追跡番号をお知らせいたします。\n\
               今しばらくお待ちくださいませ。\n"
            .to_string(),
        options: DraftOptions::default(),
        send_at: store.now(),
        retry_for: chrono::Duration::hours(48),
        status_after: Some(Status::Pending { reason: None }),
        automatic: false,
    }
}

/// Nothing may be retried or fail; `sent` replies must have gone out.
fn check(r: &FlushReport, sent: u64) -> Result<()> {
    if r.retrying > 0 || r.failed > 0 || r.sent != sent {
        bail!(
            "flush: {} sent (expected {sent}), {} to retry, {} failed: {}",
            r.sent,
            r.retrying,
            r.failed,
            r.errors.join("; ")
        );
    }
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}
