//! The W3C WebDriver wire protocol (<https://www.w3.org/TR/webdriver2/>) as chromedriver
//! speaks it: JSON over HTTP, every reply `{"value": …}`, errors as
//! `{"value": {"error", "message", "stacktrace"}}` with a 4xx/5xx status (§6.6).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::{BrowserError, http};

/// The key of a web element reference in JSON (W3C WebDriver §12.1).
pub(crate) const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Bounds every call; a page load gives up earlier (see `PAGE_LOAD_MS`).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
const PAGE_LOAD_MS: u64 = 30_000;
const SCRIPT_MS: u64 = 10_000;

/// Chromium's command line. `--proxy-server` points at a closed loopback port: Chromium
/// never proxies loopback addresses, so pages on 127.0.0.1 load normally, while any request
/// to another host fails at once with `ERR_PROXY_CONNECTION_FAILED` instead of leaving the
/// machine or hanging a page load. The request is still logged (see `network.rs`).
const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--proxy-server=http://127.0.0.1:1",
];

/// Sends one command and returns the reply's `value`, or the WebDriver error it carries.
pub(crate) fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, BrowserError> {
    // Errors name the command without the session id: `POST element/…/click`.
    let shown = match path
        .strip_prefix("/session/")
        .and_then(|p| p.split_once('/'))
    {
        Some((_session, rest)) => rest,
        None => path,
    };
    let command = || format!("{method} {shown}");
    let bytes = body.map(|b| b.to_string().into_bytes());
    let reply =
        http::request(addr, method, path, bytes.as_deref(), CALL_TIMEOUT).map_err(|source| {
            BrowserError::Http {
                command: command(),
                source,
            }
        })?;
    let mut json: Value =
        serde_json::from_slice(&reply.body).map_err(|e| BrowserError::Protocol {
            command: command(),
            detail: format!(
                "HTTP {}: {e}: {}",
                reply.status,
                String::from_utf8_lossy(&reply.body)
            ),
        })?;
    let value = json
        .get_mut("value")
        .map(Value::take)
        .unwrap_or(Value::Null);
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        return Err(BrowserError::WebDriver {
            command: command(),
            error: error.to_owned(),
            message: tidy_message(error, value["message"].as_str().unwrap_or_default()),
        });
    }
    if reply.status >= 400 {
        return Err(BrowserError::Protocol {
            command: command(),
            detail: format!("HTTP {} without an error: {value}", reply.status),
        });
    }
    Ok(value)
}

/// chromedriver repeats the error code and adds a "(Session info: chrome=…)" line.
fn tidy_message(error: &str, message: &str) -> String {
    let message = message
        .strip_prefix(error)
        .map_or(message, |m| m.trim_start_matches(": "));
    let lines: Vec<&str> = message
        .lines()
        .filter(|line| !line.trim_start().starts_with("(Session info:"))
        .collect();
    lines.join("\n").trim().to_owned()
}

/// Creates a session running `chromium` headless with performance (network) logging on;
/// returns its id and the capabilities chromedriver reports.
pub(crate) fn new_session(
    addr: SocketAddr,
    chromium: &Path,
) -> Result<(String, Value), BrowserError> {
    let capabilities = json!({
        "capabilities": { "alwaysMatch": {
            "pageLoadStrategy": "normal",
            "timeouts": { "implicit": 0, "pageLoad": PAGE_LOAD_MS, "script": SCRIPT_MS },
            "goog:loggingPrefs": { "performance": "ALL" },
            "goog:chromeOptions": {
                "binary": chromium,
                "args": CHROMIUM_ARGS,
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            },
        }}
    });
    let mut reply = call(addr, "POST", "/session", Some(&capabilities)).map_err(|e| match e {
        BrowserError::WebDriver { error, message, .. } => BrowserError::Session { error, message },
        other => other,
    })?;
    let id = reply["sessionId"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| BrowserError::Protocol {
            command: "POST /session".into(),
            detail: format!("no sessionId in {reply}"),
        })?;
    Ok((id, reply["capabilities"].take()))
}

/// The element id in a web element reference.
pub(crate) fn element_id(reference: &Value) -> Option<&str> {
    reference.get(ELEMENT_KEY).and_then(Value::as_str)
}

/// `{"using": "css selector", "value": css}` (W3C WebDriver §12.3).
pub(crate) fn css(selector: &str) -> Value {
    json!({ "using": "css selector", "value": selector })
}
