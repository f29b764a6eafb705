//! The team's directory: inboxes, agents and their inbox memberships, labels, contacts.

use hako_domain::{
    Action, Actor, Agent, AgentId, Colour, Contact, ContactId, EmailAddress, Inbox, InboxId, Label,
    LabelId, Role, inbox::validate_name, label::validate_label_name, password,
};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use std::sync::Arc;

use crate::codec::{from_ms, ms};
use crate::ops::{EventRecord, record};
use crate::{Result, Store, StoreError};

/// An inbox as configured; `sync_inbox` creates it or updates it by name.
#[derive(Debug, Clone)]
pub struct NewInbox {
    pub name: String,
    pub address: EmailAddress,
    pub display_name: String,
    pub signature: String,
    pub requires_approval: bool,
    pub auto_reply: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAgent {
    pub name: String,
    pub email: EmailAddress,
    pub role: Role,
    pub colour: Option<Colour>,
    pub inboxes: Vec<InboxId>,
    /// `None` creates an agent who cannot sign in until a password is set.
    pub password: Option<String>,
    pub can_send: bool,
}

fn inbox_row(r: &Row<'_>) -> rusqlite::Result<Inbox> {
    Ok(Inbox {
        id: InboxId(r.get(0)?),
        name: r.get(1)?,
        address: EmailAddress::parse(&r.get::<_, String>(2)?)
            .map_err(|_| crate::codec::bad_value(2, "stored inbox address"))?,
        display_name: r.get(3)?,
        signature: r.get(4)?,
        requires_approval: r.get(5)?,
        auto_reply: r.get(6)?,
    })
}

/// An agent row of `all_agents`: the columns of `agents`, then their inbox ids joined by
/// commas (NULL for none).
fn agent_row(r: &Row<'_>) -> rusqlite::Result<Agent> {
    let mut inboxes = r
        .get::<_, Option<String>>(8)?
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map(InboxId))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| crate::codec::bad_value(8, "stored inbox id"))?;
    inboxes.sort();
    Ok(Agent {
        id: AgentId(r.get(0)?),
        name: r.get(1)?,
        email: EmailAddress::parse(&r.get::<_, String>(2)?)
            .map_err(|_| crate::codec::bad_value(2, "stored email"))?,
        role: Role::parse(&r.get::<_, String>(3)?)
            .map_err(|_| crate::codec::bad_value(3, "stored role"))?,
        colour: Colour::parse(&r.get::<_, String>(4)?)
            .map_err(|_| crate::codec::bad_value(4, "stored colour"))?,
        inboxes,
        active: r.get(5)?,
        can_send: r.get(6)?,
        away: r.get(7)?,
    })
}

const INBOX_COLS: &str =
    "id, name, address, display_name, signature, requires_approval, auto_reply_template";

impl Store {
    /// Creates the inbox, or updates address, display name and signature of the one with this
    /// name: the config file is the source of truth for inboxes.
    pub fn sync_inbox(&mut self, inbox: &NewInbox) -> Result<Inbox> {
        validate_name(&inbox.name).map_err(StoreError::domain(format!("inbox {}", inbox.name)))?;
        self.write(|tx, now| {
            let saved = upsert_inbox(tx, inbox, now)?;
            let text = format!("{} <{}>", inbox.name, inbox.address);
            team_event(tx, Actor::System, Action::InboxSaved, &text, now)?;
            Ok(saved)
        })
    }

    pub fn inboxes(&self) -> Result<Vec<Inbox>> {
        Ok(self.all_inboxes()?.to_vec())
    }

    /// Every inbox by name; kept while the database is unchanged (the web UI's tabs).
    fn all_inboxes(&self) -> Result<Arc<[Inbox]>> {
        self.memoized(
            |m| m.inboxes.clone(),
            || {
                let mut st = self
                    .read()
                    .prepare_cached(&format!("SELECT {INBOX_COLS} FROM inboxes ORDER BY name"))
                    .map_err(StoreError::sql("list inboxes"))?;
                st.query_map([], inbox_row)
                    .and_then(|rows| rows.collect())
                    .map_err(StoreError::sql("list inboxes"))
            },
            |m, v| m.inboxes = Some(v),
        )
    }

