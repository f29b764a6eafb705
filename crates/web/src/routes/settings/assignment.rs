//! `/settings/assignment`: how each inbox's new tickets are assigned — by hand (manual),
//! round-robin or least-loaded, with an optional cap — and who takes part now (active agents
//! of the inbox who are not away; README: "Rules and assignment").

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::assignment::Strategy;
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use crate::form::PostForm;
use crate::i18n::text;
use crate::render::{page, ser};
use crate::session::User;
use crate::{AppState, WebError};

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let lang = user.lang;
    let inboxes = state
        .db(move |s| {
            s.inboxes()?
                .into_iter()
                .map(|i| {
                    let a = s.assignment(i.id)?;
                    let candidates: Vec<Value> = s
                        .assignment_candidates(i.id)?
                        .into_iter()
                        .map(|c| {
                            context! {
                                name => c.name, email => c.email, load => c.load,
                                last => ser(&c.last_assigned_at),
                            }
                        })
                        .collect();
                    Ok(context! {
                        name => i.name,
                        display_name => i.display_name,
                        strategy => a.strategy.as_str(),
                        cap => a.cap,
                        candidates,
                    })
                })
                .collect::<Result<Vec<Value>, WebError>>()
        })
        .await?;
    let strategies: Vec<Value> = Strategy::ALL
        .iter()
        .map(|s| context! { value => s.as_str(), label => text(lang, &format!("assignment.{}", s.as_str())) })
        .collect();
    let ctx = context! { section => "assignment", inboxes, strategies };
    Ok(page(&state, &user, "settings_assignment.html", ctx)?.into_response())
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let strategy = Strategy::parse(form.require("strategy")?)
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let cap = match form.get("cap") {
        None => None,
        Some(c) => Some(
            c.parse::<u32>()
                .map_err(|_| WebError::BadRequest(format!("cap {c}: not a number")))?,
        ),
    };
    let actor = form.user.actor();
    state
        .db(move |s| {
            let inbox = s.inbox_by_name(&name)?;
            s.set_assignment(actor, inbox.id, strategy, cap)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/settings/assignment").into_response())
}
