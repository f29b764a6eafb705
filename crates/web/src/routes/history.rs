//! Sender history (`/history?contact=ADDRESS|DOMAIN`): every message from a customer or a
//! domain, newest first — only from the inboxes the user may see.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use hako_domain::EmailAddress;
use hako_store::HistoryOf;
use minijinja::context;
use serde::Deserialize;

use crate::render::{page, ser};
use crate::session::User;
use crate::{AppState, WebError};

const LIMIT: u32 = 200;

#[derive(Deserialize)]
pub(crate) struct HistoryQuery {
    #[serde(default)]
    contact: String,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, WebError> {
    let query = q.contact.trim().to_string();
    let u = user.clone();
    let qq = query.clone();
    let (who, h) = state
        .db(move |s| {
            if qq.is_empty() {
                return Ok((String::new(), None));
            }
            let of = match qq.split_once('@') {
                Some((local, _)) if !local.is_empty() => HistoryOf::Address(
                    EmailAddress::parse(&qq).map_err(|e| WebError::BadRequest(e.to_string()))?,
                ),
                _ => HistoryOf::Domain(qq.clone()),
            };
            let h = s.history(&of, u.visible().as_deref(), LIMIT)?;
            // The contact's name and other addresses are shown only when the user sees at
            // least one of their messages: otherwise it would leak another inbox's customer.
            let who = match &h.contact {
                Some(c) if h.message_count > 0 => c.name.clone().unwrap_or_else(|| qq.clone()),
                _ => qq.clone(),
            };
            Ok((who, Some(h)))
        })
        .await?;
    let h = h.map(|h| {
        context! {
            first_contact => ser(&if h.message_count > 0 { h.first_contact } else { None }),
            ticket_count => h.ticket_count,
            message_count => h.message_count,
            counts_capped => h.counts_capped,
            entries => ser(&h.entries),
        }
    });
    Ok(page(&state, &user, "history.html", context! { who, query, h })?.into_response())
}
