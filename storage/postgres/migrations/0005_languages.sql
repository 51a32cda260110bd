-- The language each person reads the bot in, as SQLite's migration 0021 (issue 21): ``person``
-- is their blind index; ``chosen`` 1 when they picked it, 0 for the platform's guess.
CREATE TABLE languages (
    person TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    chosen INTEGER NOT NULL DEFAULT 0,
    updated_at DOUBLE PRECISION NOT NULL
);