    pub fn inbox_by_name(&self, name: &str) -> Result<Inbox> {
        self.read()
            .query_row(
                &format!("SELECT {INBOX_COLS} FROM inboxes WHERE name = ?1"),
                [name],
                inbox_row,
            )
            .optional()
            .map_err(StoreError::sql("find an inbox"))?
            .ok_or_else(|| StoreError::not_found(format!("inbox {name}")))
    }

    pub fn add_agent(&mut self, actor: Actor, a: &NewAgent) -> Result<Agent> {
        let hash = match &a.password {
            Some(p) => Some(
                password::hash_password(p)
                    .map_err(StoreError::domain(format!("user {}", a.email)))?,
            ),
            None => None,
        };
        let id = self.write(|tx, now| {
            let n: i64 = tx
                .query_row("SELECT COUNT(*) FROM agents", [], |r| r.get(0))
                .map_err(StoreError::sql("count agents"))?;
            let colour = a
                .colour
                .clone()
                .unwrap_or_else(|| Colour::nth_default(n as usize));
            tx.execute(
                "INSERT INTO agents (name, email, role, colour, password_hash, can_send,
                     created_at, password_changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![
                    a.name,
                    a.email.as_str(),
                    a.role.as_str(),
                    colour.as_str(),
                    hash,
                    a.can_send,
                    ms(now)
                ],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::AlreadyExists {
                    what: format!("user {}", a.email),
                },
                _ => StoreError::Sql {
                    context: "add a user",
                    source: e,
                },
            })?;
            let id = AgentId(tx.last_insert_rowid());
            set_memberships(tx, id, &a.inboxes)?;
            let added = format!("{} ({})", a.email, a.role);
            team_event(tx, actor, Action::UserAdded, &added, now)?;
            Ok(id)
        })?;
        self.agent(id)
    }

    /// Replaces the password and ends every web session of the agent in the same transaction:
    /// whoever knew the old password (or stole a cookie) is signed out at once.
    pub fn set_password(&mut self, actor: Actor, agent: AgentId, new_password: &str) -> Result<()> {
        let hash = password::hash_password(new_password)
            .map_err(StoreError::domain(format!("user {agent}")))?;
        self.write(|tx, now| {
            let n = tx
                .execute(
                    "UPDATE agents SET password_hash = ?1, password_changed_at = ?2 WHERE id = ?3",
                    params![hash, ms(now), agent.0],
                )
                .map_err(StoreError::sql("set a password"))?;
            if n == 0 {
                return Err(StoreError::not_found(format!("user {agent}")));
            }
            crate::sessions::end_all_in_tx(tx, agent)?;
            let email = crate::ops::change::agent_email(tx, agent)?;
            team_event(tx, actor, Action::PasswordChanged, &email, now)
        })
    }

    /// The stored password hash, for sign-in.
    pub fn password_hash(&self, agent: AgentId) -> Result<Option<String>> {
        self.read()
            .query_row(
                "SELECT password_hash FROM agents WHERE id = ?1",
                [agent.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("read a password hash"))?
            .ok_or_else(|| StoreError::not_found(format!("user {agent}")))
    }

    pub fn agents(&self) -> Result<Vec<Agent>> {
        Ok(self.all_agents()?.to_vec())
    }

    /// [`Store::agents`] without copying them (what the store keeps between calls): for
    /// pages that read every agent on every request.
    pub fn shared_agents(&self) -> Result<Arc<[Agent]>> {
        self.all_agents()
    }

    pub fn agent(&self, id: AgentId) -> Result<Agent> {
        self.all_agents()?
            .iter()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| StoreError::not_found(format!("user {id}")))
    }

    /// Every agent with their inboxes, by name: one query, kept while the database is
    /// unchanged. The web UI reads the signed-in agent on every request and every agent for
    /// its menus (it used to take two queries per agent).
    fn all_agents(&self) -> Result<Arc<[Agent]>> {
        self.memoized(
            |m| m.agents.clone(),
            || {
                self.read()
                    .prepare_cached(
                        "SELECT a.id, a.name, a.email, a.role, a.colour, a.active, a.can_send,
                            a.away, (SELECT group_concat(ai.inbox_id) FROM agent_inboxes ai
                                     WHERE ai.agent_id = a.id)
                         FROM agents a ORDER BY a.name, a.id",
                    )
                    .and_then(|mut st| st.query_map([], agent_row)?.collect())
                    .map_err(StoreError::sql("list users"))
            },
            |m, v| m.agents = Some(v),
        )
    }

    pub fn agent_by_email(&self, email: &str) -> Result<Agent> {
        let id: Option<i64> = self
            .read()
            .query_row(
                "SELECT id FROM agents WHERE email = ?1 COLLATE NOCASE",
                [email.trim()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("find a user"))?;
        match id {
            Some(id) => self.agent(AgentId(id)),
            None => Err(StoreError::not_found(format!("user {email}"))),
        }
    }

    pub fn add_label(&mut self, actor: Actor, name: &str, colour: Option<Colour>) -> Result<Label> {
        let name = validate_label_name(name).map_err(StoreError::domain("label"))?;
        let id = self.write(|tx, now| {
            let n: i64 = tx
                .query_row("SELECT COUNT(*) FROM labels", [], |r| r.get(0))
                .map_err(StoreError::sql("count labels"))?;
            let colour = colour.unwrap_or_else(|| Colour::nth_default(n as usize));
            tx.execute(
                "INSERT INTO labels (name, colour, created_at) VALUES (?1, ?2, ?3)",
                params![name, colour.as_str(), ms(now)],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::AlreadyExists {
                    what: format!("label {name}"),
                },
                _ => StoreError::Sql {
                    context: "add a label",
                    source: e,
                },
            })?;
            let id = tx.last_insert_rowid();
            team_event(tx, actor, Action::LabelCreated, &name, now)?;
            Ok(id)
        })?;
        Ok(self
            .all_labels()?
            .iter()
            .find(|l| l.id.0 == id)
            .cloned()
            .expect("just inserted"))
    }

    pub fn labels(&self) -> Result<Vec<Label>> {
        Ok(self.all_labels()?.to_vec())
    }

    /// Every label by name; kept while the database is unchanged.
    fn all_labels(&self) -> Result<Arc<[Label]>> {
        self.memoized(
            |m| m.labels.clone(),
            || {
                let mut st = self
                    .read()
                    .prepare_cached("SELECT id, name, colour FROM labels ORDER BY name")
                    .map_err(StoreError::sql("list labels"))?;
                st.query_map([], |r| {
                    Ok(Label {
                        id: LabelId(r.get(0)?),
                        name: r.get(1)?,
                        colour: Colour::parse(&r.get::<_, String>(2)?)
                            .map_err(|_| crate::codec::bad_value(2, "stored colour"))?,
                    })
                })
                .and_then(|rows| rows.collect())
                .map_err(StoreError::sql("list labels"))
            },
            |m, v| m.labels = Some(v),
        )
    }

    pub fn label_by_name(&self, name: &str) -> Result<Label> {
        self.all_labels()?
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name.trim()))
            .cloned()
            .ok_or_else(|| StoreError::not_found(format!("label {name}")))
    }

    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        let (name, created): (Option<String>, i64) = self
            .read()
            .query_row(
                "SELECT name, created_at FROM contacts WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(StoreError::sql("read a contact"))?
            .ok_or_else(|| StoreError::not_found(format!("contact {id}")))?;
        let mut st = self
            .read()
            .prepare_cached(
                "SELECT address FROM contact_addresses WHERE contact_id = ?1 ORDER BY created_at",
            )
            .map_err(StoreError::sql("read contact addresses"))?;
        let addrs: Vec<String> = st
            .query_map([id.0], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(StoreError::sql("read contact addresses"))?;
        Ok(Contact {
            id,
            name,
            addresses: addrs
                .iter()
                .filter_map(|a| EmailAddress::parse(a).ok())
                .collect(),
            created_at: from_ms(created),
        })
    }
}

