//! The routes, and what every ticket route shares: reading the number from the path and
//! loading the ticket only if the user may see its inbox — otherwise the same 404 as for a
//! ticket that does not exist.

pub(crate) mod actions;
pub(crate) mod attachments;
pub(crate) mod board;
pub(crate) mod guard;
pub(crate) mod history;
pub(crate) mod inbox;
pub(crate) mod login;
pub(crate) mod me;
pub(crate) mod options;
pub(crate) mod reply;
pub(crate) mod report;
pub(crate) mod settings;
pub(crate) mod ticket;

use hako_domain::{Ticket, TicketNumber};
use hako_store::Store;

use crate::WebError;
use crate::session::User;

/// `1042` or `#1042`; anything else is a ticket that does not exist.
pub(crate) fn number(raw: &str) -> Result<TicketNumber, WebError> {
    TicketNumber::parse(raw).map_err(|_| WebError::not_found(format!("ticket {raw}")))
}

/// The ticket, if it exists and the user may see its inbox.
pub(crate) fn visible_ticket(s: &Store, user: &User, n: TicketNumber) -> Result<Ticket, WebError> {
    match s.ticket(n) {
        Ok(t) if user.may_see(t.inbox) => Ok(t),
        Ok(_) | Err(hako_store::StoreError::NotFound { .. }) => {
            Err(WebError::not_found(format!("ticket {n}")))
        }
        Err(e) => Err(e.into()),
    }
}
