-- 0006: sender history reads ticket ids from the indexes alone (covering indexes), so a
-- customer domain with many messages is counted without visiting the messages table.
DROP INDEX messages_from;
CREATE INDEX messages_from ON messages(from_address COLLATE NOCASE, received_at, ticket_id);
DROP INDEX messages_from_domain;
CREATE INDEX messages_from_domain ON messages(from_domain, received_at, ticket_id);
