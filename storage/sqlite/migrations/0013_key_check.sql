-- Which key this database was created with: a known value sealed with it (see
-- storage/sqlite/keys.py). A bot started with another key is refused before it writes anything.
CREATE TABLE key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sealed TEXT NOT NULL,
    created_at REAL NOT NULL
);
