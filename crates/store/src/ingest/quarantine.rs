//! The quarantine: mail kept raw because it could not be processed, with the reason, until
//! `hako reprocess` turns it into a message.

use hako_domain::{ContentHash, InboxId, Timestamp};
use rusqlite::params;
use serde::Serialize;

use crate::codec::{from_ms, opt_from_ms};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarantineItem {
    pub id: i64,
    pub inbox: InboxId,
    pub source: String,
    pub raw: ContentHash,
    pub reason: String,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

impl Store {
    /// Quarantined mail, unresolved first; with `all`, resolved ones too.
    pub fn quarantine(&self, all: bool) -> Result<Vec<QuarantineItem>> {
        let mut st = self
            .read()
            .prepare(
                "SELECT id, inbox_id, source, raw_hash, reason, created_at, resolved_at
                 FROM quarantine WHERE ?1 OR resolved_at IS NULL ORDER BY id",
            )
            .map_err(StoreError::sql("list the quarantine"))?;
        st.query_map(params![all], |r| {
            Ok(QuarantineItem {
                id: r.get(0)?,
                inbox: InboxId(r.get(1)?),
                source: r.get(2)?,
                raw: ContentHash::from_hex(r.get(3)?),
                reason: r.get(4)?,
                created_at: from_ms(r.get(5)?),
                resolved_at: opt_from_ms(r.get(6)?),
            })
        })
        .and_then(|r| r.collect())
        .map_err(StoreError::sql("list the quarantine"))
    }
}
