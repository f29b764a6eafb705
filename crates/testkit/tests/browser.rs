//! Tests of the browser harness itself, against static pages from a tiny HTTP server in
//! this file. They need Debian's chromium and chromium-driver (`scripts/browser install`)
//! and fail, never skip, without them.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use hako_testkit::browser::{Browser, BrowserError, failure_dir};
use serde_json::json;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const WAIT: Duration = Duration::from_secs(5);

fn browser() -> Browser {
    Browser::start().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn typing_japanese_and_submitting_round_trips() {
    let b = browser();
    b.goto(&url("/form")).unwrap();
    let input = b.find("#q").unwrap();
    input.send_keys("消す").unwrap();
    input.clear().unwrap();
    let text = "請求書の再発行をお願いします（株式会社テスト・ｶﾀｶﾅ）";
    input.send_keys(text).unwrap();
    assert_eq!(input.property("value").unwrap(), text);
    b.find("#send").unwrap().click().unwrap();
    let echo = b.find("#echo").unwrap();
    assert_eq!(echo.text().unwrap(), text);
    assert_eq!(b.title().unwrap(), "受け取りました");
    assert!(b.current_url().unwrap().starts_with(&url("/echo?q=")));
    assert!(b.page_source().unwrap().contains(text));
}

#[test]
fn clicks_selects_scripts_and_alerts_work() {
    let b = browser();
    b.goto(&url("/click")).unwrap();
    let button = b.find("#press").unwrap();
    assert_eq!(
        button.attr("data-kind").unwrap().as_deref(),
        Some("primary")
    );
    assert_eq!(button.attr("missing").unwrap(), None);
    button.click().unwrap();
    b.wait_until(
        |b| {
            b.find("#out")
                .and_then(|e| e.text())
                .is_ok_and(|t| t == "押されました")
        },
        WAIT,
    )
    .unwrap();
    // find polls: #late appears 300 ms after the click.
    assert_eq!(b.find("#late").unwrap().text().unwrap(), "遅れて来た");
    assert_eq!(b.find_all("li").unwrap().len(), 3);
    let sum = b.execute(
        "return arguments[0] + arguments[1].length",
        &[json!(1), json!("二三")],
    );
    assert_eq!(sum.unwrap(), json!(3));
    let tag = b.execute("return arguments[0].tagName", &[button.to_arg()]);
    assert_eq!(tag.unwrap(), json!("BUTTON"));

    b.select_by_value("#status", "pending").unwrap();
    assert_eq!(b.find("#chosen").unwrap().text().unwrap(), "pending");
    let missing = b.select_by_value("#status", "nope").unwrap_err();
    assert!(
        matches!(missing, BrowserError::NoOption { .. }),
        "{missing}"
    );

    b.find("#ask").unwrap().click().unwrap();
    assert_eq!(b.accept_alert().unwrap(), "送信しますか？");
    assert_eq!(b.find("#answer").unwrap().text().unwrap(), "yes");
}

#[test]
fn find_times_out_naming_the_selector_and_page() {
    let b = browser();
    b.goto(&url("/click")).unwrap();
    b.set_find_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = b.find("#does-not-exist").unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let message = error.to_string();
    assert!(matches!(error, BrowserError::NotFound { .. }), "{message}");
    assert!(message.contains("#does-not-exist"), "{message}");
    assert!(message.contains(&url("/click")), "{message}");

    let error = b.find("p[").unwrap_err();
    assert!(error.to_string().contains("invalid selector"), "{error}");
    let error = b
        .wait_until(|_| false, Duration::from_millis(100))
        .unwrap_err();
    assert!(matches!(error, BrowserError::Timeout { .. }), "{error}");
}

#[test]
fn screenshot_writes_a_png() {
    let b = browser();
    b.goto(&url("/form")).unwrap();
    let path = std::env::temp_dir().join(format!("{}.png", hako_testkit::unique_token()));
    b.screenshot(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(bytes.starts_with(PNG_MAGIC));
    // IHDR: width and height of the 1280×900 window's viewport.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, 1280);
}

#[test]
fn reports_requests_to_outside_hosts_only() {
    let b = browser();
    b.goto(&url("/outside")).unwrap();
    let outside = "http://203.0.113.9/x.png";
    b.wait_until(
        |b| b.requests_to_outside_hosts().is_ok_and(|u| !u.is_empty()),
        WAIT,
    )
    .unwrap();
    assert_eq!(b.requests_to_outside_hosts().unwrap(), [outside]);
    let all = b.requested_urls().unwrap();
    for local in [url("/outside"), url("/pixel.png")] {
        assert!(all.contains(&local), "{local} not in {all:?}");
    }
}

#[test]
fn failure_guard_saves_screenshot_and_source_on_panic() {
    let b = browser();
    let name = hako_testkit::unique_token();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let _shot = b.failure_shot(&name);
        b.goto(&url("/form")).unwrap();
        panic!("deliberate failure");
    }));
    assert!(outcome.is_err());
    let png = failure_dir().join(format!("{name}-1.png"));
    let html = png.with_extension("html");
    assert_failure_files(&png, &html);

    // Without a panic the guard saves nothing.
    let quiet = hako_testkit::unique_token();
    drop(b.failure_shot(&quiet));
    assert!(!failure_dir().join(format!("{quiet}-1.png")).exists());
}

