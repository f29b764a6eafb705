//! Saving, moving, enabling and deleting rules. Each is one transaction with its team audit
//! event; positions stay 1..n without gaps.

use hako_domain::rules::{Field, Rule, RuleAction};
use hako_domain::{Action, Actor, DomainError, RuleId};
use rusqlite::{Connection, params};

use super::{RuleEntry, naming, rule_in};
use crate::codec::{ms, to_json};
use crate::directory::team_event;
use crate::{Result, Store, StoreError};

impl Store {
    /// Saves a new rule at `position` (1 is first; `None`: last); the rules from there on
    /// move down one. `rule.id` is ignored.
    pub fn add_rule(
        &mut self,
        actor: Actor,
        rule: &Rule,
        position: Option<u32>,
    ) -> Result<RuleEntry> {
        let rule = checked(rule)?;
        self.write(|tx, now| {
            validate_refs(tx, &rule)?;
            let n = count(tx)?;
            let at = position.unwrap_or(n + 1);
            if at == 0 || at > n + 1 {
                return Err(StoreError::invalid(
                    naming(&rule),
                    format!("position {at} is outside 1-{}", n + 1),
                ));
            }
            tx.execute(
                "UPDATE rules SET position = position + 1 WHERE position >= ?1",
                [at],
            )
            .map_err(StoreError::sql("make room for a rule"))?;
            tx.execute(
                "INSERT INTO rules (name, position, enabled, conditions, actions, created_at,
                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    rule.name,
                    at,
                    rule.enabled,
                    to_json(&rule.conditions),
                    to_json(&rule.actions),
                    ms(now)
                ],
            )
            .map_err(|e| unique_name(e, &rule))?;
            let saved = rule_in(tx, RuleId(tx.last_insert_rowid()))?;
            let what = format!("{}: added at {at}", naming(&saved.rule));
            team_event(tx, actor, Action::RuleSaved, &what, now)?;
            Ok(saved)
        })
    }

    /// Replaces a rule's name, conditions, actions and enabled flag; its position stays.
    pub fn update_rule(&mut self, actor: Actor, id: RuleId, rule: &Rule) -> Result<RuleEntry> {
        let rule = checked(&Rule {
            id: Some(id),
            ..rule.clone()
        })?;
        self.write(|tx, now| {
            rule_in(tx, id)?;
            validate_refs(tx, &rule)?;
            tx.execute(
                "UPDATE rules SET name = ?2, enabled = ?3, conditions = ?4, actions = ?5,
                     updated_at = ?6 WHERE id = ?1",
                params![
                    id.0,
                    rule.name,
                    rule.enabled,
                    to_json(&rule.conditions),
                    to_json(&rule.actions),
                    ms(now)
                ],
            )
            .map_err(|e| unique_name(e, &rule))?;
            let what = format!("{}: edited", naming(&rule));
            team_event(tx, actor, Action::RuleSaved, &what, now)?;
            rule_in(tx, id)
        })
    }

    /// Moves a rule to `position` (1..n); the rules in between shift by one.
    pub fn move_rule(&mut self, actor: Actor, id: RuleId, position: u32) -> Result<RuleEntry> {
        self.write(|tx, now| {
            let r = rule_in(tx, id)?;
            let n = count(tx)?;
            if position == 0 || position > n {
                return Err(StoreError::invalid(
                    naming(&r.rule),
                    format!("position {position} is outside 1-{n}"),
                ));
            }
            if position == r.position {
                return Ok(r);
            }
            let (from, to) = (r.position, position);
            let shift = if to < from {
                "UPDATE rules SET position = position + 1 WHERE position >= ?2 AND position < ?1"
            } else {
                "UPDATE rules SET position = position - 1 WHERE position > ?1 AND position <= ?2"
            };
            tx.execute(shift, params![from, to])
                .map_err(StoreError::sql("shift rules"))?;
            tx.execute(
                "UPDATE rules SET position = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.0, to, ms(now)],
            )
            .map_err(StoreError::sql("move a rule"))?;
            let what = format!("{}: moved {from} → {to}", naming(&r.rule));
            team_event(tx, actor, Action::RuleSaved, &what, now)?;
            rule_in(tx, id)
        })
    }

    pub fn set_rule_enabled(
        &mut self,
        actor: Actor,
        id: RuleId,
        enabled: bool,
    ) -> Result<RuleEntry> {
        self.write(|tx, now| {
            let r = rule_in(tx, id)?;
            if r.rule.enabled == enabled {
                return Ok(r);
            }
            tx.execute(
                "UPDATE rules SET enabled = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.0, enabled, ms(now)],
            )
            .map_err(StoreError::sql("enable or disable a rule"))?;
            let state = if enabled { "enabled" } else { "disabled" };
            let what = format!("{}: {state}", naming(&r.rule));
            team_event(tx, actor, Action::RuleSaved, &what, now)?;
            rule_in(tx, id)
        })
    }

    /// Deletes a rule; the audit events of tickets it acted on keep its name.
    pub fn delete_rule(&mut self, actor: Actor, id: RuleId) -> Result<()> {
        self.write(|tx, now| {
            let r = rule_in(tx, id)?;
            tx.execute("DELETE FROM rules WHERE id = ?1", [id.0])
                .map_err(StoreError::sql("delete a rule"))?;
            tx.execute(
                "UPDATE rules SET position = position - 1 WHERE position > ?1",
                [r.position],
            )
            .map_err(StoreError::sql("close the gap of a deleted rule"))?;
            team_event(tx, actor, Action::RuleDeleted, &naming(&r.rule), now)
        })
    }
}

