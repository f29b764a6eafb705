//! hako's outgoing mail: composing a reply (`compose`) — who it goes to, its subject, its
//! threading headers and its signed Message-ID — with the safety rules that keep hako from
//! mailing a robot, itself, or a forged header; reply templates (`template`); the path from
//! request to outbox row (`draft`); and the workers that send (`worker`, over `send`).

pub mod auto_reply;
pub mod compose;
pub mod draft;
pub mod recipients;
pub mod send;
pub mod subject;
pub mod template;
pub mod worker;

pub use compose::{Attachment, Charset, ComposeError, Composed, Reply, compose};
