-- One row per installed app. The token is signed, not stored: token_version is in it,
-- and revoking bumps the version and sets revoked_at, so old tokens stop working.
CREATE TABLE sync_clients (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('personal', 'kiosk', 'field')),
    token_version INTEGER NOT NULL DEFAULT 1,
    registered_by TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_mutation_id INTEGER NOT NULL DEFAULT 0,
    app_version TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

-- The stored result of every mutation, so a retry gets the same answer.
CREATE TABLE sync_mutations (
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    mutation_id INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('applied', 'duplicate', 'conflict', 'rejected')),
    payload_sha256 TEXT NOT NULL,
    result TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
) WITHOUT ROWID;

-- The database itself holds "one applied mutation per entity".
CREATE UNIQUE INDEX sync_mutations_applied_entity ON sync_mutations (entity_id)
   WHERE status = 'applied';

-- A second, different payload for an entity: kept for a person to resolve.
CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    mutation_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    resolved_at TEXT
);

CREATE INDEX sync_conflicts_entity ON sync_conflicts (entity_id);

-- Files a request was sent with but that have not arrived yet (the request shows
-- "incomplete" until every slot is filled).
CREATE TABLE attachment_slots (
    attachment_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    question_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    filled_at TEXT
);

CREATE INDEX attachment_slots_unfilled ON attachment_slots (request_id)
   WHERE filled_at IS NULL;

-- tus uploads in progress; their bytes are kept in SQLite like every other file.
CREATE TABLE tus_uploads (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    attachment_id TEXT NOT NULL REFERENCES attachment_slots(attachment_id),
    request_id TEXT NOT NULL REFERENCES requests(id),
    length INTEGER NOT NULL,
    "offset" INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    completed_at TEXT
);

CREATE INDEX tus_uploads_expires ON tus_uploads (expires_at);

CREATE TABLE tus_chunks (
    upload_id TEXT NOT NULL REFERENCES tus_uploads(id) ON DELETE CASCADE,
    "offset" INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (upload_id, "offset")
);
