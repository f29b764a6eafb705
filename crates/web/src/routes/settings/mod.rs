//! The admin settings (`/settings/…`, admins only; everyone else gets the 404 of a page that
//! does not exist): users, labels, reply templates, rules for new mail, automatic assignment
//! per inbox, the inboxes (address, signature, approval, IMAP and SMTP, with a connection
//! test) over the config file's, and the team's audit log. Every change is a CSRF-checked post that the store records in
//! the audit log; a refused change draws its page again with the reason.

pub(crate) mod assignment;
pub(crate) mod audit;
pub(crate) mod inbox_form;
pub(crate) mod inboxes;
pub(crate) mod labels;
pub(crate) mod rule_form;
pub(crate) mod rules;
pub(crate) mod templates;
pub(crate) mod users;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_store::StoreError;
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use crate::render::page;
use crate::session::User;
use crate::{AppState, WebError};

/// `/settings`: the first section.
pub(crate) async fn index(user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    Ok(Redirect::to("/settings/users").into_response())
}

/// A refusal to show on the form (status, message); anything else stays an error page.
pub(crate) fn refusal(e: StoreError) -> Result<(StatusCode, String), WebError> {
    match e {
        StoreError::Invalid { .. }
        | StoreError::Domain { .. }
        | StoreError::AlreadyExists { .. } => Ok((StatusCode::BAD_REQUEST, e.to_string())),
        StoreError::NotAllowed { .. } => Ok((StatusCode::FORBIDDEN, e.to_string())),
        other => Err(other.into()),
    }
}

/// A settings page with the refusal that brought it back, if any: its status, and its message
/// as `error` (settings_nav.html shows it).
pub(crate) fn draw(
    state: &AppState,
    user: &User,
    template: &str,
    ctx: Value,
    refused: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let (status, error) = match refused {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    let ctx = context! { error, ..ctx };
    Ok((status, page(state, user, template, ctx)?).into_response())
}
