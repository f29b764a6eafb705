//! The web tests' fixture: a fresh database in a temporary folder per test, with two inboxes
//! (support = A, info = B), an agent of each (sato in support, tanaka in info), a supervisor
//! and an admin, two labels, and tickets with messages — an HTML mail with a remote image
//! and an attachment (with its raw bytes), a plain one, a note — in both inboxes; a search
//! index fed from the store; and helpers that send requests through the router with
//! `tower::ServiceExt::oneshot`, signed in or not, with or without the CSRF token.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hako_domain::{
    Actor, AgentId, Attachment, Channel, Direction, EmailAddress, InboxId, Participant, Role,
    Status, TicketNumber,
};
use hako_search::{MessageDoc, SearchIndex};
use hako_store::{CustomerRef, NewAgent, NewInbox, NewMessage, NewTicket, Store};
use hako_web::{AppState, Settings, router};
use std::path::PathBuf;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct App {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub support: InboxId,
    pub info: InboxId,
    pub sato: AgentId,
    pub tanaka: AgentId,
    pub boss: AgentId,
    /// Tickets of inbox A (support) and B (info).
    pub a_html: TicketNumber,
    pub a_plain: TicketNumber,
    pub b_html: TicketNumber,
    pub b_plain: TicketNumber,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

/// A signed-in browser: its cookie and the CSRF token of its session.
#[derive(Clone)]
pub struct Browser {
    pub session: String,
    pub csrf: String,
}

pub const HOST: &str = "hako.test";
pub const ORIGIN: &str = "http://hako.test";

/// A multipart mail: an HTML body with a remote image and a PDF attachment.
pub fn html_mail(from: &str, subject: &str, html: &str, filename: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@example.test\r\nSubject: {subject}\r\n\
         Message-ID: <{}@customer.test>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0900\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n\
         --b1\r\nContent-Type: application/pdf\r\n\
         Content-Disposition: attachment; filename*=UTF-8''{}\r\n\
         Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcTl8uXrp/Og0MTGCg==\r\n--b1--\r\n",
        rand::random::<u64>(),
        filename
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    )
    .into_bytes()
}

pub fn store_at(path: &std::path::Path) -> Store {
    Store::open(path).unwrap()
}

/// An HTML mail ticket as ingest would store it (parsed fields plus raw bytes).
pub fn html_ticket(
    s: &mut Store,
    inbox: InboxId,
    from_name: &str,
    from: &str,
    subject: &str,
    html: &str,
    filename: &str,
) -> TicketNumber {
    let raw = html_mail(from, subject, html, filename);
    let parsed = hako_mail::parse(&raw, &hako_mail::Limits::default()).unwrap();
    let msg = NewMessage {
        raw: Some(raw),
        html: Some(html.to_string()),
        to: vec![Participant {
            name: None,
            address: "support@example.test".into(),
        }],
        attachments: parsed
            .attachments
            .iter()
            .map(|a| Attachment {
                filename: Some(filename.to_string()),
                content_type: a.content_type.clone(),
                size: a.size,
                content_id: a.content_id.clone(),
                blob: None,
            })
            .collect(),
        ..NewMessage::text(
            Direction::Incoming,
            Some(Participant {
                name: Some(from_name.to_string()),
                address: from.to_string(),
            }),
            subject,
            &hako_mail::html_to_text(html),
        )
    };
    s.create_ticket(
        Actor::System,
        &NewTicket {
            inbox,
            customer: CustomerRef {
                address: EmailAddress::parse(from).ok(),
                name: Some(from_name.to_string()),
            },
            subject: subject.to_string(),
            channel: Channel::Email,
            message: msg,
            assignee: None,
            labels: vec![],
            status: Status::Open,
        },
    )
    .unwrap()
    .number
}

pub fn plain_ticket(
    s: &mut Store,
    inbox: InboxId,
    from: &str,
    subject: &str,
    body: &str,
) -> TicketNumber {
    let p = Participant {
        name: None,
        address: from.to_string(),
    };
    s.create_ticket(
        Actor::System,
        &NewTicket {
            inbox,
            customer: CustomerRef {
                address: EmailAddress::parse(from).ok(),
                name: None,
            },
            subject: subject.to_string(),
            channel: Channel::Email,
            message: NewMessage::text(Direction::Incoming, Some(p), subject, body),
            assignee: None,
            labels: vec![],
            status: Status::Open,
        },
    )
    .unwrap()
    .number
}

fn agent(s: &mut Store, name: &str, role: Role, inboxes: Vec<InboxId>, password: bool) -> AgentId {
    s.add_agent(
        Actor::System,
        &NewAgent {
            name: name.into(),
            email: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
            role,
            colour: None,
            inboxes,
            password: password.then(|| PASSWORD.to_string()),
            can_send: true,
        },
    )
    .unwrap()
    .id
}

/// Everything in the store, as the indexer would index it.
pub fn index_of(s: &Store) -> SearchIndex {
    let index = SearchIndex::create_in_ram().unwrap();
    let ids = s.ticket_ids_after(0, 10_000).unwrap();
    let docs: Vec<MessageDoc> = s
        .index_docs(&ids)
        .unwrap()
        .into_iter()
        .map(|d| MessageDoc {
            message_id: d.message_id,
            ticket_id: d.ticket_id,
            ticket_number: d.ticket_number,
            inbox_id: d.inbox_id,
            inbox: d.inbox,
            direction: d.direction,
            from_address: d.from_address,
            from_name: d.from_name,
            to: d.to,
            cc: d.cc,
            subject: d.subject,
            body: d.body,
            attachment_names: d.attachment_names,
            labels: d.labels,
            status: d.status,
            assignee: d.assignee,
            date: d.date,
        })
        .collect();
    let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
    index.replace_tickets(&ids, &docs).unwrap();
    index.commit().unwrap();
    index
}

