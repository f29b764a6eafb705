//! A real headless Chromium for the web UI tests, driven through Debian's `chromedriver`
//! with a small blocking W3C WebDriver client (<https://www.w3.org/TR/webdriver2/>) over
//! plain HTTP/1.1 on 127.0.0.1.
//!
//! Install the browser once with `scripts/browser install` (`scripts/test` does it). Without
//! it, [`Browser::start`] fails with an error saying so: browser tests fail, they never skip.
//!
//! ```no_run
//! use hako_testkit::browser::Browser;
//! # let base = "http://127.0.0.1:8080";
//! let browser = Browser::start().unwrap();
//! browser.goto(&format!("{base}/tickets")).unwrap();
//! browser.find("#search").unwrap().send_keys("請求書").unwrap();
//! browser.find("button[type=submit]").unwrap().click().unwrap();
//! browser.wait_until(|b| b.title().is_ok_and(|t| t.contains("請求書")),
//!                    std::time::Duration::from_secs(5)).unwrap();
//! assert!(browser.requests_to_outside_hosts().unwrap().is_empty());
//! ```
//!
//! **Screenshots on failure.** When a test panics while its [`Browser`] is alive, dropping
//! the browser saves a screenshot and the page source as `<name>-<n>.png` and `.html` in
//! [`failure_dir`] (`target/browser-failures/`), `<name>` being the test's name (libtest's
//! thread name) and `n` the first free number, and prints both paths on stderr, which
//! `cargo test` shows with the failure. For a more telling name, hold a guard over a step:
//! `let _shot = browser.failure_shot("reply form");` saves `reply-form-<n>.png` if a panic
//! unwinds through it (and then the browser does not save a second one).
//! [`Browser::save_failure_shot`] does the same on demand.
//!
//! **Network.** Chromium logs every request a page makes (performance log), and
//! [`Browser::requests_to_outside_hosts`] lists those to hosts other than loopback: an XSS
//! test asserts it is empty. Such requests never leave the machine: Chromium gets a proxy on
//! a closed loopback port, which loopback addresses bypass, so outside requests fail at once.
//!
//! A [`Browser`] is one chromedriver plus one Chromium with a fresh profile (under a second
//! to start, so one per test); dropping it ends the session, kills chromedriver and removes
//! their temp folder. Not `Sync`: one test thread drives one browser. Overrides for
//! machines without Debian's packages: `HAKO_CHROMEDRIVER` and `HAKO_CHROMIUM` (paths),
//! `HAKO_BROWSER_FAILURES` (folder).

mod driver;
mod element;
mod error;
mod failure;
mod http;
mod network;
mod webdriver;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use driver::Driver;
pub use element::Element;
pub use error::BrowserError;
pub use failure::{FailureShot, failure_dir};

/// How long [`Browser::find`] waits for an element unless [`Browser::set_find_timeout`].
pub const DEFAULT_FIND_TIMEOUT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// A headless Chromium session; see the module documentation.
pub struct Browser {
    session: String,
    capabilities: Value,
    find_timeout: Cell<Duration>,
    /// Every URL requested so far: reading the performance log empties it.
    requests: RefCell<Vec<String>>,
    pub(crate) shot_taken: Cell<bool>,
    // Last: dropped (killed) after `Drop::drop` ended the session.
    driver: Driver,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium in it.
    pub fn start() -> Result<Browser, BrowserError> {
        let driver = Driver::start(&env_path("HAKO_CHROMEDRIVER", "/usr/bin/chromedriver"))?;
        let chromium = env_path("HAKO_CHROMIUM", "/usr/bin/chromium");
        let (session, capabilities) = webdriver::new_session(driver.addr, &chromium)?;
        Ok(Browser {
            session,
            capabilities,
            find_timeout: Cell::new(DEFAULT_FIND_TIMEOUT),
            requests: RefCell::new(Vec::new()),
            shot_taken: Cell::new(false),
            driver,
        })
    }

    /// The capabilities chromedriver reported, e.g. `browserVersion`, `goog:processID`.
    pub fn capabilities(&self) -> &Value {
        &self.capabilities
    }

