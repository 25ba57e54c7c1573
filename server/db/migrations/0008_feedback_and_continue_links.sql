-- "Tell us what you think": the GOV.UK satisfaction question and a comment, with no
-- personal data asked for. The page it was sent from is kept (a path, never a query).
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    satisfaction TEXT NOT NULL CHECK (satisfaction IN
        ('very-satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very-dissatisfied')),
    comment TEXT,
    page TEXT,
    locale TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX feedback_created ON feedback (created_at);

-- "Continue later": a half-finished request saved for up to 7 days under a link sent by
-- email or text. The link carries only this row's id (signed); the answers stay here. A
-- link works once, and a newer link for the same session and journey revokes the older.
-- The session's draft files stay with it (attachments.sid) until it is used or expires.
CREATE TABLE continue_links (
    id TEXT PRIMARY KEY,
    sid TEXT NOT NULL,
    journey TEXT NOT NULL,
    draft TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'text')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX continue_links_session ON continue_links (sid, journey);
CREATE INDEX continue_links_expires ON continue_links (expires_at);
