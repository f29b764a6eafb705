//! The pages and actions an agent uses on their own inbox: the inbox view (tabs, counts, new
//! activity, filters, bulk), the ticket view (thread, held-back remote images, downloads),
//! every action with its audit event, the 409 on a stale version, Japanese and English.

mod common;

use axum::http::{StatusCode, header};
use common::*;
use hako_domain::{Action, StatusKind, TicketNumber};

fn events(app: &App, n: TicketNumber) -> Vec<Action> {
    app.store()
        .ticket_detail(n)
        .unwrap()
        .events
        .iter()
        .map(|(e, _)| e.action)
        .collect()
}

#[tokio::test]
async fn the_inbox_view_in_english_and_japanese() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let en = app.get_lang("/", Some(&b), Some("en-US,en;q=0.9")).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("<html lang=\"en\">"));
    for s in [
        "All inboxes",
        "Mine",
        "Example support",
        "請求書の件",
        "配送について",
        "Open",
        "山田太郎",
    ] {
        assert!(en.body.contains(s), "en lacks {s}");
    }
    let ja = app.get_lang("/", Some(&b), Some("ja,en;q=0.5")).await;
    assert!(ja.body.contains("<html lang=\"ja\">"));
    for s in [
        "すべての受信箱",
        "自分の担当",
        "未対応",
        "担当者",
        "ラベル",
        "スヌーズ",
        "請求書の件",
    ] {
        assert!(ja.body.contains(s), "ja lacks {s}");
    }
    // Never seen: both tickets are marked new; after a visit, the one seen is not.
    assert_eq!(en.body.matches("<tr class=\"new\">").count(), 2);
    app.get("/t/1001", Some(&b)).await;
    let again = app.get("/", Some(&b)).await;
    assert_eq!(again.body.matches("<tr class=\"new\">").count(), 1);
    // The saved choice beats the browser.
    let r = app
        .post(
            "/me",
            Some(&b),
            &[("language", "ja"), ("timezone", "Asia/Tokyo")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get_lang("/", Some(&b), Some("en")).await;
    assert!(r.body.contains("すべての受信箱"));
    let r = app
        .post("/me", Some(&b), &[("timezone", "Mars/Olympus")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn filters_paging_and_bulk_changes() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let r = app.get("/?tab=mine", Some(&b)).await;
    assert!(!r.body.contains("請求書の件"), "nothing is mine yet");
    let r = app
        .post(
            "/bulk",
            Some(&b),
            &[
                ("n", "1001"),
                ("n", "1002"),
                ("do", "assign"),
                ("assignee", "sato@example.test"),
                ("return_to", "/?tab=mine"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header(header::LOCATION), "/?tab=mine");
    let r = app.get("/?tab=mine", Some(&b)).await;
    assert!(r.body.contains("請求書の件") && r.body.contains("配送について"));
    let r = app
        .post(
            "/bulk",
            Some(&b),
            &[("n", "1001"), ("do", "label"), ("label", "請求")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get("/?label=%E8%AB%8B%E6%B1%82", Some(&b)).await;
    assert!(r.body.contains("請求書の件") && !r.body.contains("配送について"));
    let r = app
        .post(
            "/bulk",
            Some(&b),
            &[
                ("n", "1001"),
                ("n", "1002"),
                ("do", "snooze"),
                ("when", "next-week"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store().ticket(app.a_plain).unwrap().status.kind(),
        StatusKind::Snoozed
    );
    let counts: serde_json::Value =
        serde_json::from_str(&app.get("/counts", Some(&b)).await.body).unwrap();
    assert_eq!(counts["tabs"]["support"], 2, "snoozed still counts as work");
    // All or nothing: one ticket of another inbox refuses the whole change.
    let r = app
        .post(
            "/bulk",
            Some(&b),
            &[
                ("n", "1001"),
                ("n", "1003"),
                ("do", "status"),
                ("status", "closed"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store().ticket(app.a_html).unwrap().status.kind(),
        StatusKind::Snoozed
    );
    let r = app
        .get("/?status=snoozed&sort=waiting&assignee=me", Some(&b))
        .await;
    assert!(r.body.contains("請求書の件"));
}

#[tokio::test]
async fn the_ticket_view_holds_back_remote_images_and_offers_downloads() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let r = app.get("/t/1001", Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("tracker.test"), "remote image held back");
    assert!(r.body.contains("Show images"));
    assert!(
        r.body.contains("山田太郎 &lt;taro@customer.test&gt;"),
        "sender"
    );
    assert!(r.body.contains("support@example.test"), "recipients");
    assert!(r.body.contains("2026-"), "a date");
    assert!(r.body.contains("請求書.pdf"));
    assert!(r.body.contains("history?contact=taro%40customer.test"));
    let shown = app.get("/t/1001?images=1", Some(&b)).await;
    assert!(shown.body.contains("https://tracker.test/pixel.gif"));
    let m = app.store().ticket_detail(app.a_html).unwrap().messages[0]
        .id
        .0;
    let r = app
        .get(&format!("/t/1001/messages/{m}/attachments/0"), Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("%PDF-1.4"), "the attachment's bytes");
    assert_eq!(r.header(header::CONTENT_TYPE), "application/pdf");
    assert!(
        r.header(header::CONTENT_DISPOSITION)
            .contains("filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf")
    );
    assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let r = app
        .get(&format!("/t/1001/messages/{m}/raw"), Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Content-Type: multipart/mixed"));
    assert!(
        r.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment;")
    );
    assert_eq!(
        app.get(&format!("/t/1001/messages/{m}/attachments/7"), Some(&b))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The note's mention is marked; the audit trail is there.
    let r = app.get("/t/1002", Some(&b)).await;
    assert!(r.body.contains("<mark>@tanaka</mark>"), "{}", r.body);
    assert!(r.body.contains("History of changes"));
    let r = app
        .get("/history?contact=taro%40customer.test", Some(&b))
        .await;
    assert!(r.body.contains("請求書の件") && r.body.contains("/t/1001"));
}

#[tokio::test]
async fn every_action_changes_the_ticket_and_is_audited() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let n = app.a_html;
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let app = &app;
        let b = b.clone();
        async move {
            let mut f: Vec<(&str, String)> = fields;
            f.push(("version", app.version(n)));
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(path, Some(&b), &f).await
        }
    };
    type Case = (&'static str, Vec<(&'static str, String)>, Action);
    let cases: Vec<Case> = vec![
        ("/t/1001/take", vec![], Action::Assigned),
        (
            "/t/1001/assign",
            vec![("assignee", "boss@example.test".into())],
            Action::Assigned,
        ),
        (
            "/t/1001/assign",
            vec![("assignee", String::new())],
            Action::Unassigned,
        ),
        (
            "/t/1001/labels",
            vec![("label", "配送".into()), ("op", "add".into())],
            Action::LabelAdded,
        ),
        (
            "/t/1001/labels",
            vec![("label", "配送".into()), ("op", "remove".into())],
            Action::LabelRemoved,
        ),
        (
            "/t/1001/status",
            vec![
                ("status", "pending".into()),
                ("reason", "経理確認待ち".into()),
            ],
            Action::StatusChanged,
        ),
        (
            "/t/1001/snooze",
            vec![("until", "2099-12-01T09:30".into())],
            Action::Snoozed,
        ),
        (
            "/t/1001/snooze",
            vec![("when", "later".into())],
            Action::Snoozed,
        ),
        (
            "/t/1001/status",
            vec![("status", "closed".into())],
            Action::StatusChanged,
        ),
        (
            "/t/1001/note",
            vec![("body", "@sato 見ました".into())],
            Action::NoteAdded,
        ),
    ];
    for (path, fields, action) in cases {
        let before = events(&app, n).len();
        let r = post(path, fields.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{path} {fields:?}: {}",
            r.body
        );
        let ev = events(&app, n);
        assert!(ev.len() > before, "{path}: no event");
        assert!(
            ev[before..].contains(&action),
            "{path}: {:?}",
            &ev[before..]
        );
    }
    let t = app.store().ticket(n).unwrap();
    assert_eq!(t.status.kind(), StatusKind::Closed);
    // Split the note off into its own ticket, then merge it back.
    let d = app.store().ticket_detail(n).unwrap();
    let note = d.messages.last().unwrap().id.0.to_string();
    let r = post("/t/1001/split", vec![("message", note)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let new = r.header(header::LOCATION);
    assert!(events(&app, n).contains(&Action::SplitOut));
    let new_n = new.trim_start_matches("/t/").to_string();
    let v = app.version(TicketNumber(new_n.parse().unwrap()));
    let r = app
        .post(
            &format!("{new}/merge"),
            Some(&b),
            &[("into", "1001"), ("version", &v)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(events(&app, n).contains(&Action::MergedFrom));
    // A merged ticket's page leads to the ticket it went into.
    let r = app.get(&new, Some(&b)).await;
    assert_eq!(r.header(header::LOCATION), "/t/1001");
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_naming_the_ticket() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let stale = app.version(app.a_html);
    let boss = app.browser(app.boss);
    let r = app
        .post("/t/1001/take", Some(&boss), &[("version", &stale)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for lang in ["en", "ja"] {
        let f = [
            ("status", "closed"),
            ("version", stale.as_str()),
            ("_csrf", b.csrf.as_str()),
        ];
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&f)
            .finish();
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/t/1001/status")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT_LANGUAGE, lang)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("hako_session={}", b.session))
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body
                .contains("ticket #1001: changed by boss@example.test"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("href=\"&#x2f;t&#x2f;1001\"") || r.body.contains("href=\"/t/1001\""),
            "a reload link"
        );
        let title = if lang == "ja" {
            "このチケットは変更されました"
        } else {
            "This ticket changed"
        };
        assert!(r.body.contains(title), "{lang}: {}", r.body);
    }
    assert_eq!(
        app.store().ticket(app.a_html).unwrap().status.kind(),
        StatusKind::Open
    );
    // Taking a ticket someone else holds is refused the same way.
    let fresh = app.version(app.a_html);
    let r = app
        .post("/t/1001/take", Some(&b), &[("version", &fresh)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("already held by boss@example.test"));
}
