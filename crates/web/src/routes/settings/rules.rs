//! `/settings/rules`: the rules for new mail in the order they run (README: "Rules and
//! assignment"), each with its conditions and actions in words, moved up or down, enabled or
//! disabled, deleted; the editor is in `rule_form`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::RuleId;
use minijinja::context;
use minijinja::value::Value;

use super::guard;
use super::rule_form::FIELDS;
use crate::form::PostForm;
use crate::i18n::text;
use crate::render::page;
use crate::session::User;
use crate::{AppState, WebError};

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let lang = user.lang;
    let rows = state
        .db(move |s| {
            let rules = s.rules()?;
            let n = rules.len() as u32;
            rules
                .iter()
                .map(|e| {
                    let conditions: Vec<Value> = FIELDS
                        .iter()
                        .flat_map(|f| e.rule.conditions.iter().filter(move |c| c.field == *f))
                        .map(|c| {
                            context! {
                                field => text(lang, &format!("rules.field.{}", c.field.as_str())),
                                values => c.values.join(" / "),
                            }
                        })
                        .collect();
                    let actions = e
                        .rule
                        .actions
                        .iter()
                        .map(|a| s.describe_action(a))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(context! {
                        id => e.id().0,
                        position => e.position,
                        name => e.rule.name.clone(),
                        enabled => e.rule.enabled,
                        conditions,
                        actions,
                        first => e.position == 1,
                        last => e.position == n,
                    })
                })
                .collect::<Result<Vec<Value>, WebError>>()
        })
        .await?;
    let ctx = context! { section => "rules", rules => rows };
    Ok(page(&state, &user, "settings_rules.html", ctx)?.into_response())
}

fn back() -> Response {
    Redirect::to("/settings/rules").into_response()
}

/// Up or down one place (`to` is the new position).
pub(crate) async fn move_to(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let to: u32 = form
        .require("to")?
        .parse()
        .map_err(|_| WebError::BadRequest("to: not a position".into()))?;
    let actor = form.user.actor();
    state
        .db(move |s| Ok(s.move_rule(actor, RuleId(id), to).map(|_| ())?))
        .await?;
    Ok(back())
}

pub(crate) async fn enabled(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let on = form.require("enabled")? == "1";
    let actor = form.user.actor();
    state
        .db(move |s| Ok(s.set_rule_enabled(actor, RuleId(id), on).map(|_| ())?))
        .await?;
    Ok(back())
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let actor = form.user.actor();
    state
        .db(move |s| Ok(s.delete_rule(actor, RuleId(id))?))
        .await?;
    Ok(back())
}
