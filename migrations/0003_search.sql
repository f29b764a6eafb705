-- 0003: the search index is derived data. Every ticket change queues the ticket here in the
-- same transaction; a worker re-indexes queued tickets and only then deletes their rows, so a
-- crash between the database commit and the index commit is repaired on the next drain.

CREATE TABLE index_queue (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX index_queue_ticket ON index_queue(ticket_id);
-- A database from before this migration has no index yet: queue every ticket.
INSERT INTO index_queue (ticket_id, at) SELECT id, 0 FROM tickets;

-- Sender history by domain ("everything from example.co.jp").
ALTER TABLE messages ADD COLUMN from_domain TEXT
    GENERATED ALWAYS AS (lower(substr(from_address, instr(from_address, '@') + 1))) VIRTUAL;
CREATE INDEX messages_from_domain ON messages(from_domain, received_at);

-- Lists over every status ("all tickets with label X", search results by date): newest
-- activity first without a sort (BENCHMARKS.md, label search over all statuses).
CREATE INDEX tickets_activity ON tickets(last_activity_at) WHERE merged_into IS NULL;
