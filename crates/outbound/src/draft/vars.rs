//! The variables a reply template sees, gathered from a real ticket: the customer (first
//! contact, how many tickets, repeat or new), the ticket, the agent and the inbox.

use chrono_tz::Tz;
use hako_domain::{Agent, EmailAddress, TicketNumber};
use hako_store::{HistoryOf, Store};

use super::DraftError;
use crate::template::{AgentVars, CustomerVars, InboxVars, TemplateContext, TicketVars, render};

/// Renders template `name` for ticket `n`, written by `agent`, with `body` as its `body`.
pub fn render_template(
    store: &Store,
    name: &str,
    n: TicketNumber,
    agent: Option<&Agent>,
    body: &str,
    tz: Tz,
) -> Result<String, DraftError> {
    let t = store.template(name)?;
    let vars = context_for(store, n, agent, body, tz)?;
    Ok(render(&t.name, &t.body, &vars)?)
}

/// Renders `source`, a template not saved yet (an admin's edit), exactly as
/// [`render_template`] would render it once saved under `name`.
pub fn render_source(
    store: &Store,
    name: &str,
    source: &str,
    n: TicketNumber,
    agent: Option<&Agent>,
    body: &str,
    tz: Tz,
) -> Result<String, DraftError> {
    let vars = context_for(store, n, agent, body, tz)?;
    Ok(render(name, source, &vars)?)
}

/// The variables a template sees for ticket `n`.
pub fn context_for(
    store: &Store,
    n: TicketNumber,
    agent: Option<&Agent>,
    body: &str,
    tz: Tz,
) -> Result<TemplateContext, DraftError> {
    let d = store.ticket_detail(n)?;
    let address = d
        .contact
        .addresses
        .first()
        .map(|x| x.to_string())
        .unwrap_or_default();
    let history = match EmailAddress::parse(&address) {
        Ok(a) => Some(store.history(&HistoryOf::Address(a), None, 50)?),
        Err(_) => None,
    };
    let first = history
        .as_ref()
        .and_then(|h| h.first_contact)
        .unwrap_or(d.contact.created_at);
    let count = history.as_ref().map_or(1, |h| h.ticket_count.max(1));
    let last_other = history.as_ref().and_then(|h| {
        h.entries
            .iter()
            .find(|e| e.ticket != n)
            .map(|e| e.ticket_subject.clone())
    });
    let vars = TemplateContext {
        customer: CustomerVars {
            name: d.contact.name.clone(),
            address,
            first_contact: first.with_timezone(&tz).format("%Y-%m-%d").to_string(),
            ticket_count: count,
            // Another ticket before this one, or first contact well before this ticket.
            is_repeat: count > 1 || first < d.ticket.created_at - chrono::Duration::days(1),
            last_ticket_subject: last_other,
        },
        ticket: TicketVars {
            number: n.0,
            subject: d.ticket.subject.clone(),
            labels: d.labels.iter().map(|l| l.name.clone()).collect(),
            inbox: d.inbox.name.clone(),
        },
        agent: AgentVars {
            name: agent
                .map(|g| g.name.clone())
                .unwrap_or_else(|| d.inbox.display_name.clone()),
            signature: d.inbox.signature.clone(),
        },
        inbox: InboxVars {
            name: d.inbox.name.clone(),
            address: d.inbox.address.to_string(),
            display_name: d.inbox.display_name.clone(),
        },
        body: body.to_string(),
    };
    Ok(vars)
}
