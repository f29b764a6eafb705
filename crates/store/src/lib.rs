//! hako's SQLite store. It owns the schema (numbered, forward-only migrations in the repo's
//! `migrations/` folder), every write operation on tickets — each one transaction that also
//! writes its audit events — and the read queries the UI, CLI and reports need.
//!
//! One `Store` is one connection. SQLite allows one writer at a time: operations take the
//! write lock at their start (`BEGIN IMMEDIATE`) and check the ticket's version inside it, so
//! two agents changing one ticket get a [`StoreError::Conflict`], never a lost update.

mod assignment;
mod codec;
mod contacts;
mod directory;
mod error;
mod inbox_settings;
mod index_feed;
pub mod ingest;
mod memo;
mod migrate;
mod ops;
pub mod outbox;
mod preferences;
mod queries;
mod report;
mod rules;
mod sessions;
mod stats;
pub mod synthetic;
mod team;
pub mod templates;
#[cfg(test)]
mod test_support;

pub use assignment::AssignmentCandidate;
pub use directory::{NewAgent, NewInbox};
pub use error::StoreError;
pub use inbox_settings::{EditedInbox, InboxEdit};
pub use index_feed::IndexDoc;
pub use ops::{Change, CustomerRef, Expect, NewMessage, NewTicket};
pub use preferences::Preferences;
pub use queries::{
    AgentLoad, AssigneeFilter, AuditEntry, History, HistoryEntry, HistoryOf, InboxCount, Page,
    Sort, TicketDetail, TicketFilter, TicketPage, TicketSummary, UnassignedCount, WaitingTicket,
};
pub use rules::{PlannedAction, RuleEntry, RuleTest};
pub use sessions::Session;
pub use stats::Stats;
pub use team::AgentUpdate;

use hako_domain::Timestamp;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where "now" comes from: the wall clock, or a fixed time in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Prepared statements each connection keeps (rusqlite's default: 16). The inbox view alone
/// uses about 15, and its filters are written into the SQL as literals (see
/// `queries::list::where_clause`), so each filter and each agent's set of inboxes is a
/// statement of its own; one evicted is compiled again at its next use.
const STATEMENT_CACHE: usize = 128;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    memo: RefCell<memo::Memo>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            source: e,
        })?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            clock: Arc::new(chrono::Utc::now),
            memo: RefCell::default(),
        };
        store.configure()?;
        migrate::run(&mut store.conn, &store.path)?;
        Ok(store)
    }

    /// A private in-memory database, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        Self::open(Path::new(":memory:"))
    }

    /// Replaces the clock (tests pin time to check snoozes and reports).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lets this connection keep up to `kib` KiB of database pages (SQLite's default: 2 MiB).
    /// For long-lived connections that read the same pages again and again, such as the web
    /// UI's: a page not in the cache is read from the OS and parsed again.
    pub fn set_page_cache(&self, kib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib}"))
            .map_err(StoreError::sql("set the page cache size"))
    }

    /// The schema version the database is at (the highest applied migration).
    pub fn schema_version(&self) -> Result<i64> {
        migrate::current_version(&self.conn)
    }

    /// WAL so readers never block the writer; NORMAL sync is durable across process crashes
    /// (only an OS crash can lose the last commits); a busy timeout so a second process
    /// waits for the write lock instead of failing at once.
    fn configure(&mut self) -> Result<()> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(StoreError::sql("configure the connection"))
    }

    /// Runs `f` in a write transaction taken at its start, committing only if `f` succeeds.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, Timestamp) -> Result<T>) -> Result<T> {
        let now = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sql("begin a write transaction"))?;
        let out = f(&tx, now)?;
        tx.commit()
            .map_err(StoreError::sql("commit a write transaction"))?;
        Ok(out)
    }

    fn read(&self) -> &Connection {
        &self.conn
    }
}
