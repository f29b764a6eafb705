//! The reply composer and the ticket's outbox: a template picker with a live preview filled
//! with this ticket's data, the text, attachments, send / send and close / send and keep
//! pending / schedule (予約送信), the undo window, the approval state (承認) with the
//! supervisor's approve (optionally edited, with the diff) and return-with-comment, and who
//! else is viewing or writing. A reply goes through the same path as `hako reply`
//! (`hako_outbound::draft`) into the outbox; the web never speaks SMTP.
//!
//! "The ticket changed since you started writing": the form carries the ticket's version
//! when the page was drawn; if it moved (a new message, someone else's change), the reply is
//! not queued but shown again with a warning and a "send anyway" button.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use hako_domain::diff::{DiffLine, diff_lines};
use hako_domain::when::parse_when;
use hako_domain::{Role, Status, TicketNumber};
use hako_outbound::compose::{Attachment, content_type_for};
use hako_outbound::draft::{
    AttachmentRef, DraftError, DraftOptions, ReplyRequest, prepare, recompose, render_template,
};
use hako_store::outbox::{OutboxItem, OutboxState};
use hako_store::{Expect, Store, TicketDetail};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::{number, visible_ticket};
use crate::form::PostForm;
use crate::presence::Present;
use crate::render::ser;
use crate::session::User;
use crate::upload::UploadForm;
use crate::{AppState, WebError};

/// What the ticket page needs for the composer and the outbox list; also records the
/// viewer's presence.
pub(crate) fn composer(
    s: &Store,
    u: &User,
    d: &TicketDetail,
    state: &AppState,
) -> Result<Value, WebError> {
    let n = d.ticket.number;
    state.0.presence.seen(n, u.agent.id, present(u, false));
    let templates: Vec<String> = s.templates()?.into_iter().map(|t| t.name).collect();
    let now = s.now();
    let outbox: Vec<Value> = s
        .outbox_of_ticket(n)?
        .iter()
        .map(|o| item_view(o, u, now))
        .collect();
    Ok(context! {
        templates,
        outbox,
        others => ser(&state.0.presence.others(n, u.agent.id)),
        can_send => u.agent.can_send,
        approval => d.inbox.requires_approval && u.agent.role == Role::Agent,
        undo_seconds => state.settings().undo_seconds,
    })
}

fn present(u: &User, replying: bool) -> Present {
    Present {
        name: u.agent.name.clone(),
        colour: u.agent.colour.to_string(),
        replying,
    }
}

fn is_reviewer(u: &User) -> bool {
    u.agent.role != Role::Agent
}

fn item_view(o: &OutboxItem, u: &User, now: hako_domain::Timestamp) -> Value {
    let mine = o.author == Some(u.agent.id);
    let waiting = matches!(
        o.state,
        OutboxState::Queued | OutboxState::Approval | OutboxState::Returned
    );
    let diff: Vec<Value> = o
        .original_body
        .as_deref()
        .map(|before| {
            diff_lines(before, &o.body)
                .into_iter()
                .map(|l| match l {
                    DiffLine::Same(t) => context! { op => "same", line => t },
                    DiffLine::Removed(t) => context! { op => "removed", line => t },
                    DiffLine::Added(t) => context! { op => "added", line => t },
                })
                .collect()
        })
        .unwrap_or_default();
    context! {
        id => o.id,
        state => ser(&o.state),
        to => o.recipients.join(", "),
        subject => o.subject.clone(),
        body => o.body.clone(),
        send_at => ser(&o.send_at),
        // Still inside the undo window or scheduled: the page counts down and offers Undo.
        pending_send => o.state == OutboxState::Queued && o.send_at > now && o.attempts == 0,
        seconds_left => (o.send_at - now).num_seconds().max(0),
        last_error => o.last_error.clone(),
        review_comment => o.review_comment.clone(),
        diff,
        can_cancel => waiting && (mine || is_reviewer(u)),
        can_review => o.state == OutboxState::Approval && is_reviewer(u) && !mine,
        can_resubmit => o.state == OutboxState::Returned && mine,
    }
}

#[derive(Deserialize)]
pub(crate) struct PreviewQuery {
    template: Option<String>,
    body: Option<String>,
}

