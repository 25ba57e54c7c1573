-- Issue 12: automation rules as data, run in order when a request arrives or its status
-- changes (`on_event`; server/casework/rules.py); seeded from server/casework/rules.json.
-- `conditions` and `actions` are JSON lists of {"kind": ..., ...} objects.
CREATE TABLE rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    on_event TEXT NOT NULL DEFAULT 'created' CHECK (on_event IN ('created', 'status_changed')),
    service TEXT REFERENCES services(slug),
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    last_fired_at TEXT,
    fired_count INTEGER NOT NULL DEFAULT 0,
    seed_key TEXT UNIQUE  -- the seed rule it came from, so seeding again adds no copy
);

CREATE INDEX rules_position ON rules (position);

-- A rule that threw, or was stopped before it could loop: shown to admins on the rules
-- page; the request it ran on arrived all the same.
CREATE TABLE rule_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id INTEGER NOT NULL REFERENCES rules(id),
    request_id TEXT,
    at TEXT NOT NULL,
    error TEXT NOT NULL
);

CREATE INDEX rule_errors_rule ON rule_errors (rule_id, id);

CREATE TABLE request_tags (
    request_id TEXT NOT NULL REFERENCES requests(id),
    tag TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (request_id, tag)
);

-- Possible duplicates found on arrival: the newer request and the older one it may
-- repeat; an officer merges (the newer closed as a duplicate) or dismisses the link.
CREATE TABLE duplicate_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL REFERENCES requests(id),
    other_id TEXT NOT NULL REFERENCES requests(id),
    reason TEXT NOT NULL CHECK (reason IN ('distance', 'address')),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'merged', 'dismissed')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    UNIQUE (request_id, other_id)
);

CREATE INDEX duplicate_links_other ON duplicate_links (other_id);
