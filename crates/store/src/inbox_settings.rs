//! Inboxes edited in the web UI (migration 0010): the saved settings, as TOML text the
//! config crate reads (the store never parses them), and the `inboxes` row they describe —
//! both written in one transaction with the audit event, so the composer's signature and the
//! approval rule change the moment the admin saves.

use hako_domain::{Action, Actor, AgentId, Inbox, Timestamp};
use rusqlite::{OptionalExtension, params};

use crate::codec::{from_ms, ms};
use crate::directory::{NewInbox, team_change, upsert_inbox};
use crate::ingest::mailbox::restart_sync_in_tx;
use crate::{Result, Store, StoreError};

/// One inbox as an admin saved it in the web UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedInbox {
    pub name: String,
    /// One `[[inbox]]` table in TOML (`hako_config::inbox_to_toml`), passwords included.
    pub settings: String,
    pub updated_at: Timestamp,
    pub updated_by: Option<AgentId>,
}

/// What an admin's save changed, for the audit log: the keys' values before and after, in
/// words (passwords only as "set"/"changed").
#[derive(Debug, Clone, Default)]
pub struct InboxEdit {
    pub before: String,
    pub after: String,
    /// The IMAP account is another (host or user name changed): its folders sync from the
    /// start, mail already there counting as old (`restart_sync`).
    pub new_account: bool,
}

fn actor_id(actor: Actor) -> Option<i64> {
    match actor {
        Actor::Agent(a) => Some(a.0),
        _ => None,
    }
}

impl Store {
    /// Every inbox saved in the web UI, by name.
    pub fn edited_inboxes(&self) -> Result<Vec<EditedInbox>> {
        let mut st = self
            .read()
            .prepare_cached(
                "SELECT name, settings, updated_at, updated_by FROM inbox_settings ORDER BY name",
            )
            .map_err(StoreError::sql("list the inboxes edited in the web UI"))?;
        st.query_map([], |r| {
            Ok(EditedInbox {
                name: r.get(0)?,
                settings: r.get(1)?,
                updated_at: from_ms(r.get(2)?),
                updated_by: r.get::<_, Option<i64>>(3)?.map(AgentId),
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("read the inboxes edited in the web UI"))
    }

    /// Saves an inbox's settings from the web UI (creating the inbox when it is new) and
    /// records who changed what.
    pub fn save_edited_inbox(
        &mut self,
        actor: Actor,
        row: &NewInbox,
        settings: &str,
        edit: &InboxEdit,
    ) -> Result<Inbox> {
        hako_domain::inbox::validate_name(&row.name)
            .map_err(StoreError::domain(format!("inbox {}", row.name)))?;
        self.write(|tx, now| {
            let saved = upsert_inbox(tx, row, now)?;
            if edit.new_account {
                restart_sync_in_tx(tx, saved.id, now)?;
            }
            tx.execute(
                "INSERT INTO inbox_settings (name, settings, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET settings = excluded.settings,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                params![row.name, settings, ms(now), actor_id(actor)],
            )
            .map_err(StoreError::sql("save an inbox's settings"))?;
            let before = format!("{}: {}", row.name, edit.before);
            let after = format!("{}: {}", row.name, edit.after);
            team_change(tx, actor, Action::InboxEdited, Some(&before), &after, now)?;
            Ok(saved)
        })
    }

    /// Drops the web UI's settings of inbox `name`; `file` is the config file's version, which
    /// applies again (an inbox only the web UI knew keeps its row and tickets, and no longer
    /// fetches or sends). False when nothing was saved for it.
    pub fn revert_edited_inbox(
        &mut self,
        actor: Actor,
        name: &str,
        file: Option<&NewInbox>,
    ) -> Result<bool> {
        self.write(|tx, now| {
            let had: Option<String> = tx
                .query_row(
                    "DELETE FROM inbox_settings WHERE name = ?1 RETURNING name",
                    [name],
                    |r| r.get(0),
                )
                .optional()
                .map_err(StoreError::sql("drop an inbox's settings"))?;
            if had.is_none() {
                return Ok(false);
            }
            if let Some(row) = file {
                upsert_inbox(tx, row, now)?;
            }
            team_change(tx, actor, Action::InboxReverted, None, name, now)?;
            Ok(true)
        })
    }
}
