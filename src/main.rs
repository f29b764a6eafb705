//! `hako`: the command line over hako's operations, for admins and scripts. Every command
//! takes `--config FILE`; read commands take `--json`; errors print one line naming the
//! object and what is wrong, and exit non-zero.

mod bench;
mod cmd;
mod connection_test;
mod context;
mod data_lock;
mod indexer;
mod live;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "hako",
    version,
    about = "hako (箱): shared-inbox ticketing for support teams"
)]
struct Cli {
    /// Config file [default: $HAKO_CONFIG, else config/hako.toml].
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Act as this agent (email); recorded in the audit log. Default: the system.
    #[arg(long = "as", global = true, value_name = "EMAIL", env = "HAKO_ACTOR")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the data folder and database, sync inboxes from the config, add the first admin.
    Init(cmd::init::InitArgs),
    /// Team members: add, list, away and back, set a password.
    #[command(subcommand)]
    User(cmd::user::UserCmd),
    /// Labels: add, list.
    #[command(subcommand)]
    Label(cmd::label::LabelCmd),
    /// Customers: show one with their tickets, link their addresses.
    #[command(subcommand)]
    Contact(cmd::contact::ContactCmd),
    /// Inboxes as synced from the config, and how each assigns new tickets.
    #[command(subcommand)]
    Inbox(cmd::label::InboxCmd),
    /// Rules for new mail: add, list, show, edit, move, enable, disable, delete, test.
    #[command(subcommand)]
    Rule(cmd::rule::RuleCmd),
    /// Work on tickets: new, show, assign, take, label, status, snooze, split, merge, note.
    #[command(subcommand)]
    Ticket(cmd::ticket::TicketCmd),
    /// List tickets with filters.
    #[command(subcommand)]
    Tickets(cmd::tickets::TicketsCmd),
    /// Reports: weekly label counts.
    #[command(subcommand)]
    Report(cmd::report::ReportCmd),
    /// Counts of inboxes, tickets by status, messages and contacts, and who holds what.
    Stats(cmd::stats::StatsArgs),
    /// Fetch new mail from every IMAP folder once, then exit (for cron and tests).
    Sync(cmd::sync::SyncArgs),
    /// Run the IMAP workers (IDLE) and snooze wake-ups until stopped.
    Serve(cmd::sync::ServeArgs),
    /// Import mail from an mbox file, a Maildir or a folder of .eml files.
    Import(cmd::mail::ImportArgs),
    /// Mail kept aside because it could not be processed.
    #[command(subcommand)]
    Quarantine(cmd::mail::QuarantineCmd),
    /// Process quarantined mail again (after a fix or a raised limit).
    Reprocess(cmd::mail::ReprocessArgs),
    /// Reply to a ticket's customer through the outbox (sent after the undo window).
    Reply(cmd::reply::ReplyArgs),
    /// Replies waiting, retrying or failed: list, cancel, retry, flush.
    #[command(subcommand)]
    Outbox(cmd::reply::OutboxCmd),
    /// Reply templates: list, show, preview with a ticket, set from a file.
    #[command(subcommand)]
    Template(cmd::template::TemplateCmd),
    /// Full-text search (Japanese and English) with operators; results are tickets.
    Search(cmd::search::SearchArgs),
    /// Rebuild the search index from the database.
    Reindex(cmd::search::ReindexArgs),
    /// The search index: check it against the database.
    #[command(subcommand)]
    Index(cmd::search::IndexCmd),
    /// Everything a customer (an address, their contact, or a whole domain) ever sent.
    History(cmd::history::HistoryArgs),
    /// The audit log: the newest changes to tickets and to the team.
    Audit(cmd::audit::AuditArgs),
    /// Measure the store's queries on generated data (100k tickets by default).
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        quiet_on_closed_pipe();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of contexts, outermost first.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `hako tickets list --json | head` ends like any Unix tool when `head` stops reading,
/// instead of panicking in `println!` (Rust ignores SIGPIPE, so writes fail with EPIPE).
/// Not for `serve`: a client closing a socket must not end the server.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config.as_deref();
    let actor = cli.actor.as_deref();
    match cli.command {
        Command::Init(a) => cmd::init::run(config, &a),
        Command::Bench(a) => {
            // Benchmarks need no config; the team timezone only shapes the report weeks.
            let tz = context::load_config(config)
                .map(|c| c.timezone)
                .unwrap_or(chrono_tz::Tz::UTC);
            bench::run(&a, tz)
        }
        command => {
            use cmd::label::InboxCmd;
            let strict = !matches!(
                command,
                Command::Inbox(InboxCmd::List { .. } | InboxCmd::Revert { .. })
            );
            let mut ctx = context::Ctx::open(config, actor, strict)?;
            match command {
                Command::User(c) => cmd::user::run(&mut ctx, c),
                Command::Label(c) => cmd::label::run(&mut ctx, c),
                Command::Contact(c) => cmd::contact::run(&mut ctx, c),
                Command::Inbox(c) => cmd::label::run_inbox(&mut ctx, c),
                Command::Rule(c) => cmd::rule::run(&mut ctx, c),
                Command::Ticket(c) => cmd::ticket::run(&mut ctx, c),
                Command::Tickets(c) => cmd::tickets::run(&mut ctx, c),
                Command::Report(c) => cmd::report::run(&mut ctx, c),
                Command::Stats(a) => cmd::stats::run(&mut ctx, &a),
                Command::Audit(a) => cmd::audit::run(&mut ctx, &a),
                Command::History(a) => cmd::history::run(&mut ctx, &a),
                Command::Search(a) => cmd::search::search(&mut ctx, &a),
                Command::Reply(a) => cmd::reply::reply(&mut ctx, &a),
                Command::Template(c) => cmd::template::run(&mut ctx, c),
                Command::Outbox(c) => cmd::reply::outbox(&mut ctx, c),
                Command::Reindex(a) => cmd::search::reindex(&mut ctx, &a),
                Command::Index(c) => cmd::search::index_cmd(&mut ctx, c),
                Command::Sync(a) => cmd::sync::sync_once(&mut ctx, &a),
                Command::Serve(a) => cmd::sync::serve(&mut ctx, &a),
                Command::Import(a) => cmd::mail::import_cmd(&mut ctx, &a),
                Command::Quarantine(c) => cmd::mail::quarantine_cmd(&mut ctx, c),
                Command::Reprocess(a) => cmd::mail::reprocess_cmd(&mut ctx, &a),
                Command::Init(_) | Command::Bench(_) => unreachable!("handled above"),
            }
        }
    }
}
