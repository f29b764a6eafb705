//! The IMAP client layer against the real test Dovecot (`hako_testkit`):
//! plain, STARTTLS and implicit TLS logins, auth and certificate failures,
//! search/fetch without touching `\Seen`, mark seen, move, an expunge racing
//! a fetch, and IDLE.
//!
//! Mailboxes are shared by every test of every run, so each test works in a
//! folder of its own (created over IMAP, deleted at the end) or looks only
//! for its own `unique_token`. XOAUTH2 is not tested here: the test Dovecot
//! has no OAuth2 backend; the SASL string is unit-tested in `imap/auth.rs`.

use std::time::Duration;

use async_imap::Session;
use futures::TryStreamExt;
use hako_config::{Config, ImapConfig};
use hako_ingest::imap::{self, ErrorKind, IdleOutcome, ImapError};
use hako_testkit::{MailServers, mail_servers, unique_token};
use tokio::net::TcpStream;

/// The recipient of SMTP test mail; a customer mailbox no inbox test syncs.
const USER: &str = MailServers::TARO;

/// An `ImapConfig` for `user` as the loader would build it (so validation
/// runs too). `extra` adds `[inbox.imap]` keys.
fn config(user: &str, port: u16, security: &str, extra: &str) -> ImapConfig {
    let mail = mail_servers();
    let text = format!(
        r#"
[[inbox]]
name = "imap-test"
address = "imap-test@example.test"
display_name = "IMAP test"

[inbox.imap]
host = "{host}"
port = {port}
security = "{security}"
username = "{user}"
password = "{password}"
timeout_seconds = 20
{extra}
"#,
        host = mail.host,
        password = mail.password,
    );
    let config = Config::from_toml_str(&text, "imap_client.rs", Vec::new()).unwrap();
    config.inbox[0].imap.clone().unwrap()
}

fn plain(extra: &str) -> ImapConfig {
    config(USER, mail_servers().imap_port, "none", extra)
}

fn ca_file() -> String {
    format!(
        "tls_ca_file = {:?}",
        mail_servers().ca_path.display().to_string()
    )
}

/// A second, independent session over plain IMAP, for setting things up
/// and checking them behind the client's back.
async fn raw_session() -> Session<TcpStream> {
    let mail = mail_servers();
    let tcp = TcpStream::connect((mail.host.as_str(), mail.imap_port))
        .await
        .unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap().unwrap();
    client
        .login(USER, &mail.password)
        .await
        .map_err(|(e, _)| e)
        .unwrap()
}

/// A fresh folder with `count` mails, each containing `<token>-<i>`.
async fn folder_with_mail(raw: &mut Session<TcpStream>, token: &str, count: usize) -> String {
    let folder = format!("hako-test-{token}");
    raw.run_command_and_check_ok(format!("CREATE \"{folder}\""))
        .await
        .unwrap();
    for i in 0..count {
        raw.append(
            &folder,
            Some("()"),
            None,
            mail_text(&format!("{token}-{i}")),
        )
        .await
        .unwrap();
    }
    folder
}

fn mail_text(tag: &str) -> String {
    format!(
        "From: alice@customer.test\r\nTo: {USER}\r\nSubject: test {tag}\r\n\
         Message-ID: <{tag}@test.hako>\r\n\r\nBody {tag}\r\n"
    )
}

async fn delete_folder(raw: &mut Session<TcpStream>, folder: &str) {
    raw.run_command_and_check_ok(format!("DELETE \"{folder}\""))
        .await
        .ok();
}

