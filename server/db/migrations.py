"""Numbered schema migrations. Append only: a published migration never changes.

Each migration runs in its own transaction together with the row recording it, so a
crash mid-migration leaves the database at the previous number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from .store import Store


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


# executescript() would COMMIT our transaction, so statements run one by one.
_FOUNDATION = (
    """CREATE TABLE hubs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        postcode TEXT NOT NULL,
        phone TEXT NOT NULL,
        opening_hours TEXT NOT NULL
    )""",
    """CREATE TABLE services (
        slug TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        email TEXT NOT NULL,
        special_category INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        hub_id TEXT REFERENCES hubs(id),
        created_at TEXT NOT NULL,
        disabled_at TEXT
    )""",
    """CREATE TABLE staff_invites (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    )""",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    )""",
    # The audit log is append-only: the database itself refuses edits and deletions.
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
)


_REQUESTS = (
    # Server-side session data (drafts, contact details offered again, what was sent).
    # The cookie holds only a random session id, so nothing personal sits in the browser.
    """CREATE TABLE session_data (
        sid TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (sid, key)
    )""",
    "CREATE INDEX session_data_updated ON session_data (updated_at)",
    """CREATE TABLE requests (
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
    )""",
    "CREATE INDEX requests_service_created ON requests (service, created_at)",
    "CREATE INDEX requests_contact_email ON requests (contact_email)",
    "CREATE INDEX requests_contact_phone ON requests (contact_phone)",
    """CREATE TABLE request_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL REFERENCES requests(id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT,
        public INTEGER NOT NULL,
        message TEXT,
        actor TEXT NOT NULL
    )""",
    "CREATE INDEX request_events_request ON request_events (request_id, id)",
    """CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
       BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END""",
    """CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
       BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END""",
    # Files live in SQLite too, so one Litestream stream covers everything.
    """CREATE TABLE attachments (
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
    )""",
    "CREATE INDEX attachments_request ON attachments (request_id)",
    "CREATE INDEX attachments_draft ON attachments (sid, journey)",
)


