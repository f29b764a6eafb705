//! The inbox editor: `/settings/inboxes/new` and `/settings/inboxes/{name}`. Address, display
//! name, signature, approval, automatic reply, and the IMAP and SMTP servers. "Save" checks
//! the inbox together with every other one (as the loader checks the file) and stores it in
//! the database, where it wins over the config file (see `inboxes`); "Test" runs the
//! connection test on the values as typed, without saving. Passwords are never shown: an
//! empty password field keeps the current one (the file's, for an inbox from the file).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_config::{
    ImapConfig, InboxConfig, Security, SmtpConfig, check_inboxes, inbox_changes, inbox_to_toml,
    overlay_inboxes,
};
use hako_store::InboxEdit;
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use super::inboxes::{
    Effective, find, inbox_row, run_test, saved_inboxes, source_key, tested_value,
};
use crate::connection::ConnectionReport;
use crate::form::PostForm;
use crate::session::User;
use crate::{AppState, WebError};

/// `/settings/inboxes/new` is the form's own address, so no inbox may be called that.
const RESERVED: &str = "new";

/// The longest value the audit log quotes (a signature can be long).
const AUDIT_VALUE: usize = 80;

const SECURITIES: [&str; 3] = ["tls", "starttls", "none"];

fn blank(name: &str) -> InboxConfig {
    InboxConfig {
        name: name.to_owned(),
        address: String::new(),
        display_name: String::new(),
        signature: String::new(),
        require_approval: false,
        auto_reply: None,
        imap: None,
        smtp: None,
    }
}

/// What the form shows: the values (never a password) and where each password comes from.
fn form_value(i: &InboxConfig, current: Option<&InboxConfig>) -> Value {
    let has = |p: bool, c: bool| p || c;
    let imap_pw = current
        .and_then(|c| c.imap.as_ref())
        .is_some_and(|m| has(m.password.is_some(), m.password_command.is_some()));
    let smtp_pw = current
        .and_then(|c| c.smtp.as_ref())
        .is_some_and(|m| has(m.password.is_some(), m.password_command.is_some()));
    let imap = i.imap.as_ref();
    let smtp = i.smtp.as_ref();
    context! {
        name => i.name.clone(),
        address => i.address.clone(),
        display_name => i.display_name.clone(),
        signature => i.signature.clone(),
        require_approval => i.require_approval,
        auto_reply => i.auto_reply.clone().unwrap_or_default(),
        imap_enabled => imap.is_some(),
        imap_host => imap.map(|m| m.host.clone()).unwrap_or_default(),
        imap_port => imap.map_or(993, |m| m.port),
        imap_security => imap.map_or("tls".to_owned(), |m| m.security.to_string()),
        imap_username => imap.map(|m| m.username.clone()).unwrap_or_default(),
        imap_folders => imap.map_or("INBOX".to_owned(), |m| m.folders.join(", ")),
        imap_sent_folder => imap.and_then(|m| m.sent_folder.clone()).unwrap_or_default(),
        imap_password_set => imap_pw,
        smtp_enabled => smtp.is_some(),
        smtp_host => smtp.map(|m| m.host.clone()).unwrap_or_default(),
        smtp_port => smtp.map_or(587, |m| m.port),
        smtp_security => smtp.map_or("starttls".to_owned(), |m| m.security.to_string()),
        smtp_username => smtp.and_then(|m| m.username.clone()).unwrap_or_default(),
        smtp_password_set => smtp_pw,
    }
}

/// What the page needs besides the inbox.
struct Shown<'a> {
    /// `None` for a new inbox.
    existing: Option<&'a Effective>,
    error: Option<String>,
    tested: Option<ConnectionReport>,
}

async fn render(
    state: &AppState,
    user: &User,
    inbox: &InboxConfig,
    shown: Shown<'_>,
) -> Result<Response, WebError> {
    let templates: Vec<String> = state
        .db(|s| Ok(s.templates()?.into_iter().map(|t| t.name).collect()))
        .await?;
    let current = shown.existing.map(|e| &e.inbox);
    let ctx = context! {
        section => "inboxes",
        inbox => form_value(inbox, current),
        new => shown.existing.is_none(),
        source => shown.existing.map(|e| source_key(e.source)),
        templates,
        securities => SECURITIES,
        can_test => state.connection_tester().is_some(),
        tested => shown.tested.as_ref().map(tested_value),
    };
    let refused = shown.error.map(|e| (StatusCode::BAD_REQUEST, e));
    super::draw(state, user, "settings_inbox.html", ctx, refused)
}

