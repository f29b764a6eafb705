//! Ticket actions, each a POSTed form (CSRF-checked by [`PostForm`]) carrying the version the
//! page showed, so a change made meanwhile by someone else is a 409 "reload", never a silent
//! overwrite: take, assign, labels, status, snooze, split, merge, note, and the inbox view's
//! bulk changes (all or nothing). Every change writes its audit event in the store.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::split::SplitMode;
use hako_domain::{MessageId, TicketNumber};
use hako_store::{Change, Expect, Store};

use super::{number, options, visible_ticket};
use crate::form::{PostForm, local_path};
use crate::session::User;
use crate::{AppState, WebError};

pub(crate) fn expect(form: &PostForm) -> Result<Expect, WebError> {
    match form.get("version") {
        None => Ok(Expect::Any),
        Some(v) => v
            .parse()
            .map(Expect::Version)
            .map_err(|_| WebError::BadRequest(format!("version {v}: not a number"))),
    }
}

/// Applies the change `build` makes from the form to ticket `raw`, then shows the ticket.
async fn change<F>(
    state: AppState,
    raw: String,
    form: PostForm,
    build: F,
) -> Result<Response, WebError>
where
    F: FnOnce(&mut Store, &PostForm) -> Result<Change, WebError> + Send + 'static,
{
    let n = number(&raw)?;
    let expect = expect(&form)?;
    state
        .db(move |s| {
            visible_ticket(s, &form.user, n)?;
            let c = build(s, &form)?;
            s.apply(form.user.actor(), n, &c, expect)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/t/{}", n.0)).into_response())
}

pub(crate) fn agent_change(s: &Store, email: Option<&str>) -> Result<Change, WebError> {
    Ok(Change::Assign(match email {
        None => None,
        Some(e) => Some(s.agent_by_email(e)?.id),
    }))
}

pub(crate) async fn take(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    change(state, raw, form, |_, f| Ok(Change::Take(f.user.agent.id))).await
}

pub(crate) async fn assign(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    change(state, raw, form, |s, f| agent_change(s, f.get("assignee"))).await
}

pub(crate) async fn labels(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    change(state, raw, form, |s, f| {
        let label = s.label_by_name(f.require("label")?)?.id;
        match f.get("op") {
            Some("remove") => Ok(Change::RemoveLabel(label)),
            _ => Ok(Change::AddLabel(label)),
        }
    })
    .await
}

pub(crate) async fn status(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    change(state, raw, form, |_, f| {
        Ok(Change::SetStatus(options::status_from(
            f.require("status")?,
            f.get("reason"),
        )?))
    })
    .await
}

pub(crate) async fn snooze(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    change(state, raw, form, |s, f| {
        let when = f.get("when").or(f.get("until")).ok_or_else(|| {
            WebError::BadRequest("choose when the ticket should come back".into())
        })?;
        Ok(Change::SetStatus(options::snooze_until(
            when,
            s.now(),
            f.user.tz,
        )?))
    })
    .await
}

pub(crate) async fn split(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let expect = expect(&form)?;
    let new = state
        .db(move |s| {
            visible_ticket(s, &form.user, n)?;
            let m: i64 = form
                .require("message")?
                .parse()
                .map_err(|_| WebError::BadRequest("message: not a number".into()))?;
            let mode = if form.get("with_later").is_some() {
                SplitMode::WithLater
            } else {
                SplitMode::Only
            };
            // A message of another ticket is as unknown here as a ticket one may not see.
            let on_ticket = s.ticket_detail(n)?.messages.iter().any(|x| x.id.0 == m);
            if !on_ticket {
                return Err(WebError::not_found(format!("message {m} of ticket {n}")));
            }
            Ok(s.split(form.user.actor(), n, MessageId(m), mode, expect)?
                .number)
        })
        .await?;
    Ok(Redirect::to(&format!("/t/{}", new.0)).into_response())
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let expect = expect(&form)?;
    let into = number(form.require("into")?)?;
    state
        .db(move |s| {
            visible_ticket(s, &form.user, n)?;
            visible_ticket(s, &form.user, into)?;
            s.merge(form.user.actor(), n, into, expect)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/t/{}", into.0)).into_response())
}

pub(crate) async fn note(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    state
        .db(move |s| {
            visible_ticket(s, &form.user, n)?;
            s.add_note(form.user.agent.id, n, form.require("body")?)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&format!("/t/{}", n.0)).into_response())
}

/// The inbox view's bulk form: one change to every checked ticket, or to none.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    let back = local_path(form.get("return_to"));
    let numbers = form
        .all("n")
        .iter()
        .map(|n| number(n))
        .collect::<Result<Vec<TicketNumber>, _>>()?;
    if numbers.is_empty() {
        return Err(WebError::BadRequest(
            "select at least one ticket first".into(),
        ));
    }
    state
        .db(move |s| {
            for n in &numbers {
                visible_ticket(s, &form.user, *n)?;
            }
            let c = bulk_change(s, &form, &form.user)?;
            s.apply_bulk(form.user.actor(), &numbers, &c)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to(&back).into_response())
}

fn bulk_change(s: &Store, f: &PostForm, user: &User) -> Result<Change, WebError> {
    match f.require("do")? {
        "assign" => agent_change(s, f.get("assignee")),
        "label" => Ok(Change::AddLabel(s.label_by_name(f.require("label")?)?.id)),
        "unlabel" => Ok(Change::RemoveLabel(
            s.label_by_name(f.require("label")?)?.id,
        )),
        "status" => Ok(Change::SetStatus(options::status_from(
            f.require("status")?,
            None,
        )?)),
        "snooze" => Ok(Change::SetStatus(options::snooze_until(
            f.require("when")?,
            s.now(),
            user.tz,
        )?)),
        other => Err(WebError::BadRequest(format!("unknown bulk action {other}"))),
    }
}
