//! Who is asking: the session cookie (random id, HttpOnly, SameSite=Lax, `Secure` behind
//! https) looked up in the store, with the agent, their CSRF token, language and timezone.
//! Sessions end after [`IDLE`] without a request and at the latest [`ABSOLUTE`] after sign-in.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Duration;
use chrono_tz::Tz;
use hako_domain::{Actor, Agent, InboxId};
use hako_store::Store;

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

/// A request's session cookie, before it is looked up. A handler that takes this instead of
/// [`User`] looks the session up in the same blocking call as its page's queries
/// ([`SessionCookie::run`]): one trip to the blocking threads per page instead of two, which
/// matters for the pages served most often (the inbox view and its counts).
pub(crate) struct SessionCookie {
    id: String,
    /// Where to come back to after signing in.
    next: String,
    /// The language of a user who chose none.
    browser_lang: Lang,
    /// For error pages in the user's language (see [`PageSlot`]).
    slot: Option<PageSlot>,
}

impl FromRequestParts<AppState> for SessionCookie {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &AppState,
    ) -> Result<SessionCookie, WebError> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(id) = cookie(&parts.headers, COOKIE) else {
            return Err(WebError::SignedOut { next });
        };
        Ok(SessionCookie {
            id,
            next,
            browser_lang: Lang::from_headers(&parts.headers),
            slot: parts.extensions.get::<PageSlot>().cloned(),
        })
    }
}

impl SessionCookie {
    /// Looks the session up and, if it is live, runs `f` for its user with the same
    /// connection; a session that is unknown, expired or of a deactivated agent is a
    /// [`WebError::SignedOut`].
    pub async fn run<T, F>(self, state: &AppState, f: F) -> Result<(User, T), WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store, &User) -> Result<T, WebError> + Send + 'static,
    {
        let SessionCookie {
            id,
            next,
            browser_lang,
            slot,
        } = self;
        let tz = state.settings().timezone;
        let found = state
            .db(move |s| {
                let Some(user) = lookup(s, id, browser_lang, tz)? else {
                    return Ok(None);
                };
                let out = f(s, &user);
                Ok(Some((user, out)))
            })
            .await?;
        let (user, out) = found.ok_or(WebError::SignedOut { next })?;
        if let Some(slot) = slot {
            slot.set(&user);
        }
        Ok((user, out?))
    }
}

/// The user of the live session `id` (`None`: unknown, expired, or a deactivated agent, whose
/// session ends here). Moves the session's idle expiry at most every [`TOUCH_EVERY`].
fn lookup(
    s: &mut Store,
    id: String,
    browser_lang: Lang,
    team_tz: Tz,
) -> Result<Option<User>, WebError> {
    let Some(session) = s.session(&id)? else {
        return Ok(None);
    };
    let agent = s.agent(session.agent)?;
    if !agent.active {
        s.end_session(&id)?;
        return Ok(None);
    }
    let now = s.now();
    if now - session.last_seen_at >= TOUCH_EVERY {
        s.touch_session(&id, (now + IDLE).min(session.created_at + ABSOLUTE))?;
    }
    let prefs = s.preferences(session.agent)?;
    let lang = prefs
        .language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(browser_lang);
    let tz = prefs
        .timezone
        .as_deref()
        .and_then(|t| t.parse().ok())
        .unwrap_or(team_tz);
    Ok(Some(User {
        agent,
        session_id: id,
        csrf: session.csrf_token,
        lang,
        tz,
    }))
}

impl FromRequestParts<AppState> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<User, WebError> {
        if let Some(u) = parts.extensions.get::<User>() {
            return Ok(u.clone());
        }
        let (user, ()) = SessionCookie::from_request_parts(parts, state)
            .await?
            .run(state, |_, _| Ok(()))
            .await?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}
