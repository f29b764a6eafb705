//! Sign-in, sessions, CSRF and origin checks.

mod common;

use axum::http::{StatusCode, header};
use common::*;

#[tokio::test]
async fn pages_need_a_session() {
    let app = spawn_app();
    let r = app.get("/t/1001", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header(header::LOCATION), "/login?next=%2Ft%2F1001");
    let r = app.get("/login", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(r#"name="password""#));
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_with_a_new_id_and_goes_where_asked() {
    let app = spawn_app();
    let planted = app.browser(app.sato);
    let r = app
        .post_raw(
            "/login",
            Some(&planted),
            &[
                ("email", "SATO@example.test"),
                ("password", PASSWORD),
                ("next", "/t/1001"),
            ],
            Some(ORIGIN),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header(header::LOCATION), "/t/1001");
    let c = r.header(header::SET_COOKIE);
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"),
        "{c}"
    );
    assert!(!c.contains("Secure"), "plain http without public_url: {c}");
    let id = cookie_value(&c);
    assert_eq!(id.len(), 64);
    assert_ne!(id, planted.session, "a new session id at sign-in");
    assert!(
        app.store().session(&planted.session).unwrap().is_none(),
        "the old one ended"
    );
    let session = app.store().session(&id).unwrap().expect("stored by hash");
    assert_eq!(session.agent, app.sato);
    let b = Browser {
        session: id,
        csrf: session.csrf_token,
    };
    assert_eq!(app.get("/", Some(&b)).await.status, StatusCode::OK);
    // An open redirect is refused.
    let r = app
        .post(
            "/login",
            None,
            &[
                ("email", "sato@example.test"),
                ("password", PASSWORD),
                ("next", "//evil.test/"),
            ],
        )
        .await;
    assert_eq!(r.header(header::LOCATION), "/");
}

#[tokio::test]
async fn https_public_url_makes_the_cookie_secure() {
    let app = spawn_app_with(Some("https://hako.example.test"), |_, _, _| {});
    let r = app
        .post_raw(
            "/login",
            None,
            &[("email", "sato@example.test"), ("password", PASSWORD)],
            Some("https://hako.example.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.header(header::SET_COOKIE).contains("; Secure"));
}

#[tokio::test]
async fn wrong_passwords_fail_alike_then_hit_the_rate_limit() {
    let app = spawn_app();
    for email in ["sato@example.test", "nobody@example.test"] {
        let r = app
            .post(
                "/login",
                None,
                &[("email", email), ("password", "wrong password!")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(
            r.body
                .contains("The email address or the password is wrong.")
        );
        assert!(r.header(header::SET_COOKIE).is_empty());
    }
    for _ in 0..4 {
        app.post(
            "/login",
            None,
            &[
                ("email", "sato@example.test"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    }
    // Five failures: even the right password waits now.
    let r = app
        .post(
            "/login",
            None,
            &[("email", "sato@example.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Too many failed sign-ins"), "{}", r.body);
    assert!(!r.header(header::RETRY_AFTER).is_empty());
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let r = app.post("/logout", Some(&b), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header(header::SET_COOKIE).contains("Max-Age=0"));
    assert_eq!(app.get("/", Some(&b)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_password_change_ends_every_other_session() {
    let app = spawn_app();
    let laptop = app.browser(app.sato);
    let phone = app.browser(app.sato);
    let r = app
        .post(
            "/me/password",
            Some(&laptop),
            &[
                ("current", PASSWORD),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.get("/", Some(&phone)).await.status,
        StatusCode::SEE_OTHER,
        "phone signed out"
    );
    assert_eq!(
        app.get("/", Some(&laptop)).await.status,
        StatusCode::SEE_OTHER,
        "old id ended too"
    );
    let fresh = cookie_value(&r.header(header::SET_COOKIE));
    let s = app
        .store()
        .session(&fresh)
        .unwrap()
        .expect("this browser got a new session");
    let b = Browser {
        session: fresh,
        csrf: s.csrf_token,
    };
    assert_eq!(app.get("/", Some(&b)).await.status, StatusCode::OK);
    // A wrong current password changes nothing.
    let r = app
        .post(
            "/me/password",
            Some(&b),
            &[
                ("current", "not it at all"),
                ("new", "x".repeat(12).as_str()),
                ("confirm", "x".repeat(12).as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/", Some(&b)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn posts_without_the_right_csrf_token_change_nothing() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let v = app.version(app.a_html);
    for token in [None, Some("0".repeat(64)), Some(app.browser(app.sato).csrf)] {
        let mut fields = vec![("version", v.as_str())];
        if let Some(t) = &token {
            fields.push(("_csrf", t.as_str()));
        }
        let r = app
            .post_raw("/t/1001/take", Some(&b), &fields, Some(ORIGIN))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(r.body.contains("Form refused"), "{}", r.body);
    }
    assert_eq!(app.store().ticket(app.a_html).unwrap().assignee, None);
}

#[tokio::test]
async fn posts_from_another_origin_are_refused() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    let v = app.version(app.a_html);
    let fields = [("version", v.as_str()), ("_csrf", b.csrf.as_str())];
    for origin in [Some("http://evil.test"), Some("null"), None] {
        let r = app
            .post_raw("/t/1001/take", Some(&b), &fields, origin)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin:?}");
    }
    let r = app
        .post_raw(
            "/login",
            None,
            &[("email", "sato@example.test"), ("password", PASSWORD)],
            Some("http://evil.test"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store().ticket(app.a_html).unwrap().assignee, None);
    // The same post from this site works.
    let r = app
        .post_raw("/t/1001/take", Some(&b), &fields, Some(ORIGIN))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store().ticket(app.a_html).unwrap().assignee,
        Some(app.sato)
    );
}

#[tokio::test]
async fn every_page_has_the_security_headers() {
    let app = spawn_app();
    let b = app.browser(app.sato);
    for path in ["/login", "/", "/t/1001", "/me", "/nope"] {
        let r = app.get(path, Some(&b)).await;
        let csp = r.header(header::CONTENT_SECURITY_POLICY);
        for part in [
            "default-src 'self'",
            "img-src 'self' data:;",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert_eq!(
            r.header(header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{path}"
        );
    }
    let r = app.get("/t/1001?images=1", Some(&b)).await;
    assert!(
        r.header(header::CONTENT_SECURITY_POLICY)
            .contains("img-src 'self' data: https:")
    );
    let r = app.get(&hako_static("app.css"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header(header::CACHE_CONTROL).contains("max-age=31536000"));
}

fn hako_static(name: &str) -> String {
    format!("/static/{name}")
}

#[tokio::test]
async fn the_sign_in_form_needs_the_token_it_was_drawn_with() {
    let app = spawn_app();
    let page = app.get("/login", None).await;
    let set = page.header(header::SET_COOKIE);
    assert!(
        set.starts_with("hako_login=")
            && set.contains("Path=/login")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict"),
        "{set}"
    );
    let token = cookie_value(&set);
    assert!(
        page.body
            .contains(&format!("name=\"_csrf\" value=\"{token}\""))
    );
    // A form posted from another page (right password, no or another token) signs nobody in.
    for sent in ["", "0000"] {
        let r = app
            .post_raw(
                "/login",
                None,
                &[
                    ("email", "sato@example.test"),
                    ("password", PASSWORD),
                    ("_csrf", sent),
                ],
                Some(ORIGIN),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{sent:?}");
        assert!(r.body.contains("out of date"), "{}", r.body);
        assert!(
            !r.header(header::SET_COOKIE).contains("hako_session="),
            "no session"
        );
    }
    // The form's cookie with another token (a form drawn elsewhere) is refused too.
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("email", "sato@example.test"),
            ("password", PASSWORD),
            ("_csrf", &"0".repeat(64)),
        ])
        .finish();
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("hako_login={token}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The form's token with its cookie signs in, and the form's cookie is cleared.
    let r = app
        .post_raw(
            "/login",
            None,
            &[("email", "sato@example.test"), ("password", PASSWORD)],
            Some(ORIGIN),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookies: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(cookies.iter().any(|c| c.starts_with("hako_session=")));
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("hako_login=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
}
