"""Reads only tests make: counts and raw rows, to see what a request, a push or a text
left in the database. The server has no use for them, so they are not in server/db/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.attachments import Attachment


def request_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])


def requests_with_id(db: sqlite_utils.Database, request_id: str) -> int:
    """Rows for one request id (the primary key makes it 0 or 1; tests count anyway)."""
    return int(db.execute("SELECT COUNT(*) FROM requests WHERE id = ?",
                          [request_id]).fetchone()[0])


def mutation_count(db: sqlite_utils.Database, client_id: str | None = None) -> int:
    if client_id is None:
        return int(db.execute("SELECT COUNT(*) FROM sync_mutations").fetchone()[0])
    return int(db.execute("SELECT COUNT(*) FROM sync_mutations WHERE client_id = ?",
                          [client_id]).fetchone()[0])


@dataclass(frozen=True)
class KeptConflict:
    client_id: str
    mutation_id: int
    payload: dict[str, Any]
    payload_sha256: str


def conflicts_for(db: sqlite_utils.Database, entity_id: str) -> list[KeptConflict]:
    rows = db.execute("SELECT client_id, mutation_id, payload, payload_sha256 FROM"
                      " sync_conflicts WHERE entity_id = ? ORDER BY id", [entity_id]).fetchall()
    return [KeptConflict(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]


def row_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many rows the tables a push can change hold: a refused push changes none."""
    tables = ("requests", "request_events", "sync_mutations", "sync_conflicts",
              "attachment_slots", "notifications")
    counts = {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    counts["last_mutation_ids"] = int(db.execute(
        "SELECT COALESCE(SUM(last_mutation_id), 0) FROM sync_clients").fetchone()[0])
    return counts


def attachment_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0])


def request_files(db: sqlite_utils.Database, request_id: str) -> list[Attachment]:
    rows = db.execute(
        "SELECT id, question_id, filename, media_type, size FROM attachments"
        " WHERE request_id = ? ORDER BY created_at, id", [request_id]).fetchall()
    return [Attachment(*row) for row in rows]


def file_data(db: sqlite_utils.Database, attachment_id: str) -> bytes | None:
    row = db.execute("SELECT data FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    return bytes(row[0]) if row else None


def text_status(db: sqlite_utils.Database) -> tuple[str, int, str | None]:
    """(status, attempts, last error) of the one text in the outbox."""
    row = db.execute("SELECT status, attempts, last_error FROM notifications"
                     " WHERE channel = 'sms'").fetchone()
    return (str(row[0]), int(row[1]), row[2]) if row else ("unknown", 0, None)
