"""tus uploads in progress: how far each has got, and its bytes as chunks in SQLite."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Upload:
    id: str
    client_id: str
    attachment_id: str
    request_id: str
    length: int
    offset: int
    expires_at: str
    completed: bool

    @property
    def expired(self) -> bool:
        return not self.completed and self.expires_at <= now_iso()


_COLUMNS = ('id, client_id, attachment_id, request_id, length, "offset", expires_at,'
            " completed_at IS NOT NULL")


def create(db: sqlite_utils.Database, client_id: str, attachment_id: str, request_id: str,
           length: int, expires_at: str) -> Upload:
    upload_id = uuid.uuid4().hex
    db.execute(
        "INSERT INTO tus_uploads (id, client_id, attachment_id, request_id, length,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [upload_id, client_id, attachment_id, request_id, length, now_iso(), expires_at])
    return Upload(upload_id, client_id, attachment_id, request_id, length, 0, expires_at,
                  False)


def get(db: sqlite_utils.Database, upload_id: str) -> Upload | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM tus_uploads WHERE id = ?",
                     [upload_id]).fetchone()
    return Upload(*row[:7], bool(row[7])) if row else None


def append(db: sqlite_utils.Database, upload_id: str, offset: int, data: bytes,
           expires_at: str) -> Upload | None:
    """Add bytes at `offset`. None when the upload is no longer at that offset (another
    request moved it on): the caller answers 409 and the client asks again."""
    cursor = db.execute(
        'UPDATE tus_uploads SET "offset" = "offset" + ?, expires_at = ? WHERE id = ?'
        ' AND "offset" = ? AND completed_at IS NULL AND "offset" + ? <= length',
        [len(data), expires_at, upload_id, offset, len(data)])
    if cursor.rowcount != 1:
        return None
    if data:
        db.execute('INSERT INTO tus_chunks (upload_id, "offset", data) VALUES (?, ?, ?)',
                   [upload_id, offset, data])
    return get(db, upload_id)


def data(db: sqlite_utils.Database, upload_id: str) -> bytes:
    rows = db.execute('SELECT data FROM tus_chunks WHERE upload_id = ? ORDER BY "offset"',
                      [upload_id]).fetchall()
    return b"".join(bytes(r[0]) for r in rows)


def complete(db: sqlite_utils.Database, upload_id: str) -> None:
    """The bytes now live in the attachments table: keep the row (HEAD still answers
    with the full offset, so a client whose last answer was lost knows it is done)."""
    db.execute("DELETE FROM tus_chunks WHERE upload_id = ?", [upload_id])
    db.execute("UPDATE tus_uploads SET completed_at = ? WHERE id = ?", [now_iso(), upload_id])


def discard(db: sqlite_utils.Database, upload_id: str) -> None:
    """Throw away a finished upload whose file was refused; the client starts again."""
    db.execute("DELETE FROM tus_chunks WHERE upload_id = ?", [upload_id])
    db.execute("UPDATE tus_uploads SET expires_at = ? WHERE id = ?", [now_iso(), upload_id])


def delete_expired(db: sqlite_utils.Database, before: str) -> int:
    """Free the bytes of uploads that expired unfinished. The rows stay, so a late
    client gets 410 (gone) rather than 404 (never was)."""
    cursor = db.execute(
        "DELETE FROM tus_chunks WHERE upload_id IN (SELECT id FROM tus_uploads"
        " WHERE expires_at <= ? AND completed_at IS NULL)", [before])
    return int(cursor.rowcount)
