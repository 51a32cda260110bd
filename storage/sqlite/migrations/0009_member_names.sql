-- Names the platforms show for team members (a Telegram @username, a Slack display or real
-- name), recorded when the member writes to the bot, so that a report naming a member by one of
-- them is a conflict of interest like one naming them as the team file does. Only members':
-- nobody else's names are kept. The name is an AES-GCM value; ``key`` is a keyed blind index of
-- its normalised form (bot.identifiers), so the same name is kept once.
CREATE TABLE member_names (
    member_id TEXT NOT NULL,
    key TEXT NOT NULL,
    platform TEXT NOT NULL,
    name_enc TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (member_id, key)
);
