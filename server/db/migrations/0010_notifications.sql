-- One outbox for every message to a person (server/notify/). A row is written in the
-- same transaction as what it announces. It names a template and what the words are
-- made from (the request, the event, `params`); the words are put together when it is
-- sent, in the row's language. `params` can hold a one-time link, so it is cleared once
-- the message is sent, refused or given up.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    request_id TEXT REFERENCES requests(id),
    event_id INTEGER REFERENCES request_events(id),
    params TEXT,
    -- queued -> sending (claimed by the sender) -> sent (SMTP or Notify accepted it)
    -- -> delivered (Notify's receipt); or failed, expired, suppressed (not sent: the
    -- person stopped updates, or the address is known not to work).
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'expired',
                          'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    send_before TEXT,
    provider_id TEXT,
    last_error TEXT,
    sent_at TEXT,
    done_at TEXT
);

CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';

CREATE INDEX notifications_request ON notifications (request_id, event_id);

CREATE UNIQUE INDEX notifications_provider ON notifications (provider_id)
   WHERE provider_id IS NOT NULL;

-- How the person wants updates about a request: the contact page's answer, written with
-- the request (no statement of its own on the hot sync path) ...
ALTER TABLE requests ADD COLUMN updates TEXT NOT NULL DEFAULT 'none'
    CHECK (updates IN ('email', 'text', 'both', 'none'));

-- ... and, once it changes (a stop), the choice as it is now.
CREATE TABLE update_choices (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    by_email INTEGER NOT NULL,
    by_text INTEGER NOT NULL,
    changed_at TEXT NOT NULL
);

-- Every "stop": an unsubscribe link, a one-click unsubscribe, a STOP text. Kept as a
-- record; request_id is NULL when it covers every request (a STOP text).
CREATE TABLE update_stops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL COLLATE NOCASE,
    request_id TEXT REFERENCES requests(id),
    source TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX update_stops_recipient ON update_stops (channel, recipient);

-- Addresses and numbers refused for good (SMTP 5xx, Notify's permanent failure): not
-- tried again for later updates; a different address is a new row's business.
CREATE TABLE unreachable_contacts (
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL COLLATE NOCASE,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (channel, recipient)
);

-- Texts residents send back (Notify's received-text callback), by Notify's id, so a
-- repeated callback is applied once. The words go on the request's timeline.
CREATE TABLE received_texts (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    request_id TEXT REFERENCES requests(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('information', 'stop', 'unmatched')),
    received_at TEXT NOT NULL
);

-- Things an officer has to do about a request ("could not reach the resident").
CREATE TABLE request_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL REFERENCES requests(id),
    kind TEXT NOT NULL,
    detail TEXT,
    created_at TEXT NOT NULL,
    done_at TEXT,
    done_by TEXT
);

CREATE INDEX request_tasks_open ON request_tasks (request_id) WHERE done_at IS NULL;

-- The one-question survey sent with the closure message; counted per service and week.
CREATE TABLE satisfaction (
    request_id TEXT PRIMARY KEY REFERENCES requests(id),
    service TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    answered_at TEXT NOT NULL
);

CREATE INDEX satisfaction_service ON satisfaction (service, answered_at);

-- A resident's default answer to "How would you like to get updates?".
ALTER TABLE residents ADD COLUMN updates_default TEXT
    CHECK (updates_default IN ('email', 'text', 'both', 'none'));

-- Texts still waiting in the old queue move over as they were written.
INSERT INTO notifications (id, channel, recipient, template, locale, params, status,
                           attempts, created_at, next_attempt_at, send_before)
SELECT 'sms-outbox-' || id, 'sms', phone, 'prepared_text', 'en',
       json_object('body', body, 'purpose', purpose), 'queued', attempts, created_at,
       next_attempt_at, send_before
  FROM sms_outbox WHERE status = 'queued' AND body IS NOT NULL;

DROP TABLE sms_outbox;
