//! The inbox view (`/`): a tab per visible inbox plus "all" and "mine" with the count of work
//! still to do, filters (status, assignee, label), hako's search language, two sorts, paging,
//! new activity marked; and `/counts`, the cheap endpoint the page polls.

mod row;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use hako_domain::{InboxId, StatusKind, TicketNumber, Timestamp};
use hako_search::{Scope, SortBy, parse_query};
use hako_store::{AssigneeFilter, Page, Sort, Store, TicketFilter};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use std::collections::HashMap;

use super::options;
use crate::form::encode;
use crate::i18n::text;
use crate::render::page;
use crate::session::{SessionCookie, User};
use crate::{AppState, WebError};
use row::Row;

const PAGE_SIZE: u32 = 50;
const ACTIVE: [StatusKind; 3] = [StatusKind::Open, StatusKind::Pending, StatusKind::Snoozed];

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    tab: String,
    status: Option<String>,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
    page: Option<u32>,
    /// Only customers waiting this many hours or longer (the board's "unanswered" link).
    waiting_hours: Option<u32>,
}

impl InboxQuery {
    fn url(&self, page: u32) -> String {
        let waiting = self
            .waiting_hours
            .map(|h| format!("&waiting_hours={h}"))
            .unwrap_or_default();
        format!(
            "/?tab={}&status={}&assignee={}&label={}&sort={}&q={}{waiting}&page={page}",
            encode(&self.tab),
            encode(self.status.as_deref().unwrap_or("open")),
            encode(&self.assignee),
            encode(&self.label),
            encode(&self.sort),
            encode(&self.q),
        )
    }
}

/// One tab: its key (`all`, `mine`, an inbox name), title and count of open work.
pub(crate) struct Tab {
    pub key: String,
    pub label: String,
    pub count: u64,
    pub inbox: Option<InboxId>,
}

/// Tabs with counts of open, pending and snoozed tickets, only over the visible inboxes.
pub(crate) fn tabs(s: &Store, user: &User) -> Result<Vec<Tab>, WebError> {
    let visible = user.visible();
    // Only the statuses the tabs count: every status would read an index entry per ticket.
    let counts = s.counts_of(visible.as_deref(), &ACTIVE)?;
    let active = |inbox: Option<&str>| -> u64 {
        counts
            .iter()
            .filter(|c| inbox.is_none_or(|i| i == c.inbox))
            .map(|c| c.count)
            .sum()
    };
    let mine = s.count_tickets(&TicketFilter {
        visible: visible.clone(),
        statuses: ACTIVE.to_vec(),
        assignee: AssigneeFilter::Agent(user.agent.id),
        ..Default::default()
    })?;
    let mut out = vec![
        Tab {
            key: "all".into(),
            label: text(user.lang, "tab.all").into(),
            count: active(None),
            inbox: None,
        },
        Tab {
            key: "mine".into(),
            label: text(user.lang, "tab.mine").into(),
            count: mine,
            inbox: None,
        },
    ];
    for i in s.inboxes()?.into_iter().filter(|i| user.may_see(i.id)) {
        out.push(Tab {
            count: active(Some(&i.name)),
            key: i.name.clone(),
            label: i.display_name,
            inbox: Some(i.id),
        });
    }
    Ok(out)
}

/// The newest activity among the visible tickets, in ms: the page offers a reload past it.
fn latest(s: &Store, user: &User) -> Result<i64, WebError> {
    Ok(s.latest_activity(user.visible().as_deref())?
        .map_or(0, |t| t.timestamp_millis()))
}

pub(crate) async fn counts(
    State(state): State<AppState>,
    session: SessionCookie,
) -> Result<Response, WebError> {
    let (_, (tabs, latest)) = session
        .run(&state, |s, user| Ok((tabs(s, user)?, latest(s, user)?)))
        .await?;
    let tabs: HashMap<String, u64> = tabs.into_iter().map(|t| (t.key, t.count)).collect();
    Ok(Json(serde_json::json!({ "tabs": tabs, "latest": latest })).into_response())
}

/// The query is read after the session: a signed-out request with a query axum refuses is
/// sent to the sign-in page, as with any other page.
pub(crate) async fn inbox(
    State(state): State<AppState>,
    session: SessionCookie,
    q: Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let st = state.clone();
    let (user, ctx) = session
        .run(&state, move |s, user| {
            Ok(q.map(|Query(q)| view(&st, s, user, q)))
        })
        .await?;
    match ctx {
        Ok(ctx) => Ok(page(&state, &user, "inbox.html", ctx?)?.into_response()),
        Err(rejected) => Ok(rejected.into_response()),
    }
}

