//! `/settings/templates`: the reply templates, each edited beside a preview rendered with a
//! real ticket's data (the same variables and renderer a reply uses), or with sample values
//! when there is no ticket yet. A template that does not render — a syntax error, an unknown
//! variable — shows the error and its line, and is not saved.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::TicketNumber;
use hako_domain::inbox::validate_name;
use hako_outbound::draft::{DraftError, render_source};
use hako_outbound::template::{TemplateContext, TemplateError, render};
use hako_store::{Page, Sort, Store, TicketFilter};
use minijinja::context;
use serde::Deserialize;

use super::guard;
use crate::form::{PostForm, encode};
use crate::render::{page, ser};
use crate::session::User;
use crate::{AppState, WebError};

pub(crate) async fn list(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let all = state.db(|s| Ok(s.templates()?)).await?;
    let rows: Vec<_> = all
        .iter()
        .map(|t| context! { name => t.name.clone(), updated_at => ser(&t.updated_at), size => t.body.chars().count() })
        .collect();
    let ctx = context! { section => "templates", templates => rows };
    Ok(page(&state, &user, "settings_templates.html", ctx)?.into_response())
}

#[derive(Deserialize)]
pub(crate) struct NewQuery {
    #[serde(default)]
    name: String,
}

/// The "new template" form: checks the name, then opens the (empty) editor.
pub(crate) async fn new(user: User, Query(q): Query<NewQuery>) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let name = q.name.trim();
    validate_name(name).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok(Redirect::to(&format!("/settings/templates/{}", encode(name))).into_response())
}

/// A textarea's text as typed, with the browser's CRLF line ends as LF (as in a file).
fn text(form: &PostForm, key: &str) -> String {
    form.raw(key).unwrap_or("").replace("\r\n", "\n")
}

/// What the preview shows: the text, or the error with its line.
struct Rendered {
    text: Option<String>,
    error: Option<TemplateError>,
}

/// Renders `source` against ticket `n` (sample values without one), as a reply would.
fn preview(
    s: &Store,
    user: &User,
    name: &str,
    source: &str,
    n: Option<TicketNumber>,
    body: &str,
) -> Result<Rendered, WebError> {
    let out = match n {
        Some(n) => render_source(s, name, source, n, Some(&user.agent), body, user.tz),
        None => {
            let mut ctx = TemplateContext::sample();
            ctx.body = body.to_string();
            render(name, source, &ctx).map_err(DraftError::from)
        }
    };
    match out {
        Ok(text) => Ok(Rendered {
            text: Some(text),
            error: None,
        }),
        Err(DraftError::Template(e)) => Ok(Rendered {
            text: None,
            error: Some(e),
        }),
        Err(DraftError::Store(e)) => Err(e.into()),
        Err(e) => Err(WebError::BadRequest(e.to_string())),
    }
}

/// The newest ticket: the preview's default.
fn newest(s: &Store) -> Result<Option<TicketNumber>, WebError> {
    let p = s.list_tickets(
        &TicketFilter::default(),
        Sort::Newest,
        Page {
            limit: 1,
            offset: 0,
        },
    )?;
    Ok(p.items.first().map(|t| t.number))
}

fn ticket_of(raw: Option<&str>) -> Result<Option<TicketNumber>, WebError> {
    raw.map(|t| {
        TicketNumber::parse(t)
            .map_err(|_| WebError::BadRequest(format!("ticket {t}: not a number")))
    })
    .transpose()
}

struct Editor {
    name: String,
    source: String,
    exists: bool,
    ticket: Option<TicketNumber>,
    body: String,
    saved: bool,
}

/// Draws the editor with the preview of its source; a template error is a 400.
async fn editor(
    state: &AppState,
    user: &User,
    e: Editor,
    failed_save: bool,
) -> Result<Response, WebError> {
    let u = user.clone();
    let (name, source, ticket, body) = (e.name.clone(), e.source.clone(), e.ticket, e.body.clone());
    let (r, ticket) = state
        .db(move |s| {
            let ticket = match ticket {
                Some(t) => Some(t),
                None => newest(s)?,
            };
            Ok((preview(s, &u, &name, &source, ticket, &body)?, ticket))
        })
        .await?;
    let status = if failed_save && r.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let ctx = context! {
        section => "templates",
        name => e.name,
        source => e.source,
        exists => e.exists,
        ticket => ticket.map(|t| t.0),
        body => e.body,
        saved => e.saved,
        failed_save,
        text => r.text,
        error => r.error.as_ref().map(|x| x.to_string()),
        error_line => r.error.as_ref().and_then(|x| x.line),
    };
    Ok((status, page(state, user, "settings_template.html", ctx)?).into_response())
}

#[derive(Deserialize)]
pub(crate) struct EditQuery {
    ticket: Option<String>,
    saved: Option<String>,
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    user: User,
    Path(name): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    validate_name(&name).map_err(|_| WebError::not_found(format!("template {name}")))?;
    let n = name.clone();
    let stored = state.db(move |s| Ok(s.template(&n).ok())).await?;
    let e = Editor {
        exists: stored.is_some(),
        source: stored.map(|t| t.body).unwrap_or_default(),
        name,
        ticket: ticket_of(q.ticket.as_deref().filter(|t| !t.trim().is_empty()))?,
        body: String::new(),
        saved: q.saved.is_some(),
    };
    editor(&state, &user, e, false).await
}

/// Preview (`do=preview`) or save (`do=save`, refused while the template does not render).
pub(crate) async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    validate_name(&name).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let source = text(&form, "source");
    let ticket = ticket_of(form.get("ticket"))?;
    let body = text(&form, "body");
    let user = form.user.clone();
    let exists = {
        let n = name.clone();
        state.db(move |s| Ok(s.template(&n).is_ok())).await?
    };
    let e = Editor {
        name: name.clone(),
        source: source.clone(),
        exists,
        ticket,
        body: body.clone(),
        saved: false,
    };
    if form.get("do") != Some("save") {
        return editor(&state, &user, e, false).await;
    }
    let u = user.clone();
    let (n, src, b) = (name.clone(), source.clone(), body.clone());
    let saved = state
        .db(move |s| {
            let ticket = match ticket {
                Some(t) => Some(t),
                None => newest(s)?,
            };
            if preview(s, &u, &n, &src, ticket, &b)?.error.is_some() {
                return Ok(None);
            }
            s.set_template(u.actor(), &n, &src)?;
            Ok(Some(ticket))
        })
        .await?;
    match saved {
        Some(t) => Ok(Redirect::to(&format!(
            "/settings/templates/{}?saved=1&ticket={}",
            encode(&name),
            t.map(|t| t.0.to_string()).unwrap_or_default()
        ))
        .into_response()),
        None => editor(&state, &user, e, true).await,
    }
}

/// The editor's live preview (JSON): `{text}` or `{error, line}`.
pub(crate) async fn live(
    State(state): State<AppState>,
    Path(name): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let source = text(&form, "source");
    let body = text(&form, "body");
    let ticket = ticket_of(form.get("ticket"))?;
    let user = form.user.clone();
    let r = state
        .db(move |s| {
            let ticket = match ticket {
                Some(t) => Some(t),
                None => newest(s)?,
            };
            preview(s, &user, &name, &source, ticket, &body)
        })
        .await?;
    let json = match (r.text, r.error) {
        (_, Some(e)) => serde_json::json!({ "error": e.to_string(), "line": e.line }),
        (text, None) => serde_json::json!({ "text": text.unwrap_or_default() }),
    };
    Ok(Json(json).into_response())
}
