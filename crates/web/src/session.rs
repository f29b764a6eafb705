//! Who is asking: the session cookie (random id, HttpOnly, SameSite=Lax, `Secure` behind
//! https) looked up in the store, with the agent, their CSRF token, language and timezone.
//! Sessions end after [`IDLE`] without a request and at the latest [`ABSOLUTE`] after sign-in.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Duration;
use chrono_tz::Tz;
use hako_domain::{Actor, Agent, InboxId};

use crate::i18n::Lang;
use crate::page::PageSlot;
use crate::{AppState, WebError};

pub(crate) const COOKIE: &str = "hako_session";
/// A working day without a click ends the session.
pub(crate) const IDLE: Duration = Duration::hours(12);
/// Signing in again once a week is the price of a stolen cookie not living forever.
pub(crate) const ABSOLUTE: Duration = Duration::days(7);
/// `last_seen_at` is written at most this often: one write per page would queue every
/// reader behind SQLite's single writer.
const TOUCH_EVERY: Duration = Duration::minutes(5);

/// The signed-in agent of this request.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub agent: Agent,
    pub session_id: String,
    pub csrf: String,
    pub lang: Lang,
    pub tz: Tz,
}

impl User {
    pub fn may_see(&self, inbox: InboxId) -> bool {
        self.agent.may_see(inbox)
    }

    /// `None`: every inbox (supervisors, admins).
    pub fn visible(&self) -> Option<Vec<InboxId>> {
        self.agent.visible_inboxes().map(<[InboxId]>::to_vec)
    }

    pub fn actor(&self) -> Actor {
        Actor::Agent(self.agent.id)
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) fn set_cookie(id: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!(
        "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        ABSOLUTE.num_seconds()
    );
    HeaderValue::from_str(&v).expect("hex id and fixed attributes")
}

/// The sign-in form's CSRF token, before there is a session: the form carries it and the
/// cookie must match it (double submit), so a form on another site cannot sign a browser in
/// to an account of the attacker's choosing. Only sent to `/login`.
pub(crate) const LOGIN_COOKIE: &str = "hako_login";

/// `None` clears it.
pub(crate) fn login_cookie(token: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let age = if token.is_some() {
        IDLE.num_seconds()
    } else {
        0
    };
    HeaderValue::from_str(&format!(
        "{LOGIN_COOKIE}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={age}{secure}",
        token.unwrap_or("")
    ))
    .expect("hex token and fixed attributes")
}

pub(crate) fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .expect("fixed text")
}

impl FromRequestParts<AppState> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<User, WebError> {
        if let Some(u) = parts.extensions.get::<User>() {
            return Ok(u.clone());
        }
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let signed_out = || WebError::SignedOut { next: next.clone() };
        let id = cookie(&parts.headers, COOKIE).ok_or_else(signed_out)?;
        let sid = id.clone();
        let found = state
            .db(move |s| {
                let Some(session) = s.session(&sid)? else {
                    return Ok(None);
                };
                let agent = s.agent(session.agent)?;
                if !agent.active {
                    s.end_session(&sid)?;
                    return Ok(None);
                }
                let now = s.now();
                if now - session.last_seen_at >= TOUCH_EVERY {
                    s.touch_session(&sid, (now + IDLE).min(session.created_at + ABSOLUTE))?;
                }
                Ok(Some((
                    agent,
                    session.csrf_token,
                    s.preferences(session.agent)?,
                )))
            })
            .await?;
        let (agent, csrf, prefs) = found.ok_or_else(signed_out)?;
        let lang = prefs
            .language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| Lang::from_headers(&parts.headers));
        let tz = prefs
            .timezone
            .as_deref()
            .and_then(|t| t.parse().ok())
            .unwrap_or(state.settings().timezone);
        let user = User {
            agent,
            session_id: id,
            csrf,
            lang,
            tz,
        };
        if let Some(slot) = parts.extensions.get::<PageSlot>() {
            slot.set(&user);
        }
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}
