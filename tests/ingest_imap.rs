//! Mail ingest end to end against the real Dovecot and Postfix: `hako sync --once` and
//! `hako serve` as users run them, with faults (kill -9 mid-sync, a re-created mailbox).
//! Each test gets its own data folder; tests that need a quiet mailbox use a fresh folder.

mod common;

use common::Hako;
use hako_testkit::{block_on, mail_servers, unique_token};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::sync::{RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// Tests that restart Dovecot take this for writing; every other test of this file holds it
/// for reading, so no IMAP conversation of theirs is cut by a restart.
static IMAP: RwLock<()> = RwLock::new(());

fn imap_shared() -> RwLockReadGuard<'static, ()> {
    IMAP.read().unwrap_or_else(|e| e.into_inner())
}

/// An `[[inbox]]` table for one of the test server's accounts.
fn inbox(name: &str, user: &str, folders: &[&str], extra: &str) -> String {
    let s = mail_servers();
    let folders: Vec<String> = folders.iter().map(|f| format!("{f:?}")).collect();
    format!(
        r#"
[[inbox]]
name = "{name}"
address = "{user}"
display_name = "{name}"
[inbox.imap]
host = "127.0.0.1"
port = {port}
security = "none"
username = "{user}"
password = "{password}"
folders = [{folders}]
{extra}
"#,
        port = s.imap_port,
        password = s.password,
        folders = folders.join(", ")
    )
}

/// hako with these inboxes (tables from [`inbox`]), initialised.
fn hako(inboxes: &[String]) -> Hako {
    Hako::init_with(&format!(
        "data_dir = \"DATA\"\ntimezone = \"Asia/Tokyo\"\n{}",
        inboxes.concat()
    ))
}

