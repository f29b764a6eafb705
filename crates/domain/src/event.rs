//! The audit log: who changed what on which ticket, from what to what, and when. Every
//! operation writes one event per ticket it changes, in the same transaction as the change.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AgentId, EventId, TicketId, Timestamp};

/// Who did it. `System` covers rules, snooze wake-ups, ingest and admin scripts without
/// `--as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Actor {
    Agent(AgentId),
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Created,
    Assigned,
    Unassigned,
    LabelAdded,
    LabelRemoved,
    StatusChanged,
    Snoozed,
    Woken,
    /// On the original ticket: messages moved out to a new ticket.
    SplitOut,
    /// On the new ticket: created from messages of another.
    SplitFrom,
    /// On the ticket that disappeared: now a pointer to the other.
    MergedInto,
    /// On the ticket that received the messages.
    MergedFrom,
    NoteAdded,
    MessageAdded,
    SubjectChanged,
    /// Team changes, with no ticket: an inbox saved from the config, a user added, a
    /// password changed, a label created, contacts linked.
    InboxSaved,
    /// An admin saved an inbox's settings in the web UI (they now win over the config file);
    /// `before`/`after` list the changed keys, passwords only as "set"/"changed".
    InboxEdited,
    /// An admin dropped the web UI's settings of an inbox: the config file's apply again.
    InboxReverted,
    UserAdded,
    PasswordChanged,
    LabelCreated,
    ContactsLinked,
    /// A contact's settings changed (the charset of replies).
    ContactUpdated,
    /// A reply entered the outbox (queued, scheduled).
    ReplyQueued,
    ReplySent,
    /// A send attempt failed; `after` holds the server's answer.
    ReplyFailed,
    ReplyCancelled,
    /// A reply waits for a supervisor (承認); `after` says why (inbox rule, cannot send).
    ReplySubmitted,
    /// A supervisor approved a reply; `after` holds the comment and the diff of any edit.
    ReplyApproved,
    /// A supervisor sent a reply back to its author with a comment.
    ReplyReturned,
    /// The reply was copied to the inbox's IMAP Sent folder.
    ReplyFiled,
    /// An admin's rule matched a new ticket; `after` names the rule and what it did.
    RuleApplied,
    /// Team changes: a rule added, edited, moved, enabled or disabled; a rule deleted; an
    /// inbox's automatic assignment changed; a user's settings (away; from the admin settings
    /// role, inboxes, active, can send) changed.
    RuleSaved,
    RuleDeleted,
    AssignmentSaved,
    UserUpdated,
    /// Team changes from the admin settings: a label renamed or recoloured; a reply template
    /// saved.
    LabelUpdated,
    TemplateSaved,
}

impl Action {
    pub const ALL: [Action; 38] = [
        Action::Created,
        Action::Assigned,
        Action::Unassigned,
        Action::LabelAdded,
        Action::LabelRemoved,
        Action::StatusChanged,
        Action::Snoozed,
        Action::Woken,
        Action::SplitOut,
        Action::SplitFrom,
        Action::MergedInto,
        Action::MergedFrom,
        Action::NoteAdded,
        Action::MessageAdded,
        Action::SubjectChanged,
        Action::InboxSaved,
        Action::InboxEdited,
        Action::InboxReverted,
        Action::UserAdded,
        Action::PasswordChanged,
        Action::LabelCreated,
        Action::ContactsLinked,
        Action::ContactUpdated,
        Action::ReplyQueued,
        Action::ReplySent,
        Action::ReplyFailed,
        Action::ReplyCancelled,
        Action::ReplySubmitted,
        Action::ReplyApproved,
        Action::ReplyReturned,
        Action::ReplyFiled,
        Action::RuleApplied,
        Action::RuleSaved,
        Action::RuleDeleted,
        Action::AssignmentSaved,
        Action::UserUpdated,
        Action::LabelUpdated,
        Action::TemplateSaved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Assigned => "assigned",
            Action::Unassigned => "unassigned",
            Action::LabelAdded => "label_added",
            Action::LabelRemoved => "label_removed",
            Action::StatusChanged => "status_changed",
            Action::Snoozed => "snoozed",
            Action::Woken => "woken",
            Action::SplitOut => "split_out",
            Action::SplitFrom => "split_from",
            Action::MergedInto => "merged_into",
            Action::MergedFrom => "merged_from",
            Action::NoteAdded => "note_added",
            Action::MessageAdded => "message_added",
            Action::SubjectChanged => "subject_changed",
            Action::InboxSaved => "inbox_saved",
            Action::InboxEdited => "inbox_edited",
            Action::InboxReverted => "inbox_reverted",
            Action::UserAdded => "user_added",
            Action::PasswordChanged => "password_changed",
            Action::LabelCreated => "label_created",
            Action::ContactsLinked => "contacts_linked",
            Action::ContactUpdated => "contact_updated",
            Action::ReplyQueued => "reply_queued",
            Action::ReplySent => "reply_sent",
            Action::ReplyFailed => "reply_failed",
            Action::ReplyCancelled => "reply_cancelled",
            Action::ReplySubmitted => "reply_submitted",
            Action::ReplyApproved => "reply_approved",
            Action::ReplyReturned => "reply_returned",
            Action::ReplyFiled => "reply_filed",
            Action::RuleApplied => "rule_applied",
            Action::RuleSaved => "rule_saved",
            Action::RuleDeleted => "rule_deleted",
            Action::AssignmentSaved => "assignment_saved",
            Action::UserUpdated => "user_updated",
            Action::LabelUpdated => "label_updated",
            Action::TemplateSaved => "template_saved",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub ticket: Option<TicketId>,
    pub actor: Actor,
    pub action: Action,
    /// Human-readable values (an agent's email, a label name, `#1042`), not row ids, so the
    /// log still reads right after the thing it names is renamed or deleted.
    pub before: Option<String>,
    pub after: Option<String>,
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_name() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("nope"), None);
    }
}
