//! `/settings/inboxes`: the inboxes as the config file defines them (README: "Inboxes are
//! defined in the config"), read-only, with the key and environment variable that change each
//! setting — never a password — and a button per inbox that tests its IMAP and SMTP
//! connections through the binary's [`ConnectionTester`](crate::ConnectionTester).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use hako_config::{InboxConfig, Secret, env_name};
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use crate::connection::ConnectionReport;
use crate::form::PostForm;
use crate::render::page;
use crate::session::User;
use crate::{AppState, WebError};

/// Where a password comes from, never what it is.
fn password_source(password: &Option<Secret>, command: &Option<String>) -> &'static str {
    match (password, command) {
        (Some(_), _) => "settings.password_set",
        (None, Some(_)) => "settings.password_command",
        (None, None) => "settings.password_none",
    }
}

fn result(r: &Option<Result<String, String>>) -> Value {
    match r {
        None => context! { skipped => true, ok => false, text => "" },
        Some(Ok(answer)) => context! { skipped => false, ok => true, text => answer },
        Some(Err(e)) => context! { skipped => false, ok => false, text => e },
    }
}

fn inbox_value(i: &InboxConfig, tested: Option<&ConnectionReport>) -> Value {
    let imap = i.imap.as_ref().map(|m| {
        context! {
            host => m.host.clone(), port => m.port, security => m.security.to_string(),
            username => m.username.clone(), folders => m.folders.join(", "),
            password => password_source(&m.password, &m.password_command),
        }
    });
    let smtp = i.smtp.as_ref().map(|m| {
        context! {
            host => m.host.clone(), port => m.port, security => m.security.to_string(),
            username => m.username.clone(),
            password => password_source(&m.password, &m.password_command),
        }
    });
    context! {
        name => i.name.clone(),
        address => i.address.clone(),
        display_name => i.display_name.clone(),
        signature => i.signature.clone(),
        require_approval => i.require_approval,
        auto_reply => i.auto_reply.clone(),
        imap,
        smtp,
        env => format!("HAKO_INBOX__{}__", env_name(&i.name)),
        tested => tested.map(|r| context! { imap => result(&r.imap), smtp => result(&r.smtp) }),
    }
}

fn render(
    state: &AppState,
    user: &User,
    tested: Option<(&str, &ConnectionReport)>,
) -> Result<Response, WebError> {
    let inboxes: Vec<Value> = state
        .settings()
        .inboxes
        .iter()
        .map(|i| inbox_value(i, tested.filter(|t| t.0 == i.name).map(|t| t.1)))
        .collect();
    let ctx = context! {
        section => "inboxes",
        inboxes,
        can_test => state.connection_tester().is_some(),
    };
    Ok(page(state, user, "settings_inboxes.html", ctx)?.into_response())
}

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    render(&state, &user, None)
}

/// Runs the connection test of one inbox and shows its answer on the page.
pub(crate) async fn test(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let inbox = state
        .settings()
        .inboxes
        .iter()
        .find(|i| i.name == name)
        .cloned()
        .ok_or_else(|| WebError::not_found(format!("inbox {name}")))?;
    let tester = state
        .connection_tester()
        .cloned()
        .ok_or_else(|| WebError::BadRequest("the connection test is not available here".into()))?;
    let report = tester(inbox).await;
    render(&state, &form.user, Some((&name, &report)))
}
