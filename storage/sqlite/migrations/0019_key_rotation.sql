-- Key rotation (storage/sqlite/rotation.py, `fsbot rotate-key`).
-- The blind-index key a rotated database keeps (sealed with the current key; NULL: derived from
-- the current key, as before any rotation). Blind indexes store only hashes, so they cannot be
-- recomputed under a new key.
ALTER TABLE key_check ADD COLUMN index_enc TEXT;
-- A rotation committed but not finished: the old key's check, and the new key sealed with the
-- old key, so that whoever still holds the old key can finish it (write the new key where the
-- old one was read from). The row is deleted once the new key is saved.
CREATE TABLE key_rotation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    old_sealed TEXT NOT NULL,
    new_key_enc TEXT NOT NULL,
    started_at REAL NOT NULL
);
