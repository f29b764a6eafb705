//! The supervisor board (`/board`, supervisors and admins): every active agent with what they
//! hold and their longest-waiting customer, the open tickets nobody holds per inbox, and the
//! customers unanswered for `[web] unanswered_hours` or longer. Every number links to the
//! inbox view filtered the same way; a ticket can be reassigned from here (CSRF, the version
//! shown, an audit event through `Store::apply`). The page reloads itself (a meta refresh
//! without JavaScript, a reload that waits for untouched forms with it).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use hako_domain::{Agent, InboxId, Timestamp};
use hako_store::{Store, WaitingTicket};
use minijinja::context;
use minijinja::value::Value;
use std::collections::HashMap;

use super::actions::{agent_change, expect};
use super::{guard, number, options};
use crate::form::{PostForm, encode};
use crate::i18n::{Lang, text};
use crate::render::{page, ser};
use crate::session::User;
use crate::{AppState, WebError};

/// Unanswered tickets listed on the board (the count and its link cover all of them).
const LIST: u32 = 30;

pub(crate) async fn show(State(state): State<AppState>, user: User) -> Result<Response, WebError> {
    guard::supervisor(&user)?;
    let hours = state.settings().unanswered_hours;
    let lang = user.lang;
    let ctx = state.db(move |s| view(s, lang, hours)).await?;
    Ok(page(&state, &user, "board.html", ctx)?.into_response())
}

/// "3 h 20 m" / "3時間20分"; from 48 hours on, days and hours ("2 d 4 h" / "2日4時間").
pub(crate) fn waited(lang: Lang, d: Duration) -> String {
    let m = d.num_minutes().max(0);
    let unit = |n: i64, k: &str| format!("{n}{}", text(lang, k));
    let sep = text(lang, "dur.sep");
    if m >= 48 * 60 {
        format!(
            "{}{sep}{}",
            unit(m / 1440, "dur.d"),
            unit(m / 60 % 24, "dur.h")
        )
    } else if m >= 60 {
        format!("{}{sep}{}", unit(m / 60, "dur.h"), unit(m % 60, "dur.m"))
    } else {
        unit(m, "dur.m")
    }
}

fn inbox_url(tab: &str, assignee: &str, status: &str) -> String {
    format!(
        "/?tab={}&status={status}&assignee={}&sort=waiting",
        encode(tab),
        encode(assignee)
    )
}

/// A ticket with the form that reassigns it: who may hold it, who does.
fn ticket_value(
    t: &WaitingTicket,
    now: Timestamp,
    lang: Lang,
    agents: &[Agent],
    inbox_ids: &HashMap<String, InboxId>,
) -> Value {
    let holders = match inbox_ids.get(&t.inbox) {
        Some(i) => options::assignable(agents, Some(&[*i])),
        None => vec![],
    };
    let holder = t.assignee.and_then(|a| agents.iter().find(|g| g.id == a));
    context! {
        number => t.number.0,
        subject => t.subject.clone(),
        inbox => t.inbox.clone(),
        customer => t.customer.clone().unwrap_or_default(),
        version => t.version,
        waiting_since => ser(&t.waiting_since),
        waited => waited(lang, now - t.waiting_since),
        assignee => holder.map(|a| a.email.to_string()),
        assignee_name => holder.map(|a| a.name.clone()),
        assignee_colour => holder.map(|a| a.colour.to_string()),
        holders,
    }
}

fn view(s: &mut Store, lang: Lang, hours: u32) -> Result<Value, WebError> {
    let now = s.now();
    let agents = s.agents()?;
    let inbox_ids: HashMap<String, InboxId> =
        s.inboxes()?.into_iter().map(|i| (i.name, i.id)).collect();
    let oldest: HashMap<String, WaitingTicket> = s
        .oldest_waiting_per_agent()?
        .into_iter()
        .filter_map(|(id, t)| {
            let a = agents.iter().find(|a| a.id == id)?;
            Some((a.email.to_string(), t))
        })
        .collect();
    let team: Vec<Value> = s
        .agent_load()?
        .into_iter()
        .map(|l| {
            let away = agents
                .iter()
                .any(|a| a.email.as_str() == l.agent && a.away);
            context! {
                name => l.name.clone(),
                email => l.agent.clone(),
                away,
                colour => l.colour.clone(),
                open => l.open,
                pending => l.pending,
                snoozed => l.snoozed,
                open_url => inbox_url("all", &l.agent, "open"),
                pending_url => inbox_url("all", &l.agent, "pending"),
                snoozed_url => inbox_url("all", &l.agent, "snoozed"),
                oldest => oldest.get(&l.agent).map(|t| ticket_value(t, now, lang, &agents, &inbox_ids)),
            }
        })
        .collect();
    let unassigned: Vec<Value> = s
        .unassigned_per_inbox()?
        .into_iter()
        .map(|u| {
            context! {
                name => u.name.clone(),
                display_name => u.display_name.clone(),
                open => u.open,
                url => inbox_url(&u.name, "none", "open"),
                waited => u.oldest_waiting.map(|w| waited(lang, now - w)),
            }
        })
        .collect();
    let (total, items) = s.waiting_before(now - Duration::hours(hours.into()), LIST)?;
    let items: Vec<Value> = items
        .iter()
        .map(|t| ticket_value(t, now, lang, &agents, &inbox_ids))
        .collect();
    let shown = items.len();
    Ok(context! {
        team,
        unassigned,
        hours,
        unanswered_total => total,
        unanswered_url => format!("/?tab=all&status=open&waiting_hours={hours}&sort=waiting"),
        unanswered => items,
        shown,
        now => ser(&now),
    })
}

/// Reassigns a ticket from the board, then shows the board again.
pub(crate) async fn assign(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    guard::supervisor(&form.user)?;
    let n = number(&raw)?;
    let expect = expect(&form)?;
    state
        .db(move |s| {
            let change = agent_change(s, form.get("assignee"))?;
            s.apply(form.user.actor(), n, &change, expect)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/board").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_times_read_naturally() {
        let d = Duration::minutes(200);
        assert_eq!(waited(Lang::En, d), "3 h 20 m");
        assert_eq!(waited(Lang::Ja, d), "3時間20分");
        assert_eq!(waited(Lang::En, Duration::minutes(45)), "45 m");
        assert_eq!(waited(Lang::Ja, Duration::hours(50)), "2日2時間");
        assert_eq!(waited(Lang::En, Duration::hours(-1)), "0 m");
    }
}
