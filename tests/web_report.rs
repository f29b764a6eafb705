//! The weekly label report through the real binary twice: `hako report labels --format csv`
//! and the web page's CSV download from `hako serve` give the same bytes for the same
//! parameters.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

/// `GET path` with the session cookie; the status line and the body.
fn get(addr: &str, path: &str, session: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: hako_session={session}\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = vec![];
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[test]
fn the_web_csv_is_hako_report_labels_csv() {
    let h = Hako::init();
    h.ok(&["label", "add", "請求"]);
    h.ok(&["label", "add", "配送・返品"]);
    for (inbox, customer, labels) in [
        ("support", "a@customer.test", vec!["請求"]),
        ("support", "b@customer.test", vec!["請求", "配送・返品"]),
        ("info", "c@customer.test", vec![]),
    ] {
        let mut args = vec![
            "ticket",
            "new",
            "--inbox",
            inbox,
            "--customer",
            customer,
            "--subject",
            "s",
        ];
        for l in &labels {
            args.extend(["--label", l]);
        }
        h.ok(&args);
    }
    let week = h.json(&["report", "labels", "--format", "json"])[7]["week"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        (vec![], String::new()),
        (
            vec!["--weeks", "3", "--inbox", "support"],
            "weeks=3&inbox=support".to_string(),
        ),
        (
            vec!["--from", "2026-W01", "--to", week.as_str()],
            format!("from=2026-W01&to={week}"),
        ),
    ];
    // A session for the admin, made in the store as a sign-in would.
    let mut store = hako_store::Store::open(&h.data().join("hako.db")).unwrap();
    let admin = store.agent_by_email("admin@example.test").unwrap().id;
    let (sid, csrf) = ("a".repeat(64), "b".repeat(64));
    let until = store.now() + chrono::Duration::hours(1);
    store.create_session(admin, &sid, &csrf, until).unwrap();
    drop(store);

    let mut serve = h
        .command(&["serve"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(serve.stderr.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(log.read_line(&mut line).unwrap() > 0, "serve ended early");
        if let Some(url) = line.split("web UI: http://").nth(1) {
            break url.trim().to_string();
        }
    };
    for (flags, query) in &cases {
        let cli = h.ok(&[
            &["report", "labels", "--format", "csv"][..],
            flags.as_slice(),
        ]
        .concat());
        let (status, web) = get(&addr, &format!("/reports/labels.csv?{query}"), &sid);
        assert!(status.contains("200"), "{query}: {status} {web}");
        assert_eq!(web, cli, "{query}");
        assert!(cli.contains("請求") && cli.ends_with("\r\n"), "{cli}");
    }
    std::process::Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(serve.wait().unwrap().success());
}