fn view(
    state: &AppState,
    s: &mut Store,
    user: &User,
    mut q: InboxQuery,
) -> Result<Value, WebError> {
    let lang = user.lang;
    let tabs = tabs(s, user)?;
    if q.tab.is_empty() {
        q.tab = "all".into();
    }
    let tab = tabs
        .iter()
        .find(|t| t.key == q.tab)
        .ok_or_else(|| WebError::not_found(format!("inbox {}", q.tab)))?;
    let status = q.status.clone().unwrap_or_else(|| "open".into());
    let statuses = match status.as_str() {
        "active" => ACTIVE.to_vec(),
        "all" | "" => vec![],
        other => vec![StatusKind::parse(other).map_err(|e| WebError::BadRequest(e.to_string()))?],
    };
    let agents = s.shared_agents()?;
    let assignee = match (q.tab.as_str(), q.assignee.as_str()) {
        ("mine", _) | (_, "me") => AssigneeFilter::Agent(user.agent.id),
        (_, "") => AssigneeFilter::Any,
        (_, "none") => AssigneeFilter::Unassigned,
        (_, email) => AssigneeFilter::Agent(s.agent_by_email(email)?.id),
    };
    let labels = s.labels()?;
    let label = match q.label.as_str() {
        "" => None,
        name => Some(s.label_by_name(name)?.id),
    };
    let sort = match q.sort.as_str() {
        "waiting" => Sort::OldestWaiting,
        "newest" => Sort::Newest,
        _ => Sort::LastActivity,
    };
    let page_no = q.page.unwrap_or(1).max(1);
    let offset = (page_no - 1) * PAGE_SIZE;
    let colour_of: HashMap<&str, &str> = labels
        .iter()
        .map(|l| (l.name.as_str(), l.colour.as_str()))
        .collect();
    let label_values = |names: &[String]| -> Vec<Value> {
        names
            .iter()
            .map(|n| context! { name => n, colour => colour_of.get(n.as_str()).copied().unwrap_or("#9ca3af") })
            .collect()
    };
    let mut search_error = None;
    let (total, rows): (u64, Vec<Value>) = if q.q.trim().is_empty() {
        let f = TicketFilter {
            visible: user.visible(),
            inbox: tab.inbox,
            statuses,
            label,
            assignee,
            contact: None,
            waiting_before: q
                .waiting_hours
                .map(|h| s.now() - chrono::Duration::hours(h.into())),
        };
        let p = s.list_tickets(
            &f,
            sort,
            Page {
                limit: PAGE_SIZE,
                offset,
            },
        )?;
        let numbers: Vec<TicketNumber> = p.items.iter().map(|t| t.number).collect();
        let new = news(s, user, &numbers)?;
        let rows = p
            .items
            .into_iter()
            .map(|t| {
                Value::from_object(Row {
                    new: new(t.number, &t.last_activity_at),
                    number: t.number.0,
                    customer: t.customer_name.or(t.customer_address).unwrap_or_default(),
                    status: t.status.kind(),
                    until: t.status.snoozed_until(),
                    labels: Value::from(label_values(&t.labels)),
                    subject: t.subject,
                    inbox: t.inbox,
                    assignee: t.assignee_name,
                    assignee_colour: t.assignee_colour,
                    activity: t.last_activity_at,
                    waiting: t.waiting_since,
                    snippet: None,
                })
            })
            .collect();
        (p.total, rows)
    } else {
        match search(state, s, user, tab.inbox, &q.q, offset as usize) {
            Ok(found) => found,
            Err(e) => {
                search_error = Some(e.to_string());
                (0, vec![])
            }
        }
    };
    let shown_from = if rows.is_empty() {
        0
    } else {
        offset as u64 + 1
    };
    let shown_to = offset as u64 + rows.len() as u64;
    let tab_values: Vec<Value> = tabs
        .iter()
        .map(|t| {
            let mut tq = q.clone();
            tq.tab = t.key.clone();
            context! { key => t.key.clone(), label => t.label.clone(), count => t.count, active => t.key == q.tab, url => tq.url(1) }
        })
        .collect();
    let f = context! {
        tab => q.tab.clone(), status => status, assignee => q.assignee.clone(), label => q.label.clone(), q => q.q.clone(),
        sort => if q.sort.is_empty() { "activity".to_string() } else { q.sort.clone() },
    };
    let mine_only = user.visible();
    let all_waiting = q.waiting_hours.map(|_| {
        let mut all = q.clone();
        all.waiting_hours = None;
        all.url(1)
    });
    Ok(context! {
        waiting_hours => q.waiting_hours,
        all_waiting,
        tabs => tab_values,
        f,
        rows,
        total,
        shown_from,
        shown_to,
        prev_url => (page_no > 1).then(|| q.url(page_no - 1)),
        next_url => (shown_to < total).then(|| q.url(page_no + 1)),
        return_to => q.url(page_no),
        latest => latest(s, user)?,
        search_error,
        labels => labels.iter().map(|l| context! { name => l.name.clone(), colour => l.colour.as_str() }).collect::<Vec<_>>(),
        agents => options::assignable(&agents, mine_only.as_deref()),
        status_options => options::status_filter(lang),
        set_status_options => options::settable_statuses(lang),
        snooze_options => options::snooze_presets(lang),
    })
}

