//! hako's outgoing mail. For now: composing a reply (`compose`) — who it goes to, its
//! subject, its threading headers and its signed Message-ID — with the safety rules that keep
//! hako from mailing a robot, itself, or a forged header. The outbox, SMTP worker and
//! templates come next.

pub mod compose;
pub mod recipients;
pub mod send;
pub mod subject;
pub mod template;
pub mod worker;

pub use compose::{Attachment, Charset, ComposeError, Composed, Reply, compose};
