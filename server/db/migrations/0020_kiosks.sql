-- Assisted-digital kiosks at library hubs (issue 13).

-- A kiosk is a sync client bound to a hub. Retiring (revocation asked for by hub staff
-- or an admin): the kiosk is out of service at once, but its token keeps working until
-- it reports an empty queue, so what it holds is still delivered; then it is revoked
-- (revoked_at, token_version bumped). See sync/PROTOCOL.md, "Kiosks".
ALTER TABLE sync_clients ADD COLUMN hub_id TEXT REFERENCES hubs(id);
ALTER TABLE sync_clients ADD COLUMN label TEXT;
ALTER TABLE sync_clients ADD COLUMN retiring_at TEXT;
ALTER TABLE sync_clients ADD COLUMN retired_by TEXT;
-- What the kiosk last reported waiting to send (POST /sync/v1/kiosk/status).
ALTER TABLE sync_clients ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_clients ADD COLUMN oldest_waiting_at TEXT;
ALTER TABLE sync_clients ADD COLUMN status_at TEXT;

-- Per hub kiosk timing (WCAG 2.2.1): idle time before the warning, and the warning's
-- length (at least 60 s, so a person has time to ask for more).
ALTER TABLE hubs ADD COLUMN kiosk_idle_seconds INTEGER NOT NULL DEFAULT 120
    CHECK (kiosk_idle_seconds BETWEEN 60 AND 1800);
ALTER TABLE hubs ADD COLUMN kiosk_warn_seconds INTEGER NOT NULL DEFAULT 60
    CHECK (kiosk_warn_seconds BETWEEN 60 AND 600);

-- "Ask for help" pressed on a kiosk: open, then someone on their way, then done.
CREATE TABLE kiosk_help_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hub_id TEXT NOT NULL REFERENCES hubs(id),
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    asked_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'on_way', 'done')),
    staff_id TEXT REFERENCES staff(id),
    updated_at TEXT NOT NULL
);
CREATE INDEX kiosk_help_requests_hub ON kiosk_help_requests (hub_id, status);

-- Assisted mode: the kiosk shows a short code; a member of hub staff enters it to join
-- the resident's session (keyed like session data: the SHA-256 of the cookie's id).
-- consent: NULL not asked yet, 1 the resident said staff may fill in answers, 0 no.
CREATE TABLE kiosk_assisted_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL REFERENCES sync_clients(id),
    hub_id TEXT NOT NULL REFERENCES hubs(id),
    session_key TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    staff_id TEXT REFERENCES staff(id),
    joined_at TEXT,
    consent INTEGER CHECK (consent IN (0, 1)),
    consent_at TEXT,
    ended_at TEXT
);
CREATE INDEX kiosk_assisted_sessions_code ON kiosk_assisted_sessions (code);
CREATE INDEX kiosk_assisted_sessions_session ON kiosk_assisted_sessions (session_key);

-- A request made with help: who helped, where, and whether they filled in answers with
-- the resident's consent.
CREATE TABLE request_assistance (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    staff_id TEXT NOT NULL REFERENCES staff(id),
    hub_id TEXT NOT NULL REFERENCES hubs(id),
    consent INTEGER CHECK (consent IN (0, 1)),
    filled_in INTEGER NOT NULL DEFAULT 0 CHECK (filled_in IN (0, 1)),
    at TEXT NOT NULL
);
CREATE INDEX request_assistance_hub ON request_assistance (hub_id, at);