/// The template rendered with this ticket's data (the composer's live preview): `{text}` or
/// `{error, line}`.
pub(crate) async fn preview(
    State(state): State<AppState>,
    user: User,
    Path(raw): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let tz = user.tz;
    let out = state
        .db(move |s| {
            visible_ticket(s, &user, n)?;
            let body = q.body.unwrap_or_default();
            Ok(match q.template.filter(|t| !t.is_empty()) {
                None => serde_json::json!({ "text": body }),
                Some(name) => match render_template(s, &name, n, Some(&user.agent), &body, tz) {
                    Ok(text) => serde_json::json!({ "text": text }),
                    Err(DraftError::Template(e)) => {
                        serde_json::json!({ "error": e.to_string(), "line": e.line })
                    }
                    Err(e) => return Err(draft_error(e)),
                },
            })
        })
        .await?;
    Ok(Json(out).into_response())
}

fn draft_error(e: DraftError) -> WebError {
    match e {
        DraftError::Store(e) => e.into(),
        other => WebError::BadRequest(other.to_string()),
    }
}

/// The composer's fields, kept to draw the form again when the reply is not queued.
fn draft_view(f: &UploadForm, kept: &[AttachmentRef], problem: &str, changed: bool) -> Value {
    context! {
        body => f.raw("body").unwrap_or_default(),
        template => f.get("template"),
        reply_all => f.checked("reply_all"),
        quote => f.checked("quote"),
        tag => f.checked("tag"),
        then => f.get("then"),
        send_at => f.get("send_at"),
        kept => kept.iter().map(|a| context! {
            value => format!("{}\t{}\t{}", a.hash, a.content_type, a.filename),
            filename => a.filename.clone(),
        }).collect::<Vec<_>>(),
        problem,
        changed,
    }
}

/// Files posted now, stored as blobs, plus those kept from a refused send.
fn attachments(s: &mut Store, f: &UploadForm) -> Result<Vec<AttachmentRef>, WebError> {
    let mut refs: Vec<AttachmentRef> = f
        .all("kept")
        .iter()
        .filter_map(|v| {
            let mut it = v.splitn(3, '\t');
            Some(AttachmentRef {
                hash: it.next()?.to_string(),
                content_type: it.next()?.to_string(),
                filename: it.next()?.to_string(),
            })
        })
        .collect();
    // A kept reference must name a blob that exists: the form is the user's to edit.
    for r in &refs {
        s.blob(&hako_domain::ContentHash::from_hex(r.hash.clone()))
            .map_err(|_| WebError::BadRequest(format!("attachment {}: not found", r.filename)))?;
    }
    let mut o = DraftOptions::default();
    let files = f
        .files
        .iter()
        .map(|x| Attachment {
            filename: x.filename.clone(),
            content_type: x
                .content_type
                .clone()
                .filter(|t| t != "application/octet-stream")
                .unwrap_or_else(|| content_type_for(&x.filename).to_string()),
            data: x.data.clone(),
        })
        .collect();
    o.attach(s, files).map_err(draft_error)?;
    refs.extend(o.attachments);
    Ok(refs)
}

enum Sent {
    Queued,
    Refused { draft: Value, code: StatusCode },
}

/// `POST /t/{n}/reply`: queue the reply (or show the composer again, saying why not).
pub(crate) async fn send(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: UploadForm,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let user = form.user.clone();
    let (undo, retry) = (
        i64::from(state.settings().undo_seconds),
        i64::from(state.settings().retry_hours),
    );
    let outcome = state
        .db(move |s| {
            let t = visible_ticket(s, &form.user, n)?;
            let kept = attachments(s, &form)?;
            let refuse = |problem: String, changed: bool, code| Sent::Refused {
                draft: draft_view(&form, &kept, &problem, changed),
                code,
            };
            let began: Option<i64> = form.get("version").and_then(|v| v.parse().ok());
            if began.is_some_and(|v| v != t.version) && !form.checked("confirm") {
                return Ok(refuse(String::new(), true, StatusCode::CONFLICT));
            }
            let text = form.raw("body").unwrap_or_default().to_string();
            let body = match form.get("template") {
                None => text,
                Some(name) => {
                    match render_template(s, name, n, Some(&form.user.agent), &text, form.user.tz) {
                        Ok(b) => b,
                        Err(DraftError::Template(e)) => {
                            return Ok(refuse(e.to_string(), false, StatusCode::BAD_REQUEST));
                        }
                        Err(e) => return Err(draft_error(e)),
                    }
                }
            };
            if body.trim().is_empty() {
                let problem = crate::i18n::text(form.user.lang, "reply.empty").to_string();
                return Ok(refuse(problem, false, StatusCode::BAD_REQUEST));
            }
            let now = s.now();
            let send_at = match form.get("send_at").filter(|_| form.checked("schedule")) {
                Some(at) => parse_when(&at.replace('T', " "), now, form.user.tz)
                    .map_err(|e| WebError::BadRequest(format!("send at {at}: {e}")))?,
                None => now + Duration::seconds(undo),
            };
            let status_after = match form.get("then") {
                Some("closed") => Some(Status::Closed),
                Some("pending") => Some(Status::Pending { reason: None }),
                _ => None,
            };
            let request = ReplyRequest {
                ticket: n,
                author: Some(&form.user.agent),
                body,
                options: DraftOptions {
                    reply_all: form.checked("reply_all"),
                    tag: form.checked("tag"),
                    quote: form.checked("quote"),
                    attachments: kept.clone(),
                },
                send_at,
                retry_for: Duration::hours(retry),
                status_after,
                automatic: false,
            };
            let new = match prepare(s, &request) {
                Ok(r) => r,
                Err(DraftError::Compose { source, .. }) => {
                    return Ok(refuse(source.to_string(), false, StatusCode::BAD_REQUEST));
                }
                Err(e) => return Err(draft_error(e)),
            };
            s.queue_reply(form.user.actor(), &new, Expect::Any)?;
            Ok(Sent::Queued)
        })
        .await?;
    match outcome {
        Sent::Queued => Ok(Redirect::to(&format!("/t/{}#outbox", n.0)).into_response()),
        Sent::Refused { draft, code } => {
            super::ticket::render(&state, &user, n, false, draft, code).await
        }
    }
}

