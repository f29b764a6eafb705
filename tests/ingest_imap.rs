//! Mail ingest end to end against the real Dovecot and Postfix: `hako sync --once` and
//! `hako serve` as users run them, with faults (kill -9 mid-sync, a re-created mailbox).
//! Each test gets its own data folder; tests that need a quiet mailbox use a fresh folder.

use hako_testkit::{block_on, mail_servers, unique_token};
use serde_json::Value;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Hako {
    dir: tempfile::TempDir,
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

impl Hako {
    fn new(inboxes: &[String]) -> Hako {
        let dir = tempfile::tempdir().unwrap();
        let config = format!(
            "data_dir = {:?}\ntimezone = \"Asia/Tokyo\"\n{}",
            dir.path().join("data").to_str().unwrap(),
            inboxes.concat()
        );
        std::fs::write(dir.path().join("hako.toml"), config).unwrap();
        let h = Hako { dir };
        h.ok(&["init"]);
        h
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hako"));
        c.arg("--config")
            .arg(self.dir.path().join("hako.toml"))
            .args(args)
            .env_remove("HAKO_CONFIG")
            .env_remove("HAKO_ACTOR");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "hako {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn tickets(&self) -> Vec<Value> {
        let v = self.json(&["tickets", "list", "--status", "all", "--json"]);
        v.as_array().unwrap().clone()
    }

    fn ticket_with(&self, needle: &str) -> Option<Value> {
        self.tickets()
            .into_iter()
            .find(|t| t["subject"].as_str().unwrap_or("").contains(needle))
    }

    fn stats(&self) -> Value {
        self.json(&["stats", "--json"])
    }
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
    let h = Hako::new(&[
        inbox("support", "support@example.test", &["INBOX"], ""),
        inbox("info", "info@example.test", &["INBOX"], ""),
    ]);
    let out = h.json(&["sync", "--once", "--json"]);
    assert_eq!(out.as_array().unwrap().len(), 2, "{out}");
    let a = h.ticket_with(&t1).expect("alice's mail is a ticket");
    assert_eq!(a["inbox"], "support");
    assert_eq!(a["customer_address"], "alice@customer.test");
    assert_eq!(a["subject"], format!("請求書 {t1}"));
    let b = h.ticket_with(&t2).expect("bob's mail is a ticket");
    assert_eq!(b["inbox"], "info");
    // To support, Cc info: fetched from both mailboxes, one ticket, in support.
    let both: Vec<Value> = h
        .tickets()
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
    let h = Hako::new(&[inbox("support", "support@example.test", &[&folder], "")]);
    // A cheap, seedless spread of kill points: the clock's nanoseconds.
    let mut seed = Instant::now().elapsed().as_nanos() as u64 ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut interrupted = 0;
    for _ in 0..20 {
        let mut child = h
            .command(&["sync", "--once"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + next() % 400));
        // SIGKILL: no chance to clean up, as in a power cut of the process.
        let _ = child.kill();
        let _ = child.wait();
        let stored = h.stats()["messages"].as_u64().unwrap();
        assert!(stored <= N as u64, "{stored} messages from {N} mails");
        if stored > 0 && stored < N as u64 {
            interrupted += 1;
        }
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
