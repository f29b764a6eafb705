//! The supervisor board, the weekly report page and the admin settings.

#[rustfmt::skip]
pub const EN: &[(&str, &str)] = &[
    ("action.label_updated", "label changed"),
    ("action.template_saved", "template saved"),
];

#[rustfmt::skip]
pub const JA: &[(&str, &str)] = &[
    ("action.label_updated", "ラベルを変更"),
    ("action.template_saved", "テンプレートを保存"),
];
