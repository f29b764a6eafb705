//! `hako bench web`: prepares a data folder for the web UI benchmark (`scripts/bench-web`,
//! issue 6 point 9), which then runs `hako serve` on it and loads it with wrk. This command
//! does not serve or measure anything itself: it generates the store (`hako_store::synthetic`,
//! 100k tickets by default; reused when the folder already holds one), writes a `hako.toml`
//! with no inboxes (so `hako serve` runs only the web UI and its idle workers), signs in a
//! supervisor and the busiest agent by creating their sessions directly in the store (no
//! password, no argon2: sign-in is not what is measured), and picks the tickets whose pages
//! wrk rotates over.
//!
//! Stdout is shell assignments for `eval`; the Markdown header of the report goes to
//! `DIR/header.md`, the ticket paths to `DIR/tickets.txt`.

use anyhow::{Context, Result, ensure};
use hako_domain::{Agent, Role};
use hako_store::synthetic::{self, SyntheticSpec};
use hako_store::{Page, Sort, Store, TicketFilter};
use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use super::Machine;

/// How long the bench sessions live: longer than any run (the web UI's idle limit slides it).
const SESSION_HOURS: i64 = 12;

#[derive(clap::Args)]
pub struct WebBenchArgs {
    /// The data folder: hako.db (reused when it holds tickets), hako.toml, tickets.txt,
    /// header.md. Kept afterwards.
    #[arg(long, value_name = "DIR")]
    pub keep: PathBuf,
    /// Tickets to generate.
    #[arg(long, default_value_t = 100_000)]
    pub tickets: u64,
    /// Messages to generate [default: 5 per ticket].
    #[arg(long)]
    pub messages: Option<u64>,
    /// Ticket pages to rotate over: the newest tickets of the agent's inboxes with at least
    /// --min-messages messages.
    #[arg(long, default_value_t = 100)]
    pub ticket_urls: usize,
    /// The fewest messages a rotated ticket has.
    #[arg(long, default_value_t = 4)]
    pub min_messages: usize,
    /// Where `hako serve` will listen (written into hako.toml).
    #[arg(long, default_value = "127.0.0.1:8089")]
    pub listen: std::net::SocketAddr,
    /// Seed for the generated data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(a: &WebBenchArgs) -> Result<()> {
    let dir = std::path::absolute(&a.keep)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
    let db = dir.join("hako.db");
    let mut store = Store::open(&db).with_context(|| format!("open {}", db.display()))?;
    let mut header = Machine::detect().header();
    if store.stats()?.tickets == 0 {
        let spec = SyntheticSpec {
            tickets: a.tickets,
            messages: a.messages.unwrap_or(a.tickets * 5),
            seed: a.seed,
            ..SyntheticSpec::default()
        };
        let started = Instant::now();
        eprintln!("bench web: generating {} tickets …", spec.tickets);
        synthetic::generate(&mut store, &spec, &mut |_, _| {}).context("generate")?;
        header.push(format!(
            "generated: in {:.1} s (synthetic, seed {})",
            started.elapsed().as_secs_f64(),
            a.seed
        ));
    } else {
        header.push(format!("generated: reused {}", db.display()));
    }
    let stats = store.stats()?;
    header.push(format!(
        "data:      {}; database {:.0} MiB",
        super::data_summary(&stats),
        super::db_size(&db) as f64 / (1024.0 * 1024.0)
    ));

    let agents = store.agents()?;
    let supervisor = agents
        .iter()
        .find(|x| x.role == Role::Supervisor && x.active)
        .context("the generated team has no supervisor")?
        .clone();
    let busiest = store
        .agent_load()?
        .into_iter()
        .map(|l| l.agent)
        .find(|email| {
            agents
                .iter()
                .any(|x| x.email.as_str() == email && x.role == Role::Agent)
        })
        .context("the generated team has no agent holding tickets")?;
    let agent = store.agent_by_email(&busiest)?;
    let inbox_names: Vec<String> = store
        .inboxes()?
        .into_iter()
        .filter(|i| agent.inboxes.contains(&i.id))
        .map(|i| i.name)
        .collect();

    // What `/` shows by default: every visible inbox, open tickets, last activity first.
    let first_page = |who: &Agent| -> Result<(u64, String)> {
        let p = store.list_tickets(
            &TicketFilter {
                visible: who.visible_inboxes().map(<[_]>::to_vec),
                statuses: vec![hako_domain::StatusKind::Open],
                ..Default::default()
            },
            Sort::LastActivity,
            Page::default(),
        )?;
        let top = p.items.first().context("no open tickets to show")?;
        Ok((p.total, top.subject.clone()))
    };
    let (sup_total, sup_top) = first_page(&supervisor)?;
    let (agent_total, agent_top) = first_page(&agent)?;
    let label = most_used_label(&store)?;

