//! What the browser tests stand on: a fresh hako with real mail servers and tickets made
//! from delivered mail, `hako serve` as a child process, and waiting for what a page shows.

use crate::common::Hako;
use hako_testkit::browser::Browser;
use hako_testkit::{block_on, mail_servers};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

pub const SATO: &str = "sato@example.test";
const SATO_PASSWORD: &str = "sato-password-1";

/// A fresh data folder and config: support@ reading a fresh IMAP folder, replies through the
/// local Postfix, a short undo window, agent 佐藤 in the support inbox and a label 請求.
/// `mails` are in the folder before the first `hako sync --once`, which turns them into
/// tickets.
pub fn hako(folder: &str, mails: Vec<Vec<u8>>) -> Hako {
    let s = mail_servers();
    block_on(s.imap_fresh_folder("support@example.test", folder, &mails, None)).unwrap();
    // undo_seconds = 2, not 1: the page drawn right after 送信 must still show the reply
    // waiting even on a busy machine; `hako serve` sends it within ~2 s after that.
    let h = Hako::init_with(&crate::common::support_config(folder, 2));
    h.ok_env(
        &[
            "user", "add", "--email", SATO, "--name", "佐藤", "--inbox", "support",
        ],
        &[("HAKO_USER_PASSWORD", SATO_PASSWORD)],
    );
    h.ok(&["label", "add", "請求"]);
    h.ok(&["sync", "--once"]);
    h
}

/// A customer's mail; `html` makes the body `text/html`.
pub fn customer_mail(
    from: &str,
    message_id: &str,
    subject: &str,
    in_reply_to: Option<&str>,
    body: &str,
    html: bool,
) -> Vec<u8> {
    let refs = in_reply_to
        .map(|r| format!("In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n"))
        .unwrap_or_default();
    let kind = if html { "html" } else { "plain" };
    format!(
        "From: {from}\r\nTo: support@example.test\r\nSubject: {}\r\n\
         Message-ID: <{message_id}>\r\n{refs}Date: Wed, 25 Nov 2026 10:00:00 +0900\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/{kind}; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        hako_corpus::encoded_header(subject)
    )
    .into_bytes()
}

/// The ticket number of each subject, from `hako tickets list`.
pub fn number_of(h: &Hako, subject: &str) -> i64 {
    let list = h.json(&["tickets", "list", "--status", "all", "--json"]);
    let found = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == subject)
        .unwrap_or_else(|| panic!("no ticket {subject:?} in {list}"));
    found["number"].as_i64().unwrap()
}

/// `hako serve` as a child process: killed and reaped on drop (also when a test panics, and
/// then its log is printed).
pub struct Serve {
    child: Child,
    /// The web UI, e.g. `http://127.0.0.1:43567`, as `hako serve` logs it.
    pub url: String,
    log: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `hako serve` on a free port (the test helper sets `HAKO_WEB__LISTEN` to
    /// `127.0.0.1:0`) and waits for the "web UI: URL" line; the port is bound by then.
    pub fn start(h: &Hako) -> Serve {
        let mut child = h
            .command(&["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some((_, url)) = line.split_once("web UI: ") {
                    let _ = tx.send(url.trim().to_owned());
                }
                let mut log = lines.lock().unwrap_or_else(|e| e.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut serve = Serve {
            child,
            url: String::new(),
            log,
        };
        serve.url = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("hako serve logged no web UI address"));
        serve
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// What `hako serve` has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
            eprintln!("hako serve's log:\n{log}");
        }
    }
}

/// The text of the first element matching `css` once `ok` accepts it, polling (a click
/// that submits a form returns before the next page is there); panics saying what was
/// `wanted` and the last text seen.
fn text_when(
    b: &Browser,
    css: &str,
    wait: Duration,
    wanted: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + wait;
    let mut last = None;
    loop {
        // Errors (a stale element while the page changes) count as "not yet".
        if let Ok(Some(e)) = b.find_all(css).map(|v| v.into_iter().next())
            && let Ok(t) = e.text()
        {
            if ok(&t) {
                return t;
            }
            last = Some(t);
        }
        if Instant::now() >= deadline {
            let url = b.current_url().unwrap_or_default();
            panic!("{css:?} on {url}: no text {wanted} after {wait:?}; last seen {last:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub const WAIT: Duration = Duration::from_secs(5);

pub fn text_is(b: &Browser, css: &str, want: &str) -> String {
    text_when(b, css, WAIT, &format!("{want:?}"), |t| t.trim() == want)
}

pub fn text_has(b: &Browser, css: &str, want: &str) -> String {
    text_when(b, css, WAIT, &format!("containing {want:?}"), |t| {
        t.contains(want)
    })
}

pub fn sign_in(b: &Browser, serve: &Serve) {
    sign_in_as(b, serve, SATO, SATO_PASSWORD, "佐藤");
}

/// Signs in as `email` and waits for the page header to show `name`.
pub fn sign_in_as(b: &Browser, serve: &Serve, email: &str, password: &str, name: &str) {
    b.goto(&serve.at("/login")).unwrap();
    b.find("input[name=email]")
        .unwrap()
        .send_keys(email)
        .unwrap();
    b.find("input[name=password]")
        .unwrap()
        .send_keys(password)
        .unwrap();
    b.find("form[action='/login'] button")
        .unwrap()
        .click()
        .unwrap();
    text_has(b, "header.top .who", name);
}
