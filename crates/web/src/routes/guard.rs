//! Who may open the supervisor and admin pages. Everyone else gets the 404 of a page that
//! does not exist, so the pages' existence is not revealed either.

use hako_domain::Role;

use crate::WebError;
use crate::session::User;

fn hidden() -> WebError {
    // The same words as the router's fallback for an unknown address.
    WebError::not_found("page")
}

/// The board and the reports: supervisors and admins.
pub(crate) fn supervisor(user: &User) -> Result<(), WebError> {
    match user.agent.role {
        Role::Supervisor | Role::Admin => Ok(()),
        Role::Agent => Err(hidden()),
    }
}

/// The settings: admins only.
pub(crate) fn admin(user: &User) -> Result<(), WebError> {
    match user.agent.role {
        Role::Admin => Ok(()),
        Role::Agent | Role::Supervisor => Err(hidden()),
    }
}