    let tickets = pick_tickets(&store, &agent, a)?;
    ensure!(
        tickets.len() == a.ticket_urls,
        "found only {} tickets with {}+ messages in {}'s inboxes",
        tickets.len(),
        a.min_messages,
        agent.email
    );
    let mut paths = String::new();
    for t in &tickets {
        writeln!(paths, "/t/{}", t.number)?;
    }
    std::fs::write(dir.join("tickets.txt"), paths)?;
    let mut sorted: Vec<usize> = tickets.iter().map(|t| t.messages).collect();
    sorted.sort_unstable();
    header.push(format!(
        "sessions:  supervisor {} (every inbox: {sup_total} open tickets), agent {} (the \
         busiest; inboxes {}: {agent_total} open tickets); created directly in the store",
        supervisor.email,
        agent.email,
        inbox_names.join(", ")
    ));
    header.push(format!(
        "tickets:   {} ticket pages rotated (`/t/N`, the newest of {}'s inboxes with {}+ \
         messages): {}–{} messages, p50 {}",
        tickets.len(),
        agent.email,
        a.min_messages,
        sorted[0],
        sorted[sorted.len() - 1],
        sorted[sorted.len() / 2]
    ));
    std::fs::write(dir.join("header.md"), header.join("\n") + "\n")?;

    let config = dir.join("hako.toml");
    std::fs::write(
        &config,
        format!(
            "# Written by `hako bench web`: no inboxes, so `hako serve` runs only the web UI\n\
             # and its idle workers.\n\
             data_dir = {:?}\ntimezone = \"Asia/Tokyo\"\n[web]\nlisten = \"{}\"\n",
            dir.display().to_string(),
            a.listen
        ),
    )?;

    let now = store.now();
    let until = now + chrono::Duration::hours(SESSION_HOURS);
    let mut sessions = vec![];
    for who in [&supervisor, &agent] {
        // Only this run's sessions: earlier runs on a reused folder leave theirs behind.
        store.end_sessions(who.id)?;
        let id = random_hex()?;
        store.create_session(who.id, &id, &random_hex()?, until)?;
        sessions.push(id);
    }

    let vars = [
        ("CONFIG", config.display().to_string()),
        ("LISTEN", a.listen.to_string()),
        (
            "TICKETS_FILE",
            dir.join("tickets.txt").display().to_string(),
        ),
        ("HEADER_FILE", dir.join("header.md").display().to_string()),
        ("SUPERVISOR", supervisor.email.to_string()),
        ("SUPERVISOR_SESSION", sessions[0].clone()),
        ("SUPERVISOR_TOP", html_escape(&sup_top)),
        ("AGENT", agent.email.to_string()),
        ("AGENT_SESSION", sessions[1].clone()),
        ("AGENT_TOP", html_escape(&agent_top)),
        ("LABEL", label.clone()),
        ("LABEL_Q", url_encode(&label)),
        ("TICKET", tickets[0].number.to_string()),
        ("TICKET_SUBJECT", html_escape(&tickets[0].subject)),
    ];
    for (k, v) in vars {
        println!("{k}='{}'", v.replace('\'', r"'\''"));
    }
    Ok(())
}

/// A ticket whose page wrk requests.
struct Picked {
    number: i64,
    subject: String,
    messages: usize,
}

/// The newest tickets of the agent's inboxes with enough messages.
fn pick_tickets(store: &Store, agent: &Agent, a: &WebBenchArgs) -> Result<Vec<Picked>> {
    let page = store.list_tickets(
        &TicketFilter {
            visible: agent.visible_inboxes().map(<[_]>::to_vec),
            ..Default::default()
        },
        Sort::LastActivity,
        Page {
            limit: 5_000,
            offset: 0,
        },
    )?;
    let mut out = vec![];
    for t in page.items {
        if out.len() == a.ticket_urls {
            break;
        }
        let messages = store.ticket_detail(t.number)?.messages.len();
        if messages >= a.min_messages {
            out.push(Picked {
                number: t.number.0,
                subject: t.subject,
                messages,
            });
        }
    }
    Ok(out)
}

fn most_used_label(store: &Store) -> Result<String> {
    let mut best: Option<(String, u64)> = None;
    for l in store.labels()? {
        let f = TicketFilter {
            label: Some(l.id),
            statuses: vec![hako_domain::StatusKind::Open],
            ..Default::default()
        };
        let n = store
            .list_tickets(
                &f,
                Sort::LastActivity,
                Page {
                    limit: 0,
                    offset: 0,
                },
            )?
            .total;
        if best.as_ref().is_none_or(|(_, b)| n > *b) {
            best = Some((l.name, n));
        }
    }
    Ok(best.context("no labels")?.0)
}

/// A session id like the web UI's: 256 random bits, hex.
fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

/// As minijinja's HTML auto-escaping writes it, so the script can find the text in a page.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

fn url_encode(s: &str) -> String {
    s.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}
