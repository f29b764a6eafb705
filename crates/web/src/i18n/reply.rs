//! The reply composer, the outbox on a ticket, approval (承認) and presence.

#[rustfmt::skip]
pub const EN: &[(&str, &str)] = &[
];

#[rustfmt::skip]
pub const JA: &[(&str, &str)] = &[
];
