//! Raw mail bytes to a [`ParsedMessage`]: mail-parser 0.11 (`full_encoding`) for the MIME
//! structure, plus the repairs Japanese mail needs (see `charset`, `rfc2047`, `params`),
//! auto-reply / bounce / list detection (`classify`) and subject normalisation for threading
//! (`subject`). Pure: no I/O, no async.
//!
//! Malformed mail never fails: only the [`Limits`] produce a [`ParseError`]. Whatever had to be
//! repaired or could not be decoded is listed in [`ParsedMessage::warnings`].

mod attachments;
mod body;
mod charset;
mod classify;
mod fallback;
mod headers;
mod html;
mod limits;
mod message;
mod params;
mod parse;
mod rfc2047;
mod subject;
mod transfer;

pub use html::html_to_text;
pub use limits::{Limits, ParseError};
pub use message::{MailKind, ParsedAttachment, ParsedMessage};
pub use parse::parse;
pub use subject::{normalize_subject, ticket_tags};
