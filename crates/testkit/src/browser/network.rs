//! Which URLs a page requested, from Chrome's performance log (the DevTools protocol's
//! `Network.requestWillBeSent` and `Network.webSocketCreated` events, which chromedriver
//! records when the session asks for `goog:loggingPrefs: {performance: "ALL"}`), and which
//! of them go to a host other than this machine: what an XSS test looks for.

use serde_json::Value;

/// The request URLs in a reply of `POST /session/{id}/se/log` with type `performance`, in
/// log order. Each entry's `message` is a JSON string `{"message": {"method", "params"}}`.
pub(crate) fn request_urls(entries: &Value) -> Vec<String> {
    let list = entries.as_array().map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .filter_map(|entry| entry["message"].as_str())
        .filter_map(|message| serde_json::from_str::<Value>(message).ok())
        .filter_map(|event| {
            let event = &event["message"];
            let url = match event["method"].as_str()? {
                "Network.requestWillBeSent" => &event["params"]["request"]["url"],
                "Network.webSocketCreated" => &event["params"]["url"],
                _ => return None,
            };
            url.as_str().map(str::to_owned)
        })
        .collect()
}

/// True when `url` names a host that is not this machine. URLs without a host (`data:`,
/// `blob:`, `about:`, `javascript:`) stay on the machine.
pub(crate) fn is_outside(url: &str) -> bool {
    host(url).is_some_and(|host| !is_loopback(&host))
}

/// The host of a URL with an authority (`scheme://[user@]host[:port]/…`), lowercased,
/// IPv6 without brackets.
fn host(url: &str) -> Option<String> {
    let (_scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    Some(host.to_ascii_lowercase())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tells_loopback_from_outside() {
        for local in [
            "http://127.0.0.1:8080/a",
            "http://127.1.2.3/",
            "http://localhost/",
            "https://LOCALHOST:3000",
            "http://hako.localhost/x",
            "http://[::1]:80/",
            "http://user:pw@127.0.0.1/",
            "data:image/png;base64,AAAA",
            "blob:http://127.0.0.1/uuid",
            "about:blank",
        ] {
            assert!(!is_outside(local), "{local}");
        }
        for outside in [
            "http://203.0.113.9/x.png",
            "https://example.com/?q=127.0.0.1",
            "http://127.0.0.1.evil.example/",
            "ws://10.0.0.1:9/",
            "http://[2001:db8::1]/",
            "http://127.0.0.1@203.0.113.9/",
        ] {
            assert!(is_outside(outside), "{outside}");
        }
    }

    #[test]
    fn reads_requests_and_websockets_from_the_log() {
        let event = |method: &str, params: Value| {
            let message = json!({ "message": { "method": method, "params": params } });
            json!({ "level": "INFO", "message": message.to_string(), "timestamp": 1 })
        };
        let log = json!([
            event("Network.requestWillBeSent", json!({ "request": { "url": "http://a/" } })),
            event("Network.responseReceived", json!({ "response": { "url": "http://b/" } })),
            event("Network.webSocketCreated", json!({ "url": "ws://c/" })),
            { "message": "not json" },
        ]);
        assert_eq!(request_urls(&log), ["http://a/", "ws://c/"]);
    }
}