/// The rule in its saved form, or the domain's reason why not, naming the rule.
pub(super) fn checked(rule: &Rule) -> Result<Rule> {
    rule.normalized().map_err(|e| match e {
        DomainError::InvalidRule { rule: name, why } => StoreError::invalid(
            naming(&Rule {
                name,
                ..rule.clone()
            }),
            why,
        ),
        other => StoreError::domain("rule")(other),
    })
}

/// Labels, agents and inboxes a rule names must exist (and agents be active) when it is
/// saved. Later changes (an agent deactivated) make the action skip, never fail ingest.
pub(super) fn validate_refs(conn: &Connection, rule: &Rule) -> Result<()> {
    let exists = |sql: &str, v: &dyn rusqlite::ToSql| -> Result<bool> {
        conn.query_row(sql, [v], |r| r.get(0))
            .map_err(StoreError::sql("check a rule's references"))
    };
    let bad = |why: String| Err(StoreError::invalid(naming(rule), why));
    for a in &rule.actions {
        match a {
            RuleAction::AddLabel(l)
                if !exists("SELECT EXISTS(SELECT 1 FROM labels WHERE id = ?1)", &l.0)? =>
            {
                return bad(format!("label {l} does not exist"));
            }
            RuleAction::Assign(u)
                if !exists(
                    "SELECT EXISTS(SELECT 1 FROM agents WHERE id = ?1 AND active)",
                    &u.0,
                )? =>
            {
                return bad(format!("user {u} does not exist or is deactivated"));
            }
            _ => {}
        }
    }
    for c in rule.conditions.iter().filter(|c| c.field == Field::Inbox) {
        for v in &c.values {
            let sql = "SELECT EXISTS(SELECT 1 FROM inboxes WHERE name = ?1 COLLATE NOCASE)";
            if !exists(sql, v)? {
                return bad(format!("inbox {v} does not exist"));
            }
        }
    }
    Ok(())
}

fn count(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT COUNT(*) FROM rules", [], |r| r.get(0))
        .map_err(StoreError::sql("count rules"))
}

fn unique_name(e: rusqlite::Error, rule: &Rule) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::AlreadyExists {
            what: format!("rule {}", rule.name),
        },
        _ => StoreError::Sql {
            context: "save a rule",
            source: e,
        },
    }
}