/// Whether each ticket has activity the user has not seen: never viewed, or changed since.
fn news(
    s: &Store,
    user: &User,
    numbers: &[TicketNumber],
) -> Result<impl Fn(TicketNumber, &Timestamp) -> bool, WebError> {
    let viewed = s.viewed(user.agent.id, numbers)?;
    Ok(move |n, at: &Timestamp| {
        viewed
            .get(&n)
            .is_none_or(|v| v.timestamp_millis() < at.timestamp_millis())
    })
}

/// Search results as rows: hako's query language over the visible inboxes (and the tab's).
fn search(
    state: &AppState,
    s: &Store,
    user: &User,
    inbox: Option<InboxId>,
    text_query: &str,
    offset: usize,
) -> Result<(u64, Vec<Value>), WebError> {
    let index = state
        .search_index()
        .ok_or_else(|| WebError::BadRequest(text(user.lang, "search.unavailable").into()))?;
    let query =
        parse_query(text_query, user.tz).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let ids: Option<Vec<i64>> = match (inbox, user.visible()) {
        (Some(i), _) => Some(vec![i.0]),
        (None, Some(v)) => Some(v.iter().map(|i| i.0).collect()),
        (None, None) => None,
    };
    let page = index
        .search(
            &query,
            &Scope { inboxes: ids },
            SortBy::Newest,
            hako_search::Page {
                limit: PAGE_SIZE as usize,
                offset,
            },
        )
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let agents: HashMap<String, (String, String)> = s
        .agents()?
        .into_iter()
        .map(|a| (a.email.to_string(), (a.name, a.colour.to_string())))
        .collect();
    let labels: HashMap<String, String> = s
        .labels()?
        .into_iter()
        .map(|l| (l.name, l.colour.to_string()))
        .collect();
    let mut found = vec![];
    for h in page.hits {
        let Ok(t) = s.ticket(TicketNumber(h.ticket_number)) else {
            continue;
        };
        // The index may lag the database by a moment: visibility is decided by the database.
        if !user.may_see(t.inbox) || t.merged_into.is_some() {
            continue;
        }
        let contact = s.contact(t.contact)?;
        found.push((h, t, contact));
    }
    let numbers: Vec<TicketNumber> = found.iter().map(|(_, t, _)| t.number).collect();
    let new = news(s, user, &numbers)?;
    let mut out = vec![];
    for (h, t, contact) in found {
        let who = h.assignee.as_ref().and_then(|e| agents.get(e));
        let row = Value::from_object(Row {
            new: new(t.number, &t.last_activity_at),
            number: t.number.0,
            customer: contact
                .name
                .or(contact.addresses.first().map(|a| a.to_string()))
                .unwrap_or_default(),
            inbox: h.inbox,
            status: t.status.kind(),
            until: t.status.snoozed_until(),
            assignee: who.map(|w| w.0.clone()),
            assignee_colour: who.map(|w| w.1.clone()),
            labels: Value::from(
                h.labels
                    .iter()
                    .map(|n| context! { name => n, colour => labels.get(n).cloned().unwrap_or_else(|| "#9ca3af".into()) })
                    .collect::<Vec<_>>(),
            ),
            activity: t.last_activity_at,
            waiting: t.waiting_since,
            subject: t.subject,
            snippet: Some(h.snippet_html),
        });
        out.push(row);
    }
    Ok((page.total, out))
}
