-- Rota, shift confirmations and reporter check-ins; timers that must exist once get a key.

ALTER TABLE timers ADD COLUMN key TEXT;
CREATE UNIQUE INDEX timers_key ON timers(key) WHERE key IS NOT NULL;

ALTER TABLE cases ADD COLUMN checkin_hours REAL;

CREATE TABLE duty_changes (
    id INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL,
    on_duty INTEGER NOT NULL,
    at REAL NOT NULL,
    until REAL
);

CREATE TABLE shift_confirmations (
    shift_key TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    at REAL NOT NULL
);
