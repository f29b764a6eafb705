//! Cross-site request forgery defences, two of them: every form carries the session's token
//! in `_csrf` (compared in constant time, see [`crate::form::PostForm`]), and every POST must
//! come from this site — its `Origin` (or, without one, its `Referer`) must name the request's
//! own host or the configured `public_url`. SameSite=Lax cookies are a third, browser-side.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{AppState, WebError};

/// Equal length and equal bytes, without an early exit that would time the first difference.
pub(crate) fn tokens_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random token (256 bits, hex).
pub(crate) fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// Middleware: refuses state-changing requests from other origins.
pub(crate) async fn check_origin(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if same_origin(req.headers(), state.settings().public_url.as_deref()) {
        next.run(req).await
    } else {
        WebError::Csrf("this form was sent from another site, so it was refused").into_response()
    }
}

fn same_origin(h: &HeaderMap, public_url: Option<&str>) -> bool {
    let get = |name| h.get(name).and_then(|v| v.to_str().ok());
    let Some(host) = get(header::HOST) else {
        return false;
    };
    // The origin part of a Referer: scheme://host[:port], without path.
    let from_referer = get(header::REFERER).map(|r| {
        let after_scheme = r.find("://").map(|i| i + 3).unwrap_or(0);
        let end = r[after_scheme..]
            .find('/')
            .map(|i| after_scheme + i)
            .unwrap_or(r.len());
        r[..end].to_string()
    });
    let Some(origin) = get(header::ORIGIN).map(str::to_string).or(from_referer) else {
        return false;
    };
    if public_url.is_some_and(|p| p.eq_ignore_ascii_case(&origin)) {
        return true;
    }
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    origin_host.is_some_and(|o| o.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn origins() {
        let host = (header::HOST, "hako.test:8080");
        assert!(same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "http://hako.test:8080")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "http://evil.test")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "null")]),
            None
        ));
        assert!(same_origin(
            &headers(&[host.clone(), (header::REFERER, "http://hako.test:8080/t/1")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[
                host.clone(),
                (header::REFERER, "http://hako.test:8080.evil/")
            ]),
            None
        ));
        assert!(!same_origin(&headers(std::slice::from_ref(&host)), None));
        assert!(same_origin(
            &headers(&[host, (header::ORIGIN, "https://hako.example.test")]),
            Some("https://hako.example.test")
        ));
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("abc", "abcd"));
    }
}
