//! The admin's rules ([`hako_domain::rules`]): kept in the order the admin sets (positions
//! 1..n without gaps), edited as a whole, tested against an existing ticket, and applied to
//! each new ticket inside the ingest transaction ([`apply`]).

mod apply;
mod edit;
mod test;

pub(crate) use apply::{NewMail, Origin, on_new_ticket};
pub use test::{PlannedAction, RuleTest};

use hako_domain::rules::{Rule, RuleAction};
use hako_domain::{RuleId, Timestamp};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::codec::{from_json, from_ms};
use crate::{Result, Store, StoreError};

/// A saved rule with its place in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleEntry {
    /// 1 is the first rule to run.
    pub position: u32,
    #[serde(flatten)]
    pub rule: Rule,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl RuleEntry {
    pub fn id(&self) -> RuleId {
        self.rule.id.expect("a saved rule has an id")
    }
}

const COLS: &str = "id, name, enabled, conditions, actions, position, created_at, updated_at";

fn entry_row(r: &Row<'_>) -> rusqlite::Result<RuleEntry> {
    Ok(RuleEntry {
        rule: Rule {
            id: Some(RuleId(r.get(0)?)),
            name: r.get(1)?,
            enabled: r.get(2)?,
            conditions: from_json(3, &r.get::<_, String>(3)?)?,
            actions: from_json(4, &r.get::<_, String>(4)?)?,
        },
        position: r.get(5)?,
        created_at: from_ms(r.get(6)?),
        updated_at: from_ms(r.get(7)?),
    })
}

impl Store {
    /// Every rule, first to run first.
    pub fn rules(&self) -> Result<Vec<RuleEntry>> {
        all_rules(self.read())
    }

    pub fn rule(&self, id: RuleId) -> Result<RuleEntry> {
        rule_in(self.read(), id)
    }

    /// A rule by its id (`3`) or its name (case-insensitive), as typed on the command line.
    pub fn rule_by_ref(&self, r: &str) -> Result<RuleEntry> {
        let r = r.trim();
        if let Ok(id) = r.trim_start_matches('#').parse::<i64>() {
            return self.rule(RuleId(id));
        }
        self.read()
            .query_row(
                &format!("SELECT {COLS} FROM rules WHERE name = ?1 COLLATE NOCASE"),
                [r],
                entry_row,
            )
            .optional()
            .map_err(StoreError::sql("find a rule"))?
            .ok_or_else(|| StoreError::not_found(format!("rule {r}")))
    }

    /// What an action does, in words for people: `label 請求`, `assign sato@example.test`,
    /// `status spam`.
    pub fn describe_action(&self, a: &RuleAction) -> Result<String> {
        describe(self.read(), a)
    }
}

pub(crate) fn all_rules(conn: &Connection) -> Result<Vec<RuleEntry>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {COLS} FROM rules ORDER BY position, id"))
        .map_err(StoreError::sql("list rules"))?;
    st.query_map([], entry_row)
        .and_then(|rows| rows.collect())
        .map_err(StoreError::sql("list rules"))
}

pub(crate) fn rule_in(conn: &Connection, id: RuleId) -> Result<RuleEntry> {
    conn.query_row(
        &format!("SELECT {COLS} FROM rules WHERE id = ?1"),
        [id.0],
        entry_row,
    )
    .optional()
    .map_err(StoreError::sql("read a rule"))?
    .ok_or_else(|| StoreError::not_found(format!("rule {id}")))
}

/// `rule 3 (請求書)`: how errors and the audit log name a rule.
pub(crate) fn naming(rule: &Rule) -> String {
    match rule.id {
        Some(id) => format!("rule {id} ({})", rule.name),
        None => format!("rule {}", rule.name),
    }
}

pub(crate) fn describe(conn: &Connection, a: &RuleAction) -> Result<String> {
    let name = |sql: &str, id: i64| -> Result<Option<String>> {
        conn.query_row(sql, [id], |r| r.get(0))
            .optional()
            .map_err(StoreError::sql("name a rule's action"))
    };
    Ok(match a {
        RuleAction::AddLabel(l) => match name("SELECT name FROM labels WHERE id = ?1", l.0)? {
            Some(n) => format!("label {n}"),
            None => format!("label {l} (deleted)"),
        },
        RuleAction::Assign(u) => match name("SELECT email FROM agents WHERE id = ?1", u.0)? {
            Some(e) => format!("assign {e}"),
            None => format!("assign user {u} (deleted)"),
        },
        RuleAction::SetStatus(s) => format!("status {s}"),
    })
}