/// `\Seen` state of each UID in `folder`, read with EXAMINE (read-only).
async fn seen_flags(folder: &str, uids: &[u32]) -> Vec<(u32, bool)> {
    let mut raw = raw_session().await;
    raw.examine(folder).await.unwrap();
    let set: Vec<String> = uids.iter().map(u32::to_string).collect();
    let fetches: Vec<_> = raw
        .uid_fetch(set.join(","), "(UID FLAGS)")
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let mut flags: Vec<(u32, bool)> = fetches
        .iter()
        .map(|f| {
            let seen = f.flags().any(|flag| flag == async_imap::types::Flag::Seen);
            (f.uid.unwrap(), seen)
        })
        .collect();
    flags.sort_unstable();
    raw.logout().await.ok();
    flags
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn plain_starttls_and_tls_all_log_in() {
    let mail = mail_servers();
    let configs = [
        config(USER, mail.imap_port, "none", ""),
        config(USER, mail.imap_port, "starttls", &ca_file()),
        config(USER, mail.imaps_port, "tls", &ca_file()),
    ];
    for cfg in configs {
        let mut client = imap::connect(&cfg)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", cfg.security));
        let info = client.select("INBOX").await.unwrap();
        assert!(info.uidvalidity > 0, "{}", cfg.security);
        assert!(info.uid_next.is_some());
        assert!(client.has_idle() && client.has_move(), "Dovecot has both");
        client.logout().await.unwrap();
    }
}

#[tokio::test]
async fn wrong_password_is_an_auth_error_naming_the_account() {
    let mut cfg = plain("");
    cfg.password = Some(hako_config::Secret::new("not-the-password-42"));
    let e = imap::connect(&cfg).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!e.is_retryable());
    let text = e.to_string();
    assert!(text.contains("inbox `imap-test`"), "{text}");
    let mail = mail_servers();
    assert!(
        text.contains(&format!("{}:{}", mail.host, mail.imap_port)),
        "{text}"
    );
    assert!(!text.contains("not-the-password-42"), "{text}");
}

#[tokio::test]
async fn tls_without_the_ca_is_a_certificate_error() {
    let mail = mail_servers();
    for cfg in [
        config(USER, mail.imaps_port, "tls", ""),
        config(USER, mail.imap_port, "starttls", ""),
    ] {
        let e = imap::connect(&cfg).await.unwrap_err();
        assert!(matches!(e, ImapError::Certificate { .. }), "{e:?}");
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(!e.is_retryable());
        let text = e.to_string();
        assert!(
            text.contains("certificate") && text.contains("tls_ca_file"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn missing_folder_is_a_config_error_naming_it() {
    let mut client = imap::connect(&plain("")).await.unwrap();
    let e = client.select("No-Such-Folder-x").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert!(e.to_string().contains("folder `No-Such-Folder-x`"), "{e}");
    // A refused command leaves the connection usable.
    client.select("INBOX").await.unwrap();
    client.logout().await.unwrap();
}

#[tokio::test]
async fn smtp_mail_is_found_fetched_in_uid_order_and_stays_unseen() {
    let mail = mail_servers();
    let mut client = imap::connect(&plain("")).await.unwrap();
    let before = client.select("INBOX").await.unwrap();
    let cursor = before.uid_next.unwrap() - 1;
    // Nothing new yet: `n:*` must not report the last old mail.
    assert!(
        client
            .uids_after(cursor)
            .await
            .unwrap()
            .iter()
            .all(|&u| u > cursor)
    );
    let tokens: Vec<String> = (0..3).map(|_| unique_token()).collect();
    for token in &tokens {
        mail.send(
            MailServers::ALICE,
            &[USER],
            &format!("Hello {token}"),
            token,
        )
        .await
        .unwrap();
    }

    // Delivery is asynchronous (Postfix → LMTP): poll.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let ours = loop {
        let uids = client.uids_after(cursor).await.unwrap();
        assert!(uids.iter().all(|&u| u > cursor), "{uids:?}");
        let fetched = client.fetch(&uids).await.unwrap();
        let ours: Vec<_> = fetched
            .into_iter()
            .filter(|f| tokens.iter().any(|t| contains(&f.raw, t)))
            .collect();
        if ours.len() == 3 {
            break ours;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} of 3 mails arrived",
            ours.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let uids: Vec<u32> = ours.iter().map(|f| f.uid).collect();
    assert!(uids.windows(2).all(|w| w[0] < w[1]), "{uids:?}");
    assert!(ours.iter().all(|f| f.internal_date.is_some()));
    // SMTP order is delivery order, so each token is in the mail of its rank.
    for (fetched, token) in ours.iter().zip(&tokens) {
        assert!(contains(&fetched.raw, token));
    }
    let all = client.uids_after(0).await.unwrap();
    assert!(uids.iter().all(|u| all.contains(u)));
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    client.logout().await.unwrap();

    let flags = seen_flags("INBOX", &uids).await;
    assert_eq!(flags, uids.iter().map(|&u| (u, false)).collect::<Vec<_>>());
}

#[tokio::test]
async fn leave_opens_read_only_and_refuses_to_flag() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 1).await;
    let mut client = imap::connect(&plain("")).await.unwrap();
    client.select(&folder).await.unwrap();
    let uids = client.uids_after(0).await.unwrap();
    let e = client.mark_seen(&uids).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    assert!(e.to_string().contains("read-only"), "{e}");
    let e = client.move_to(&uids, "INBOX").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    client.logout().await.unwrap();
    assert_eq!(seen_flags(&folder, &uids).await, [(uids[0], false)]);
    delete_folder(&mut raw, &folder).await;
}

#[tokio::test]
async fn mark_seen_and_move_after_ingest() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 3).await;
    let done = format!("{folder}-done");
    raw.run_command_and_check_ok(format!("CREATE \"{done}\""))
        .await
        .unwrap();

    let cfg = plain(&format!(
        "folders = [\"{folder}\"]\nafter_ingest = \"move\"\nmove_to = \"{done}\""
    ));
    let mut client = imap::connect(&cfg).await.unwrap();
    let info = client.select(&folder).await.unwrap();
    assert_eq!(info.exists, 3);
    let uids = client.uids_after(0).await.unwrap();
    assert_eq!(uids.len(), 3);
    let fetched = client.fetch(&uids).await.unwrap();
    assert_eq!(fetched.len(), 3);
    // SELECT (read-write) plus BODY.PEEK[] still leaves \Seen alone.
    assert!(
        seen_flags(&folder, &uids)
            .await
            .iter()
            .all(|(_, seen)| !seen)
    );

    client.mark_seen(&uids[..1]).await.unwrap();
    client.move_to(&uids[1..2], &done).await.unwrap();
    assert_eq!(
        seen_flags(&folder, &uids).await,
        [(uids[0], true), (uids[2], false)],
        "the moved mail is gone from the source, the others stay"
    );
    // The source folder keeps working for the client after the move.
    assert_eq!(client.uids_after(0).await.unwrap(), [uids[0], uids[2]]);
    client.logout().await.unwrap();

    let mut check = imap::connect(&cfg).await.unwrap();
    check.select(&done).await.unwrap();
    let moved = check.uids_after(0).await.unwrap();
    let moved = check.fetch(&moved).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert!(contains(&moved[0].raw, &format!("{token}-1")));
    check.logout().await.unwrap();

    delete_folder(&mut raw, &done).await;
    delete_folder(&mut raw, &folder).await;
}

