//! IMAP mailboxes as the store sees them: the sync cursor (UIDVALIDITY, last UID) and a
//! lease so that only one process syncs a mailbox, even when two hako processes run.

use chrono::Duration;
use hako_domain::InboxId;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::codec::{from_ms, ms, opt_from_ms};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct MailboxId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mailbox {
    pub id: MailboxId,
    pub inbox: InboxId,
    pub folder: String,
    pub uidvalidity: Option<u32>,
    /// Every UID up to this one has been processed and committed.
    pub last_uid: u32,
    /// UIDs below this predate hako's first sync: they are stored as imported.
    pub import_below: u32,
    pub lease_owner: Option<String>,
    pub lease_until: Option<hako_domain::Timestamp>,
    pub updated_at: hako_domain::Timestamp,
}

/// Proof of holding a mailbox's lease; renew it before `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub mailbox: MailboxId,
    pub owner: String,
    pub until: hako_domain::Timestamp,
}

const COLS: &str = "id, inbox_id, folder, uidvalidity, last_uid, lease_owner, lease_until,
    updated_at, import_below";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Mailbox> {
    Ok(Mailbox {
        id: MailboxId(r.get(0)?),
        inbox: InboxId(r.get(1)?),
        folder: r.get(2)?,
        uidvalidity: r.get(3)?,
        last_uid: r.get(4)?,
        lease_owner: r.get(5)?,
        lease_until: opt_from_ms(r.get(6)?),
        updated_at: from_ms(r.get(7)?),
        import_below: r.get(8)?,
    })
}

