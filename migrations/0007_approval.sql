-- 0007: the rest of replies — approval (承認), the Sent-folder copy, automatic replies with
-- their loop guard, and per-contact charset.
--
-- SQLite cannot change a CHECK constraint in place, so the outbox is rebuilt with the new
-- states and its rows copied (SQLite's documented "12-step" ALTER; nothing references
-- outbox, so no foreign key needs deferring).
--   approval  waits for a supervisor;  returned  sent back to its author with a comment.
CREATE TABLE outbox_v7 (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL REFERENCES tickets(id),
    inbox_id         INTEGER NOT NULL REFERENCES inboxes(id),
    author_id        INTEGER REFERENCES agents(id),
    message_id       TEXT NOT NULL UNIQUE,
    raw_hash         TEXT NOT NULL REFERENCES blobs(hash),
    envelope_from    TEXT NOT NULL,
    recipients       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    state            TEXT NOT NULL
        CHECK (state IN ('approval', 'returned', 'queued', 'sent', 'failed', 'cancelled')),
    send_at          INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    give_up_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    status_after     TEXT,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    -- What the author wrote (without signature and quote): what an approver may edit, and
    -- with `draft` (JSON: reply-all, tag, quote, attachments, charset) and `nonce` enough to
    -- compose the same message again, Message-ID unchanged.
    body             TEXT NOT NULL DEFAULT '',
    draft            TEXT NOT NULL DEFAULT '{}',
    nonce            TEXT NOT NULL DEFAULT '',
    reviewer_id      INTEGER REFERENCES agents(id),
    review_comment   TEXT,
    -- The author's text before an approver edited it, for the diff.
    original_body    TEXT,
    -- An automatic message (auto-reply): subject to the loop guard, never approved.
    automatic        INTEGER NOT NULL DEFAULT 0,
    -- The copy in the inbox's IMAP Sent folder: 'pending' once sent, 'done' when appended.
    sent_copy        TEXT CHECK (sent_copy IN ('pending', 'done')),
    sent_copy_error  TEXT
);
INSERT INTO outbox_v7 (id, ticket_id, inbox_id, author_id, message_id, raw_hash, envelope_from,
        recipients, subject, body_text, state, send_at, next_attempt_at, give_up_at, attempts,
        last_error, status_after, created_at, finished_at, body)
    SELECT id, ticket_id, inbox_id, author_id, message_id, raw_hash, envelope_from,
        recipients, subject, body_text, state, send_at, next_attempt_at, give_up_at, attempts,
        last_error, status_after, created_at, finished_at, body_text
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v7 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox(ticket_id);
CREATE INDEX outbox_sent_copy ON outbox(sent_copy) WHERE sent_copy = 'pending';

-- Approval per inbox (every reply from it waits) — per agent it is agents.can_send = 0.
ALTER TABLE inboxes ADD COLUMN requires_approval INTEGER NOT NULL DEFAULT 0;
-- The reply template sent automatically to a new ticket's customer (NULL: none).
ALTER TABLE inboxes ADD COLUMN auto_reply_template TEXT;

-- Replies to this contact go out in ISO-2022-JP (older Japanese mail clients and groupware).
ALTER TABLE contacts ADD COLUMN charset TEXT NOT NULL DEFAULT 'utf-8'
    CHECK (charset IN ('utf-8', 'iso-2022-jp'));

-- New tickets waiting for their automatic reply; a worker drains it.
CREATE TABLE auto_reply_queue (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id),
    created_at  INTEGER NOT NULL
);

-- The loop guard: the last automatic message to each address. At most one a day.
CREATE TABLE auto_reply_log (
    address     TEXT PRIMARY KEY COLLATE NOCASE,
    sent_at     INTEGER NOT NULL
);
