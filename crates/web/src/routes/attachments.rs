//! Downloads: an attachment (`/t/{n}/messages/{id}/attachments/{index}`) and the raw message
//! (`…/raw`), only for tickets the user may see. Always `Content-Disposition: attachment`
//! (RFC 6266, UTF-8 name in `filename*`), `nosniff`, and a sandboxing CSP, so a hostile HTML
//! or SVG attachment is a file to save, never a page of ours. Attachment bytes stay inside
//! the raw message (see ingest); they are cut out here.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hako_domain::Message;
use hako_store::Store;

use super::{number, visible_ticket};
use crate::session::User;
use crate::{AppState, WebError};

fn message_of(s: &Store, user: &User, raw: &str, id: i64) -> Result<Message, WebError> {
    let n = number(raw)?;
    visible_ticket(s, user, n)?;
    s.ticket_detail(n)?
        .messages
        .into_iter()
        .find(|m| m.id.0 == id)
        .ok_or_else(|| WebError::not_found(format!("message {id} of ticket {n}")))
}

pub(crate) async fn attachment(
    State(state): State<AppState>,
    user: User,
    Path((raw, id, index)): Path<(String, i64, usize)>,
) -> Result<Response, WebError> {
    let (name, mime, bytes) = state
        .db(move |s| {
            let m = message_of(s, &user, &raw, id)?;
            let missing = || WebError::not_found(format!("attachment {index} of message {id}"));
            let a = m.attachments.get(index).cloned().ok_or_else(missing)?;
            let bytes = match (&a.blob, &m.raw) {
                (Some(h), _) => s.blob(h)?,
                (None, Some(h)) => {
                    let parsed = hako_mail::parse(&s.blob(h)?, &hako_mail::Limits::default())
                        .map_err(|e| WebError::Internal(e.to_string()))?;
                    parsed
                        .attachments
                        .into_iter()
                        .nth(index)
                        .ok_or_else(missing)?
                        .bytes
                }
                (None, None) => return Err(missing()),
            };
            let name = a
                .filename
                .unwrap_or_else(|| format!("attachment-{}", index + 1));
            Ok((name, a.content_type, bytes))
        })
        .await?;
    Ok(download(&name, &mime, bytes))
}

pub(crate) async fn raw_message(
    State(state): State<AppState>,
    user: User,
    Path((raw, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let (name, bytes) = state
        .db(move |s| {
            let m = message_of(s, &user, &raw, id)?;
            let h = m
                .raw
                .ok_or_else(|| WebError::not_found(format!("raw message of message {id}")))?;
            Ok((format!("message-{id}.eml"), s.blob(&h)?))
        })
        .await?;
    Ok(download(&name, "text/plain; charset=utf-8", bytes))
}

fn download(name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    let mime = if safe_mime(mime) {
        mime
    } else {
        "application/octet-stream"
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    r
}

/// `type/subtype` (with an optional charset we add ourselves); anything else is refused.
fn safe_mime(m: &str) -> bool {
    let base = m.split(';').next().unwrap_or("");
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    };
    matches!(base.split_once('/'), Some((a, b)) if ok(a) && ok(b.trim()))
}

/// RFC 6266: an ASCII fallback in `filename`, the real name in `filename*` (RFC 8187).
pub(crate) fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " -_.,()[]+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_has_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            content_disposition("請求書 1.pdf"),
            "attachment; filename=\"___ 1.pdf\"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8%201.pdf"
        );
        let evil = content_disposition("a\"; filename=x.html\r\n.pdf");
        assert!(
            !evil.contains('\r') && !evil.contains("\"; filename=x"),
            "{evil}"
        );
        assert!(safe_mime("image/png") && !safe_mime("text/html\r\nX: y") && !safe_mime("x"));
    }
}
