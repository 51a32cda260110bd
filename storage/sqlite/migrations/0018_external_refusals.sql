-- An [[external]] contact's address that refused the bot for good (an e-mail address the SMTP
-- server refused with a 5xx, a chat that blocked the bot): skipped by the escalation chain like
-- a member who blocked it (identities.unreachable_since), until a message reaches it again or
-- the bot starts anew (as members' marks are).
CREATE TABLE external_refusals (
    platform TEXT NOT NULL,
    address TEXT NOT NULL,
    since REAL NOT NULL,
    PRIMARY KEY (platform, address)
);