pub(crate) fn set_memberships(
    tx: &Transaction<'_>,
    agent: AgentId,
    inboxes: &[InboxId],
) -> Result<()> {
    tx.execute("DELETE FROM agent_inboxes WHERE agent_id = ?1", [agent.0])
        .map_err(StoreError::sql("clear memberships"))?;
    for inbox in inboxes {
        tx.execute(
            "INSERT INTO agent_inboxes (agent_id, inbox_id) VALUES (?1, ?2)",
            params![agent.0, inbox.0],
        )
        .map_err(StoreError::sql("add a membership"))?;
    }
    Ok(())
}

/// The contact owning `address`, created (with `name`) if the address is new. A known contact
/// without a name gets this one: the first mail often carries it, a phone note may not.
pub(crate) fn find_or_create_contact(
    tx: &rusqlite::Connection,
    address: Option<&EmailAddress>,
    name: Option<&str>,
    now: hako_domain::Timestamp,
) -> Result<ContactId> {
    if let Some(addr) = address {
        let existing: Option<i64> = tx
            .query_row(
                "SELECT contact_id FROM contact_addresses WHERE address = ?1",
                [addr.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::sql("find a contact"))?;
        if let Some(id) = existing {
            if let Some(n) = name.filter(|n| !n.is_empty()) {
                tx.execute(
                    "UPDATE contacts SET name = ?1 WHERE id = ?2 AND name IS NULL",
                    params![n, id],
                )
                .map_err(StoreError::sql("name a contact"))?;
            }
            return Ok(ContactId(id));
        }
    }
    tx.execute(
        "INSERT INTO contacts (name, created_at) VALUES (?1, ?2)",
        params![name.filter(|n| !n.is_empty()), ms(now)],
    )
    .map_err(StoreError::sql("create a contact"))?;
    let id = tx.last_insert_rowid();
    if let Some(addr) = address {
        tx.execute(
            "INSERT INTO contact_addresses (address, contact_id, created_at) VALUES (?1, ?2, ?3)",
            params![addr.as_str(), id, ms(now)],
        )
        .map_err(StoreError::sql("add a contact address"))?;
    }
    Ok(ContactId(id))
}

/// An audit event about the team rather than a ticket.
/// Creates or updates the inbox named `inbox.name`; the row as stored.
pub(crate) fn upsert_inbox(
    tx: &rusqlite::Connection,
    inbox: &NewInbox,
    now: hako_domain::Timestamp,
) -> Result<Inbox> {
    tx.execute(
        "INSERT INTO inboxes (name, address, display_name, signature, created_at,
             requires_approval, auto_reply_template)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (name) DO UPDATE SET address = excluded.address,
             display_name = excluded.display_name, signature = excluded.signature,
             requires_approval = excluded.requires_approval,
             auto_reply_template = excluded.auto_reply_template",
        params![
            inbox.name,
            inbox.address.as_str(),
            inbox.display_name,
            inbox.signature,
            ms(now),
            inbox.requires_approval,
            inbox.auto_reply,
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::AlreadyExists {
            what: format!("inbox address {}", inbox.address),
        },
        _ => StoreError::Sql {
            context: "save an inbox",
            source: e,
        },
    })?;
    tx.query_row(
        &format!("SELECT {INBOX_COLS} FROM inboxes WHERE name = ?1"),
        [&inbox.name],
        inbox_row,
    )
    .map_err(StoreError::sql("read back an inbox"))
}

/// A team change (no ticket) in the audit log, with what it was before when that says something.
pub(crate) fn team_change(
    tx: &rusqlite::Connection,
    actor: Actor,
    action: Action,
    before: Option<&str>,
    after: &str,
    now: hako_domain::Timestamp,
) -> Result<()> {
    record(
        tx,
        EventRecord {
            ticket: None,
            actor,
            action,
            before,
            after: Some(after),
        },
        now,
    )
}

pub(crate) fn team_event(
    tx: &rusqlite::Connection,
    actor: Actor,
    action: Action,
    after: &str,
    now: hako_domain::Timestamp,
) -> Result<()> {
    team_change(tx, actor, action, None, after, now)
}