/// The heartbeat of an open ticket page: records the user (writing or not) and answers who
/// else is there.
pub(crate) async fn heartbeat(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let user = form.user.clone();
    state
        .db(move |s| visible_ticket(s, &user, n).map(drop))
        .await?;
    let replying = form.get("replying") == Some("1");
    let p = &state.0.presence;
    p.seen(n, form.user.agent.id, present(&form.user, replying));
    Ok(Json(p.others(n, form.user.agent.id)).into_response())
}

/// Runs `f` on outbox entry `id` if the user may see its ticket (else 404), then shows the
/// ticket's outbox.
async fn on_item<F>(state: AppState, id: String, form: PostForm, f: F) -> Result<Response, WebError>
where
    F: FnOnce(&mut Store, &PostForm, &OutboxItem) -> Result<(), WebError> + Send + 'static,
{
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::not_found(format!("outbox entry {id}")))?;
    let n: TicketNumber = state
        .db(move |s| {
            let item = s
                .outbox_item(id)
                .map_err(|_| WebError::not_found(format!("outbox entry {id}")))?;
            visible_ticket(s, &form.user, item.ticket)
                .map_err(|_| WebError::not_found(format!("outbox entry {id}")))?;
            f(s, &form, &item)?;
            Ok(item.ticket)
        })
        .await?;
    Ok(Redirect::to(&format!("/t/{}#outbox", n.0)).into_response())
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    on_item(state, id, form, |s, f, item| {
        if item.author != Some(f.user.agent.id) && !is_reviewer(&f.user) {
            return Err(WebError::Forbidden(format!(
                "outbox entry {}: only its author or a supervisor stops it",
                item.id
            )));
        }
        Ok(s.outbox_cancel(f.user.actor(), item.id)?)
    })
    .await
}

/// The new text of an edited reply, composed again (same Message-ID), if it changed.
fn edit(
    s: &mut Store,
    f: &PostForm,
    item: &OutboxItem,
) -> Result<Option<hako_store::outbox::Edit>, WebError> {
    match f.get("body") {
        Some(b) if b != item.body.trim() => recompose(s, item, b).map(Some).map_err(draft_error),
        _ => Ok(None),
    }
}

pub(crate) async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    on_item(state, id, form, |s, f, item| {
        let e = edit(s, f, item)?;
        s.outbox_approve(f.user.actor(), item.id, e.as_ref(), f.get("comment"))?;
        Ok(())
    })
    .await
}

pub(crate) async fn return_to_author(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    on_item(state, id, form, |s, f, item| {
        s.outbox_return(
            f.user.actor(),
            item.id,
            f.get("comment").unwrap_or_default(),
        )?;
        Ok(())
    })
    .await
}

pub(crate) async fn resubmit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    on_item(state, id, form, |s, f, item| {
        let e = edit(s, f, item)?;
        s.outbox_resubmit(f.user.actor(), item.id, e.as_ref())?;
        Ok(())
    })
    .await
}
