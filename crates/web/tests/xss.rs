//! A stored-XSS corpus in every place mail puts text — HTML bodies, plain bodies, subjects,
//! sender names, attachment filenames — renders inert on the ticket page, the inbox list,
//! search results and the history page: no script but ours, no event handler, no
//! `javascript:` URL, no CSS import or `url(`, and nothing loaded from an outside host.

mod common;

use axum::http::StatusCode;
use common::*;

const CORPUS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\" JaVaScRiPt:alert(1)\">click2</a>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<svg><image href=\"https://evil.test/svg.png\"/></svg>",
    "<style>@import url(https://evil.test/x.css); body{background:url(https://evil.test/bg.png)}</style>",
    "<div style=\"background:url(https://evil.test/s.png)\">styled</div>",
    "<img srcset=\"https://evil.test/a.png 1x, https://evil.test/b.png 2x\">",
    "<svg><filter><feImage href=\"https://evil.test/fe.png\"/></filter></svg>",
    "<base href=\"https://evil.test/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.test/\">",
    "<link rel=\"stylesheet\" href=\"https://evil.test/l.css\">",
    "<iframe src=\"https://evil.test/f\"></iframe>",
    "<object data=\"https://evil.test/o\"></object>",
    "<form action=\"https://evil.test/\"><input name=x></form>",
    "<img src=\"https://evil.test/track.gif\">",
    "<img src=\"//evil.test/proto-relative.gif\">",
    "<body onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
];

fn corpus() -> String {
    CORPUS.join("\n")
}

/// Every tag of the page (`<` … `>`): escaped text has no `<`, so this is the markup.
fn tags(html: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        out.push(rest[i..end].to_ascii_lowercase());
        rest = &rest[end..];
    }
    out
}

fn assert_inert(page: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    let scripts: Vec<_> = lower.match_indices("<script").collect();
    assert_eq!(scripts.len(), 1, "{page}: only our own script tag");
    assert!(lower.contains("app.js"), "{page}");
    for t in tags(html) {
        for bad in [
            "onerror=",
            "onload=",
            "onclick=",
            "javascript:",
            "@import",
            "url(",
            "<style",
            "<base",
            "<iframe",
            "<object",
            "<form action=\"http",
            "srcset",
            "<svg",
            "<feimage",
            "<image",
        ] {
            assert!(!t.contains(bad), "{page}: {bad} in tag {t}");
        }
        let loads = [
            "<img", "<link", "<source", "<video", "<audio", "<input", "<embed",
        ];
        if loads.iter().any(|l| t.starts_with(l)) {
            assert!(
                !t.contains("http://") && !t.contains("https://") && !t.contains("//evil"),
                "{page}: outside URL loads: {t}"
            );
        }
        if t.starts_with("<meta") {
            assert!(!t.contains("url="), "{page}: {t}");
        }
    }
}

fn app_with_corpus() -> App {
    let payload = corpus();
    spawn_app_with(None, move |s, support, _| {
        // HTML body, sender name, subject and attachment filename.
        html_ticket(
            s,
            support,
            &format!("Mallory {}", CORPUS[0]),
            "mallory@evil.test",
            &format!("XSS subject {}", CORPUS[1]),
            &payload,
            "<img src=x onerror=alert(1)>.html",
        );
        // Plain body.
        plain_ticket(
            s,
            support,
            "mallory@evil.test",
            &format!("plain {}", CORPUS[4]),
            &payload,
        );
    })
}

#[tokio::test]
async fn the_corpus_renders_inert_everywhere() {
    let app = app_with_corpus();
    let b = app.browser(app.sato);
    let pages = [
        "/t/1005".to_string(),
        "/t/1006".to_string(),
        "/?status=all".to_string(),
        "/?q=alert".to_string(),
        "/?q=mallory".to_string(),
        "/history?contact=mallory%40evil.test".to_string(),
    ];
    for p in &pages {
        let r = app.get(p, Some(&b)).await;
        assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.body);
        assert_inert(p, &r.body);
    }
    // The payload is shown as text, not dropped silently from the plain mail.
    let r = app.get("/t/1006", Some(&b)).await;
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let r = app.get("/?q=mallory", Some(&b)).await;
    assert!(
        r.body.contains("XSS subject"),
        "search found the ticket: {}",
        r.body
    );
}

#[tokio::test]
async fn hostile_attachment_names_stay_in_the_header() {
    let app = app_with_corpus();
    let b = app.browser(app.sato);
    let m = app
        .store()
        .ticket_detail(hako_domain::TicketNumber(1005))
        .unwrap()
        .messages[0]
        .id
        .0;
    let r = app
        .get(&format!("/t/1005/messages/{m}/attachments/0"), Some(&b))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cd = r.header(axum::http::header::CONTENT_DISPOSITION);
    assert!(
        cd.starts_with("attachment; filename=\"_img src_x onerror_alert(1)_.html\""),
        "{cd}"
    );
    assert!(
        cd.contains("filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html"),
        "{cd}"
    );
    assert_eq!(
        r.header(axum::http::header::X_CONTENT_TYPE_OPTIONS),
        "nosniff"
    );
    assert!(
        r.header(axum::http::header::CONTENT_SECURITY_POLICY)
            .contains("sandbox")
    );
}
