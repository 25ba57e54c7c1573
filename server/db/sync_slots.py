"""Attachment slots: files a synced request declared, filled as their uploads finish.
A request with an unfilled slot is shown as "incomplete"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Slot:
    attachment_id: str
    request_id: str
    client_id: str
    question_id: str
    sha256: str
    size: int
    filename: str
    media_type: str
    filled: bool


@dataclass(frozen=True)
class NewSlot:
    attachment_id: str
    question_id: str
    sha256: str
    size: int
    filename: str
    media_type: str


def add_slots(db: sqlite_utils.Database, request_id: str, client_id: str,
              slots: Iterable[NewSlot]) -> tuple[str, ...]:
    """The ids of the slots now waiting for this request. An attachment id already
    declared by another request keeps its first owner (ids are client-made UUIDs)."""
    now = now_iso()
    db.conn.executemany(
        "INSERT OR IGNORE INTO attachment_slots (attachment_id, request_id, client_id,"
        " question_id, sha256, size, filename, media_type, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(s.attachment_id, request_id, client_id, s.question_id, s.sha256, s.size,
          s.filename, s.media_type, now) for s in slots])
    return pending(db, request_id)


def pending(db: sqlite_utils.Database, request_id: str) -> tuple[str, ...]:
    rows = db.execute("SELECT attachment_id FROM attachment_slots WHERE request_id = ?"
                      " AND filled_at IS NULL ORDER BY created_at, attachment_id",
                      [request_id]).fetchall()
    return tuple(r[0] for r in rows)


def incomplete(db: sqlite_utils.Database, request_ids: Sequence[str]) -> set[str]:
    """Which of these requests still wait for a file."""
    found: set[str] = set()
    ids = list(request_ids)
    for start in range(0, len(ids), 500):  # stays under SQLite's variable limit
        part = ids[start:start + 500]
        marks = ", ".join("?" * len(part))
        found |= {r[0] for r in db.execute(
            "SELECT DISTINCT request_id FROM attachment_slots WHERE filled_at IS NULL"
            f" AND request_id IN ({marks})", part).fetchall()}
    return found


def is_incomplete(db: sqlite_utils.Database, request_id: str) -> bool:
    return bool(incomplete(db, [request_id]))


def slot(db: sqlite_utils.Database, attachment_id: str) -> Slot | None:
    row = db.execute(
        "SELECT attachment_id, request_id, client_id, question_id, sha256, size, filename,"
        " media_type, filled_at IS NOT NULL FROM attachment_slots WHERE attachment_id = ?",
        [attachment_id]).fetchone()
    return Slot(*row[:8], bool(row[8])) if row else None


def fill(db: sqlite_utils.Database, found: Slot, journey: str, filename: str,
         media_type: str, sha256: str, data: bytes) -> bool:
    """Store the checked file as the request's attachment and mark the slot filled.
    False when another upload filled it first."""
    now = now_iso()
    cursor = db.execute("UPDATE attachment_slots SET filled_at = ? WHERE attachment_id = ?"
                        " AND filled_at IS NULL", [now, found.attachment_id])
    if cursor.rowcount != 1:
        return False
    db.execute(
        "INSERT INTO attachments (id, request_id, journey, question_id, filename, media_type,"
        " size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [found.attachment_id, found.request_id, journey, found.question_id, filename,
         media_type, len(data), sha256, data, now])
    return True
