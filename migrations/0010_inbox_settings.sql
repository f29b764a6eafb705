-- 0010: inboxes edited in the web UI's settings. The config file defines the first inboxes;
-- a row here is an inbox an admin saved in the web UI, as one [[inbox]] table in TOML
-- (hako_config::inbox_to_toml, passwords included). It wins over the file's inbox of the
-- same name until the admin reverts it (the row is deleted). Every command and `hako serve`
-- read these rows; serve restarts the inbox's IMAP worker when one changes.
CREATE TABLE inbox_settings (
    name        TEXT PRIMARY KEY,
    settings    TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES agents(id) ON DELETE SET NULL
);
