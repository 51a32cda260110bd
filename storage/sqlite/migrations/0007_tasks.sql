-- Tasks on a case (/task): an owner, a due time and reminders until it is marked done.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    owner TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at REAL NOT NULL,
    due_at REAL NOT NULL,
    text_enc TEXT NOT NULL,
    done_at REAL,
    done_by TEXT
);
CREATE INDEX tasks_case ON tasks(case_id);
