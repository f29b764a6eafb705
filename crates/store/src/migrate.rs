//! Forward-only, numbered migrations from the repository's `migrations/` folder, compiled in.
//! Each runs in its own transaction with its version recorded; a database written by a newer
//! hako is refused rather than guessed at.

use rusqlite::Connection;
use std::path::Path;

use crate::{Result, StoreError};

/// (version, name, SQL). Append only; never edit a migration that has shipped.
#[rustfmt::skip]
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../../../migrations/0001_init.sql")),
    (2, "ingest", include_str!("../../../migrations/0002_ingest.sql")),
    (3, "search", include_str!("../../../migrations/0003_search.sql")),
    (4, "outbox", include_str!("../../../migrations/0004_outbox.sql")),
    (5, "templates", include_str!("../../../migrations/0005_templates.sql")),
    (6, "history indexes", include_str!("../../../migrations/0006_history_indexes.sql")),
    (7, "approval", include_str!("../../../migrations/0007_approval.sql")),
    (8, "web", include_str!("../../../migrations/0008_web.sql")),
    (9, "rules", include_str!("../../../migrations/0009_rules.sql")),
    (10, "inbox settings", include_str!("../../../migrations/0010_inbox_settings.sql")),
];

pub(crate) fn current_version(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )
    .map_err(StoreError::sql("read the schema version"))
}

pub(crate) fn run(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at INTEGER NOT NULL
         )",
    )
    .map_err(StoreError::sql("create the migrations table"))?;
    let current = current_version(conn)?;
    let latest = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if current > latest {
        return Err(StoreError::Migration {
            path: path.to_path_buf(),
            why: format!(
                "schema version {current} is newer than this hako knows ({latest}); \
                 upgrade hako"
            ),
        });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn
            .transaction()
            .map_err(StoreError::sql("begin a migration"))?;
        tx.execute_batch(sql).map_err(|e| StoreError::Migration {
            path: path.to_path_buf(),
            why: format!("migration {version:04}_{name} failed: {e}"),
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, name, chrono::Utc::now().timestamp_millis()],
        )
        .map_err(StoreError::sql("record a migration"))?;
        tx.commit().map_err(StoreError::sql("commit a migration"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_from_empty_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hako.db");
        let s = crate::Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        drop(s);
        let s = crate::Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let tables: i64 = s
            .read()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'tickets'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }

    #[test]
    fn refuses_a_database_from_a_newer_hako() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hako.db");
        drop(crate::Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 0)",
            [],
        )
        .unwrap();
        drop(conn);
        let err = crate::Store::open(&path)
            .err()
            .expect("newer schema refused");
        assert!(
            err.to_string().contains("newer than this hako knows"),
            "{err}"
        );
    }
}
