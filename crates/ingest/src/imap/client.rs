//! `Client`: one logged-in IMAP connection of one account, and the commands
//! that open a folder and find UIDs in it (SELECT/EXAMINE, UID SEARCH),
//! plus LOGOUT. Fetching, flagging/moving and IDLE live in their own
//! modules as further `impl Client` blocks.

use std::time::Duration;

use async_imap::imap_proto::{Capability, MailboxDatum, Response, ResponseCode, Status};
use chrono::NaiveDate;

use super::error::{ImapError, Location, folder_refusal};
use super::stream::ImapStream;
use super::wire::{quoted_mailbox, search_date, uids_above};

/// A logged-in connection, made by [`connect`](super::connect). Commands
/// take `&mut self`; one folder is selected at a time. After a network
/// error or timeout the connection is gone and every later command fails
/// with [`ImapError::Closed`]: drop the client and connect again.
#[derive(Debug)]
pub struct Client {
    /// `None` once the connection is lost (or while IDLE has it).
    pub(crate) session: Option<async_imap::Session<ImapStream>>,
    /// The account, for error messages.
    pub(crate) account: Location,
    pub(crate) timeout: Duration,
    /// `after_ingest` needs write access: SELECT rather than EXAMINE.
    pub(crate) write: bool,
    pub(crate) capabilities: Capabilities,
    pub(crate) selected: Option<String>,
    /// An EXISTS arrived since the last search started, so IDLE
    /// would wait for news that is already here.
    pub(crate) new_mail: bool,
}

/// The extensions hako uses, from the CAPABILITY response.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Capabilities {
    pub idle: bool,
    pub r#move: bool,
}

impl Capabilities {
    pub(crate) fn from_list(list: &[Capability<'_>]) -> Self {
        let has = |name: &str| {
            list.iter()
                .any(|c| matches!(c, Capability::Atom(a) if a.eq_ignore_ascii_case(name)))
        };
        Self {
            idle: has("IDLE"),
            r#move: has("MOVE"),
        }
    }
}

/// What SELECT/EXAMINE reports about a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxInfo {
    /// Changes when the server renumbered the folder: every stored UID of
    /// it is then meaningless and the folder must be rescanned.
    pub uidvalidity: u32,
    /// The UID the next new mail will get, if the server said.
    pub uid_next: Option<u32>,
    /// Number of mails in the folder.
    pub exists: u32,
}

impl Client {
    pub(crate) fn new(
        session: async_imap::Session<ImapStream>,
        account: Location,
        timeout: Duration,
        write: bool,
    ) -> Self {
        Self {
            session: Some(session),
            account,
            timeout,
            write,
            capabilities: Capabilities::default(),
            selected: None,
            new_mail: false,
        }
    }

    /// The account and selected folder, for errors.
    pub(crate) fn here(&self) -> Location {
        match &self.selected {
            Some(folder) => self.account.in_folder(folder),
            None => self.account.clone(),
        }
    }

    /// Whether the server offers IDLE (RFC 2177); without it, poll.
    pub fn has_idle(&self) -> bool {
        self.capabilities.idle
    }

    /// Whether the server offers MOVE (RFC 6851); see [`Client::move_to`].
    pub fn has_move(&self) -> bool {
        self.capabilities.r#move
    }

    /// The selected folder, if any.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// Opens `folder`: read-write (SELECT) when `after_ingest` needs to
    /// flag or move mail, read-only (EXAMINE) otherwise, so with "leave"
    /// not even `\Seen` or `\Recent` can change.
    pub async fn select(&mut self, folder: &str) -> Result<MailboxInfo, ImapError> {
        let op = "open the folder";
        let quoted = quoted_mailbox(folder).map_err(|reason| ImapError::Usage {
            at: self.account.in_folder(folder),
            op,
            reason,
        })?;
        let verb = if self.write { "SELECT" } else { "EXAMINE" };
        // A failed SELECT leaves no folder selected (RFC 3501 §6.3.1); set
        // it now so errors name it.
        self.selected = Some(folder.to_owned());
        let (mut uidvalidity, mut uid_next, mut exists) = (None, None, 0);
        let result = self
            .run(op, &format!("{verb} {quoted}"), |response| match response {
                Response::Data {
                    status: Status::Ok,
                    outcome,
                } => match outcome.code {
                    Some(ResponseCode::UidValidity(v)) => uidvalidity = Some(v),
                    Some(ResponseCode::UidNext(n)) => uid_next = Some(n),
                    _ => {}
                },
                Response::MailboxData(MailboxDatum::Exists(n)) => exists = *n,
                _ => {}
            })
            .await;
        let at = self.here();
        let checked = result.map_err(folder_refusal).and_then(|tagged| {
            let Some(uidvalidity) = uidvalidity else {
                return Err(ImapError::Protocol {
                    at: at.clone(),
                    op,
                    reason: "the server sent no UIDVALIDITY".to_owned(),
                });
            };
            if self.write && tagged.read_only {
                return Err(ImapError::Usage {
                    at: at.clone(),
                    op,
                    reason: "the server opened it read-only, but `after_ingest` needs to flag \
                             or move mail; use \"leave\" or grant write access"
                        .to_owned(),
                });
            }
            Ok(uidvalidity)
        });
        let uidvalidity = checked.inspect_err(|_| self.selected = None)?;
        // The caller searches next; what SELECT reported is covered by that.
        self.new_mail = false;
        Ok(MailboxInfo {
            uidvalidity,
            uid_next,
            exists,
        })
    }

