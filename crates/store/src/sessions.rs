//! Web sign-in sessions. The browser holds a random session id; the table holds only its
//! SHA-256 (a leaked database or backup signs nobody in), the agent, the session's CSRF token
//! and its times. Expiry is the caller's policy (idle and absolute limits live in the web
//! crate); the store only refuses sessions whose `expires_at` has passed.

use hako_domain::{AgentId, ContentHash, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::codec::{from_ms, ms};
use crate::{Result, Store, StoreError};

/// A live session, as read back for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub agent: AgentId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// What is stored for a session id: SHA-256, hex. The id itself never reaches the disk.
fn id_hash(id: &str) -> String {
    ContentHash::of(id.as_bytes()).as_str().to_string()
}

impl Store {
    /// Records a new session `id` (random, chosen by the caller) for `agent`.
    pub fn create_session(
        &mut self,
        agent: AgentId,
        id: &str,
        csrf_token: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO sessions (id_hash, agent_id, csrf_token, created_at, last_seen_at,
                     expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![id_hash(id), agent.0, csrf_token, ms(now), ms(expires_at)],
            )
            .map_err(StoreError::sql("create a session"))?;
            Ok(())
        })
    }

    /// The session with this id, if it exists and has not expired.
    pub fn session(&self, id: &str) -> Result<Option<Session>> {
        // Cached: the web UI asks on every request.
        self.read()
            .prepare_cached(
                "SELECT agent_id, csrf_token, created_at, last_seen_at, expires_at
                 FROM sessions WHERE id_hash = ?1 AND expires_at > ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![id_hash(id), ms(self.now())], |r| {
                    Ok(Session {
                        agent: AgentId(r.get(0)?),
                        csrf_token: r.get(1)?,
                        created_at: from_ms(r.get(2)?),
                        last_seen_at: from_ms(r.get(3)?),
                        expires_at: from_ms(r.get(4)?),
                    })
                })
                .optional()
            })
            .map_err(StoreError::sql("read a session"))
    }

    /// Marks the session used now and moves its expiry (sliding idle timeout).
    pub fn touch_session(&mut self, id: &str, expires_at: Timestamp) -> Result<()> {
        self.write(|tx, now| {
            tx.execute(
                "UPDATE sessions SET last_seen_at = ?2, expires_at = ?3 WHERE id_hash = ?1",
                params![id_hash(id), ms(now), ms(expires_at)],
            )
            .map_err(StoreError::sql("touch a session"))?;
            Ok(())
        })
    }

    /// Signs one session out.
    pub fn end_session(&mut self, id: &str) -> Result<()> {
        self.write(|tx, _| {
            tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash(id)])
                .map_err(StoreError::sql("end a session"))?;
            Ok(())
        })
    }

    /// Signs the agent out everywhere; returns how many sessions ended.
    pub fn end_sessions(&mut self, agent: AgentId) -> Result<u64> {
        self.write(|tx, _| end_all_in_tx(tx, agent))
    }

    /// Deletes expired sessions (they are refused anyway; this keeps the table small).
    pub fn purge_expired_sessions(&mut self) -> Result<u64> {
        self.write(|tx, now| {
            tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [ms(now)])
                .map(|n| n as u64)
                .map_err(StoreError::sql("purge expired sessions"))
        })
    }
}

pub(crate) fn end_all_in_tx(tx: &Connection, agent: AgentId) -> Result<u64> {
    tx.execute("DELETE FROM sessions WHERE agent_id = ?1", [agent.0])
        .map(|n| n as u64)
        .map_err(StoreError::sql("end an agent's sessions"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewAgent;
    use chrono::{Duration, TimeZone, Utc};
    use hako_domain::{Actor, EmailAddress, Role};
    use std::sync::{Arc, Mutex};

    fn store_with_agent() -> (Store, AgentId, Arc<Mutex<Timestamp>>) {
        let mut s = Store::open_in_memory().unwrap();
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
        ));
        let clock = now.clone();
        s.set_clock(Arc::new(move || *clock.lock().unwrap()));
        let a = s
            .add_agent(
                Actor::System,
                &NewAgent {
                    name: "Sato".into(),
                    email: EmailAddress::parse("sato@example.test").unwrap(),
                    role: Role::Agent,
                    colour: None,
                    inboxes: vec![],
                    password: Some("first password".into()),
                    can_send: true,
                },
            )
            .unwrap();
        (s, a.id, now)
    }

    #[test]
    fn only_the_hash_is_stored_and_expiry_is_enforced() {
        let (mut s, agent, now) = store_with_agent();
        let start = *now.lock().unwrap();
        s.create_session(agent, "secret-id", "csrf", start + Duration::hours(1))
            .unwrap();
        let stored: String = s
            .read()
            .query_row("SELECT id_hash FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, "secret-id");
        assert_eq!(stored.len(), 64);
        let got = s.session("secret-id").unwrap().expect("live session");
        assert_eq!((got.agent, got.csrf_token.as_str()), (agent, "csrf"));
        assert_eq!(s.session("other-id").unwrap(), None);
        *now.lock().unwrap() = start + Duration::minutes(50);
        s.touch_session("secret-id", start + Duration::hours(2))
            .unwrap();
        *now.lock().unwrap() = start + Duration::minutes(90);
        assert!(
            s.session("secret-id").unwrap().is_some(),
            "touch extended it"
        );
        *now.lock().unwrap() = start + Duration::hours(2);
        assert_eq!(s.session("secret-id").unwrap(), None, "expired");
        assert_eq!(s.purge_expired_sessions().unwrap(), 1);
    }

    #[test]
    fn a_password_change_ends_every_session_of_the_agent() {
        let (mut s, agent, now) = store_with_agent();
        let later = *now.lock().unwrap() + Duration::hours(8);
        s.create_session(agent, "laptop", "c1", later).unwrap();
        s.create_session(agent, "phone", "c2", later).unwrap();
        s.set_password(Actor::Agent(agent), agent, "second password")
            .unwrap();
        assert_eq!(s.session("laptop").unwrap(), None);
        assert_eq!(s.session("phone").unwrap(), None);
        s.create_session(agent, "again", "c3", later).unwrap();
        s.end_session("again").unwrap();
        assert_eq!(s.session("again").unwrap(), None);
        s.create_session(agent, "x", "c4", later).unwrap();
        assert_eq!(s.end_sessions(agent).unwrap(), 1);
    }
}
