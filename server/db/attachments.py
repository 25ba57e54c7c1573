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
    event_id: int | None = None  # set on files a resident added after sending

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


# The question id of files added after sending (no real id starts with "_").
ADDED_LATER = "_added_later"


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


def request_files(db: sqlite_utils.Database, request_id: str) -> list[Attachment]:
    rows = db.execute(
        "SELECT id, question_id, filename, media_type, size, event_id FROM attachments"
        " WHERE request_id = ? ORDER BY created_at, id",
        [request_id],
    ).fetchall()
    return [Attachment(*row) for row in rows]


def request_file(db: sqlite_utils.Database, request_id: str,
                 attachment_id: str) -> Attachment | None:
    """One of a request's files; None when it is another request's (or nobody's)."""
    row = db.execute(
        "SELECT id, question_id, filename, media_type, size, event_id FROM attachments"
        " WHERE id = ? AND request_id = ?", [attachment_id, request_id]).fetchone()
    return Attachment(*row) if row else None


def add_request_file(db: sqlite_utils.Database, request_id: str, journey: str,
                     filename: str, media_type: str, data: bytes,
                     event_id: int) -> Attachment:
    """A checked file a resident adds to their request after sending it."""
    attachment_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO attachments (id, request_id, journey, question_id, filename, media_type,"
        " size, sha256, data, created_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [attachment_id, request_id, journey, ADDED_LATER, filename, media_type, len(data),
         hashlib.sha256(data).hexdigest(), data, now_iso(), event_id])
    return Attachment(attachment_id, ADDED_LATER, filename, media_type, len(data), event_id)


def thumbnail(db: sqlite_utils.Database, attachment_id: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of the file's stored preview, if one was made."""
    row = db.execute("SELECT media_type, data FROM attachment_thumbnails"
                     " WHERE attachment_id = ?", [attachment_id]).fetchone()
    return (str(row[0]), bytes(row[1])) if row else None


def store_thumbnail(db: sqlite_utils.Database, attachment_id: str, media_type: str,
                    data: bytes) -> None:
    # Two first views at once make it twice; the first one kept is as good as the other.
    db.execute("INSERT OR IGNORE INTO attachment_thumbnails (attachment_id, media_type, data,"
               " created_at) VALUES (?, ?, ?, ?)", [attachment_id, media_type, data, now_iso()])


def file_data(db: sqlite_utils.Database, attachment_id: str) -> bytes | None:
    row = db.execute("SELECT data FROM attachments WHERE id = ?", [attachment_id]).fetchone()
    return bytes(row[0]) if row else None
