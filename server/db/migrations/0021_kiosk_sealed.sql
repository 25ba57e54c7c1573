-- Sealed kiosk submissions (issue 13): what hub staff must see, and receipt codes.

-- A sealed item the server could not open (unreadable, unknown_key, key_retired), kept
-- as it came; or one that opened but failed the form's checks (needs_attention), kept
-- with its answers and errors for hub staff to correct and send. Nothing is lost.
CREATE TABLE kiosk_held_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    mutation_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('unopened', 'needs_attention')),
    reason TEXT NOT NULL,
    sealed TEXT,          -- JSON {kid, epk, iv, ciphertext}: an unopened item as it came
    form_version INTEGER NOT NULL,
    payload TEXT,         -- JSON: the opened v1 payload (needs_attention)
    errors TEXT,          -- JSON [{field, message}]
    receipt TEXT,
    at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT REFERENCES staff(id),
    request_id TEXT REFERENCES requests(id),
    UNIQUE (client_id, mutation_id)
);
CREATE INDEX kiosk_held_items_open ON kiosk_held_items (resolved_at, at);

-- The local receipt code a kiosk (or an app) showed before the request had its
-- reference: the tracking page takes it in the reference's place.
CREATE TABLE receipt_aliases (
    receipt TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id),
    at TEXT NOT NULL
);
