-- A resident's phone number is stored only once it is verified, so a number typed
-- but never proven matches nothing. One resident per number: when a number is
-- verified again by someone else (numbers get reused), it moves to them.
ALTER TABLE residents ADD COLUMN phone TEXT;

ALTER TABLE residents ADD COLUMN phone_verified_at TEXT;

CREATE UNIQUE INDEX residents_phone ON residents (phone) WHERE phone IS NOT NULL;

-- The language a person chose with the switcher: set on sign-in, used for messages.
ALTER TABLE residents ADD COLUMN locale TEXT;

ALTER TABLE staff ADD COLUMN locale TEXT;

CREATE TABLE phone_links (
    token_hash TEXT PRIMARY KEY,
    resident_id TEXT NOT NULL REFERENCES residents(id),
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE INDEX phone_links_resident ON phone_links (resident_id, created_at);

-- Texts waiting for GOV.UK Notify: written in the same transaction as what they
-- announce, so neither a Notify outage nor a restart loses one. The body can hold a
-- one-time link, so it is cleared once Notify has the message (or it is given up).
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    body TEXT,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sent', 'failed', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    send_before TEXT,
    notify_id TEXT,
    last_error TEXT,
    done_at TEXT
);

CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE status = 'queued';
