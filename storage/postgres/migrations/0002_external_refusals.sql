-- An [[external]] contact's address that refused the bot for good (SQLite's migration 0018): skipped
-- by the escalation chain like a member who blocked it, until a message reaches it again or the
-- bot starts anew.
CREATE TABLE external_refusals (
    platform TEXT NOT NULL,
    address TEXT NOT NULL,
    since DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (platform, address)
);
