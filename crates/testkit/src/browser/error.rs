//! The error type of the browser harness. Its `Debug` is its `Display`, so
//! `.unwrap()` and `-> Result` tests print a readable sentence rather than a struct dump.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

const INSTALL_HINT: &str = "run `scripts/browser install` (as root, once) to install Debian's \
                            chromium and chromium-driver";

/// Anything that can go wrong while driving the browser.
#[derive(thiserror::Error)]
pub enum BrowserError {
    /// No chromedriver binary where we look for it.
    #[error("cannot find chromedriver at {path}; {INSTALL_HINT}")]
    DriverMissing { path: PathBuf },
    /// chromedriver could not be spawned.
    #[error("cannot start {path}: {source}; {INSTALL_HINT}")]
    DriverSpawn {
        path: PathBuf,
        source: std::io::Error,
    },
    /// chromedriver exited, or its `/status` did not report ready in time.
    #[error(
        "chromedriver on 127.0.0.1:{port} not ready after {waited:?}: {detail}; {INSTALL_HINT}"
    )]
    DriverNotReady {
        port: u16,
        waited: Duration,
        detail: String,
    },
    /// chromedriver refused to create a session (usually: Chromium missing or crashing).
    #[error("cannot start Chromium: {error}: {message}; {INSTALL_HINT}")]
    Session { error: String, message: String },
    /// The HTTP exchange with chromedriver failed.
    #[error("chromedriver {command}: {source}")]
    Http {
        command: String,
        source: std::io::Error,
    },
    /// chromedriver answered something that is not a WebDriver reply.
    #[error("chromedriver {command}: unexpected reply: {detail}")]
    Protocol { command: String, detail: String },
    /// A WebDriver error reply (W3C WebDriver §6.6), e.g. `invalid selector`.
    #[error("{command}: {error}{}", colon_then(message))]
    WebDriver {
        command: String,
        error: String,
        message: String,
    },
    /// [`crate::browser::Browser::find`] found nothing before its timeout.
    #[error("no element matches {selector:?} on {url} (waited {waited:?})")]
    NotFound {
        selector: String,
        url: String,
        waited: Duration,
    },
    /// A select has no option with the wanted value.
    #[error("{selector:?} on {url} has no <option value={value:?}>")]
    NoOption {
        selector: String,
        value: String,
        url: String,
    },
    /// [`crate::browser::Browser::wait_until`] gave up.
    #[error("timed out after {waited:?} waiting for {what} on {url}")]
    Timeout {
        what: String,
        url: String,
        waited: Duration,
    },
    /// Writing a screenshot or page source failed.
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl BrowserError {
    /// Renames the command an error is about, e.g. to name an element by its selector.
    pub(crate) fn for_command(mut self, name: String) -> Self {
        match &mut self {
            BrowserError::Http { command, .. }
            | BrowserError::Protocol { command, .. }
            | BrowserError::WebDriver { command, .. } => *command = name,
            _ => {}
        }
        self
    }
}

fn colon_then(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl fmt::Debug for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
