-- 0001: inboxes, agents, contacts, labels, tickets, messages, raw blobs and the audit log.
-- All times are INTEGER milliseconds since the Unix epoch, UTC.

CREATE TABLE inboxes (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    address       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    signature     TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE agents (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role                TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    colour              TEXT NOT NULL,
    password_hash       TEXT,
    active              INTEGER NOT NULL DEFAULT 1,
    can_send            INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER
);

CREATE TABLE agent_inboxes (
    agent_id  INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    inbox_id  INTEGER NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, inbox_id)
) WITHOUT ROWID;

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    created_at  INTEGER NOT NULL
);

-- A contact may have several addresses; an address belongs to one contact.
CREATE TABLE contact_addresses (
    address     TEXT PRIMARY KEY COLLATE NOCASE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
);
CREATE INDEX contact_addresses_contact ON contact_addresses(contact_id);

CREATE TABLE labels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE tickets (
    id                        INTEGER PRIMARY KEY,
    number                    INTEGER NOT NULL UNIQUE,
    inbox_id                  INTEGER NOT NULL REFERENCES inboxes(id),
    subject                   TEXT NOT NULL,
    contact_id                INTEGER NOT NULL REFERENCES contacts(id),
    status                    TEXT NOT NULL
        CHECK (status IN ('open', 'pending', 'snoozed', 'closed', 'spam', 'trash')),
    pending_reason            TEXT,
    snoozed_until             INTEGER,
    assignee_id               INTEGER REFERENCES agents(id),
    channel                   TEXT NOT NULL DEFAULT 'email',
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    last_activity_at          INTEGER NOT NULL,
    last_customer_message_at  INTEGER,
    waiting_since             INTEGER,
    first_response_at         INTEGER,
    merged_into               INTEGER REFERENCES tickets(id),
    split_from_ticket         INTEGER REFERENCES tickets(id),
    split_from_message        INTEGER,
    version                   INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'snoozed') = (snoozed_until IS NOT NULL))
);
-- The inbox view: one inbox (or all visible), one status, newest activity first. Partial
-- (live tickets only): every list, count and load query says `merged_into IS NULL`, so its
-- totals are counted in the index alone, never row by row in the table (BENCHMARKS.md).
CREATE INDEX tickets_inbox_status_activity ON tickets(inbox_id, status, last_activity_at)
    WHERE merged_into IS NULL;
CREATE INDEX tickets_status_activity ON tickets(status, last_activity_at)
    WHERE merged_into IS NULL;
-- "Mine" and the per-agent load.
CREATE INDEX tickets_assignee_status_activity ON tickets(assignee_id, status, last_activity_at)
    WHERE merged_into IS NULL;
-- "Oldest waiting" sort.
CREATE INDEX tickets_inbox_status_waiting ON tickets(inbox_id, status, waiting_since)
    WHERE merged_into IS NULL;
-- The weekly report counts by creation time.
CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX tickets_snoozed ON tickets(snoozed_until) WHERE snoozed_until IS NOT NULL;
CREATE INDEX tickets_contact ON tickets(contact_id, last_activity_at);

CREATE TABLE ticket_labels (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    label_id   INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, label_id)
) WITHOUT ROWID;
CREATE INDEX ticket_labels_label ON ticket_labels(label_id, ticket_id);

-- Raw messages and attachments by SHA-256: stored once, kept forever, re-parsable.
CREATE TABLE blobs (
    hash        TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    ticket_id         INTEGER NOT NULL REFERENCES tickets(id),
    direction         TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'note')),
    raw_hash          TEXT REFERENCES blobs(hash),
    message_id        TEXT,
    in_reply_to       TEXT NOT NULL DEFAULT '[]',  -- JSON array of Message-IDs
    refs              TEXT NOT NULL DEFAULT '[]',  -- JSON array (References:)
    from_name         TEXT,
    from_address      TEXT,
    to_json           TEXT NOT NULL DEFAULT '[]',
    cc_json           TEXT NOT NULL DEFAULT '[]',
    date              INTEGER,                     -- the Date: header
    subject           TEXT NOT NULL DEFAULT '',
    body_text         TEXT NOT NULL DEFAULT '',
    body_html         TEXT,
    attachments_json  TEXT NOT NULL DEFAULT '[]',
    author_id         INTEGER REFERENCES agents(id),
    received_at       INTEGER NOT NULL,            -- thread order: when it reached us
    created_at        INTEGER NOT NULL
);
CREATE INDEX messages_ticket_order ON messages(ticket_id, received_at, id);
CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX messages_from ON messages(from_address COLLATE NOCASE, received_at);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER REFERENCES tickets(id),
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('agent', 'system')),
    actor_id    INTEGER REFERENCES agents(id),
    action      TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX events_ticket ON events(ticket_id, id);
