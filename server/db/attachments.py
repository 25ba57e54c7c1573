"""Files attached to requests, stored in SQLite beside the request."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Attachment:
    id: str
    question_id: str
    filename: str
    media_type: str
    size: int


def add_draft_file(db: sqlite_utils.Database, sid: str, journey: str, question_id: str,
                   filename: str, media_type: str, data: bytes) -> Attachment:
    attachment_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO attachments (id, sid, journey, question_id, filename, media_type, size,"
        " sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [attachment_id, sid, journey, question_id, filename, media_type, len(data),
         hashlib.sha256(data).hexdigest(), data, now_iso()],
    )
    return Attachment(attachment_id, question_id, filename, media_type, len(data))


def draft_files(db: sqlite_utils.Database, sid: str, journey: str) -> list[Attachment]:
    rows = db.execute(
        "SELECT id, question_id, filename, media_type, size FROM attachments"
        " WHERE sid = ? AND journey = ? AND request_id IS NULL ORDER BY created_at, id",
        [sid, journey],
    ).fetchall()
    return [Attachment(*row) for row in rows]


def remove_draft_file(db: sqlite_utils.Database, sid: str, journey: str,
                      attachment_id: str) -> None:
    db.execute(
        "DELETE FROM attachments WHERE id = ? AND sid = ? AND journey = ? AND request_id IS NULL",
        [attachment_id, sid, journey],
    )


def attach_to_request(db: sqlite_utils.Database, sid: str, journey: str, request_id: str,
                      ids: list[str]) -> None:
    for attachment_id in ids:
        db.execute(
            "UPDATE attachments SET request_id = ?, sid = NULL WHERE id = ? AND sid = ?"
            " AND journey = ? AND request_id IS NULL",
            [request_id, attachment_id, sid, journey],
        )
