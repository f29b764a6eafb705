//! Counts for admins and monitoring (`hako stats`).

use serde::Serialize;
use std::collections::BTreeMap;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub inboxes: u64,
    pub agents: u64,
    pub labels: u64,
    pub contacts: u64,
    pub tickets: u64,
    /// Live tickets (not merged away) by status name.
    pub tickets_by_status: BTreeMap<String, u64>,
    pub messages: u64,
    pub raw_bytes: u64,
    pub schema_version: i64,
}

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        let conn = self.read();
        let count = |table: &str| -> Result<u64> {
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(StoreError::sql("count rows"))
        };
        let mut by_status: BTreeMap<String, u64> = hako_domain::StatusKind::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        let mut st = conn
            .prepare(
                "SELECT status, COUNT(*) FROM tickets WHERE merged_into IS NULL GROUP BY status",
            )
            .map_err(StoreError::sql("count tickets by status"))?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(StoreError::sql("count tickets by status"))?;
        for (s, n) in rows {
            by_status.insert(s, n as u64);
        }
        let raw_bytes: i64 = conn
            .query_row("SELECT COALESCE(SUM(size), 0) FROM blobs", [], |r| r.get(0))
            .map_err(StoreError::sql("sum blob sizes"))?;
        Ok(Stats {
            inboxes: count("inboxes")?,
            agents: count("agents")?,
            labels: count("labels")?,
            contacts: count("contacts")?,
            tickets: by_status.values().sum(),
            tickets_by_status: by_status,
            messages: count("messages")?,
            raw_bytes: raw_bytes as u64,
            schema_version: self.schema_version()?,
        })
    }
}
