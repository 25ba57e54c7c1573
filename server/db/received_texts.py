"""Texts residents send back through GOV.UK Notify: which request one belongs to, and a
record of each by Notify's id so a repeated callback is applied once."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from server.db.clock import now_iso


def seen(db: sqlite_utils.Database, notify_id: str) -> bool:
    return db.execute("SELECT 1 FROM received_texts WHERE id = ?",
                      [notify_id]).fetchone() is not None


def record(db: sqlite_utils.Database, notify_id: str, phone: str, request_id: str | None,
           outcome: str) -> None:
    db.execute("INSERT INTO received_texts (id, phone, request_id, outcome, received_at)"
               " VALUES (?, ?, ?, ?, ?)", [notify_id, phone, request_id, outcome, now_iso()])


def open_request_for(db: sqlite_utils.Database, phone: str,
                     open_statuses: Sequence[str]) -> str | None:
    """The newest open request this number may add to: one made by the resident whose
    account has verified it, or one whose texts Notify delivered to it (so the number
    is the request's own, not only typed)."""
    marks = ", ".join("?" * len(open_statuses))
    row = db.execute(
        f"SELECT r.id FROM requests r WHERE r.status IN ({marks}) AND ("
        "   EXISTS (SELECT 1 FROM residents p WHERE p.phone = ?"
        "           AND (r.contact_phone = p.phone OR r.contact_email = p.email))"
        "   OR (r.contact_phone = ? AND EXISTS (SELECT 1 FROM notifications n"
        "       WHERE n.request_id = r.id AND n.channel = 'sms' AND n.recipient = ?"
        "       AND n.status = 'delivered')))"
        " ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1",
        [*open_statuses, phone, phone, phone]).fetchone()
    return str(row[0]) if row else None
