//! `/settings/inboxes`: every inbox with where its settings come from — the config file, or
//! the web UI (saved in the database, winning over the file's entry until reverted; see
//! `hako_config::overlay_inboxes`) — never a password, with a button per inbox that tests its
//! IMAP and SMTP connections through the binary's [`ConnectionTester`](crate::ConnectionTester)
//! and, for an edited inbox, one that reverts it to the file. The form is in `inbox_form`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hako_config::{
    InboxConfig, InboxSource, Secret, env_name, inbox_from_toml, overlay_with_sources,
};
use hako_domain::EmailAddress;
use hako_store::NewInbox;
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use crate::connection::ConnectionReport;
use crate::form::PostForm;
use crate::render::page;
use crate::session::User;
use crate::{AppState, WebError};

/// The inbox row a config entry describes (the binary's config sync uses it too).
pub fn inbox_row(ic: &InboxConfig) -> Result<NewInbox, String> {
    Ok(NewInbox {
        name: ic.name.clone(),
        address: EmailAddress::parse(&ic.address)
            .map_err(|e| format!("inbox {}: address: {e}", ic.name))?,
        display_name: ic.display_name.clone(),
        signature: ic.signature.clone(),
        requires_approval: ic.require_approval,
        auto_reply: ic.auto_reply.clone(),
    })
}

/// The catalogue key naming where an inbox's settings come from.
pub(crate) fn source_key(source: InboxSource) -> &'static str {
    match source {
        InboxSource::File => "settings.source_file",
        InboxSource::Edited => "settings.source_edited",
        InboxSource::Added => "settings.source_added",
    }
}

/// One inbox as hako uses it.
pub(crate) struct Effective {
    /// With the file's passwords where the saved version has none.
    pub inbox: InboxConfig,
    pub source: InboxSource,
    /// As saved in the web UI (no inherited passwords): what an edit starts from.
    pub saved: Option<InboxConfig>,
}

impl Effective {
    /// What the editor starts from: the saved version, else the file's without its passwords
    /// (they stay in the file; an empty password field keeps using them).
    pub fn base(&self) -> InboxConfig {
        match &self.saved {
            Some(s) => s.clone(),
            None => {
                let mut i = self.inbox.clone();
                if let Some(m) = &mut i.imap {
                    m.password = None;
                    m.password_command = None;
                }
                if let Some(m) = &mut i.smtp {
                    m.password = None;
                    m.password_command = None;
                }
                i
            }
        }
    }
}

/// The saved inboxes, read back.
pub(crate) async fn saved_inboxes(state: &AppState) -> Result<Vec<InboxConfig>, WebError> {
    let rows = state.db(|s| Ok(s.edited_inboxes()?)).await?;
    rows.iter()
        .map(|r| {
            inbox_from_toml(&r.name, &r.settings).map_err(|e| WebError::Internal(e.to_string()))
        })
        .collect()
}

/// Every inbox, the file's first, then those added in the web UI.
pub(crate) async fn effective(state: &AppState) -> Result<Vec<Effective>, WebError> {
    let saved = saved_inboxes(state).await?;
    Ok(overlay_with_sources(&state.settings().inboxes, &saved)
        .into_iter()
        .map(|(inbox, source)| Effective {
            saved: saved.iter().find(|s| s.name == inbox.name).cloned(),
            inbox,
            source,
        })
        .collect())
}

pub(crate) async fn find(state: &AppState, name: &str) -> Result<Effective, WebError> {
    effective(state)
        .await?
        .into_iter()
        .find(|e| e.inbox.name == name)
        .ok_or_else(|| WebError::not_found(format!("inbox {name}")))
}

/// Where a password comes from, never what it is.
fn password_source(
    password: &Option<Secret>,
    command: &Option<String>,
    typed_here: bool,
) -> &'static str {
    match (password, command) {
        (Some(_), _) if typed_here => "settings.password_saved",
        (Some(_), _) => "settings.password_set",
        (None, Some(_)) => "settings.password_command",
        (None, None) => "settings.password_none",
    }
}

pub(crate) fn result(r: &Option<Result<String, String>>) -> Value {
    match r {
        None => context! { skipped => true, ok => false, text => "" },
        Some(Ok(answer)) => context! { skipped => false, ok => true, text => answer },
        Some(Err(e)) => context! { skipped => false, ok => false, text => e },
    }
}

pub(crate) fn tested_value(r: &ConnectionReport) -> Value {
    context! { imap => result(&r.imap), smtp => result(&r.smtp) }
}

fn inbox_value(e: &Effective, tested: Option<&ConnectionReport>) -> Value {
    let i = &e.inbox;
    // A password typed in the web UI is saved in the database; any other comes from the
    // file, the environment or a command.
    let saved = e.saved.as_ref();
    let typed_imap = saved
        .and_then(|s| s.imap.as_ref())
        .is_some_and(|m| m.password.is_some());
    let typed_smtp = saved
        .and_then(|s| s.smtp.as_ref())
        .is_some_and(|m| m.password.is_some());
    let imap = i.imap.as_ref().map(|m| {
        context! {
            host => m.host.clone(), port => m.port, security => m.security.to_string(),
            username => m.username.clone(), folders => m.folders.join(", "),
            password => password_source(&m.password, &m.password_command, typed_imap),
        }
    });
    let smtp = i.smtp.as_ref().map(|m| {
        context! {
            host => m.host.clone(), port => m.port, security => m.security.to_string(),
            username => m.username.clone(),
            password => password_source(&m.password, &m.password_command, typed_smtp),
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
        source => source_key(e.source),
        from_file => e.source == InboxSource::File,
        revertible => e.source == InboxSource::Edited,
        env => format!("HAKO_INBOX__{}__", env_name(&i.name)),
        tested => tested.map(tested_value),
    }
}

async fn render(
    state: &AppState,
    user: &User,
    tested: Option<(&str, &ConnectionReport)>,
) -> Result<Response, WebError> {
    let inboxes: Vec<Value> = effective(state)
        .await?
        .iter()
        .map(|e| inbox_value(e, tested.filter(|t| t.0 == e.inbox.name).map(|t| t.1)))
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
    render(&state, &user, None).await
}

/// Runs the connection test of one inbox's saved settings and shows its answer on the page.
pub(crate) async fn test(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let inbox = find(&state, &name).await?.inbox;
    let report = run_test(&state, inbox).await?;
    render(&state, &form.user, Some((&name, &report))).await
}

pub(crate) async fn run_test(
    state: &AppState,
    inbox: InboxConfig,
) -> Result<ConnectionReport, WebError> {
    let tester = state
        .connection_tester()
        .cloned()
        .ok_or_else(|| WebError::BadRequest("the connection test is not available here".into()))?;
    Ok(tester(inbox).await)
}

/// Drops the web UI's settings of an inbox the config file also defines: the file's apply
/// again (here at once, in `hako serve`'s workers within seconds).
pub(crate) async fn revert(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let e = find(&state, &name).await?;
    if e.source != InboxSource::Edited {
        return Err(WebError::BadRequest(format!(
            "inbox {name}: has no web UI settings over the config file to revert"
        )));
    }
    let file = state
        .settings()
        .inboxes
        .iter()
        .find(|i| i.name == name)
        .map(inbox_row)
        .transpose()
        .map_err(WebError::BadRequest)?;
    let actor = form.user.actor();
    state
        .db(move |s| Ok(s.revert_edited_inbox(actor, &name, file.as_ref())?))
        .await?;
    Ok(Redirect::to("/settings/inboxes").into_response())
}
