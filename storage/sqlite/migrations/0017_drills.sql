-- Drills (bot/services/drills.py): a practice case run through the real escalation chain, its
-- lead, its story and its time limit. The case itself is a row of `cases` with a DR- code.
CREATE TABLE drills (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    started_by TEXT NOT NULL,
    story TEXT NOT NULL,
    started_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    ended_at REAL
);
CREATE INDEX drills_running ON drills(ended_at);

-- Test pages (bot/services/testpages.py): a page with no case, sent as a real page is, to learn
-- whether and how fast it reaches a member. Its Acknowledge button's token carries its id.
CREATE TABLE test_pages (
    id INTEGER PRIMARY KEY,
    asked_by TEXT NOT NULL,
    paged TEXT NOT NULL,
    created_at REAL NOT NULL,
    delivered_at REAL,
    acknowledged_at REAL
);
