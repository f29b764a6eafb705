//! The shared state of every request: the connection pool, the compiled pages, the search
//! index (read-only here; `hako serve`'s indexer writes it), the sign-in rate limiter and the
//! settings taken from the config.

use chrono_tz::Tz;
use hako_config::{Config, InboxConfig};
use hako_search::SearchIndex;
use hako_store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::WebError;
use crate::connection::ConnectionTester;
use crate::pool::Pool;
use crate::presence::Presence;
use crate::rate_limit::RateLimiter;
use crate::render::Pages;

/// Connections in the pool: enough for a team's pages while one request writes.
const POOL_SIZE: usize = 4;

/// What the web UI takes from the config.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The team's timezone: dates for users who chose none.
    pub timezone: Tz,
    /// `[web] public_url`: also an accepted origin for posts; https makes cookies `Secure`.
    pub public_url: Option<String>,
    /// `[outbox] undo_seconds`: how long a reply waits before it goes out (the Undo button).
    pub undo_seconds: u32,
    /// `[outbox] retry_hours`: how long temporary send failures are retried.
    pub retry_hours: u32,
    /// `[web] unanswered_hours`: the board lists customers waiting this long or longer.
    pub unanswered_hours: u32,
    /// The `[[inbox]]` tables, for the settings page (shown without passwords) and its
    /// connection test.
    pub inboxes: Vec<InboxConfig>,
}

impl Default for Settings {
    fn default() -> Settings {
        let web = hako_config::WebConfig::default();
        let outbox = hako_config::OutboxConfig::default();
        Settings {
            timezone: chrono_tz::UTC,
            public_url: None,
            undo_seconds: outbox.undo_seconds,
            retry_hours: outbox.retry_hours,
            unanswered_hours: web.unanswered_hours,
            inboxes: vec![],
        }
    }
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            timezone: config.timezone,
            public_url: config
                .web
                .public_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_string()),
            undo_seconds: config.outbox.undo_seconds,
            retry_hours: config.outbox.retry_hours,
            unanswered_hours: config.web.unanswered_hours,
            inboxes: config.inbox.clone(),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Cheap to clone: everything is behind one `Arc`.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub pool: Arc<Pool>,
    pub settings: Settings,
    pub pages: Pages,
    pub index: Option<SearchIndex>,
    pub limiter: RateLimiter,
    pub presence: Presence,
    /// Set by the binary (the web never speaks IMAP or SMTP itself); tests set a fake.
    pub tester: OnceLock<ConnectionTester>,
}

/// Where the database lives inside the data folder (the binary uses the same rule).
pub fn db_path(config: &Config) -> PathBuf {
    config.data_dir.join("hako.db")
}

impl AppState {
    /// Opens the database (migrating it) and the search index of `config`'s data folder. A
    /// search index that cannot be opened leaves search disabled (the page says so), not the UI.
    pub fn open(config: &Config) -> Result<AppState, WebError> {
        let index = SearchIndex::open(&config.data_dir.join("index")).ok();
        AppState::new(&db_path(config), Settings::from_config(config), index)
    }

    /// State over the database at `db`, for `open` and for tests.
    pub fn new(
        db: &Path,
        settings: Settings,
        index: Option<SearchIndex>,
    ) -> Result<AppState, WebError> {
        // Fails early (and migrates) before the pool opens its connections.
        drop(Store::open(db)?);
        Ok(AppState(Arc::new(Inner {
            pool: Arc::new(Pool::open(db.to_path_buf(), POOL_SIZE)?),
            settings,
            pages: Pages::new()?,
            index,
            limiter: RateLimiter::default(),
            presence: Presence::default(),
            tester: OnceLock::new(),
        })))
    }

    pub(crate) async fn db<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, WebError> + Send + 'static,
    {
        self.0.pool.run(f).await
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub(crate) fn search_index(&self) -> Option<&SearchIndex> {
        self.0.index.as_ref()
    }

    /// Installs what the inboxes page's "test the connection" button runs; only the first
    /// call counts. Without one, the page says the test is not available.
    pub fn set_connection_tester(&self, tester: ConnectionTester) {
        let _ = self.0.tester.set(tester);
    }

    pub(crate) fn connection_tester(&self) -> Option<&ConnectionTester> {
        self.0.tester.get()
    }
}
