//! `/settings/users`: the team — role, inboxes, active, may send without approval — with a
//! form to add a user (with a first password) and one to change each. The store refuses an
//! admin deactivating or demoting themselves and any change that leaves no active admin; the
//! page says why.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::{AgentId, EmailAddress, InboxId, Role};
use hako_store::{AgentUpdate, NewAgent, Store};
use minijinja::context;
use minijinja::value::Value;

use super::{guard, refusal};
use crate::form::PostForm;
use crate::session::User;
use crate::{AppState, WebError};

const ROLES: [Role; 3] = [Role::Agent, Role::Supervisor, Role::Admin];

fn inbox_choices(s: &Store, chosen: &[InboxId]) -> Result<Vec<Value>, WebError> {
    Ok(s.inboxes()?
        .into_iter()
        .map(|i| {
            context! {
                id => i.id.0, name => i.name, display_name => i.display_name,
                checked => chosen.contains(&i.id),
            }
        })
        .collect())
}

async fn render_list(
    state: &AppState,
    user: &User,
    refused: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let me = user.agent.id;
    let ctx = state
        .db(move |s| {
            let inboxes = s.inboxes()?;
            let users: Vec<Value> = s
                .agents()?
                .into_iter()
                .map(|a| {
                    let names: Vec<String> = inboxes
                        .iter()
                        .filter(|i| a.inboxes.contains(&i.id))
                        .map(|i| i.name.clone())
                        .collect();
                    context! {
                        id => a.id.0, name => a.name, email => a.email.as_str(),
                        role => a.role.as_str(), colour => a.colour.as_str(), inboxes => names,
                        active => a.active, can_send => a.can_send, away => a.away,
                        me => a.id == me,
                    }
                })
                .collect();
            Ok(context! {
                section => "users",
                users,
                inboxes => inbox_choices(s, &[])?,
                roles => ROLES.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            })
        })
        .await?;
    super::draw(state, user, "settings_users.html", ctx, refused)
}

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    render_list(&state, &user, None).await
}

/// The inboxes ticked on a form (their ids), each one that exists.
fn chosen_inboxes(s: &Store, form: &PostForm) -> Result<Vec<InboxId>, WebError> {
    let known = s.inboxes()?;
    form.all("inbox")
        .iter()
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .map(InboxId)
                .filter(|id| known.iter().any(|i| i.id == *id))
                .ok_or_else(|| WebError::BadRequest(format!("inbox {v}: no such inbox")))
        })
        .collect()
}

fn role(form: &PostForm) -> Result<Role, WebError> {
    Role::parse(form.require("role")?).map_err(|e| WebError::BadRequest(e.to_string()))
}

pub(crate) async fn add(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let user = form.user.clone();
    let done = state
        .db(move |s| {
            let email = EmailAddress::parse(form.require("email")?)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            let new = NewAgent {
                name: form.require("name")?.to_string(),
                email,
                role: role(&form)?,
                colour: None,
                inboxes: chosen_inboxes(s, &form)?,
                password: Some(form.raw("password").unwrap_or("").to_string()),
                can_send: form.checked("can_send"),
            };
            Ok(s.add_agent(form.user.actor(), &new).map(|_| ()))
        })
        .await?;
    match done {
        Ok(()) => Ok(Redirect::to("/settings/users").into_response()),
        Err(e) => render_list(&state, &user, Some(refusal(e)?)).await,
    }
}

async fn render_edit(
    state: &AppState,
    user: &User,
    id: AgentId,
    refused: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let me = user.agent.id;
    let ctx = state
        .db(move |s| {
            let a = s.agent(id)?;
            Ok(context! {
                section => "users",
                u => context! {
                    id => a.id.0, name => a.name, email => a.email.as_str(), role => a.role.as_str(),
                    active => a.active, can_send => a.can_send, me => a.id == me,
                },
                inboxes => inbox_choices(s, &a.inboxes)?,
                roles => ROLES.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            })
        })
        .await?;
    super::draw(state, user, "settings_user.html", ctx, refused)
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    render_edit(&state, &user, AgentId(id), None).await
}

/// Which page a refused change is drawn on again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Back {
    List,
    Edit,
}

/// Applies the update `build` makes from the stored user and the form, then shows the list;
/// a refused change draws the page it came from again, saying why.
async fn apply(
    state: AppState,
    form: PostForm,
    id: AgentId,
    build: impl FnOnce(&Store, &PostForm, AgentUpdate) -> Result<AgentUpdate, WebError> + Send + 'static,
    from: Back,
) -> Result<Response, WebError> {
    let user = form.user.clone();
    let done = state
        .db(move |s| {
            let a = s.agent(id)?;
            let now = AgentUpdate {
                role: a.role,
                inboxes: a.inboxes.clone(),
                active: a.active,
                can_send: a.can_send,
            };
            let u = build(s, &form, now)?;
            Ok(s.update_agent(form.user.actor(), id, &u).map(|_| ()))
        })
        .await?;
    match (done, from) {
        (Ok(()), _) => Ok(Redirect::to("/settings/users").into_response()),
        (Err(e), Back::List) => render_list(&state, &user, Some(refusal(e)?)).await,
        (Err(e), Back::Edit) => render_edit(&state, &user, id, Some(refusal(e)?)).await,
    }
}

/// The edit form: role, inboxes, active, can send.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let build = |s: &Store, f: &PostForm, _now: AgentUpdate| {
        Ok(AgentUpdate {
            role: role(f)?,
            inboxes: chosen_inboxes(s, f)?,
            active: f.checked("active"),
            can_send: f.checked("can_send"),
        })
    };
    apply(state, form, AgentId(id), build, Back::Edit).await
}

/// The list's deactivate / reactivate button.
pub(crate) async fn active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let build = |_: &Store, f: &PostForm, now: AgentUpdate| {
        let active = match f.require("active")? {
            "1" => true,
            "0" => false,
            other => return Err(WebError::BadRequest(format!("active {other}: 0 or 1"))),
        };
        Ok(AgentUpdate { active, ..now })
    };
    apply(state, form, AgentId(id), build, Back::List).await
}

/// The list's away / back button: automatic assignment passes an away user by.
pub(crate) async fn away(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let away = form.require("away")? == "1";
    let actor = form.user.actor();
    state
        .db(move |s| Ok(s.set_away(actor, AgentId(id), away).map(|_| ())?))
        .await?;
    Ok(Redirect::to("/settings/users").into_response())
}
