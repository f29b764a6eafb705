//! The chromedriver process: spawned on a free 127.0.0.1 port, ready once its `/status`
//! says so (W3C WebDriver §8.3), killed and reaped on drop.
//!
//! chromedriver and Chromium run with `TMPDIR` set to a folder of their own, removed on
//! drop: chromedriver 156 leaves the profile it made for the session (`scoped_dir…`, tens
//! of MB) and Chromium its singleton folder in the temp folder when the session ends.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::BrowserError;
use super::webdriver;

const READY_TIMEOUT: Duration = Duration::from_secs(15);
/// Keep the tail of chromedriver's output for error messages, not all of it.
const OUTPUT_LIMIT: usize = 8 * 1024;

/// A running chromedriver.
pub(crate) struct Driver {
    child: Child,
    pub addr: SocketAddr,
    /// The `TMPDIR` of chromedriver and Chromium.
    temp: PathBuf,
}

impl Driver {
    /// Starts `path --port=N` and waits until it is ready for sessions. Tries another port
    /// if the one picked was taken in between (chromedriver then says "IPv4 port not
    /// available" and exits).
    pub fn start(path: &Path) -> Result<Driver, BrowserError> {
        if !path.is_file() {
            return Err(BrowserError::DriverMissing { path: path.into() });
        }
        let mut attempts = 1;
        loop {
            match Self::start_once(path) {
                Err(BrowserError::DriverNotReady { detail, .. })
                    if attempts < 3 && detail.contains("port not available") =>
                {
                    attempts += 1;
                }
                result => return result,
            }
        }
    }

    fn start_once(path: &Path) -> Result<Driver, BrowserError> {
        let port = free_port().map_err(|source| BrowserError::DriverSpawn {
            path: path.into(),
            source,
        })?;
        let temp = temp_dir().map_err(|source| BrowserError::DriverSpawn {
            path: path.into(),
            source,
        })?;
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .env("TMPDIR", &temp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = child.map_err(|source| {
            let _ = std::fs::remove_dir_all(&temp);
            BrowserError::DriverSpawn {
                path: path.into(),
                source,
            }
        })?;
        let output = Arc::new(Mutex::new(String::new()));
        drain(child.stdout.take(), &output);
        drain(child.stderr.take(), &output);
        let mut driver = Driver {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            temp,
        };
        driver.wait_ready(port, &output)?;
        Ok(driver)
    }

    fn wait_ready(&mut self, port: u16, output: &Mutex<String>) -> Result<(), BrowserError> {
        let started = Instant::now();
        let not_ready = |detail: &str| {
            let out = output.lock().unwrap_or_else(|e| e.into_inner());
            BrowserError::DriverNotReady {
                port,
                waited: started.elapsed(),
                detail: format!("{detail}; its output: {:?}", out.trim()),
            }
        };
        loop {
            if let Ok(status) = webdriver::call(self.addr, "GET", "/status", None)
                && status["ready"] == true
            {
                return Ok(());
            }
            if let Ok(Some(exit)) = self.child.try_wait() {
                thread::sleep(Duration::from_millis(50)); // let the drain threads catch up
                return Err(not_ready(&format!("it exited ({exit})")));
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(not_ready("/status never said ready"));
            }
            thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A Chromium helper still exiting may add a file while we delete: try again.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.temp).is_ok() || !self.temp.exists() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A new, empty folder `hako-browser-<pid>-<n>` in the system temp folder.
fn temp_dir() -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hako-browser-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => return other.map(|()| dir),
        }
    }
}

/// A port nobody listens on right now (the OS picks it; it may be taken again before
/// chromedriver binds it, hence the retry in [`Driver::start`]).
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Reads a pipe to its end on a thread, keeping the last [`OUTPUT_LIMIT`] bytes.
fn drain(pipe: Option<impl Read + Send + 'static>, into: &Arc<Mutex<String>>) {
    let Some(mut pipe) = pipe else { return };
    let into = Arc::clone(into);
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut buf) {
            let mut out = into.lock().unwrap_or_else(|e| e.into_inner());
            out.push_str(&String::from_utf8_lossy(&buf[..n]));
            if out.len() > OUTPUT_LIMIT {
                let cut = out.len() - OUTPUT_LIMIT;
                let cut = (cut..out.len())
                    .find(|&i| out.is_char_boundary(i))
                    .unwrap_or(0);
                out.drain(..cut);
            }
        }
    });
}
