-- 0008: the web UI — sign-in sessions, each agent's language and timezone, and when each
-- agent last looked at each ticket (to mark new activity in the inbox view).

-- The cookie holds a random session id; only its SHA-256 is stored, so a copy of the
-- database cannot be used to sign in. Changing a password deletes the agent's sessions.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    agent_id      INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_agent ON sessions(agent_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- NULL: not chosen (the browser's Accept-Language, the team's timezone).
ALTER TABLE agents ADD COLUMN language TEXT;
ALTER TABLE agents ADD COLUMN timezone TEXT;

CREATE TABLE ticket_views (
    agent_id   INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    viewed_at  INTEGER NOT NULL,
    PRIMARY KEY (agent_id, ticket_id)
) WITHOUT ROWID;
