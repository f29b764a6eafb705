//! `/settings/labels`: every label with its colour, renamed or recoloured in place, and new
//! ones added. Tickets keep their labels through a rename (they refer to the label's id).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::{Colour, LabelId};
use minijinja::context;

use super::{guard, refusal};
use crate::form::PostForm;
use crate::session::User;
use crate::{AppState, WebError};

async fn render(
    state: &AppState,
    user: &User,
    refused: Option<(StatusCode, String)>,
) -> Result<Response, WebError> {
    let labels = state.db(|s| Ok(s.labels()?)).await?;
    let rows: Vec<_> = labels
        .iter()
        .map(|l| context! { id => l.id.0, name => l.name.clone(), colour => l.colour.as_str() })
        .collect();
    let ctx = context! { section => "labels", labels => rows };
    super::draw(state, user, "settings_labels.html", ctx, refused)
}

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    render(&state, &user, None).await
}

fn colour(form: &PostForm) -> Result<Option<Colour>, WebError> {
    form.get("colour")
        .map(Colour::parse)
        .transpose()
        .map_err(|e| WebError::BadRequest(e.to_string()))
}

pub(crate) async fn add(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let name = form.get("name").unwrap_or("").to_string();
    let colour = colour(&form)?;
    let actor = form.user.actor();
    let done = state
        .db(move |s| Ok(s.add_label(actor, &name, colour).map(|_| ())))
        .await?;
    match done {
        Ok(()) => Ok(Redirect::to("/settings/labels").into_response()),
        Err(e) => render(&state, &form.user, Some(refusal(e)?)).await,
    }
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let name = form.require("name")?.to_string();
    let colour = colour(&form)?
        .ok_or_else(|| WebError::BadRequest("the form misses the field `colour`".into()))?;
    let actor = form.user.actor();
    let done = state
        .db(move |s| {
            Ok(s.update_label(actor, LabelId(id), &name, colour)
                .map(|_| ()))
        })
        .await?;
    match done {
        Ok(()) => Ok(Redirect::to("/settings/labels").into_response()),
        Err(e) => render(&state, &form.user, Some(refusal(e)?)).await,
    }
}
