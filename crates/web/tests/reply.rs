//! The reply composer in the web UI: a template with this ticket's data, attachments, send /
//! send and close / schedule, the undo window, the "ticket changed since you started"
//! warning, approval (承認) by a supervisor with an edit and its diff, return with a comment,
//! presence, and the visibility rule on every reply and outbox route.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hako_domain::{Action, Actor, EmailAddress, Role, TicketNumber};
use hako_store::outbox::OutboxState;
use hako_store::{NewAgent, NewInbox};

fn seeded() -> App {
    let app = spawn_app();
    app.store()
        .seed_templates(&hako_outbound::template::DEFAULTS)
        .unwrap();
    app
}

fn outbox(app: &App, n: TicketNumber) -> Vec<hako_store::outbox::OutboxItem> {
    app.store().outbox_of_ticket(n).unwrap()
}

/// A multipart post with fields and one file, as a browser sends the composer.
async fn post_multipart(
    app: &App,
    path: &str,
    b: &Browser,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Resp {
    let boundary = "----hako-test-boundary";
    let mut body: Vec<u8> = vec![];
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("_csrf", &b.csrf));
    for (k, v) in all {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    let (name, ctype, data) = file;
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
             Content-Type: {ctype}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(data);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "hako.test")
        .header(header::ORIGIN, "http://hako.test")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, format!("hako_session={}", b.session))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn a_reply_from_a_template_with_an_attachment_is_queued_and_can_be_undone() {
    let app = seeded();
    let b = app.browser(app.sato);
    let n = app.a_html;
    let page = app.get(&format!("/t/{}", n.0), Some(&b)).await;
    assert!(page.body.contains("default-ja") && page.body.contains("name=\"files\""));

    // The live preview fills the template with this ticket's customer.
    let p = app
        .get(
            &format!("/t/{}/preview?template=default-ja&body=%E5%86%8D%E7%99%BA%E8%A1%8C%E3%81%97%E3%81%BE%E3%81%97%E3%81%9F", n.0),
            Some(&b),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("山田太郎様") && p.body.contains("再発行しました"),
        "{}",
        p.body
    );

    let r = post_multipart(
        &app,
        &format!("/t/{}/reply", n.0),
        &b,
        &[
            ("version", &app.version(n)),
            ("template", "default-ja"),
            ("body", "再発行いたしました。"),
            ("then", "closed"),
        ],
        ("見積書.pdf", "application/pdf", b"%PDF-1.4 test"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let items = outbox(&app, n);
    assert_eq!(items.len(), 1);
    let o = &items[0];
    assert_eq!(o.state, OutboxState::Queued);
    assert!(o.body.contains("山田太郎様") && o.body.contains("再発行いたしました。"));
    assert!(
        o.draft.contains("見積書.pdf"),
        "the attachment is part of the draft"
    );
    let raw = String::from_utf8_lossy(&app.store().blob(&o.raw).unwrap()).into_owned();
    assert!(raw.contains("application/pdf"), "{raw}");

    // The page shows it waiting, with Undo; undo cancels it.
    let page = app.get(&format!("/t/{}", n.0), Some(&b)).await;
    assert!(page.body.contains(&format!("/outbox/{}/cancel", o.id)));
    let left = page.body.split("data-seconds-left=\"").nth(1).unwrap_or("");
    assert!(
        left.starts_with(|c: char| c.is_ascii_digit()),
        "counting down the undo window"
    );
    let r = app
        .post(&format!("/outbox/{}/cancel", o.id), Some(&b), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(outbox(&app, n)[0].state, OutboxState::Cancelled);
}

#[tokio::test]
async fn a_changed_ticket_warns_before_sending_and_send_anyway_queues_it() {
    let app = seeded();
    let b = app.browser(app.sato);
    let n = app.a_plain;
    let began = app.version(n);
    // Someone else adds a note meanwhile.
    app.store()
        .add_note(app.boss, n, "お客様から電話あり")
        .unwrap();
    let r = app
        .post(
            &format!("/t/{}/reply", n.0),
            Some(&b),
            &[("version", &began), ("body", "お待たせしました")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("changed since you started writing"),
        "{}",
        r.body
    );
    assert!(r.body.contains("お待たせしました"), "the text is kept");
    assert!(outbox(&app, n).is_empty(), "nothing queued");
    let r = app
        .post(
            &format!("/t/{}/reply", n.0),
            Some(&b),
            &[
                ("version", &began),
                ("body", "お待たせしました"),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(outbox(&app, n).len(), 1);
}

#[tokio::test]
async fn a_template_error_is_shown_and_nothing_is_queued() {
    let app = seeded();
    app.store()
        .save_template("broken", "{{ customer.nmae }}様")
        .unwrap();
    let b = app.browser(app.sato);
    let n = app.a_plain;
    let r = app
        .post(
            &format!("/t/{}/reply", n.0),
            Some(&b),
            &[
                ("version", &app.version(n)),
                ("template", "broken"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("line 1"), "{}", r.body);
    assert!(outbox(&app, n).is_empty());
}

#[tokio::test]
async fn a_scheduled_reply_waits_until_its_time() {
    let app = seeded();
    let b = app.browser(app.sato);
    let n = app.a_plain;
    let r = app
        .post(
            &format!("/t/{}/reply", n.0),
            Some(&b),
            &[
                ("version", &app.version(n)),
                ("body", "明朝お送りします"),
                ("schedule", "1"),
                ("send_at", "2099-01-05T09:00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let o = &outbox(&app, n)[0];
    // 09:00 in the user's timezone (Asia/Tokyo in the fixture) is 00:00 UTC.
    assert_eq!(o.send_at.to_rfc3339(), "2099-01-05T00:00:00+00:00");
}

#[tokio::test]
async fn approval_in_the_web_ui_edit_with_diff_and_return_with_a_comment() {
    let app = seeded();
    // sato cannot send: every reply of his waits for approval.
    let trainee = app
        .store()
        .add_agent(
            Actor::System,
            &NewAgent {
                name: "見習い".into(),
                email: EmailAddress::parse("trainee@example.test").unwrap(),
                role: Role::Agent,
                colour: None,
                inboxes: vec![app.support],
                password: None,
                can_send: false,
            },
        )
        .unwrap()
        .id;
    let t = app.browser(trainee);
    let boss = app.browser(app.boss);
    let n = app.a_plain;
    let page = app.get(&format!("/t/{}", n.0), Some(&t)).await;
    assert!(
        page.body.contains("wait for a supervisor"),
        "the composer says so"
    );
    let send = |body: &'static str| {
        let (app, t) = (&app, &t);
        async move {
            app.post(
                &format!("/t/{}/reply", n.0),
                Some(t),
                &[("version", &app.version(n)), ("body", body)],
            )
            .await
        }
    };
    assert_eq!(send("ご連絡ありがとう").await.status, StatusCode::SEE_OTHER);
    let id = outbox(&app, n)[0].id;
    assert_eq!(outbox(&app, n)[0].state, OutboxState::Approval);
    // The author sees no approve button; the supervisor does.
    let own = app.get(&format!("/t/{}", n.0), Some(&t)).await;
    assert!(!own.body.contains(&format!("/outbox/{id}/approve")));
    let sup = app.get(&format!("/t/{}", n.0), Some(&boss)).await;
    assert!(sup.body.contains(&format!("/outbox/{id}/approve")));
    // The author cannot approve even by posting the form.
    let r = app
        .post(&format!("/outbox/{id}/approve"), Some(&t), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Returned with a comment: the author sees it and resubmits an edited text.
    let r = app
        .post(
            &format!("/outbox/{id}/return"),
            Some(&boss),
            &[("comment", "敬語でお願いします")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let own = app.get(&format!("/t/{}", n.0), Some(&t)).await;
    assert!(own.body.contains("敬語でお願いします"));
    assert!(own.body.contains(&format!("/outbox/{id}/resubmit")));
    let r = app
        .post(
            &format!("/outbox/{id}/resubmit"),
            Some(&t),
            &[("body", "ご連絡ありがとうございます")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Approved with an edit: the diff is on the page, the edited text is what is queued.
    let r = app
        .post(
            &format!("/outbox/{id}/approve"),
            Some(&boss),
            &[
                ("body", "ご連絡いただきありがとうございます"),
                ("comment", "OK"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let o = &outbox(&app, n)[0];
    assert_eq!(o.state, OutboxState::Queued);
    let raw = app.store().blob(&o.raw).unwrap();
    let parsed = hako_mail::parse(&raw, &hako_mail::Limits::default()).unwrap();
    assert!(parsed.text.contains("ご連絡いただきありがとうございます"));
    let page = app.get(&format!("/t/{}", n.0), Some(&t)).await;
    assert!(page.body.contains("d-removed") && page.body.contains("d-added"));
    let acts: Vec<Action> = app
        .store()
        .ticket_detail(n)
        .unwrap()
        .events
        .iter()
        .map(|(e, _)| e.action)
        .collect();
    for a in [
        Action::ReplySubmitted,
        Action::ReplyReturned,
        Action::ReplyApproved,
    ] {
        assert!(acts.contains(&a), "{a:?}");
    }
}

#[tokio::test]
async fn an_inbox_requiring_approval_holds_agents_but_not_supervisors() {
    let app = seeded();
    app.store()
        .sync_inbox(&NewInbox {
            name: "support".into(),
            address: EmailAddress::parse("support@example.test").unwrap(),
            display_name: "Example support".into(),
            signature: String::new(),
            requires_approval: true,
            auto_reply: None,
        })
        .unwrap();
    let n = app.a_plain;
    for (who, want) in [
        (app.sato, OutboxState::Approval),
        (app.boss, OutboxState::Queued),
    ] {
        let b = app.browser(who);
        let r = app
            .post(
                &format!("/t/{}/reply", n.0),
                Some(&b),
                &[("version", &app.version(n)), ("body", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(outbox(&app, n).last().unwrap().state, want);
    }
}

#[tokio::test]
async fn others_viewing_or_writing_are_shown() {
    let app = seeded();
    let (sato, boss) = (app.browser(app.sato), app.browser(app.boss));
    let n = app.a_plain;
    app.get(&format!("/t/{}", n.0), Some(&boss)).await;
    let page = app.get(&format!("/t/{}", n.0), Some(&sato)).await;
    assert!(
        page.body.contains("boss is viewing this ticket"),
        "{}",
        page.body
    );
    let r = app
        .post(
            &format!("/t/{}/presence", n.0),
            Some(&boss),
            &[("replying", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let page = app.get(&format!("/t/{}", n.0), Some(&sato)).await;
    assert!(page.body.contains("boss is writing a reply"));
    let seen = app
        .post(&format!("/t/{}/presence", n.0), Some(&sato), &[])
        .await;
    assert!(seen.body.contains("\"replying\":true"), "{}", seen.body);
}

#[tokio::test]
async fn reply_and_outbox_routes_answer_404_for_another_inbox_and_need_csrf() {
    let app = seeded();
    let (sato, tanaka) = (app.browser(app.sato), app.browser(app.tanaka));
    let n = app.a_plain; // support: sato's, not tanaka's
    // A reply of sato's in the outbox.
    app.post(
        &format!("/t/{}/reply", n.0),
        Some(&sato),
        &[("version", &app.version(n)), ("body", "x")],
    )
    .await;
    let id = outbox(&app, n)[0].id;
    let get = app
        .get(
            &format!("/t/{}/preview?template=default-ja", n.0),
            Some(&tanaka),
        )
        .await;
    assert_eq!(get.status, StatusCode::NOT_FOUND);
    let posts = [
        format!("/t/{}/reply", n.0),
        format!("/t/{}/presence", n.0),
        format!("/outbox/{id}/cancel"),
        format!("/outbox/{id}/approve"),
        format!("/outbox/{id}/return"),
        format!("/outbox/{id}/resubmit"),
    ];
    for p in &posts {
        let r = app
            .post(p, Some(&tanaka), &[("body", "x"), ("comment", "x")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    assert_eq!(outbox(&app, n).len(), 1);
    assert_eq!(outbox(&app, n)[0].state, OutboxState::Queued, "unchanged");
    // Without the CSRF token nothing is queued.
    let r = app
        .post_raw(
            &format!("/t/{}/reply", n.0),
            Some(&sato),
            &[("body", "forged")],
            Some("http://hako.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(outbox(&app, n).len(), 1);
}
