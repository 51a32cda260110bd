-- Key rotation, as SQLite's migration 0019 (storage/sqlite/rotation.py): the blind-index key a
-- rotated database keeps, sealed with the current key, and a rotation not finished yet. A
-- database copied by `fsbot migrate-db` keeps both.
ALTER TABLE key_check ADD COLUMN index_enc TEXT;
CREATE TABLE key_rotation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    old_sealed TEXT NOT NULL,
    new_key_enc TEXT NOT NULL,
    started_at DOUBLE PRECISION NOT NULL
);
