-- Friendly Space Bot, first schema. Private values live only in *_enc columns (AES-GCM) or as
-- keyed blind indexes (*_key); timestamps are UTC seconds since the epoch.

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    position TEXT,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE identities (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES members(id),
    unreachable_since REAL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    reporter_key TEXT,
    reporter_enc TEXT,
    body_enc TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    report_id INTEGER NOT NULL REFERENCES reports(id),
    severity TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    handler TEXT,
    acknowledged_at REAL,
    disclosure TEXT NOT NULL,
    excluded TEXT NOT NULL,
    policy TEXT NOT NULL,
    esc_step INTEGER NOT NULL DEFAULT 0,
    esc_round INTEGER NOT NULL DEFAULT 0,
    reporter_key TEXT
);
CREATE INDEX cases_state ON cases(state);
CREATE INDEX cases_reporter ON cases(reporter_key);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at REAL NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail_enc TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    case_id INTEGER,
    purpose TEXT NOT NULL,
    platform TEXT NOT NULL,
    replaces INTEGER REFERENCES outbox(id),
    payload_enc TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    sent_ref TEXT,
    sent_at REAL,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_case ON outbox(case_id);

CREATE TABLE timers (
    id INTEGER PRIMARY KEY,
    due_at REAL NOT NULL,
    kind TEXT NOT NULL,
    case_id INTEGER,
    payload TEXT NOT NULL,
    fence INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    done_at REAL
);
CREATE INDEX timers_due ON timers(status, due_at);

CREATE TABLE deliveries (
    platform TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (platform, delivery_id)
);

CREATE TABLE drafts (
    owner_key TEXT PRIMARY KEY,
    updated_at REAL NOT NULL,
    state_enc TEXT NOT NULL
);

CREATE TABLE action_tokens (
    token TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    audience TEXT NOT NULL,
    action TEXT NOT NULL,
    args_enc TEXT NOT NULL
);