_IDENTITY = (
    """CREATE TABLE residents (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        verified_at TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # One row per passkey. owner_kind is 'staff' or 'resident'; the id is the credential
    # id (base64url), which the browser sends back on every sign-in.
    """CREATE TABLE passkeys (
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
    )""",
    "CREATE INDEX passkeys_owner ON passkeys (owner_kind, owner_id)",
    # WebAuthn challenges live on the server, bound to the browser session; a row is
    # deleted when used, so a replayed response finds nothing.
    """CREATE TABLE webauthn_challenges (
        challenge TEXT PRIMARY KEY,
        sid TEXT NOT NULL,
        purpose TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
        owner_kind TEXT,
        owner_id TEXT,
        expires_at TEXT NOT NULL
    )""",
    "CREATE INDEX webauthn_challenges_sid ON webauthn_challenges (sid)",
    # Signed-in sessions, keyed by a random id kept in the cookie: ending a row signs that
    # browser out, which is what "sign out everywhere" does to all of a person's rows.
    """CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        person_kind TEXT NOT NULL CHECK (person_kind IN ('staff', 'resident')),
        person_id TEXT NOT NULL,
        method TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        ended_at TEXT
    )""",
    "CREATE INDEX auth_sessions_person ON auth_sessions (person_kind, person_id)",
    """CREATE TABLE email_links (
        token_hash TEXT PRIMARY KEY,
        email TEXT NOT NULL COLLATE NOCASE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    )""",
)


_SYNC = (
    # One row per installed app. The token is signed, not stored: token_version is in it,
    # and revoking bumps the version and sets revoked_at, so old tokens stop working.
    """CREATE TABLE sync_clients (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('personal', 'kiosk', 'field')),
        token_version INTEGER NOT NULL DEFAULT 1,
        registered_by TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        last_mutation_id INTEGER NOT NULL DEFAULT 0,
        app_version TEXT NOT NULL,
        last_seen TEXT NOT NULL
    )""",
    # The stored result of every mutation, so a retry gets the same answer.
    """CREATE TABLE sync_mutations (
        client_id TEXT NOT NULL REFERENCES sync_clients(id),
        mutation_id INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('applied', 'duplicate', 'conflict', 'rejected')),
        payload_sha256 TEXT NOT NULL,
        result TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (client_id, mutation_id)
    ) WITHOUT ROWID""",
    # The database itself holds "one applied mutation per entity".
    """CREATE UNIQUE INDEX sync_mutations_applied_entity ON sync_mutations (entity_id)
       WHERE status = 'applied'""",
    # A second, different payload for an entity: kept for a person to resolve.
    """CREATE TABLE sync_conflicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entity_id TEXT NOT NULL,
        client_id TEXT NOT NULL REFERENCES sync_clients(id),
        mutation_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        at TEXT NOT NULL,
        resolved_at TEXT
    )""",
    "CREATE INDEX sync_conflicts_entity ON sync_conflicts (entity_id)",
    # Files a request was sent with but that have not arrived yet (the request shows
    # "incomplete" until every slot is filled).
    """CREATE TABLE attachment_slots (
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
    )""",
    """CREATE INDEX attachment_slots_unfilled ON attachment_slots (request_id)
       WHERE filled_at IS NULL""",
    # tus uploads in progress; their bytes are kept in SQLite like every other file.
    """CREATE TABLE tus_uploads (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES sync_clients(id),
        attachment_id TEXT NOT NULL REFERENCES attachment_slots(attachment_id),
        request_id TEXT NOT NULL REFERENCES requests(id),
        length INTEGER NOT NULL,
        "offset" INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        completed_at TEXT
    )""",
    "CREATE INDEX tus_uploads_expires ON tus_uploads (expires_at)",
    """CREATE TABLE tus_chunks (
        upload_id TEXT NOT NULL REFERENCES tus_uploads(id) ON DELETE CASCADE,
        "offset" INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (upload_id, "offset")
    )""",
)


_PHONES_AND_LANGUAGES = (
    # A resident's phone number is stored only once it is verified, so a number typed
    # but never proven matches nothing. One resident per number: when a number is
    # verified again by someone else (numbers get reused), it moves to them.
    "ALTER TABLE residents ADD COLUMN phone TEXT",
    "ALTER TABLE residents ADD COLUMN phone_verified_at TEXT",
    "CREATE UNIQUE INDEX residents_phone ON residents (phone) WHERE phone IS NOT NULL",
    # The language a person chose with the switcher: set on sign-in, used for messages.
    "ALTER TABLE residents ADD COLUMN locale TEXT",
    "ALTER TABLE staff ADD COLUMN locale TEXT",
    """CREATE TABLE phone_links (
        token_hash TEXT PRIMARY KEY,
        resident_id TEXT NOT NULL REFERENCES residents(id),
        phone TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    )""",
    "CREATE INDEX phone_links_resident ON phone_links (resident_id, created_at)",
    # Texts waiting for GOV.UK Notify: written in the same transaction as what they
    # announce, so neither a Notify outage nor a restart loses one. The body can hold a
    # one-time link, so it is cleared once Notify has the message (or it is given up).
    """CREATE TABLE sms_outbox (
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
    )""",
    "CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE status = 'queued'",
)


def _statements(sql: tuple[str, ...]) -> Callable[[sqlite_utils.Database], None]:
    """A migration that runs these statements in order, inside its transaction."""
    def apply(db: sqlite_utils.Database) -> None:
        for statement in sql:
            db.execute(statement)
    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "foundation", _statements(_FOUNDATION)),
    Migration(2, "requests", _statements(_REQUESTS)),
    Migration(3, "identity", _statements(_IDENTITY)),
    Migration(4, "sync", _statements(_SYNC)),
    Migration(5, "phones_and_languages", _statements(_PHONES_AND_LANGUAGES)),
)

LATEST = MIGRATIONS[-1].number


def _ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
    )


def applied(db: sqlite_utils.Database) -> list[int]:
    if not db["schema_migrations"].exists():
        return []
    return [row[0] for row in db.execute("SELECT number FROM schema_migrations ORDER BY number")]


def _apply_one(db: sqlite_utils.Database, migration: Migration) -> bool:
    _ensure_table(db)
    if migration.number in applied(db):
        return False
    migration.apply(db)
    db.execute(
        "INSERT INTO schema_migrations (number, name) VALUES (?, ?)",
        [migration.number, migration.name],
    )
    return True


def migrate(store: Store) -> list[int]:
    """Apply every migration not yet applied; return the numbers applied now."""
    done = []
    for migration in MIGRATIONS:
        if store.write_sync(_apply_one, migration):
            done.append(migration.number)
    return done


def is_current(db: sqlite_utils.Database) -> bool:
    return applied(db) == [m.number for m in MIGRATIONS]
