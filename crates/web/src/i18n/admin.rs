//! The supervisor board, the weekly report page and the admin settings.

#[rustfmt::skip]
pub const EN: &[(&str, &str)] = &[
];

#[rustfmt::skip]
pub const JA: &[(&str, &str)] = &[
];
