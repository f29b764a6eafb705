//! hako's web UI for agents: server-rendered pages (axum + minijinja, usable without
//! JavaScript), sign-in with argon2id and database sessions, CSRF tokens plus an origin check
//! on every post, and the visibility rule on every page: an agent sees, searches, counts and
//! downloads only what belongs to their inboxes; anything else is a 404.
//!
//! ```text
//! let state = hako_web::AppState::open(&config)?;          // pool of store connections
//! hako_web::serve(state, listener, shutdown).await?;      // or router(state) for tests
//! ```
//!
//! SQLite calls are blocking: they run on tokio's blocking threads, each with a connection
//! from a small pool (see `pool`). The web never speaks IMAP or SMTP.

mod connection;
mod csrf;
mod error;
mod form;
mod i18n;
mod page;
mod pool;
mod presence;
mod rate_limit;
mod render;
mod routes;
mod sanitize;
mod session;
mod state;
mod static_files;
mod upload;

pub use connection::{ConnectionFuture, ConnectionReport, ConnectionTester};
pub use error::WebError;
pub use i18n::Lang;
pub use routes::settings::inboxes::inbox_row;
pub use state::{AppState, Settings, db_path};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::{get, post};
use routes::settings::{
    assignment, audit, inbox_form, inboxes, labels, rule_form, rules, templates, users,
};
use routes::{
    actions, attachments, board, history, inbox, login, me, reply, report, settings, ticket,
};
use std::net::SocketAddr;

/// A reply with its attachments: a few files of up to 20 MB each.
const REPLY_BODY_LIMIT: usize = 4 * upload::MAX_FILE;

/// Every route of the UI. Ticket routes answer 404 for tickets of inboxes the user may not see.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/", get(inbox::inbox))
        .route("/inbox", get(|| async { Redirect::to("/") }))
        .route("/counts", get(inbox::counts))
        .route("/bulk", post(actions::bulk))
        .route("/t/{number}", get(ticket::show))
        .route("/t/{number}/take", post(actions::take))
        .route("/t/{number}/assign", post(actions::assign))
        .route("/t/{number}/labels", post(actions::labels))
        .route("/t/{number}/status", post(actions::status))
        .route("/t/{number}/snooze", post(actions::snooze))
        .route("/t/{number}/split", post(actions::split))
        .route("/t/{number}/merge", post(actions::merge))
        .route("/t/{number}/note", post(actions::note))
        .route(
            "/t/{number}/reply",
            post(reply::send).layer(DefaultBodyLimit::max(REPLY_BODY_LIMIT)),
        )
        .route("/t/{number}/preview", get(reply::preview))
        .route("/t/{number}/presence", post(reply::heartbeat))
        .route("/outbox/{id}/cancel", post(reply::cancel))
        .route("/outbox/{id}/approve", post(reply::approve))
        .route("/outbox/{id}/return", post(reply::return_to_author))
        .route("/outbox/{id}/resubmit", post(reply::resubmit))
        .route(
            "/t/{number}/messages/{id}/attachments/{index}",
            get(attachments::attachment),
        )
        .route(
            "/t/{number}/messages/{id}/raw",
            get(attachments::raw_message),
        )
        .route("/history", get(history::show))
        .route("/board", get(board::show))
        .route("/board/assign/{number}", post(board::assign))
        .route("/reports/labels", get(report::show))
        .route("/reports/labels.csv", get(report::csv))
        .route("/settings", get(settings::index))
        .route("/settings/labels", get(labels::list).post(labels::add))
        .route("/settings/labels/{id}", post(labels::update))
        .route("/settings/templates", get(templates::list))
        .route("/settings/templates/new", get(templates::new))
        .route(
            "/settings/templates/{name}",
            get(templates::edit).post(templates::save),
        )
        .route("/settings/templates/{name}/preview", post(templates::live))
        .route("/settings/users", get(users::list).post(users::add))
        .route("/settings/users/{id}", get(users::edit).post(users::update))
        .route("/settings/users/{id}/active", post(users::active))
        .route("/settings/users/{id}/away", post(users::away))
        .route("/settings/rules", get(rules::list).post(rule_form::create))
        .route("/settings/rules/new", get(rule_form::new))
        .route(
            "/settings/rules/{id}",
            get(rule_form::edit).post(rule_form::update),
        )
        .route("/settings/rules/{id}/move", post(rules::move_to))
        .route("/settings/rules/{id}/enabled", post(rules::enabled))
        .route("/settings/rules/{id}/delete", post(rules::delete))
        .route("/settings/assignment", get(assignment::list))
        .route("/settings/assignment/{name}", post(assignment::save))
        .route(
            "/settings/inboxes",
            get(inboxes::list).post(inbox_form::create),
        )
        .route("/settings/inboxes/new", get(inbox_form::new))
        .route(
            "/settings/inboxes/{name}",
            get(inbox_form::edit).post(inbox_form::update),
        )
        .route("/settings/inboxes/{name}/test", post(inboxes::test))
        .route("/settings/inboxes/{name}/revert", post(inboxes::revert))
        .route("/settings/audit", get(audit::list))
        .route("/me", get(me::show).post(me::save))
        .route("/me/password", post(me::password))
        .route("/static/{file}", get(static_files::serve))
        .route("/colours.css", get(static_files::colours))
        .fallback(|| async { WebError::not_found("page") })
        // Outermost last: the page layer also renders the origin check's refusals.
        .layer(from_fn_with_state(state.clone(), csrf::check_origin))
        .layer(from_fn_with_state(state.clone(), page::chrome))
        .with_state(state)
}

/// Serves the UI on `listener` until `shutdown` completes, then finishes open requests.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
