-- 0009: rules applied to new mail, in the admin's order, and automatic assignment per inbox.

-- conditions and actions are JSON (hako_domain::rules): conditions
-- [{"field":"subject","values":["請求書","invoice"]}], actions
-- [{"add_label":3},{"assign":2},{"set_status":"spam"}] — labels and agents by id, so renaming
-- one never breaks a rule. Positions are 1..n without gaps; the store keeps them so.
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position    INTEGER NOT NULL CHECK (position > 0),
    enabled     INTEGER NOT NULL DEFAULT 1,
    conditions  TEXT NOT NULL,
    actions     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX rules_position ON rules(position, id);

-- No row means manual (nobody is assigned automatically). last_agent_id is the round-robin
-- turn: the next ticket goes to the member after this agent, across restarts.
CREATE TABLE inbox_assignment (
    inbox_id       INTEGER PRIMARY KEY REFERENCES inboxes(id) ON DELETE CASCADE,
    strategy       TEXT NOT NULL DEFAULT 'manual'
        CHECK (strategy IN ('manual', 'round-robin', 'least-loaded')),
    cap            INTEGER CHECK (cap IS NULL OR cap > 0),
    last_agent_id  INTEGER REFERENCES agents(id) ON DELETE SET NULL,
    updated_at     INTEGER NOT NULL
);

-- Away agents are passed over by automatic assignment (rules naming them still assign).
ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0;
-- When the agent was last given a ticket by anyone: least-loaded's tie-break.
ALTER TABLE agents ADD COLUMN last_assigned_at INTEGER;
