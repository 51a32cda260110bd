-- The language each person reads the bot in (issue 21). A person is their blind index (the
-- same key as drafts and cases), never an id in the clear. ``chosen`` is 1 when they picked it
-- themselves (/language or the Language button), 0 when it is the platform's guess at first
-- contact; a guess never replaces what a person chose.
CREATE TABLE languages (
    person TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    chosen INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL
);
