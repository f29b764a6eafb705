//! Posted forms: the body parsed as `application/x-www-form-urlencoded` pairs (repeated keys
//! kept, for bulk checkboxes), the signed-in user, and the CSRF check every post passes
//! before a handler sees it. Also small URL helpers.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};

use crate::session::User;
use crate::{AppState, WebError, csrf};

/// A form posted by a signed-in user whose `_csrf` field matched their session's token.
pub(crate) struct PostForm {
    pub user: User,
    pairs: Vec<(String, String)>,
}

impl PostForm {
    /// The first value of `key`, trimmed; `None` when absent or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every value of `key` (checkboxes).
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of `key` as typed (a reply's text keeps its blank lines and indentation).
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A checkbox: present and not empty.
    pub fn checked(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The form, if its `_csrf` field matches the user's session token.
    pub fn checked_csrf(user: User, pairs: Vec<(String, String)>) -> Result<PostForm, WebError> {
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !csrf::tokens_match(sent, &user.csrf) {
            return Err(WebError::Csrf(
                "this form is out of date (or came from another site); reload the page and try again",
            ));
        }
        Ok(PostForm { user, pairs })
    }

    pub fn require(&self, key: &str) -> Result<&str, WebError> {
        self.get(key)
            .ok_or_else(|| WebError::BadRequest(format!("the form misses the field `{key}`")))
    }
}

pub(crate) fn parse_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

impl FromRequest<AppState> for PostForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = User::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))?;
        PostForm::checked_csrf(user, parse_pairs(&bytes))
    }
}

/// Percent-encodes `s` for a query value (RFC 3986 unreserved characters stay).
pub(crate) fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `next` only if it is a path on this site: open redirects (`//evil.test`, `https://…`,
/// `/\evil.test`) fall back to the inbox.
pub(crate) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/t/1001")), "/t/1001");
        for bad in [
            "//evil.test",
            "https://evil.test",
            "/\\evil.test",
            "t/1",
            "",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(
            parse_pairs(b"n=1001&n=1002&q=a+b%21"),
            vec![
                ("n".to_string(), "1001".to_string()),
                ("n".to_string(), "1002".to_string()),
                ("q".to_string(), "a b!".to_string())
            ]
        );
    }
}
