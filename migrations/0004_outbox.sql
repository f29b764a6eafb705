-- 0004: the outbox. A reply is a row committed together with its ticket change; a worker
-- sends due rows over SMTP and records the result. The Message-ID is fixed when the row is
-- written, so a retry after a crash re-sends the same message (at-least-once delivery; the
-- customer's client shows one copy if two ever arrive).

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL REFERENCES tickets(id),
    inbox_id         INTEGER NOT NULL REFERENCES inboxes(id),
    author_id        INTEGER REFERENCES agents(id),
    message_id       TEXT NOT NULL UNIQUE,
    raw_hash         TEXT NOT NULL REFERENCES blobs(hash),
    envelope_from    TEXT NOT NULL,
    recipients       TEXT NOT NULL,   -- JSON array of addresses (To and Cc)
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    state            TEXT NOT NULL
        CHECK (state IN ('queued', 'sent', 'failed', 'cancelled')),
    -- Not before this: a scheduled send, or the end of the undo window.
    send_at          INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    give_up_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    -- The ticket's status once sent ("closed", "pending"); NULL keeps it.
    status_after     TEXT,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox(ticket_id);
