//! Reply templates as stored: seeded from the built-in defaults, editable afterwards.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::codec::{from_ms, ms};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyTemplate {
    pub name: String,
    pub body: String,
    pub updated_at: hako_domain::Timestamp,
}

impl Store {
    /// Adds the templates that are missing; never overwrites one an admin has edited.
    pub fn seed_templates(&mut self, defaults: &[(&str, &str)]) -> Result<usize> {
        self.write(|tx, now| {
            let mut added = 0;
            for (name, body) in defaults {
                added += tx
                    .execute(
                        "INSERT OR IGNORE INTO reply_templates (name, body, updated_at)
                         VALUES (?1, ?2, ?3)",
                        params![name, body, ms(now)],
                    )
                    .map_err(StoreError::sql("seed a template"))?;
            }
            Ok(added)
        })
    }

    pub fn save_template(&mut self, name: &str, body: &str) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO reply_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body,
                     updated_at = excluded.updated_at",
                params![name, body, ms(now)],
            )
            .map_err(StoreError::sql("save a template"))?;
            Ok(())
        })
    }

    pub fn delete_template(&mut self, name: &str) -> Result<()> {
        self.write(|tx, _| {
            tx.execute("DELETE FROM reply_templates WHERE name = ?1", [name])
                .map_err(StoreError::sql("delete a template"))?;
            Ok(())
        })
    }

    pub fn templates(&self) -> Result<Vec<ReplyTemplate>> {
        self.read()
            .prepare("SELECT name, body, updated_at FROM reply_templates ORDER BY name")
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok(ReplyTemplate {
                        name: r.get(0)?,
                        body: r.get(1)?,
                        updated_at: from_ms(r.get(2)?),
                    })
                })?
                .collect()
            })
            .map_err(StoreError::sql("list templates"))
    }

    pub fn template(&self, name: &str) -> Result<ReplyTemplate> {
        self.read()
            .query_row(
                "SELECT name, body, updated_at FROM reply_templates WHERE name = ?1",
                [name],
                |r| {
                    Ok(ReplyTemplate {
                        name: r.get(0)?,
                        body: r.get(1)?,
                        updated_at: from_ms(r.get(2)?),
                    })
                },
            )
            .optional()
            .map_err(StoreError::sql("read a template"))?
            .ok_or_else(|| StoreError::not_found(format!("template {name}")))
    }
}