    /// Sets how long [`Browser::find`] polls before giving up.
    pub fn set_find_timeout(&self, timeout: Duration) {
        self.find_timeout.set(timeout);
    }

    /// Opens `url` and waits for its load event (at most 30 s).
    pub fn goto(&self, url: &str) -> Result<(), BrowserError> {
        match self.command("POST", "url", Some(&json!({ "url": url }))) {
            Err(BrowserError::WebDriver {
                command,
                error,
                message,
            }) if message.contains("ERR_PROXY_CONNECTION_FAILED") => Err(BrowserError::WebDriver {
                command,
                error,
                message: format!("{message} (the test browser reaches loopback hosts only)"),
            }),
            other => other.map(drop),
        }
    }

    pub fn current_url(&self) -> Result<String, BrowserError> {
        self.string("url")
    }

    pub fn title(&self) -> Result<String, BrowserError> {
        self.string("title")
    }

    /// The current DOM serialised as HTML (not the bytes the server sent).
    pub fn page_source(&self) -> Result<String, BrowserError> {
        self.string("source")
    }

    /// The first element matching `css`, polling until one appears or the find timeout
    /// (default 5 s) passes; the error names the selector and the page.
    pub fn find(&self, css: &str) -> Result<Element<'_>, BrowserError> {
        let started = Instant::now();
        loop {
            if let Some(found) = self.find_all(css)?.into_iter().next() {
                return Ok(found);
            }
            if started.elapsed() >= self.find_timeout.get() {
                return Err(BrowserError::NotFound {
                    selector: css.to_owned(),
                    url: self.url_for_error(),
                    waited: started.elapsed(),
                });
            }
            thread::sleep(POLL);
        }
    }

    /// Every element matching `css` now, in document order; no waiting.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element<'_>>, BrowserError> {
        let found = self.command("POST", "elements", Some(&webdriver::css(css)))?;
        Ok(Element::from_references(self, css, &found))
    }

    /// Picks the `<option>` with `value` in the `<select>` matching `css`, by clicking it as
    /// a user would (so `input` and `change` fire).
    pub fn select_by_value(&self, css: &str, value: &str) -> Result<(), BrowserError> {
        let select = self.find(css)?;
        for option in select.find_all("option")? {
            if option.property("value")? == value {
                return option.click();
            }
        }
        Err(BrowserError::NoOption {
            selector: css.to_owned(),
            value: value.to_owned(),
            url: self.url_for_error(),
        })
    }

    /// Polls `done` every 50 ms until it returns true or `timeout` passes.
    pub fn wait_until(
        &self,
        mut done: impl FnMut(&Browser) -> bool,
        timeout: Duration,
    ) -> Result<(), BrowserError> {
        let started = Instant::now();
        while !done(self) {
            if started.elapsed() >= timeout {
                return Err(BrowserError::Timeout {
                    what: "the wait_until condition".into(),
                    url: self.url_for_error(),
                    waited: started.elapsed(),
                });
            }
            thread::sleep(POLL);
        }
        Ok(())
    }

    /// Runs `js` as the body of a function in the page (`return` gives the result; the
    /// arguments are `arguments[0]`, …; pass elements with [`Element::to_arg`]).
    pub fn execute(&self, js: &str, args: &[Value]) -> Result<Value, BrowserError> {
        let body = json!({ "script": js, "args": args });
        self.command("POST", "execute/sync", Some(&body))
    }

    /// Saves a PNG of the viewport to `path`.
    pub fn screenshot(&self, path: impl AsRef<Path>) -> Result<(), BrowserError> {
        let path = path.as_ref();
        std::fs::write(path, self.screenshot_png()?).map_err(|source| BrowserError::Write {
            path: path.into(),
            source,
        })
    }

    /// Accepts the open `alert`/`confirm`, returning its text.
    pub fn accept_alert(&self) -> Result<String, BrowserError> {
        let text = self.string("alert/text")?;
        self.command("POST", "alert/accept", Some(&json!({})))?;
        Ok(text)
    }

    /// Every URL this browser requested so far (pages, images, scripts, fetches, sockets).
    pub fn requested_urls(&self) -> Result<Vec<String>, BrowserError> {
        let log = json!({ "type": "performance" });
        let entries = self.command("POST", "se/log", Some(&log))?;
        let mut requests = self.requests.borrow_mut();
        requests.extend(network::request_urls(&entries));
        Ok(requests.clone())
    }

    /// The requested URLs whose host is not 127.0.0.0/8, `localhost` or `::1`.
    pub fn requests_to_outside_hosts(&self) -> Result<Vec<String>, BrowserError> {
        let mut urls = self.requested_urls()?;
        urls.retain(|url| network::is_outside(url));
        Ok(urls)
    }

    /// A guard that saves a failure screenshot named `name` if a panic unwinds through it.
    pub fn failure_shot(&self, name: &str) -> FailureShot<'_> {
        FailureShot {
            browser: self,
            name: name.to_owned(),
        }
    }

    /// Saves `<failure_dir>/<name>-<n>.png` and `.html` now; returns their paths.
    pub fn save_failure_shot(&self, name: &str) -> Result<(PathBuf, PathBuf), BrowserError> {
        failure::save(self, name)
    }

    pub(crate) fn screenshot_png(&self) -> Result<Vec<u8>, BrowserError> {
        let encoded = self.string("screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| BrowserError::Protocol {
                command: "GET screenshot".into(),
                detail: format!("not base64: {e}"),
            })
    }

    /// A command of this session: `path` is relative to `/session/{id}/`.
    pub(crate) fn command(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, BrowserError> {
        let path = format!("/session/{}/{path}", self.session);
        webdriver::call(self.driver.addr, method, &path, body)
    }

    fn string(&self, path: &str) -> Result<String, BrowserError> {
        match self.command("GET", path, None)? {
            Value::String(s) => Ok(s),
            other => Err(BrowserError::Protocol {
                command: format!("GET {path}"),
                detail: format!("expected a string, got {other}"),
            }),
        }
    }

    fn url_for_error(&self) -> String {
        self.current_url()
            .unwrap_or_else(|e| format!("an unknown URL ({e})"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if thread::panicking() && !self.shot_taken.get() {
            let name = thread::current().name().unwrap_or("browser").to_owned();
            failure::save_and_report(self, &name);
        }
        let path = format!("/session/{}", self.session);
        let _ = webdriver::call(self.driver.addr, "DELETE", &path, None);
        // Chromium's main process exits a moment after the reply; its folder goes next (when
        // the driver drops). If chromedriver was dead already, nobody else ends Chromium.
        if let Some(pid) = self.capabilities["goog:processID"].as_u64() {
            let alive = || chromium_running(pid);
            let deadline = Instant::now() + Duration::from_secs(5);
            while alive() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            if alive() {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
    }
}

/// `pid` is a Chromium that has not exited: `/proc/<pid>/stat` is `pid (comm) state …`, and
/// an exited process not yet reaped is in state `Z`.
fn chromium_running(pid: u64) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let Some((name, rest)) = stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(") ")) else {
        return false;
    };
    name == "chromium" && !rest.starts_with('Z')
}

fn env_path(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| default.into(), PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_fail_with_the_install_hint() {
        let error = Driver::start(Path::new("/nonexistent/chromedriver"))
            .err()
            .unwrap();
        assert!(
            matches!(error, BrowserError::DriverMissing { .. }),
            "{error}"
        );
        assert!(
            error.to_string().contains("scripts/browser install"),
            "{error}"
        );

        // Needs the real chromedriver, like every browser test.
        let driver = Driver::start(Path::new("/usr/bin/chromedriver")).unwrap();
        let error = webdriver::new_session(driver.addr, Path::new("/nonexistent/chromium"))
            .err()
            .unwrap();
        assert!(matches!(error, BrowserError::Session { .. }), "{error}");
        assert!(
            error.to_string().contains("scripts/browser install"),
            "{error}"
        );
    }
}