pub(crate) async fn new(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let shown = Shown {
        existing: None,
        error: None,
        tested: None,
    };
    render(&state, &user, &blank(""), shown).await
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    user: User,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let e = find(&state, &name).await?;
    let shown = Shown {
        existing: Some(&e),
        error: None,
        tested: None,
    };
    render(&state, &user, &e.base(), shown).await
}

/// The new inbox form's post.
pub(crate) async fn create(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let name = form.get("name").unwrap_or("").to_owned();
    let taken = find(&state, &name).await.is_ok() || name.eq_ignore_ascii_case(RESERVED);
    let built = build(blank(&name), &form);
    if taken {
        let inbox = built.0;
        let error = Some(format!("an inbox called `{name}` exists already"));
        let shown = Shown {
            existing: None,
            error,
            tested: None,
        };
        return render(&state, &form.user, &inbox, shown).await;
    }
    submit(&state, &form, None, built).await
}

/// The edit form's post.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let e = find(&state, &name).await?;
    let built = build(e.base(), &form);
    submit(&state, &form, Some(&e), built).await
}

/// Tests or saves what `build` made of the form; a refusal draws the form again, as typed.
async fn submit(
    state: &AppState,
    form: &PostForm,
    existing: Option<&Effective>,
    built: (InboxConfig, Option<String>),
) -> Result<Response, WebError> {
    let user = &form.user;
    let refuse = |inbox: InboxConfig, error: String| async move {
        let shown = Shown {
            existing,
            error: Some(error),
            tested: None,
        };
        render(state, user, &inbox, shown).await
    };
    let inbox = match built {
        (i, Some(e)) => return refuse(i, e).await,
        (i, None) => i,
    };
    // The inbox as hako would use it: among all the others, with the file's passwords.
    let mut saved = saved_inboxes(state).await?;
    saved.retain(|s| s.name != inbox.name);
    saved.push(inbox.clone());
    let all = overlay_inboxes(&state.settings().inboxes, saved);
    if let Err(e) = check_inboxes(&all) {
        return refuse(inbox, e.to_string()).await;
    }
    let used = all
        .iter()
        .find(|i| i.name == inbox.name)
        .cloned()
        .ok_or_else(|| WebError::Internal(format!("inbox {}: lost in the check", inbox.name)))?;
    if let Some(missing) = missing_password(&used) {
        return refuse(inbox, missing.into()).await;
    }
    if let Some(t) = &inbox.auto_reply {
        let t = t.clone();
        let known = state.db(move |s| Ok(s.template(&t).is_ok())).await?;
        if !known {
            return refuse(inbox, "the automatic reply names no template".into()).await;
        }
    }
    if form.get("do") == Some("test") {
        let tested = Some(run_test(state, used).await?);
        let shown = Shown {
            existing,
            error: None,
            tested,
        };
        return render(state, user, &inbox, shown).await;
    }
    let row = match inbox_row(&used) {
        Ok(r) => r,
        Err(e) => return refuse(inbox, e).await,
    };
    let settings = inbox_to_toml(&inbox).map_err(|e| WebError::Internal(e.to_string()))?;
    let edit = describe(existing.map(|e| &e.inbox), &used);
    let actor = user.actor();
    let done = state
        .db(move |s| Ok(s.save_edited_inbox(actor, &row, &settings, &edit)))
        .await?;
    match done {
        Ok(_) => Ok(Redirect::to("/settings/inboxes").into_response()),
        Err(e) => {
            let (_, message) = super::refusal(e)?;
            refuse(inbox, message).await
        }
    }
}

/// A server that would have to log in without a password. The config file's password is
/// only used with the file's own server, port and user name (`overlay_inboxes`), so a
/// changed one needs the password typed: for the test as for saving.
fn missing_password(i: &InboxConfig) -> Option<&'static str> {
    if let Some(m) = &i.imap
        && m.password.is_none()
        && m.password_command.is_none()
    {
        return Some(
            "IMAP: type the password (the config file's is only used with its own server, \
             port and user name)",
        );
    }
    if let Some(m) = &i.smtp
        && m.username.is_some()
        && m.password.is_none()
        && m.password_command.is_none()
    {
        return Some(
            "SMTP: type the password, or leave the user name empty to send without logging in \
             (the config file's password is only used with its own server, port and user name)",
        );
    }
    None
}

