-- 0005: reply templates, seeded from templates/replies/ and editable later.
CREATE TABLE reply_templates (
    name        TEXT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
