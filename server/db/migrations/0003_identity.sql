CREATE TABLE residents (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    verified_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One row per passkey. owner_kind is 'staff' or 'resident'; the id is the credential
-- id (base64url), which the browser sends back on every sign-in.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('staff', 'resident')),
    owner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL,
    transports TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX passkeys_owner ON passkeys (owner_kind, owner_id);

-- WebAuthn challenges live on the server, bound to the browser session; a row is
-- deleted when used, so a replayed response finds nothing.
CREATE TABLE webauthn_challenges (
    challenge TEXT PRIMARY KEY,
    sid TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
    owner_kind TEXT,
    owner_id TEXT,
    expires_at TEXT NOT NULL
);

CREATE INDEX webauthn_challenges_sid ON webauthn_challenges (sid);

-- Signed-in sessions, keyed by a random id kept in the cookie: ending a row signs that
-- browser out, which is what "sign out everywhere" does to all of a person's rows.
CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY,
    person_kind TEXT NOT NULL CHECK (person_kind IN ('staff', 'resident')),
    person_id TEXT NOT NULL,
    method TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT
);

CREATE INDEX auth_sessions_person ON auth_sessions (person_kind, person_id);

CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