#[tokio::test]
async fn mail_expunged_between_search_and_fetch_is_just_missing() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 3).await;
    let mut client = imap::connect(&plain("")).await.unwrap();
    client.select(&folder).await.unwrap();
    let uids = client.uids_after(0).await.unwrap();
    assert_eq!(uids.len(), 3);

    // Another client deletes the middle one.
    raw.select(&folder).await.unwrap();
    raw.run_command_and_check_ok(format!("UID STORE {} +FLAGS.SILENT (\\Deleted)", uids[1]))
        .await
        .unwrap();
    raw.run_command_and_check_ok("EXPUNGE").await.unwrap();

    let fetched = client.fetch(&uids).await.unwrap();
    let got: Vec<u32> = fetched.iter().map(|f| f.uid).collect();
    assert_eq!(got, [uids[0], uids[2]]);
    assert!(contains(&fetched[1].raw, &format!("{token}-2")));
    client.logout().await.unwrap();
    delete_folder(&mut raw, &folder).await;
}

#[tokio::test]
async fn uids_since_uses_the_internal_date() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 1).await;
    raw.append(
        &folder,
        Some("()"),
        Some("\"15-Mar-2020 10:00:00 +0000\""),
        mail_text(&format!("{token}-old")),
    )
    .await
    .unwrap();
    let mut client = imap::connect(&plain("")).await.unwrap();
    client.select(&folder).await.unwrap();
    let all = client.uids_after(0).await.unwrap();
    assert_eq!(all.len(), 2);
    let since = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    assert_eq!(client.uids_since(since).await.unwrap(), [all[0]]);
    let old = client.fetch(&all[1..]).await.unwrap();
    assert_eq!(
        old[0].internal_date.unwrap().to_rfc3339(),
        "2020-03-15T10:00:00+00:00"
    );
    client.logout().await.unwrap();
    delete_folder(&mut raw, &folder).await;
}