/// Every ticket, as `hako tickets list --json` gives them.
fn tickets(h: &Hako) -> Vec<Value> {
    h.json(&["tickets", "list", "--status", "all", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn ticket_with(h: &Hako, needle: &str) -> Option<Value> {
    tickets(h)
        .into_iter()
        .find(|t| t["subject"].as_str().unwrap_or("").contains(needle))
}

fn raw_mail(
    from: &str,
    to: &str,
    cc: Option<&str>,
    message_id: &str,
    subject: &str,
    body: &str,
) -> Vec<u8> {
    let cc = cc.map(|c| format!("Cc: {c}\r\n")).unwrap_or_default();
    format!(
        "From: {from}\r\nTo: {to}\r\n{cc}Subject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Wed, 25 Nov 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

#[test]
fn mail_sent_by_smtp_to_two_addresses_arrives_as_tickets_in_the_right_inboxes() {
    let _imap = imap_shared();
    let s = mail_servers();
    let token = unique_token();
    let (t1, t2, t3) = (
        format!("{token}-a"),
        format!("{token}-b"),
        format!("{token}-c"),
    );
    block_on(async {
        s.send(
            "alice@customer.test",
            &["support@example.test"],
            &format!("請求書 {t1}"),
            "再発行をお願いします",
        )
        .await
        .unwrap();
        s.send(
            "bob@customer.test",
            &["info@example.test"],
            &format!("Delivery {t2}"),
            "When?",
        )
        .await
        .unwrap();
        let both = raw_mail(
            "taro@customer.test",
            "support@example.test",
            Some("info@example.test"),
            &format!("{t3}@customer.test"),
            &format!("両方へ {t3}"),
            "サポートとインフォの両方に送ります",
        );
        s.send_raw(
            "taro@customer.test",
            &["support@example.test", "info@example.test"],
            &both,
        )
        .await
        .unwrap();
        // Delivery through Postfix is asynchronous: wait until Dovecot has all of them.
        let wait = Duration::from_secs(30);
        for (user, t) in [
            ("support@example.test", &t1),
            ("info@example.test", &t2),
            ("support@example.test", &t3),
            ("info@example.test", &t3),
        ] {
            s.wait_for_message(user, "INBOX", t, wait).await.unwrap();
        }
    });
    let h = hako(&[
        inbox("support", "support@example.test", &["INBOX"], ""),
        inbox("info", "info@example.test", &["INBOX"], ""),
    ]);
    let out = h.json(&["sync", "--once", "--json"]);
    assert_eq!(out.as_array().unwrap().len(), 2, "{out}");
    let a = ticket_with(&h, &t1).expect("alice's mail is a ticket");
    assert_eq!(a["inbox"], "support");
    assert_eq!(a["customer_address"], "alice@customer.test");
    assert_eq!(a["subject"], format!("請求書 {t1}"));
    let b = ticket_with(&h, &t2).expect("bob's mail is a ticket");
    assert_eq!(b["inbox"], "info");
    // To support, Cc info: fetched from both mailboxes, one ticket, in support.
    let both: Vec<Value> = tickets(&h)
        .into_iter()
        .filter(|t| t["subject"].as_str().unwrap().contains(&t3))
        .collect();
    assert_eq!(both.len(), 1, "{both:?}");
    assert_eq!(both[0]["inbox"], "support");
    let number = both[0]["number"].to_string();
    let detail = h.json(&["ticket", "show", &number, "--json"]);
    assert_eq!(detail["messages"].as_array().unwrap().len(), 1);
    // A second pass finds nothing new.
    let again = h.json(&["sync", "--once", "--json"]);
    for r in again.as_array().unwrap() {
        assert_eq!(r["created"], 0, "{again}");
        assert_eq!(r["appended"], 0, "{again}");
    }
}

#[test]
fn kill_9_at_random_points_of_a_2000_message_sync_loses_and_doubles_nothing() {
    const N: usize = 2000;
    let _imap = imap_shared();
    let s = mail_servers();
    let folder = format!("kill-{}", unique_token());
    let mails: Vec<Vec<u8>> = (0..N)
        .map(|i| {
            raw_mail(
                &format!("customer{}@customer.test", i % 97),
                "support@example.test",
                None,
                &format!("{folder}-{i}@customer.test"),
                &format!("問い合わせ {i}"),
                &format!("本文 {i} ").repeat(20),
            )
        })
        .collect();
    block_on(s.imap_fresh_folder("support@example.test", &folder, &mails, None)).unwrap();
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    // A cheap, seedless spread of kill points: the clock's nanoseconds.
    let mut seed = Instant::now().elapsed().as_nanos() as u64 ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut interrupted = 0;
    // A loaded machine starts the process slower: a kill that found nothing stored yet
    // moves the next ones later, so kills keep landing in the middle of syncs.
    let (mut base, mut before) = (20, 0);
    for _ in 0..20 {
        let mut child = h
            .command(&["sync", "--once"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(base + next() % 400));
        // SIGKILL: no chance to clean up, as in a power cut of the process.
        let _ = child.kill();
        let _ = child.wait();
        let stored = h.stats()["messages"].as_u64().unwrap();
        assert!(stored <= N as u64, "{stored} messages from {N} mails");
        if stored > 0 && stored < N as u64 {
            interrupted += 1;
        }
        if stored == N as u64 {
            break; // all stored: later kills could interrupt nothing
        }
        if stored == before {
            base += 250;
        }
        before = stored;
    }
    // The test means something only if kills landed in the middle of syncs.
    assert!(interrupted > 0, "no kill interrupted a sync");
    // The killed processes' leases are taken over at once: their pids are gone.
    h.ok(&["sync", "--once"]);
    let stats = h.stats();
    assert_eq!(stats["messages"], N as u64, "{stats}");
    // One ticket per mail here (every subject is different), none twice.
    assert_eq!(stats["tickets"], N as u64, "{stats}");
    let quarantine = h.json(&["quarantine", "list", "--json"]);
    assert_eq!(quarantine.as_array().unwrap().len(), 0);
}

/// `count` mails from a few customers into a fresh folder of support@; returns the folder.
fn fresh_folder(prefix: &str, count: usize, flags: Option<&str>) -> String {
    let folder = format!("{prefix}-{}", unique_token());
    block_on(mail_servers().imap_fresh_folder(
        "support@example.test",
        &folder,
        &mails(&folder, 0..count),
        flags,
    ))
    .unwrap();
    folder
}

fn mails(folder: &str, range: std::ops::Range<usize>) -> Vec<Vec<u8>> {
    range
        .map(|i| {
            raw_mail(
                &format!("c{}@customer.test", i % 7),
                "support@example.test",
                None,
                &format!("{folder}-{i}@customer.test"),
                &format!("質問 {i}"),
                "よろしくお願いします",
            )
        })
        .collect()
}

#[test]
fn a_recreated_mailbox_with_a_new_uidvalidity_stores_nothing_twice() {
    let _imap = imap_shared();
    let folder = fresh_folder("uidvalidity", 5, None);
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    let first = h.json(&["sync", "--once", "--json"]);
    assert_eq!(first[0]["created"], 5, "{first}");
    // Dovecot derives UIDVALIDITY from the clock: let a second pass so the new one differs.
    std::thread::sleep(Duration::from_millis(1100));
    block_on(mail_servers().imap_fresh_folder(
        "support@example.test",
        &folder,
        &mails(&folder, 0..6),
        None,
    ))
    .unwrap();
    let second = h.json(&["sync", "--once", "--json"]);
    assert_eq!(second[0]["uidvalidity_changed"], true, "{second}");
    assert_eq!(second[0]["fetched"], 6, "{second}");
    assert_eq!(second[0]["duplicates"], 5, "{second}");
    assert_eq!(second[0]["created"], 1, "{second}");
    assert_eq!(h.stats()["messages"], 6);
}

#[test]
fn mail_already_read_by_another_client_is_still_ingested() {
    let _imap = imap_shared();
    let folder = fresh_folder("seen", 3, Some("(\\Seen)"));
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 3);
}

#[test]
fn a_new_account_with_initial_import_new_skips_old_mail() {
    let _imap = imap_shared();
    let folder = fresh_folder("new-only", 4, None);
    let h = hako(&[inbox(
        "support",
        "support@example.test",
        &[&folder],
        "initial_import = \"new\"",
    )]);
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 0, "old mail is not imported");
    block_on(mail_servers().imap_append("support@example.test", &folder, &mails(&folder, 10..11)))
        .unwrap();
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 1, "new mail is");
}

/// Polls until `done` or `limit`; returns how long it took.
fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(h: &Hako) -> Serve {
    let child = h
        .command(&["serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    Serve(child)
}

/// Asks `hako serve` to stop (SIGTERM) and returns its log.
fn stop(mut s: Serve) -> String {
    let pid = s.0.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = s.0.try_wait().unwrap() {
            assert!(status.success(), "hako serve exited with {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "hako serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut log = String::new();
    use std::io::Read;
    s.0.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    log
}

#[test]
fn with_serve_running_new_mail_becomes_a_ticket_within_two_seconds() {
    let _imap = imap_shared();
    let folder = fresh_folder("idle", 1, None);
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    let server = serve(&h);
    assert!(
        wait_until(Duration::from_secs(30), || h.stats()["messages"] == 1).is_some(),
        "the first pass did not run"
    );
    // Give the worker a moment to enter IDLE, then deliver.
    std::thread::sleep(Duration::from_millis(500));
    block_on(mail_servers().imap_append("support@example.test", &folder, &mails(&folder, 5..6)))
        .unwrap();
    let took = wait_until(Duration::from_secs(30), || h.stats()["messages"] == 2);
    // serve also keeps the search index current (it holds the index writer, so `hako
    // search` only reads here).
    let found = wait_until(Duration::from_secs(30), || {
        h.json(&["search", "よろしくお願いします", "--json"])
            .as_array()
            .unwrap()
            .len()
            == 2
    });
    let log = stop(server);
    assert!(
        found.is_some(),
        "serve did not index the mail; it said:\n{log}"
    );
    let took = took.unwrap_or_else(|| panic!("the new mail never arrived; serve said:\n{log}"));
    assert!(
        took <= Duration::from_secs(2),
        "took {took:?}; serve said:\n{log}"
    );
}

#[test]
fn a_dovecot_restart_mid_sync_is_survived_and_the_sync_resumes() {
    const N: usize = 1500;
    let folder = fresh_folder("restart", N, None);
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    let _exclusive = IMAP.write().unwrap_or_else(|e| e.into_inner());
    let server = serve(&h);
    // Restart as soon as the first batch is in, while the rest is being fetched.
    wait_until(Duration::from_secs(60), || {
        h.stats()["messages"].as_u64().unwrap() > 0
    })
    .expect("the sync never started");
    // Usually this lands mid-sync; on a fast machine the worker may already be in IDLE.
    // Either way every connection is cut and the worker must come back on its own.
    mail_servers().restart_imap();
    block_on(mail_servers().imap_append(
        "support@example.test",
        &folder,
        &mails(&folder, N..N + 10),
    ))
    .unwrap();
    let done = wait_until(Duration::from_secs(90), || {
        h.stats()["messages"] == N as u64 + 10
    });
    let log = stop(server);
    assert!(
        done.is_some(),
        "not all mail arrived after the restart; serve said:\n{log}"
    );
    assert!(
        log.contains("retrying in"),
        "the worker never lost its connection:\n{log}"
    );
    assert_eq!(h.stats()["tickets"], N as u64 + 10);
}

#[test]
fn after_ingest_seen_flags_and_move_moves_but_nothing_is_deleted() {
    let _imap = imap_shared();
    let s = mail_servers();
    let seen = fresh_folder("after-seen", 2, None);
    let moved = fresh_folder("after-move", 3, None);
    let archive = format!("{moved}-archive");
    block_on(s.imap_fresh_folder("support@example.test", &archive, &[], None)).unwrap();
    let h = hako(&[inbox(
        "support",
        "support@example.test",
        &[&seen],
        "after_ingest = \"seen\"",
    )]);
    let h2 = hako(&[inbox(
        "support",
        "support@example.test",
        &[&moved],
        &format!("after_ingest = \"move\"\nmove_to = {archive:?}"),
    )]);
    h.ok(&["sync", "--once"]);
    h2.ok(&["sync", "--once"]);
    assert_eq!(h2.stats()["messages"], 3);
    block_on(async {
        // "seen": still there, now flagged (UNSEEN search finds nothing).
        assert_eq!(
            s.imap_fetch_all("support@example.test", &seen)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            s.imap_unseen("support@example.test", &seen).await.unwrap(),
            0
        );
        // "move": gone from the folder, all in the archive.
        assert!(
            s.imap_fetch_all("support@example.test", &moved)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.imap_fetch_all("support@example.test", &archive)
                .await
                .unwrap()
                .len(),
            3
        );
    });
    // With "leave" (the default) nothing changes on the server, \Seen included.
    let leave = fresh_folder("after-leave", 2, None);
    let h3 = hako(&[inbox("support", "support@example.test", &[&leave], "")]);
    h3.ok(&["sync", "--once"]);
    assert_eq!(
        block_on(s.imap_unseen("support@example.test", &leave)).unwrap(),
        2
    );
}

#[test]
fn two_processes_never_sync_one_mailbox_at_once() {
    let _imap = imap_shared();
    let folder = fresh_folder("lease", 3, None);
    let h = hako(&[inbox("support", "support@example.test", &[&folder], "")]);
    // `hako serve` holds the mailbox while it runs…
    let server = serve(&h);
    wait_until(Duration::from_secs(30), || h.stats()["messages"] == 3).expect("serve never synced");
    let second = h.run(&["sync", "--once"]);
    let err = String::from_utf8_lossy(&second.stderr).into_owned();
    assert!(
        !second.status.success(),
        "a second process synced beside serve"
    );
    assert!(err.contains("another hako process"), "{err}");
    // …and gives it back when it stops.
    stop(server);
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 3);
}

#[test]
fn a_new_account_with_initial_import_since_takes_only_mail_from_that_date() {
    let _imap = imap_shared();
    let folder = fresh_folder("since", 0, None);
    let all = mails(&folder, 0..3);
    let dated: Vec<(Vec<u8>, &str)> = vec![
        (all[0].clone(), "15-Sep-2026 10:00:00 +0900"),
        (all[1].clone(), "02-Oct-2026 10:00:00 +0900"),
        (all[2].clone(), "20-Nov-2026 10:00:00 +0900"),
    ];
    block_on(mail_servers().imap_append_dated("support@example.test", &folder, &dated)).unwrap();
    let h = hako(&[inbox(
        "support",
        "support@example.test",
        &[&folder],
        "initial_import = \"since\"\nimport_since = \"2026-10-01\"",
    )]);
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 2, "only mail from 2026-10-01 on");
    // Mail arriving later is fetched as usual.
    block_on(mail_servers().imap_append("support@example.test", &folder, &mails(&folder, 3..4)))
        .unwrap();
    h.ok(&["sync", "--once"]);
    assert_eq!(h.stats()["messages"], 3);
}

#[test]
fn inbox_settings_saved_in_the_web_ui_reach_a_running_serve_and_revert_from_the_cli() {
    let _shared = imap_shared();
    let s = mail_servers();
    let folder = fresh_folder("live", 2, None);
    let right = inbox("support", "support@example.test", &[&folder], "");
    // The file has a wrong password: nothing can arrive until the admin fixes it.
    let wrong = right.replace(
        &format!("password = \"{}\"", s.password),
        "password = \"not-the-password\"",
    );
    assert_ne!(wrong, right);
    let h = hako(&[wrong]);
    let server = serve(&h);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(h.stats()["messages"], 0, "logged in with a wrong password?");

    // What the web UI's inbox editor stores (see crates/web/tests/settings.rs).
    common::save_inbox_as_web_ui(&h, &common::as_saved_table(&right));
    let took = wait_until(Duration::from_secs(30), || h.stats()["messages"] == 2);
    let log = stop(server);
    assert!(
        took.is_some(),
        "the new password never took; serve said:\n{log}"
    );
    assert!(
        log.contains("inbox support: settings changed; stopping its IMAP worker"),
        "{log}"
    );

    let list = h.json(&["inbox", "list", "--json"]);
    assert_eq!(list[0]["name"], "support");
    assert_eq!(list[0]["settings"], "web over config");
    let out = h.ok(&["inbox", "revert", "support"]);
    assert!(
        out.contains("the config file's settings apply again"),
        "{out}"
    );
    assert_eq!(
        h.json(&["inbox", "list", "--json"])[0]["settings"],
        "config"
    );
    // With the file's wrong password again, a sync fails and names the inbox.
    let out = h.run(&["sync", "--once"]);
    assert!(!out.status.success());
    assert!(common::stderr(&out).contains("support"));
}

#[test]
fn one_serve_per_data_folder_and_reindex_hands_its_work_to_the_running_serve() {
    let h = Hako::init();
    h.email_ticket(
        "support",
        "taro@customer.test",
        "請求書の再発行",
        "先月分です",
    );
    h.email_ticket(
        "info",
        "hanako@customer.test",
        "配送について",
        "まだ届きません",
    );
    let indexed = |h: &Hako| {
        let c = h.json(&["index", "check", "--json"]);
        c["queued_tickets"] == 0 && c["indexed"] == 2 && c["missing"] == serde_json::json!([])
    };
    let server = serve(&h);
    wait_until(Duration::from_secs(20), || indexed(&h)).expect("serve never indexed");

    // A second serve on the same folder stops at once, saying why.
    let mut second = h
        .command(&["serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ended = wait_until(Duration::from_secs(20), || {
        second.try_wait().unwrap().is_some()
    });
    if ended.is_none() {
        let _ = second.kill();
        panic!("a second serve ran beside the first");
    }
    let out = second.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains("another `hako serve`"), "{err}");

    // reindex does not delete the index under serve: serve re-indexes in the background.
    let out = h.ok(&["reindex"]);
    assert!(
        out.contains("re-indexes the 2 tickets in the background"),
        "{out}"
    );
    wait_until(Duration::from_secs(20), || indexed(&h)).expect("serve never re-indexed");
    let found = h.json(&["search", "請求書", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let log = stop(server);
    assert!(log.contains("search index: 2 ticket(s) updated"), "{log}");

    // Without serve, reindex rebuilds the index itself.
    let out = h.ok(&["reindex"]);
    assert!(out.contains("2 tickets indexed"), "{out}");
    assert!(indexed(&h));
}

#[test]
fn an_inbox_saved_mid_sync_restarts_its_worker_and_no_two_workers_fetch_at_once() {
    let _imap = imap_shared();
    let s = mail_servers();
    const MAILS: usize = 3000;
    let folder = fresh_folder("restart-mid", MAILS, None);
    let archive = format!("{folder}-archive");
    block_on(s.imap_fresh_folder("support@example.test", &archive, &[], None)).unwrap();
    let table = inbox(
        "support",
        "support@example.test",
        &[&folder],
        &format!("after_ingest = \"move\"\nmove_to = {archive:?}"),
    );
    let h = hako(std::slice::from_ref(&table));
    let server = serve(&h);
    wait_until(Duration::from_secs(60), || {
        h.stats()["messages"].as_u64().unwrap_or(0) > 0
    })
    .expect("the sync never started");
    // An admin saves the inbox with another IMAP timeout while the first pass runs.
    common::save_inbox_as_web_ui(
        &h,
        &(common::as_saved_table(&table) + "timeout_seconds = 61\n"),
    );
    let at_save = h.stats()["messages"].as_u64().unwrap();
    let done = wait_until(Duration::from_secs(120), || {
        h.stats()["messages"] == MAILS as u64
    });
    std::thread::sleep(Duration::from_secs(1));
    let log = stop(server);
    assert!(done.is_some(), "not every mail arrived; serve said:\n{log}");
    assert!(
        at_save < MAILS as u64,
        "the sync was over before the save ({at_save}); nothing was restarted mid-pass"
    );
    assert!(
        log.contains("inbox support: settings changed; stopping its IMAP worker"),
        "{log}"
    );
    // A new worker beside the old one would wait for its lease ("retrying"), or, sharing
    // it, fetch the same mail again ("already stored") and move it twice.
    assert!(!log.contains("retrying in"), "{log}");
    assert!(
        !log.lines()
            .any(|l| l.contains("already stored") && !l.contains(" 0 already stored")),
        "{log}"
    );
    block_on(async {
        let left = s
            .imap_fetch_all("support@example.test", &folder)
            .await
            .unwrap();
        let moved = s
            .imap_fetch_all("support@example.test", &archive)
            .await
            .unwrap();
        assert_eq!((left.len(), moved.len()), (0, MAILS), "{log}");
    });
}