    /// UIDs above `last_uid` in the selected folder, ascending: the mail
    /// that arrived since the last sync (`uids_after(0)` lists everything).
    pub async fn uids_after(&mut self, last_uid: u32) -> Result<Vec<u32>, ImapError> {
        let Some(first) = last_uid.checked_add(1) else {
            return Ok(Vec::new());
        };
        let found = self.search(&format!("UID {first}:*")).await?;
        Ok(uids_above(found, last_uid))
    }

    /// UIDs of mail the server received on or after `date` (its internal
    /// date, compared by the server in its own time zone), ascending: for
    /// `initial_import = "since"`.
    pub async fn uids_since(&mut self, date: NaiveDate) -> Result<Vec<u32>, ImapError> {
        let found = self.search(&format!("SINCE {}", search_date(date))).await?;
        Ok(uids_above(found, 0))
    }

    /// `UID SEARCH criteria`. A server searches the session's current view
    /// of the folder and announces mail that arrived meanwhile only after
    /// the result (Dovecot sends `* SEARCH 1 2 3 4` then `* 5 EXISTS`), so
    /// when an EXISTS comes with the result the search runs again; a few
    /// rounds at most, after that the pending news makes the next IDLE
    /// return at once.
    async fn search(&mut self, criteria: &str) -> Result<Vec<u32>, ImapError> {
        let op = "search";
        self.require_selected(op)?;
        let command = format!("UID SEARCH {criteria}");
        let mut found = Vec::new();
        for _ in 0..3 {
            self.clear_new_mail();
            found.clear();
            self.run(op, &command, |response| {
                if let Response::MailboxData(MailboxDatum::Search(ids)) = response {
                    found.extend_from_slice(ids);
                }
            })
            .await?;
            if !self.new_mail {
                break;
            }
        }
        Ok(found)
    }

    /// Ends the session politely (LOGOUT). Dropping a client also closes
    /// the connection, just without telling the server.
    pub async fn logout(mut self) -> Result<(), ImapError> {
        if self.session.is_none() {
            return Ok(());
        }
        self.run("log out", "LOGOUT", |_| {}).await.map(drop)
    }

    pub(crate) fn require_selected(&self, op: &'static str) -> Result<(), ImapError> {
        match self.selected {
            Some(_) => Ok(()),
            None => Err(ImapError::Usage {
                at: self.here(),
                op,
                reason: "no folder is selected; call select first".to_owned(),
            }),
        }
    }

    pub(crate) fn require_write(&self, op: &'static str) -> Result<(), ImapError> {
        self.require_selected(op)?;
        if self.write {
            return Ok(());
        }
        Err(ImapError::Usage {
            at: self.here(),
            op,
            reason: "the folder is open read-only because `after_ingest = \"leave\"`".to_owned(),
        })
    }

    /// Forgets buffered EXISTS news, including what async-imap's own
    /// commands (IDLE, LOGIN) queued on its unsolicited channel.
    pub(crate) fn clear_new_mail(&mut self) {
        self.take_new_mail();
    }

    /// Whether an EXISTS arrived since the last search started.
    pub(crate) fn take_new_mail(&mut self) -> bool {
        use async_imap::types::UnsolicitedResponse;
        let mut news = std::mem::take(&mut self.new_mail);
        if let Some(session) = &self.session {
            while let Ok(response) = session.unsolicited_responses.try_recv() {
                news |= matches!(response, UnsolicitedResponse::Exists(_));
            }
        }
        news
    }
}
