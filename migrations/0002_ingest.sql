-- 0002: mail ingest. Mailboxes with their IMAP sync cursor and lease, every UID seen, the
-- quarantine for mail that could not be processed, and what threading needs on messages
-- and tickets.

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);

-- One per (inbox, folder). The cursor (uidvalidity, last_uid) advances in the same
-- transaction as the messages it covers; the lease keeps a second hako process from syncing
-- the same mailbox at the same time.
CREATE TABLE mailboxes (
    id           INTEGER PRIMARY KEY,
    inbox_id     INTEGER NOT NULL REFERENCES inboxes(id),
    folder       TEXT NOT NULL,
    uidvalidity  INTEGER,
    last_uid     INTEGER NOT NULL DEFAULT 0,
    -- UIDs below this were in the mailbox before hako first synced it: imported silently.
    import_below INTEGER NOT NULL DEFAULT 0,
    lease_owner  TEXT,
    lease_until  INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (inbox_id, folder)
);

-- Every (mailbox, UIDVALIDITY, UID) processed, and what became of it: a stored message, a
-- duplicate of one, a quarantined raw mail, or a skip (our own sent mail).
CREATE TABLE mailbox_uids (
    mailbox_id     INTEGER NOT NULL REFERENCES mailboxes(id),
    uidvalidity    INTEGER NOT NULL,
    uid            INTEGER NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('stored', 'duplicate', 'quarantined', 'skipped')),
    message_id     INTEGER REFERENCES messages(id),
    quarantine_id  INTEGER REFERENCES quarantine(id),
    raw_hash       TEXT REFERENCES blobs(hash),
    -- The after-ingest action (mark seen, move) is done: it runs after the commit, so a
    -- crash in between leaves 0 here and the next pass does it.
    acted          INTEGER NOT NULL DEFAULT 0,
    at             INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uidvalidity, uid)
) WITHOUT ROWID;

-- Mail that could not be turned into a message: kept raw with the reason, shown to admins,
-- replayable with `hako reprocess`.
CREATE TABLE quarantine (
    id                INTEGER PRIMARY KEY,
    inbox_id          INTEGER NOT NULL REFERENCES inboxes(id),
    source            TEXT NOT NULL,
    raw_hash          TEXT NOT NULL REFERENCES blobs(hash),
    reason            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    resolved_at       INTEGER,
    resolved_message  INTEGER REFERENCES messages(id)
);
CREATE INDEX quarantine_open ON quarantine(resolved_at, id);

-- Same mail seen twice (two of our addresses, a re-created mailbox): Message-ID plus a hash
-- of what the sender wrote, without the trace headers each delivery adds.
ALTER TABLE messages ADD COLUMN dedupe_key TEXT;
CREATE INDEX messages_dedupe ON messages(dedupe_key) WHERE dedupe_key IS NOT NULL;
-- Auto-replies, bounces and list mail: stored and threaded, but they change no status.
ALTER TABLE messages ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0;
-- Old mail brought in by an account's first sync or by `hako import`: triggers nothing.
ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;

-- The normalised subject of the first message, for the same-subject threading rule.
ALTER TABLE tickets ADD COLUMN thread_subject TEXT;
-- A reply that came too long after closing starts a new ticket linked to the old one.
ALTER TABLE tickets ADD COLUMN linked_to INTEGER REFERENCES tickets(id);
