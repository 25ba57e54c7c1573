"""Per-session data kept on the server: drafts, contact details to offer again, and the
references a session has sent. Expires a day after it was last touched."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import sqlite_utils

from server.db import continue_links
from server.db.clock import iso_in, now_iso

LIFETIME = timedelta(hours=24)


def get(db: sqlite_utils.Database, sid: str, key: str) -> Any:
    cutoff = _cutoff()
    row = db.execute(
        "SELECT value FROM session_data WHERE sid = ? AND key = ? AND updated_at > ?",
        [sid, key, cutoff],
    ).fetchone()
    return json.loads(row[0]) if row else None


def put(db: sqlite_utils.Database, sid: str, key: str, value: Any) -> None:
    db.execute(
        "INSERT INTO session_data (sid, key, value, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(sid, key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at",
        [sid, key, json.dumps(value, sort_keys=True), now_iso()],
    )


def delete(db: sqlite_utils.Database, sid: str, key: str) -> None:
    db.execute("DELETE FROM session_data WHERE sid = ? AND key = ?", [sid, key])


def purge_expired(db: sqlite_utils.Database) -> int:
    """Delete expired session data (drafts, contact details offered again) and the draft
    files that belonged to it: gone, not only hidden by get(). Returns the rows deleted.
    Run by server/journeys/expiry.py and `tolbooth purge`."""
    cutoff = _cutoff()
    continue_links.purge(db)
    # A draft saved behind a "continue later" link keeps its files for the link's life.
    files = db.execute(
        "DELETE FROM attachments WHERE request_id IS NULL AND sid IS NOT NULL AND sid NOT IN"
        " (SELECT sid FROM session_data WHERE updated_at > ?) AND sid NOT IN"
        " (SELECT sid FROM continue_links) AND created_at < ?",
        [cutoff, cutoff],
    ).rowcount
    rows = db.execute("DELETE FROM session_data WHERE updated_at <= ?", [cutoff]).rowcount
    return int(files) + int(rows)


def _cutoff() -> str:
    return iso_in(-LIFETIME)


def forget(db: sqlite_utils.Database, sid: str) -> int:
    """Everything kept for one browser session (drafts, contact details to offer again,
    sent references, draft files), now: a kiosk's next person must reach none of it
    (issue 13). A "continue later" link the person asked for keeps its own copy."""
    files = db.execute(
        "DELETE FROM attachments WHERE request_id IS NULL AND sid = ? AND sid NOT IN"
        " (SELECT sid FROM continue_links)", [sid]).rowcount
    rows = db.execute("DELETE FROM session_data WHERE sid = ?", [sid]).rowcount
    return int(files) + int(rows)