/// The usual app. `extra` may add data (an XSS corpus) before the index is built.
pub fn spawn_app_with(
    public_url: Option<&str>,
    extra: impl FnOnce(&mut Store, InboxId, InboxId),
) -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hako.db");
    let mut s = store_at(&db);
    let inbox = |s: &mut Store, name: &str| {
        s.sync_inbox(&NewInbox {
            name: name.into(),
            address: EmailAddress::parse(&format!("{name}@example.test")).unwrap(),
            display_name: format!("Example {name}"),
            signature: String::new(),
            requires_approval: false,
            auto_reply: None,
        })
        .unwrap()
        .id
    };
    let support = inbox(&mut s, "support");
    let info = inbox(&mut s, "info");
    // Only sato gets a password: argon2 is slow in debug builds, and the other users sign
    // in through sessions made directly in the store.
    let sato = agent(&mut s, "sato", Role::Agent, vec![support], true);
    let tanaka = agent(&mut s, "tanaka", Role::Agent, vec![info], false);
    let boss = agent(&mut s, "boss", Role::Supervisor, vec![], false);
    agent(&mut s, "admin", Role::Admin, vec![], false);
    s.add_label(Actor::System, "請求", None).unwrap();
    s.add_label(Actor::System, "配送", None).unwrap();
    let a_html = html_ticket(
        &mut s,
        support,
        "山田太郎",
        "taro@customer.test",
        "請求書の件",
        r#"<p>請求書をお願いします <img src="https://tracker.test/pixel.gif" alt="px"></p>"#,
        "請求書.pdf",
    );
    let a_plain = plain_ticket(
        &mut s,
        support,
        "hanako@customer.test",
        "配送について",
        "いつ届きますか",
    );
    s.add_note(sato, a_plain, "@tanaka 確認お願いします")
        .unwrap();
    let b_html = html_ticket(
        &mut s,
        info,
        "Secret Corp",
        "ceo@secret.test",
        "Confidential merger",
        r#"<p>Top secret plan</p>"#,
        "secret-plan.pdf",
    );
    let b_plain = plain_ticket(&mut s, info, "bob@secret.test", "Other B subject", "hush");
    extra(&mut s, support, info);
    let index = index_of(&s);
    drop(s);
    let settings = Settings {
        timezone: chrono_tz::Asia::Tokyo,
        public_url: public_url.map(str::to_string),
        undo_seconds: 10,
        retry_hours: 48,
        ..Settings::default()
    };
    let state = AppState::new(&db, settings, Some(index)).unwrap();
    App {
        dir,
        state,
        support,
        info,
        sato,
        tanaka,
        boss,
        a_html,
        a_plain,
        b_html,
        b_plain,
    }
}

pub fn spawn_app() -> App {
    spawn_app_with(None, |_, _, _| {})
}

impl App {
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("hako.db")
    }

    pub fn store(&self) -> Store {
        store_at(&self.db())
    }

    pub fn router(&self) -> Router {
        router(self.state.clone())
    }

    /// A session made directly in the store (no argon2 round): a signed-in browser.
    pub fn browser(&self, agent: AgentId) -> Browser {
        let mut s = self.store();
        let session = hex(rand::random::<[u8; 32]>());
        let csrf = hex(rand::random::<[u8; 32]>());
        let until = s.now() + chrono::Duration::hours(1);
        s.create_session(agent, &session, &csrf, until).unwrap();
        Browser { session, csrf }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.router().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = axum::body::to_bytes(r.into_body(), 64 * 1024 * 1024)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, b: Option<&Browser>) -> Resp {
        self.get_lang(path, b, None).await
    }

    pub async fn get_lang(&self, path: &str, b: Option<&Browser>, lang: Option<&str>) -> Resp {
        let mut req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(b) = b {
            req = req.header(header::COOKIE, format!("hako_session={}", b.session));
        }
        if let Some(l) = lang {
            req = req.header(header::ACCEPT_LANGUAGE, l);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A form post from this site with the session's CSRF token.
    pub async fn post(&self, path: &str, b: Option<&Browser>, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(b) = b {
            all.push(("_csrf", &b.csrf));
        }
        self.post_raw(path, b, &all, Some(ORIGIN)).await
    }

    /// A form post with exactly these fields and this Origin header (or none). A post to
    /// `/login` without a `_csrf` field first loads the sign-in page, as a browser does, and
    /// sends its form token and cookie.
    pub async fn post_raw(
        &self,
        path: &str,
        b: Option<&Browser>,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Resp {
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        let login = if path.starts_with("/login") && !fields.iter().any(|f| f.0 == "_csrf") {
            let page = self.get("/login", None).await;
            Some(cookie_value(&page.header(header::SET_COOKIE)))
        } else {
            None
        };
        if let Some(token) = &login {
            fields.push(("_csrf", token));
        }
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let mut cookies = vec![];
        if let Some(b) = b {
            cookies.push(format!("hako_session={}", b.session));
        }
        if let Some(token) = &login {
            cookies.push(format!("hako_login={token}"));
        }
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies.join("; "));
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// The ticket's version now (forms send it).
    pub fn version(&self, n: TicketNumber) -> String {
        self.store().ticket(n).unwrap().version.to_string()
    }
}

/// The value of a `Set-Cookie: name=value; …` header.
pub fn cookie_value(set_cookie: &str) -> String {
    let first = set_cookie.split(';').next().unwrap_or("");
    first.split_once('=').map_or("", |kv| kv.1).to_string()
}

pub fn hex(bytes: [u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
