-- Server-side session data (drafts, contact details offered again, what was sent).
-- The cookie holds only a random session id, so nothing personal sits in the browser.
CREATE TABLE session_data (
    sid TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sid, key)
);

CREATE INDEX session_data_updated ON session_data (updated_at);

CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    journey TEXT NOT NULL,
    service TEXT NOT NULL REFERENCES services(slug),
    form_version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('web', 'offline', 'kiosk', 'field', 'api')),
    status TEXT NOT NULL,
    special_category INTEGER NOT NULL DEFAULT 0,
    contact_name TEXT,
    contact_email TEXT COLLATE NOCASE,
    contact_phone TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    payload_sha256 TEXT,
    client_created_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX requests_service_created ON requests (service, created_at);

CREATE INDEX requests_contact_email ON requests (contact_email);

CREATE INDEX requests_contact_phone ON requests (contact_phone);

CREATE TABLE request_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL REFERENCES requests(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT,
    public INTEGER NOT NULL,
    message TEXT,
    actor TEXT NOT NULL
);

CREATE INDEX request_events_request ON request_events (request_id, id);

CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
   BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;

CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
   BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;

-- Files live in SQLite too, so one Litestream stream covers everything.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    request_id TEXT REFERENCES requests(id),
    sid TEXT,
    journey TEXT NOT NULL,
    question_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX attachments_request ON attachments (request_id);

CREATE INDEX attachments_draft ON attachments (sid, journey);
