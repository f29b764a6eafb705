//! Signing in and out. A sign-in checks the argon2id hash (against a dummy hash when the
//! address is unknown, so timing does not reveal who has an account), counts failures per
//! address and client for the rate limit, and on success starts a NEW session — a new
//! random id and CSRF token, whatever cookie the browser brought — so a planted session id
//! is worthless.

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::password::verify_password;
use minijinja::context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::LazyLock;

use crate::form::{PostForm, local_path, parse_pairs};
use crate::i18n::{self, Lang};
use crate::render::anonymous_page;
use crate::session::{self, IDLE};
use crate::{AppState, WebError, csrf};

/// Verified when the address is unknown or has no password, so that path costs the same.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hako_domain::password::hash_password("no such user, no such password")
        .expect("a long enough password")
});

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
}

pub(crate) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let next = local_path(q.next.as_deref());
    let page = LoginPage {
        lang,
        next,
        email: String::new(),
        error: None,
    };
    render(&state, &headers, page, StatusCode::OK)
}

/// What the sign-in page shows.
struct LoginPage {
    lang: Lang,
    next: String,
    email: String,
    error: Option<String>,
}

/// The sign-in page with its form token: the browser's, or a new one set as a cookie.
fn render(
    state: &AppState,
    headers: &HeaderMap,
    p: LoginPage,
    status: StatusCode,
) -> Result<Response, WebError> {
    // Only a token of ours is drawn into the form again (64 hex digits, as made here).
    let kept = session::cookie(headers, session::LOGIN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let token = kept.clone().unwrap_or_else(csrf::random_token);
    let html = anonymous_page(
        state,
        p.lang,
        "login.html",
        context! { next => p.next, email => p.email, error => p.error, login_token => token.clone() },
    )?;
    let mut r = (status, html).into_response();
    if kept.is_none() {
        r.headers_mut().insert(
            header::SET_COOKIE,
            session::login_cookie(Some(&token), state.settings().secure_cookies()),
        );
    }
    Ok(r)
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    req: Request,
) -> Result<Response, WebError> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let headers = req.headers().clone();
    let body = axum::body::to_bytes(req.into_body(), 64 * 1024)
        .await
        .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))?;
    let lang = Lang::from_headers(&headers);
    let pairs = parse_pairs(&body);
    let field = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (email, password) = (field("email").trim().to_string(), field("password"));
    let next = local_path(Some(&field("next")));
    let client = peer
        .map(|c| c.ip().to_string())
        .unwrap_or_else(|| "-".into());
    // A post without the token its form was drawn with: from another site, or a page
    // loaded before the cookie expired. Drawn again with a fresh token.
    let sent = field("_csrf");
    let expected = session::cookie(&headers, session::LOGIN_COOKIE);
    if !expected.is_some_and(|t| csrf::tokens_match(&sent, &t)) {
        let mut fresh = headers.clone();
        fresh.remove(header::COOKIE);
        let page = LoginPage {
            lang,
            next,
            email,
            error: i18n::lookup(lang, "login.expired").map(str::to_string),
        };
        return render(&state, &fresh, page, StatusCode::FORBIDDEN);
    }
    let key = format!("{}|{client}", email.to_lowercase());
    if let Err(secs) = state.0.limiter.check(&key) {
        return Err(WebError::RateLimited {
            retry_after_secs: secs,
        });
    }
    let old_session = session::cookie(&headers, session::COOKIE);
    let (id, csrf_token) = (csrf::random_token(), csrf::random_token());
    let (sid, ctok) = (id.clone(), csrf_token.clone());
    let signed_in = state
        .db(move |s| {
            let agent = s.agent_by_email(&email).ok().filter(|a| a.active);
            let hash = match &agent {
                Some(a) => s.password_hash(a.id)?,
                None => None,
            };
            let ok = verify_password(&password, hash.as_deref().unwrap_or(&DUMMY_HASH))
                && hash.is_some();
            let Some(agent) = agent.filter(|_| ok) else {
                return Ok(None);
            };
            if let Some(old) = old_session {
                s.end_session(&old)?;
            }
            s.purge_expired_sessions()?;
            let now = s.now();
            s.create_session(agent.id, &sid, &ctok, now + IDLE)?;
            Ok(Some(agent))
        })
        .await?;
    if signed_in.is_none() {
        state.0.limiter.fail(&key);
        let page = LoginPage {
            lang,
            next,
            email: field("email"),
            error: i18n::lookup(lang, "login.failed").map(str::to_string),
        };
        return render(&state, &headers, page, StatusCode::UNAUTHORIZED);
    }
    state.0.limiter.clear(&key);
    let secure = state.settings().secure_cookies();
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::set_cookie(&id, secure));
    r.headers_mut()
        .append(header::SET_COOKIE, session::login_cookie(None, secure));
    Ok(r)
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    let id = form.user.session_id.clone();
    state.db(move |s| Ok(s.end_session(&id)?)).await?;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session::clear_cookie(state.settings().secure_cookies()),
    );
    Ok(r)
}
