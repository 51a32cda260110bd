-- Chats a platform moved to a new id (Telegram: a group upgraded to a supergroup answers with
-- migrate_to_chat_id). The team channel named in the team file is followed through these, so the
-- bot reaches it at its new id after a restart too, until the team file names the new id itself.
-- Chat ids are not private: the team file names the channel's.
CREATE TABLE chat_moves (
    platform TEXT NOT NULL,
    old_id TEXT NOT NULL,
    new_id TEXT NOT NULL,
    moved_at REAL NOT NULL,
    PRIMARY KEY (platform, old_id)
);