impl Store {
    /// The mailbox for (inbox, folder), created on first use.
    pub fn mailbox(&mut self, inbox: InboxId, folder: &str) -> Result<Mailbox> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT OR IGNORE INTO mailboxes (inbox_id, folder, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?3)",
                params![inbox.0, folder, ms(now)],
            )
            .map_err(StoreError::sql("create a mailbox"))?;
            tx.query_row(
                &format!("SELECT {COLS} FROM mailboxes WHERE inbox_id = ?1 AND folder = ?2"),
                params![inbox.0, folder],
                row,
            )
            .map_err(StoreError::sql("read a mailbox"))
        })
    }

    pub fn mailboxes(&self) -> Result<Vec<Mailbox>> {
        let mut st = self
            .read()
            .prepare(&format!("SELECT {COLS} FROM mailboxes ORDER BY id"))
            .map_err(StoreError::sql("list mailboxes"))?;
        st.query_map([], row)
            .and_then(|r| r.collect())
            .map_err(StoreError::sql("list mailboxes"))
    }

    /// Takes (or renews) the lease on a mailbox for `ttl`, unless another live owner holds
    /// it. Returns `None` when someone else syncs it now.
    pub fn acquire_lease(
        &mut self,
        mailbox: MailboxId,
        owner: &str,
        ttl: Duration,
    ) -> Result<Option<Lease>> {
        self.write(|tx, now| {
            let until = now + ttl;
            let n = tx
                .execute(
                    "UPDATE mailboxes SET lease_owner = ?2, lease_until = ?3
                     WHERE id = ?1 AND (lease_owner IS NULL OR lease_owner = ?2
                                        OR lease_until IS NULL OR lease_until < ?4)",
                    params![mailbox.0, owner, ms(until), ms(now)],
                )
                .map_err(StoreError::sql("take a mailbox lease"))?;
            Ok((n == 1).then(|| Lease {
                mailbox,
                owner: owner.to_string(),
                until,
            }))
        })
    }

    /// Takes the lease from `dead_owner` (a process known to be gone), if it still holds it.
    pub fn take_over_lease(
        &mut self,
        mailbox: MailboxId,
        dead_owner: &str,
        owner: &str,
        ttl: Duration,
    ) -> Result<Option<Lease>> {
        self.write(|tx, now| {
            let until = now + ttl;
            let n = tx
                .execute(
                    "UPDATE mailboxes SET lease_owner = ?3, lease_until = ?4
                     WHERE id = ?1 AND lease_owner = ?2",
                    params![mailbox.0, dead_owner, owner, ms(until)],
                )
                .map_err(StoreError::sql("take over a mailbox lease"))?;
            Ok((n == 1).then(|| Lease {
                mailbox,
                owner: owner.to_string(),
                until,
            }))
        })
    }

    pub fn release_lease(&mut self, lease: &Lease) -> Result<()> {
        self.write(|tx, _| {
            tx.execute(
                "UPDATE mailboxes SET lease_owner = NULL, lease_until = NULL
                 WHERE id = ?1 AND lease_owner = ?2",
                params![lease.mailbox.0, lease.owner],
            )
            .map_err(StoreError::sql("release a mailbox lease"))?;
            Ok(())
        })
    }

    /// Records the server's UIDVALIDITY. When it changed (the mailbox was re-created), the
    /// cursor starts again at 0: every mail is fetched again and recognised by its dedupe key,
    /// so nothing is stored twice. Returns true when it changed.
    pub fn set_uidvalidity(&mut self, mailbox: MailboxId, uidvalidity: u32) -> Result<bool> {
        self.write(|tx, now| {
            let current: Option<Option<u32>> = tx
                .query_row(
                    "SELECT uidvalidity FROM mailboxes WHERE id = ?1",
                    [mailbox.0],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::sql("read a mailbox"))?;
            let current =
                current.ok_or_else(|| StoreError::not_found(format!("mailbox {}", mailbox.0)))?;
            if current == Some(uidvalidity) {
                return Ok(false);
            }
            tx.execute(
                "UPDATE mailboxes SET uidvalidity = ?2, last_uid = 0, updated_at = ?3
                 WHERE id = ?1",
                params![mailbox.0, uidvalidity, ms(now)],
            )
            .map_err(StoreError::sql("reset a mailbox cursor"))?;
            Ok(current.is_some())
        })
    }

    /// Moves the cursor past UIDs that hold nothing for us (for a new account that imports
    /// only new mail: everything up to the current UIDNEXT - 1).
    pub fn skip_to_uid(&mut self, mailbox: MailboxId, last_uid: u32) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "UPDATE mailboxes SET last_uid = MAX(last_uid, ?2), updated_at = ?3 WHERE id = ?1",
                params![mailbox.0, last_uid, ms(now)],
            )
            .map_err(StoreError::sql("advance a mailbox cursor"))?;
            Ok(())
        })
    }

    /// Forgets where the inbox's folders were synced to (the account moved to another server
    /// or user): the next sync of each is a first sync again, so the mail already in the new
    /// account counts as old (imported silently, as `initial_import` says) instead of new
    /// mail that rules and automatic replies act on. Returns how many folders.
    pub fn restart_sync(&mut self, inbox: InboxId) -> Result<usize> {
        self.write(|tx, now| restart_sync_in_tx(tx, inbox, now))
    }

    /// Marks the first sync of a mailbox: UIDs below `uid_next` are old mail, imported
    /// silently.
    pub fn set_import_below(&mut self, mailbox: MailboxId, uid_next: u32) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "UPDATE mailboxes SET import_below = ?2, updated_at = ?3 WHERE id = ?1",
                params![mailbox.0, uid_next, ms(now)],
            )
            .map_err(StoreError::sql("mark a first sync"))?;
            Ok(())
        })
    }

    /// UIDs processed at this UIDVALIDITY whose after-ingest action (flag, move) has not been
    /// done yet — a crash came between the commit and the action.
    pub fn pending_actions(&self, mailbox: MailboxId, uidvalidity: u32) -> Result<Vec<u32>> {
        let mut st = self
            .read()
            .prepare_cached(
                "SELECT uid FROM mailbox_uids
                 WHERE mailbox_id = ?1 AND uidvalidity = ?2 AND acted = 0 ORDER BY uid",
            )
            .map_err(StoreError::sql("list pending actions"))?;
        st.query_map(params![mailbox.0, uidvalidity], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(StoreError::sql("list pending actions"))
    }

    /// Records that the after-ingest action was done for these UIDs.
    pub fn mark_acted(&mut self, mailbox: MailboxId, uidvalidity: u32, uids: &[u32]) -> Result<()> {
        self.write(|tx, _| {
            let mut st = tx
                .prepare_cached(
                    "UPDATE mailbox_uids SET acted = 1
                     WHERE mailbox_id = ?1 AND uidvalidity = ?2 AND uid = ?3",
                )
                .map_err(StoreError::sql("mark actions done"))?;
            for uid in uids {
                st.execute(params![mailbox.0, uidvalidity, uid])
                    .map_err(StoreError::sql("mark actions done"))?;
            }
            Ok(())
        })
    }
}

pub(crate) fn restart_sync_in_tx(
    tx: &rusqlite::Connection,
    inbox: InboxId,
    now: hako_domain::Timestamp,
) -> Result<usize> {
    tx.execute(
        "UPDATE mailboxes SET uidvalidity = NULL, last_uid = 0, import_below = 0, updated_at = ?2
         WHERE inbox_id = ?1",
        params![inbox.0, ms(now)],
    )
    .map_err(StoreError::sql("restart a mailbox's sync"))
}
