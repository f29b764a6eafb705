//! Is this mail from a person? Sorts mail into normal, automatic reply, bounce and list mail
//! from the headers, and says whether it must never be answered automatically (RFC 3834).
//!
//! - Bounce: a delivery status notification (RFC 3464 `multipart/report;
//!   report-type=delivery-status`), `X-Failed-Recipients` (Exim), or the null sender with a
//!   MAILER-DAEMON / postmaster From.
//! - AutoReply: `Auto-Submitted: auto-replied` (RFC 3834), `X-Autoreply`, `X-Autorespond`,
//!   `Precedence: auto_reply`, read receipts (RFC 8098 `report-type=disposition-notification`),
//!   or a subject that starts with an auto-reply marker (Outlook's "Automatic reply:" / 自動応答:,
//!   Japanese groupware's 【不在通知】, …).
//! - List: `List-Id`, `List-Unsubscribe`, `List-Post` (RFC 2369/2919), `Precedence: bulk, list
//!   or junk`.
//!
//! `auto_submitted` is true for all of these and for any other `Auto-Submitted` value than `no`
//! (e.g. `auto-generated` notifications, which stay `Normal`: a person should read them) and for
//! the null sender.
//!
//! `X-Auto-Response-Suppress` is ignored: it asks the *receiver* not to send automatic replies,
//! and Outlook/Exchange set it on ordinary mail (to distribution lists, from some clients), so
//! reading it as "this is automatic" hides real customer mail. Discourse, osTicket, Redmine and
//! GLPI dropped it for that reason: discourse/discourse#21367, osTicket/osTicket#5320,
//! glpi-project/glpi#2170.

use crate::message::MailKind;

/// What [`classify`] looks at, taken from the headers by the parser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Signals {
    /// `Auto-Submitted` value, lowercased, without parameters.
    pub auto_submitted: Option<String>,
    /// X-Autoreply, X-Autorespond, X-AutoReply-From or X-Mail-Autoreply present.
    pub autoreply_header: bool,
    /// `Precedence` value, lowercased.
    pub precedence: Option<String>,
    /// List-Id, List-Unsubscribe or List-Post present.
    pub list_header: bool,
    /// Return-Path is `<>`.
    pub null_sender: bool,
    /// The From local part is mailer-daemon, mail-daemon or postmaster.
    pub from_daemon: bool,
    /// X-Failed-Recipients present.
    pub failed_recipients: bool,
    /// `report-type` of a top-level multipart/report, lowercased.
    pub report_type: Option<String>,
    pub subject: String,
}

/// Subject starts that only automatic replies use (case-insensitive, after trimming).
const AUTO_REPLY_SUBJECTS: &[&str] = &[
    "automatic reply:",
    "auto reply:",
    "autoreply:",
    "auto-reply:",
    "out of office:",
    "out of office autoreply:",
    "自動応答:",
    "自動応答：",
    "自動返信:",
    "自動返信：",
    "不在通知:",
    "不在通知：",
    "【自動返信】",
    "【自動応答】",
    "【不在通知】",
    "[自動返信]",
    "[不在通知]",
];

pub(crate) fn classify(s: &Signals) -> (MailKind, bool) {
    let auto_submitted = s
        .auto_submitted
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "no");
    let precedence = s.precedence.as_deref().unwrap_or_default();
    let report = s.report_type.as_deref().unwrap_or_default();
    let subject = s.subject.trim_start().to_lowercase();

    let kind =
        if report == "delivery-status" || s.failed_recipients || (s.null_sender && s.from_daemon) {
            MailKind::Bounce
        } else if s.auto_submitted.as_deref() == Some("auto-replied")
            || s.autoreply_header
            || precedence == "auto_reply"
            || report == "disposition-notification"
            || AUTO_REPLY_SUBJECTS.iter().any(|m| subject.starts_with(m))
        {
            MailKind::AutoReply
        } else if s.list_header || matches!(precedence, "bulk" | "list" | "junk") {
            MailKind::List
        } else {
            MailKind::Normal
        };
    (
        kind,
        kind != MailKind::Normal || auto_submitted || s.null_sender,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut Signals)) -> (MailKind, bool) {
        let mut s = Signals::default();
        f(&mut s);
        classify(&s)
    }

    #[test]
    fn kinds() {
        assert_eq!(with(|_| {}), (MailKind::Normal, false));
        assert_eq!(
            with(|s| s.report_type = Some("delivery-status".into())),
            (MailKind::Bounce, true)
        );
        assert_eq!(
            with(|s| {
                s.null_sender = true;
                s.from_daemon = true
            }),
            (MailKind::Bounce, true)
        );
        assert_eq!(
            with(|s| s.auto_submitted = Some("auto-replied".into())),
            (MailKind::AutoReply, true)
        );
        assert_eq!(
            with(|s| s.autoreply_header = true),
            (MailKind::AutoReply, true)
        );
        assert_eq!(
            with(|s| s.subject = "Automatic reply: Invoice".into()),
            (MailKind::AutoReply, true)
        );
        assert_eq!(
            with(|s| s.subject = "【不在通知】山田".into()),
            (MailKind::AutoReply, true)
        );
        assert_eq!(
            with(|s| s.precedence = Some("bulk".into())),
            (MailKind::List, true)
        );
        assert_eq!(with(|s| s.list_header = true), (MailKind::List, true));
    }

    #[test]
    fn automatic_but_normal() {
        assert_eq!(
            with(|s| s.auto_submitted = Some("auto-generated".into())),
            (MailKind::Normal, true)
        );
        assert_eq!(
            with(|s| s.auto_submitted = Some("no".into())),
            (MailKind::Normal, false)
        );
        assert_eq!(with(|s| s.null_sender = true), (MailKind::Normal, true));
        // A person writing about auto-replies is not one.
        assert_eq!(
            with(|s| s.subject = "自動返信メールが届きません".into()),
            (MailKind::Normal, false)
        );
    }
}