/// The audit log's before and after: the changed keys only.
fn describe(before: Option<&InboxConfig>, after: &InboxConfig) -> InboxEdit {
    let short = |v: &str| {
        let v: String = v.chars().take(AUDIT_VALUE).collect();
        format!("{v:?}")
    };
    let before_all = before.cloned().unwrap_or_else(|| blank(&after.name));
    let changes = inbox_changes(&before_all, after);
    let list = |pick: &dyn Fn(&hako_config::InboxChange) -> String| {
        changes
            .iter()
            .map(|c| format!("{} {}", c.key, pick(c)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let new_account = before.is_some_and(|b| {
        after.imap.is_some() && hako_config::imap_account(b) != hako_config::imap_account(after)
    });
    let mut after_text = list(&|c| short(&c.after));
    if new_account {
        after_text.push_str("; another IMAP account: its folders sync from the start");
    }
    InboxEdit {
        before: if before.is_none() {
            "(new inbox)".into()
        } else {
            list(&|c| short(&c.before))
        },
        after: after_text,
        new_account,
    }
}

/// The form's values over `base` (which keeps the keys the form does not show: IMAP policy,
/// CA file, password command …), and what is wrong with them, if something is.
fn build(base: InboxConfig, f: &PostForm) -> (InboxConfig, Option<String>) {
    let mut i = base;
    let text = |k: &str| f.get(k).unwrap_or("").to_owned();
    i.address = text("address");
    i.display_name = text("display_name");
    i.signature = f
        .raw("signature")
        .unwrap_or("")
        .replace("\r\n", "\n")
        .trim_end()
        .to_owned();
    i.require_approval = f.checked("require_approval");
    i.auto_reply = f.get("auto_reply").map(str::to_owned);
    let mut problem = None;
    let mut note = |e: String| {
        problem.get_or_insert(e);
    };
    i.imap = if f.checked("imap_enabled") {
        let mut m = i
            .imap
            .take()
            .unwrap_or_else(|| ImapConfig::new(String::new(), 993, Security::Tls, String::new()));
        (m.host, m.port, m.security) = endpoint(f, "imap", (m.port, m.security), &mut note);
        m.username = text("imap_username");
        m.folders = text("imap_folders")
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        m.sent_folder = f.get("imap_sent_folder").map(str::to_owned);
        // As typed: spaces may belong to a password.
        if let Some(p) = f.raw("imap_password").filter(|p| !p.is_empty()) {
            m.password = Some(p.to_owned().into());
            m.password_command = None;
        }
        Some(m)
    } else {
        None
    };
    i.smtp = if f.checked("smtp_enabled") {
        let mut m = i
            .smtp
            .take()
            .unwrap_or_else(|| SmtpConfig::new(String::new(), 587, Security::Starttls));
        (m.host, m.port, m.security) = endpoint(f, "smtp", (m.port, m.security), &mut note);
        m.username = f.get("smtp_username").map(str::to_owned);
        // As typed: spaces may belong to a password.
        if let Some(p) = f.raw("smtp_password").filter(|p| !p.is_empty()) {
            m.password = Some(p.to_owned().into());
            m.password_command = None;
        }
        if m.username.is_none() {
            // Without a username hako sends without AUTH: no password to keep.
            m.password = None;
            m.password_command = None;
        }
        Some(m)
    } else {
        None
    };
    hako_config::name_servers(&mut i);
    (i, problem)
}

/// The host, port and security of the `section` (imap, smtp) fields; a port or security that
/// does not parse keeps the value in `now` and is noted.
fn endpoint(
    f: &PostForm,
    section: &str,
    now: (u16, Security),
    note: &mut impl FnMut(String),
) -> (String, u16, Security) {
    let host = f.get(&format!("{section}_host")).unwrap_or("").to_owned();
    let port = port(f, &format!("{section}_port")).unwrap_or_else(|e| {
        note(e);
        now.0
    });
    let security = security(f, &format!("{section}_security")).unwrap_or_else(|e| {
        note(e);
        now.1
    });
    (host, port, security)
}

fn port(f: &PostForm, key: &str) -> Result<u16, String> {
    let raw = f.get(key).unwrap_or("");
    raw.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("`{}`: the port must be a number from 1 to 65535", raw))
}

fn security(f: &PostForm, key: &str) -> Result<Security, String> {
    match f.get(key).unwrap_or("") {
        "tls" => Ok(Security::Tls),
        "starttls" => Ok(Security::Starttls),
        "none" => Ok(Security::None),
        other => Err(format!("`{other}`: security is tls, starttls or none")),
    }
}
