"""Saved drafts behind "continue later" links (migration 0008): one row per link sent,
holding a copy of the draft; the link carries only the row's id, signed."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlite_utils

from server.db.clock import iso_in, now_iso

LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class SavedDraft:
    id: str
    sid: str
    journey: str
    draft: dict[str, Any]
    expires_at: str


def create(db: sqlite_utils.Database, sid: str, journey: str, draft: dict[str, Any],
           channel: str) -> str:
    """Save `draft` under a new link id; older links for this session and journey stop
    working (only the newest link a person was sent is worth anything)."""
    now = now_iso()
    db.execute("UPDATE continue_links SET revoked_at = ? WHERE sid = ? AND journey = ?"
               " AND used_at IS NULL AND revoked_at IS NULL", [now, sid, journey])
    link_id = secrets.token_urlsafe(18)
    db.execute(
        "INSERT INTO continue_links (id, sid, journey, draft, channel, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [link_id, sid, journey, json.dumps(draft, sort_keys=True), channel, now,
         iso_in(LIFETIME)])
    return link_id


def usable(db: sqlite_utils.Database, link_id: str) -> SavedDraft | None:
    row = db.execute(
        "SELECT id, sid, journey, draft, expires_at FROM continue_links WHERE id = ?"
        " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
        [link_id, now_iso()]).fetchone()
    return SavedDraft(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None


def use(db: sqlite_utils.Database, link_id: str, new_sid: str) -> SavedDraft | None:
    """Mark the link used and move its draft files to the session that opened it. None
    when the link is used, revoked, expired or unknown."""
    saved = usable(db, link_id)
    if saved is None:
        return None
    db.execute("UPDATE continue_links SET used_at = ? WHERE id = ?", [now_iso(), link_id])
    db.execute("UPDATE attachments SET sid = ? WHERE sid = ? AND journey = ?"
               " AND request_id IS NULL", [new_sid, saved.sid, saved.journey])
    return saved


def purge(db: sqlite_utils.Database) -> int:
    """Links no longer usable go, and with them the copy of the answers they held."""
    return db.execute("DELETE FROM continue_links WHERE expires_at <= ? OR used_at IS NOT NULL"
                      " OR revoked_at IS NOT NULL", [now_iso()]).rowcount
