//! `hako import`, the quarantine and `hako reprocess` end to end on files, as an admin moving
//! from another tool would use them.

mod common;

use common::Hako;

/// One inbox, no mail servers; `extra` goes at the top level (e.g. an `[ingest]` table).
fn hako(extra: &str) -> Hako {
    Hako::init_with(&format!(
        "data_dir = \"DATA\"\ntimezone = \"Asia/Tokyo\"\n{extra}\n[[inbox]]\nname = \"support\"\n\
         address = \"support@example.test\"\ndisplay_name = \"Support\"\n"
    ))
}

fn mail(i: usize, subject: &str, reply_to: Option<usize>) -> String {
    let refs = reply_to
        .map(|r| format!("In-Reply-To: <m{r}@customer.test>\nReferences: <m{r}@customer.test>\n"))
        .unwrap_or_default();
    format!(
        "From: Taro Yamada <taro@customer.test>\nTo: support@example.test\nSubject: {subject}\n\
         Message-ID: <m{i}@customer.test>\n{refs}Date: Mon, 2 Nov 2026 09:0{i}:00 +0900\n\
         MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n本文 {i}\n"
    )
}

/// A mail with `parts` MIME parts: over the configured limit, it is quarantined.
fn many_parts(parts: usize) -> String {
    let mut m = String::from(
        "From: bot@customer.test\nTo: support@example.test\nSubject: 大量の添付\n\
         Message-ID: <parts@customer.test>\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b\"\n\n",
    );
    for i in 0..parts {
        m.push_str(&format!("--b\nContent-Type: text/plain\n\npart {i}\n"));
    }
    m.push_str("--b--\n");
    m
}

#[test]
fn an_mbox_imports_into_threads_once_and_a_poison_mail_waits_in_quarantine() {
    let h = hako("[ingest]\nmax_parts = 50");
    let mbox = h.dir.path().join("old.mbox");
    let mut text = String::new();
    for (i, m) in [
        mail(1, "請求書について", None),
        mail(2, "Re: 請求書について", Some(1)),
        many_parts(200),
        mail(3, "配送の件", None),
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!("From sender{i}@x Mon Nov  2 09:00:00 2026\n{m}\n"));
    }
    std::fs::write(&mbox, text).unwrap();
    let path = mbox.to_str().unwrap();
    let summary = h.json(&["import", path, "--inbox", "support", "--json"]);
    assert_eq!(summary["read"], 4, "{summary}");
    assert_eq!(summary["created"], 2, "{summary}");
    assert_eq!(
        summary["appended"], 1,
        "the reply threads into the first mail's ticket"
    );
    assert_eq!(summary["quarantined"], 1, "{summary}");

    let q = h.json(&["quarantine", "list", "--json"]);
    let q = q.as_array().unwrap();
    assert_eq!(q.len(), 1);
    let reason = q[0]["reason"].as_str().unwrap();
    assert!(reason.contains("parts"), "{reason}");
    assert!(
        q[0]["source"].as_str().unwrap().contains("old.mbox#3"),
        "{q:?}"
    );

    // Importing the same file again stores nothing twice.
    let again = h.json(&["import", path, "--inbox", "support", "--json"]);
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["appended"], 0, "{again}");
    assert_eq!(again["duplicates"], 3, "{again}");

    // Still refused with the old limit: the same entry, not a second one.
    h.ok(&["reprocess", "--all"]);
    assert_eq!(
        h.json(&["quarantine", "list", "--all", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // An admin raises the limit (here by environment) and replays it.
    let out = h.ok_env(
        &["reprocess", "--all"],
        &[("HAKO_INGEST__MAX_PARTS", "5000")],
    );
    assert!(out.contains("created"), "{out}");
    assert!(
        h.json(&["quarantine", "list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let stats = h.json(&["stats", "--json"]);
    assert_eq!(stats["tickets"], 3);
    assert_eq!(stats["messages"], 4);
    let tickets = h.json(&["tickets", "list", "--status", "all", "--json"]);
    let invoice = tickets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == "請求書について")
        .unwrap();
    assert_eq!(invoice["customer_name"], "Taro Yamada");
}

#[test]
fn a_maildir_imports_and_its_mail_is_marked_as_imported() {
    let h = hako("");
    let md = h.dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    std::fs::write(
        md.join("cur/1761000000.M1.host:2,S"),
        mail(1, "Hello", None),
    )
    .unwrap();
    std::fs::write(
        md.join("new/1761000100.M2.host"),
        mail(2, "Re: Hello", Some(1)),
    )
    .unwrap();
    let out = h.ok(&["import", md.to_str().unwrap(), "--inbox", "support"]);
    assert!(
        out.contains("2 read, 1 new tickets, 1 added to tickets"),
        "{out}"
    );
    let t = h.json(&["ticket", "show", "1001", "--json"]);
    let msgs = t["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    // Thread order follows the Maildir delivery times.
    assert_eq!(msgs[0]["subject"], "Hello");
    let err = h.run(&["import", "/nonexistent/x", "--inbox", "support"]);
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("/nonexistent/x"));
}
