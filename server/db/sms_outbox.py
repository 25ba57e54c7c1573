"""Text messages waiting to be handed to GOV.UK Notify (server/notify/sms.py sends them).

A text is queued in the same transaction as what it announces, and leaves the queue only
when Notify has accepted it, refused it for good (a 4xx), or it is no longer worth sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlite_utils

from server.db.clock import iso_in, now_iso


@dataclass(frozen=True)
class QueuedText:
    id: int
    phone: str
    body: str
    purpose: str
    attempts: int
    send_before: str | None



def queue_text(db: sqlite_utils.Database, phone: str, body: str, purpose: str,
               send_within: timedelta | None = None) -> int:
    """Queue a text; one that has not gone within `send_within` is no use and is dropped."""
    now = now_iso()
    cursor = db.execute(
        "INSERT INTO sms_outbox (phone, body, purpose, created_at, next_attempt_at,"
        " send_before) VALUES (?, ?, ?, ?, ?, ?)",
        [phone, body, purpose, now, now, iso_in(send_within) if send_within else None])
    return int(cursor.lastrowid or 0)


def claim_due_texts(db: sqlite_utils.Database, lease: timedelta,
                    limit: int = 20) -> list[QueuedText]:
    """The texts due now, each put off by `lease` so a second sender leaves them alone;
    if this one dies while sending, they fall due again when the lease ends."""
    now = now_iso()
    rows = db.execute(
        "SELECT id, phone, body, purpose, attempts, send_before FROM sms_outbox"
        " WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
        " LIMIT ?", [now, limit]).fetchall()
    later = iso_in(lease)
    for row in rows:
        db.execute("UPDATE sms_outbox SET next_attempt_at = ? WHERE id = ?", [later, row[0]])
    return [QueuedText(*row) for row in rows]


def next_due_at(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT MIN(next_attempt_at) FROM sms_outbox"
                     " WHERE status = 'queued'").fetchone()
    return str(row[0]) if row and row[0] else None


def mark_sent(db: sqlite_utils.Database, text_id: int, notify_id: str) -> None:
    db.execute("UPDATE sms_outbox SET status = 'sent', body = NULL, notify_id = ?,"
               " attempts = attempts + 1, done_at = ? WHERE id = ?",
               [notify_id, now_iso(), text_id])


def mark_retry(db: sqlite_utils.Database, text_id: int, wait: timedelta, error: str) -> None:
    db.execute("UPDATE sms_outbox SET attempts = attempts + 1, next_attempt_at = ?,"
               " last_error = ? WHERE id = ?",
               [iso_in(wait), error[:500], text_id])


def mark_given_up(db: sqlite_utils.Database, text_id: int, status: str, error: str) -> None:
    """'failed' (refused for good) or 'expired' (too late to be of use)."""
    db.execute("UPDATE sms_outbox SET status = ?, body = NULL, attempts = attempts + 1,"
               " last_error = ?, done_at = ? WHERE id = ?",
               [status, error[:500], now_iso(), text_id])