#[tokio::test]
async fn non_ascii_folder_names_are_encoded() {
    let token = unique_token();
    let mut raw = raw_session().await;
    // "テスト" in modified UTF-7, created behind the client's back.
    let wire_name = format!("hako-&MMYwuTDI--{token}");
    raw.run_command_and_check_ok(format!("CREATE \"{wire_name}\""))
        .await
        .unwrap();
    let mut client = imap::connect(&plain("")).await.unwrap();
    let info = client
        .select(&format!("hako-テスト-{token}"))
        .await
        .unwrap();
    assert_eq!(info.exists, 0);
    assert!(client.uids_after(0).await.unwrap().is_empty());
    client.logout().await.unwrap();
    delete_folder(&mut raw, &wire_name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_returns_new_data_when_mail_arrives() {
    let mail = mail_servers();
    let mut client = imap::connect(&plain("")).await.unwrap();
    let info = client.select("INBOX").await.unwrap();
    let cursor = info.uid_next.unwrap() - 1;
    assert!(client.has_idle());

    let waiter = tokio::spawn(async move {
        let outcome = client.idle(Duration::from_secs(30)).await;
        (client, outcome)
    });
    // Give the IDLE a moment to start; the outcome is the same either way.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let token = unique_token();
    mail.send(
        MailServers::ALICE,
        &[USER],
        &format!("Idle {token}"),
        &token,
    )
    .await
    .unwrap();
    let (mut client, outcome) = waiter.await.unwrap();
    assert_eq!(outcome.unwrap(), IdleOutcome::NewData);

    // The connection is still usable after DONE.
    assert!(!client.uids_after(cursor).await.unwrap().is_empty());
    client.logout().await.unwrap();
}

#[tokio::test]
async fn idle_times_out_or_is_interrupted_and_stays_usable() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 0).await;
    let mut client = imap::connect(&plain("")).await.unwrap();
    client.select(&folder).await.unwrap();
    assert!(client.uids_after(0).await.unwrap().is_empty());

    let outcome = client.idle(Duration::from_millis(500)).await.unwrap();
    assert_eq!(outcome, IdleOutcome::Timeout);
    let interrupt = tokio::time::sleep(Duration::from_millis(300));
    let outcome = client
        .idle_until(Duration::from_secs(30), interrupt)
        .await
        .unwrap();
    assert_eq!(outcome, IdleOutcome::Interrupted);

    raw.append(&folder, Some("()"), None, mail_text(&token))
        .await
        .unwrap();
    assert_eq!(client.uids_after(0).await.unwrap().len(), 1);
    client.logout().await.unwrap();
    delete_folder(&mut raw, &folder).await;
}

/// The settings page's connection test: the server's answer when it works, the login error
/// when it does not; nothing is fetched or changed.
#[tokio::test]
async fn the_connection_check_answers_or_names_the_error() {
    let token = unique_token();
    let mut raw = raw_session().await;
    let folder = folder_with_mail(&mut raw, &token, 2).await;
    let ok = imap::check(&plain(&format!("folders = [{folder:?}]")))
        .await
        .unwrap();
    assert!(ok.contains(&format!("{folder}: 2 messages")), "{ok}");
    assert!(ok.contains(USER), "{ok}");
    let tls = config(
        USER,
        mail_servers().imaps_port,
        "tls",
        &format!("{}\nfolders = [{folder:?}]", ca_file()),
    );
    assert!(imap::check(&tls).await.unwrap().contains("2 messages"));
    let mut wrong = plain("");
    wrong.password = Some(hako_config::Secret::new("not-the-password"));
    let e = imap::check(&wrong).await.unwrap_err();
    assert!(e.contains("cannot log in") && e.contains(USER), "{e}");
    assert_eq!(seen_flags(&folder, &[1, 2]).await, [(1, false), (2, false)]);
    delete_folder(&mut raw, &folder).await;
}