#[test]
fn browser_dropped_by_a_panic_saves_a_screenshot_named_after_the_test() {
    let test_name = thread::current().name().unwrap().replace("::", "-");
    let before = files_named(&test_name);
    let b = browser();
    let outcome = catch_unwind(AssertUnwindSafe(move || {
        b.goto(&url("/form")).unwrap();
        panic!("deliberate failure");
    }));
    assert!(outcome.is_err());
    let new: Vec<PathBuf> = files_named(&test_name)
        .difference(&before)
        .cloned()
        .collect();
    let png = new
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "png"));
    let png = png.unwrap_or_else(|| panic!("no new screenshot in {new:?}"));
    assert_failure_files(png, &png.with_extension("html"));
}

#[test]
fn drop_ends_chromium_and_chromedriver() {
    let b = browser();
    let caps = b.capabilities();
    let chromium_pid = caps["goog:processID"].as_u64().expect("goog:processID");
    let profile = PathBuf::from(caps["chrome"]["userDataDir"].as_str().expect("userDataDir"));
    assert!(Path::new(&format!("/proc/{chromium_pid}")).exists());
    drop(b);
    let deadline = Instant::now() + WAIT;
    while Path::new(&format!("/proc/{chromium_pid}")).exists() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !Path::new(&format!("/proc/{chromium_pid}")).exists(),
        "chromium still runs"
    );
    assert!(
        !profile.exists(),
        "profile {} left behind",
        profile.display()
    );
}

fn assert_failure_files(png: &Path, html: &Path) {
    let bytes = std::fs::read(png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    assert!(bytes.starts_with(PNG_MAGIC));
    let source = std::fs::read_to_string(html).unwrap();
    assert!(source.contains("お問い合わせ"), "{source}");
    std::fs::remove_file(png).unwrap();
    std::fs::remove_file(html).unwrap();
}

fn files_named(prefix: &str) -> HashSet<PathBuf> {
    let Ok(dir) = std::fs::read_dir(failure_dir()) else {
        return HashSet::new();
    };
    dir.filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect()
}

// ------------------------------------------------------------ the page server

fn url(path: &str) -> String {
    static BASE: OnceLock<String> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // One thread per connection: Chromium opens spare connections it may never use.
                thread::spawn(move || serve(stream));
            }
        });
        base
    });
    format!("{base}{path}")
}

fn serve(mut stream: TcpStream) {
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (status, body) = match page(path, query) {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", "not found".to_owned()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

fn page(path: &str, query: &str) -> Option<String> {
    let html = |title: &str, body: &str| {
        format!(
            "<!doctype html><html lang=ja><meta charset=utf-8><title>{title}</title><body>{body}</body></html>"
        )
    };
    Some(match path {
        "/form" => html(
            "お問い合わせ",
            r#"<h1>お問い合わせ</h1><form action="/echo" method="get">
               <input id="q" name="q"><button id="send" type="submit">送信</button></form>"#,
        ),
        "/echo" => {
            let q = query
                .strip_prefix("q=")
                .map(percent_decode)
                .unwrap_or_default();
            let q = q.replace('&', "&amp;").replace('<', "&lt;");
            html("受け取りました", &format!(r#"<p id="echo">{q}</p>"#))
        }
        "/click" => html(
            "クリック",
            r#"<button id="press" data-kind="primary" onclick="
                 document.getElementById('out').textContent = '押されました';
                 setTimeout(() => document.body.insertAdjacentHTML('beforeend',
                   '<p id=late>遅れて来た</p>'), 300)">押す</button>
               <p id="out">まだ</p><ul><li>1</li><li>2</li><li>3</li></ul>
               <select id="status" onchange="document.getElementById('chosen').textContent = this.value">
                 <option value="open">未対応</option><option value="pending">保留</option>
               </select><p id="chosen"></p>
               <button id="ask" onclick="document.getElementById('answer').textContent =
                 confirm('送信しますか？') ? 'yes' : 'no'">確認</button><p id="answer"></p>"#,
        ),
        "/outside" => html(
            "外部",
            r#"<img src="http://203.0.113.9/x.png"><img src="/pixel.png">"#,
        ),
        _ => return None,
    })
}

/// `application/x-www-form-urlencoded` value: `+` is a space, `%XX` a byte of UTF-8.
fn percent_decode(s: &str) -> String {
    let mut bytes = Vec::new();
    let mut input = s.bytes();
    while let Some(b) = input.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex: String = input.by_ref().take(2).map(char::from).collect();
                bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
            }
            _ => bytes.push(b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
