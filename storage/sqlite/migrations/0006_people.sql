-- The people-of-concern register (issue 6, story 1), seen only by safety contacts and leads.
-- An entry's name, identifiers, flag, end date, note and history are one AES-GCM value; it is
-- found by keyed blind indexes of its normalised identifiers, never by plaintext.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    entry_enc TEXT NOT NULL
);

CREATE TABLE person_keys (
    person_id INTEGER NOT NULL REFERENCES people(id),
    key TEXT NOT NULL,
    PRIMARY KEY (person_id, key)
);
CREATE INDEX person_keys_key ON person_keys(key);

CREATE TABLE person_cases (
    person_id INTEGER NOT NULL REFERENCES people(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    linked_at REAL NOT NULL,
    PRIMARY KEY (person_id, case_id)
);
CREATE INDEX person_cases_case ON person_cases(case_id);

-- Blind indexes of what a report's "who" text names, written when the case opens: kind 'id' for
-- identifiers found in it (e-mail, @handle, User:name, a full name), 'gram' for every run of up
-- to six words. Two cases are about the same person when one's 'id' is among the other's
-- 'gram's; the register matches the same way, so no report is decrypted to compare them.
CREATE TABLE case_keys (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, key)
);
CREATE INDEX case_keys_key ON case_keys(key, kind);
