//! The ticket view (`/t/{number}`): the thread in order (sender, date in the user's timezone,
//! recipients, sanitised bodies, attachments, the raw message), the actions as forms, the
//! audit trail and the way to the customer's history. Viewing records the visit (the inbox's
//! "new activity" mark).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::{Agent, Message};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use std::collections::HashMap;

use super::{number, options, visible_ticket};
use crate::form::encode;
use crate::page::RemoteImages;
use crate::render::{page, ser};
use crate::sanitize::{clean_html, escape, text_with_mentions};
use crate::session::User;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub(crate) struct ShowQuery {
    images: Option<String>,
}

enum Outcome {
    Page(Value),
    Moved(String),
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: User,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let n = number(&raw)?;
    let images = q.images.as_deref() == Some("1");
    render(
        &state,
        &user,
        n,
        images,
        Value::from(()),
        axum::http::StatusCode::OK,
    )
    .await
}

/// The ticket page for `user`, with `draft` (the composer's state after a refused send: the
/// text, the options and why it was not sent) when there is one.
pub(crate) async fn render(
    state: &AppState,
    user: &User,
    n: hako_domain::TicketNumber,
    images: bool,
    draft: Value,
    code: axum::http::StatusCode,
) -> Result<Response, WebError> {
    let u = user.clone();
    let presence = state.clone();
    let outcome = state
        .db(move |s| {
            visible_ticket(s, &u, n)?;
            let d = s.ticket_detail(n)?;
            if let Some(into) = d.merged_into {
                return Ok(Outcome::Moved(format!("/t/{}", into.0)));
            }
            s.mark_viewed(u.agent.id, n)?;
            let agents = s.agents()?;
            let all_labels = s.labels()?;
            let by_id: HashMap<_, &Agent> = agents.iter().map(|a| (a.id, a)).collect();
            let mention_names: Vec<String> = agents
                .iter()
                .flat_map(|a| {
                    let local = a.email.as_str().split('@').next().unwrap_or("").to_string();
                    [a.name.clone(), local]
                })
                .collect();
            let mut any_remote = false;
            let messages: Vec<Value> = d
                .messages
                .iter()
                .map(|m| {
                    let (v, blocked) = message_view(n.0, m, images, &by_id, &mention_names);
                    any_remote |= blocked;
                    v
                })
                .collect();
            let events: Vec<Value> = d
                .events
                .iter()
                .map(|(e, who)| {
                    context! { at => ser(&e.at), actor => who, action => e.action.as_str(), before => e.before.clone(), after => e.after.clone() }
                })
                .collect();
            let t = &d.ticket;
            let history_url = d
                .contact
                .addresses
                .first()
                .map(|a| format!("/history?contact={}", encode(a.as_str())));
            let customer = d
                .contact
                .name
                .clone()
                .or_else(|| d.contact.addresses.first().map(|a| a.to_string()))
                .unwrap_or_default();
            let tk = context! {
                number => t.number.0,
                subject => t.subject.clone(),
                inbox => d.inbox.display_name.clone(),
                status => t.status.kind().as_str(),
                reason => t.status.pending_reason(),
                until => ser(&t.status.snoozed_until()),
                customer,
                history_url,
                split_from => d.split_from.map(|s| s.0),
                version => t.version,
                assignee => d.assignee.as_ref().map(|a| a.name.clone()),
                assignee_email => d.assignee.as_ref().map(|a| a.email.to_string()),
                assignee_colour => d.assignee.as_ref().map(|a| a.colour.to_string()),
                mine => t.assignee == Some(u.agent.id),
                labels => d.labels.iter().map(|l| context! { name => l.name.clone(), colour => l.colour.as_str() }).collect::<Vec<_>>(),
                messages,
                events,
                any_remote,
                images_shown => images,
            };
            let label_options: Vec<String> = all_labels
                .iter()
                .filter(|l| !t.labels.contains(&l.id))
                .map(|l| l.name.clone())
                .collect();
            let composer = super::reply::composer(s, &u, &d, &presence)?;
            Ok(Outcome::Page(context! {
                draft,
                composer,
                tk,
                agents => options::assignable(&agents, Some(&[t.inbox])),
                label_options,
                set_status_options => options::settable_statuses(u.lang),
                snooze_options => options::snooze_presets(u.lang),
            }))
        })
        .await?;
    match outcome {
        Outcome::Moved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Page(ctx) => {
            let mut r = (code, page(state, user, "ticket.html", ctx)?).into_response();
            if images {
                r.extensions_mut().insert(RemoteImages);
            }
            Ok(r)
        }
    }
}

/// One message for the page, and whether remote images were held back in it.
fn message_view(
    ticket: i64,
    m: &Message,
    images: bool,
    agents: &HashMap<hako_domain::AgentId, &Agent>,
    mention_names: &[String],
) -> (Value, bool) {
    let base = format!("/t/{ticket}/messages/{}", m.id.0);
    let cids: HashMap<String, String> = m
        .attachments
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.content_id
                .as_ref()
                .map(|c| (c.to_ascii_lowercase(), format!("{base}/attachments/{i}")))
        })
        .collect();
    let (html, blocked) = match &m.html {
        Some(h) => {
            let c = clean_html(h, images, cids);
            (Some(c.html), c.blocked_images)
        }
        None => (None, false),
    };
    let text = if m.direction == hako_domain::Direction::Note {
        text_with_mentions(&m.text, mention_names)
    } else {
        escape(&m.text)
    };
    let from = match (&m.from, m.author.and_then(|a| agents.get(&a))) {
        (Some(p), _) => p.to_string(),
        (None, Some(a)) => a.name.clone(),
        (None, None) => String::new(),
    };
    let join = |ps: &[hako_domain::Participant]| {
        ps.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let attachments: Vec<Value> = m
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            context! {
                name => a.filename.clone().unwrap_or_else(|| format!("attachment-{}", i + 1)),
                size => human_size(a.size),
                url => format!("{base}/attachments/{i}"),
            }
        })
        .collect();
    let v = context! {
        id => m.id.0,
        kind => m.direction.as_str(),
        from,
        to => join(&m.to),
        cc => join(&m.cc),
        date => ser(&m.date.unwrap_or(m.created_at)),
        subject => m.subject.clone(),
        html,
        text,
        attachments,
        raw_url => m.raw.as_ref().map(|_| format!("{base}/raw")),
    };
    (v, blocked)
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
