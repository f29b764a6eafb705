//! The web layer's one error type, mapped to status codes: NotFound → 404 (also for tickets
//! the user may not see: their existence is not revealed), Conflict → 409, BadRequest → 400,
//! Csrf → 403, RateLimited → 429, SignedOut → a redirect to the sign-in page. The response
//! carries an [`ErrorPage`] extension; the page middleware renders it in the user's language.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hako_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum WebError {
    #[error("{what}: not found")]
    NotFound { what: String },

    /// Someone changed the ticket since the page was loaded (or holds it, or merged it).
    #[error("{message}")]
    Conflict {
        message: String,
        /// The ticket to reload, for the page's link.
        ticket: Option<i64>,
    },

    #[error("{0}")]
    BadRequest(String),

    /// Visible, but not the user's to do (approving one's own reply …).
    #[error("{0}")]
    Forbidden(String),

    /// A missing or wrong CSRF token, or a post from another origin.
    #[error("{0}")]
    Csrf(&'static str),

    #[error("too many failed sign-ins for this address; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },

    /// No valid session: GET pages redirect to the sign-in page and come back to `next`.
    #[error("not signed in")]
    SignedOut { next: String },

    #[error("internal error: {0}")]
    Internal(String),
}

/// What the page middleware needs to render an error page.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Catalogue key of the page title (`error.not_found` …).
    pub title_key: &'static str,
    pub message: String,
    pub ticket: Option<i64>,
}

impl WebError {
    pub fn not_found(what: impl Into<String>) -> WebError {
        WebError::NotFound { what: what.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound { .. } => StatusCode::NOT_FOUND,
            WebError::Conflict { .. } => StatusCode::CONFLICT,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Csrf(_) => StatusCode::FORBIDDEN,
            WebError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::SignedOut { .. } => StatusCode::SEE_OTHER,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title_key(&self) -> &'static str {
        match self {
            WebError::NotFound { .. } => "error.not_found",
            WebError::Conflict { .. } => "error.conflict",
            WebError::BadRequest(_) => "error.bad_request",
            WebError::Forbidden(_) => "error.forbidden",
            WebError::Csrf(_) => "error.csrf",
            WebError::RateLimited { .. } => "error.rate_limited",
            WebError::SignedOut { .. } | WebError::Internal(_) => "error.internal",
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::NotFound { what } => WebError::NotFound { what: what.clone() },
            StoreError::Conflict { ticket, .. }
            | StoreError::HeldByOther { ticket, .. }
            | StoreError::Merged { ticket, .. } => WebError::Conflict {
                message: e.to_string(),
                ticket: Some(ticket.0),
            },
            StoreError::NotAllowed { .. } => WebError::Forbidden(e.to_string()),
            StoreError::Invalid { .. }
            | StoreError::Domain { .. }
            | StoreError::AlreadyExists { .. } => WebError::BadRequest(e.to_string()),
            StoreError::Open { .. } | StoreError::Migration { .. } | StoreError::Sql { .. } => {
                WebError::Internal(e.to_string())
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::SignedOut { next } = &self {
            let to = format!("/login?next={}", crate::form::encode(next));
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        let status = self.status();
        let ticket = match &self {
            WebError::Conflict { ticket, .. } => *ticket,
            _ => None,
        };
        let page = ErrorPage {
            status,
            title_key: self.title_key(),
            message: self.to_string(),
            ticket,
        };
        // A plain body in case no page middleware runs (it replaces this one).
        let mut r = (status, self.to_string()).into_response();
        if let WebError::RateLimited { retry_after_secs } = self {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        r.extensions_mut().insert(page);
        r
    }
}
