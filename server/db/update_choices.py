"""How people want updates: each request's choice (email, text), the stops they made
(recorded, never deleted), addresses that cannot be reached, and a resident's default."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso

CHOICES = ("email", "text", "both", "none")


@dataclass(frozen=True)
class Choice:
    by_email: bool
    by_text: bool


def choice_flags(choice: str) -> Choice:
    return Choice(choice in ("email", "both"), choice in ("text", "both"))


def choice_for(db: sqlite_utils.Database, request_id: str) -> Choice:
    """The choice as it is now: the contact page's answer (on the request), or what it
    became after a stop."""
    row = db.execute(
        "SELECT COALESCE(c.by_email, r.updates IN ('email', 'both')),"
        " COALESCE(c.by_text, r.updates IN ('text', 'both')) FROM requests r"
        " LEFT JOIN update_choices c ON c.request_id = r.id WHERE r.id = ?",
        [request_id]).fetchone()
    return Choice(bool(row[0]), bool(row[1])) if row else Choice(False, False)


def stop(db: sqlite_utils.Database, channel: str, recipient: str, request_id: str | None,
         source: str) -> None:
    """Record a stop. With a request, that request's updates on that channel end; with
    none (a STOP text), every request's texts to that number."""
    now = now_iso()
    db.execute("INSERT INTO update_stops (channel, recipient, request_id, source, at)"
               " VALUES (?, ?, ?, ?, ?)", [channel, recipient, request_id, source, now])
    if request_id is not None:
        now_choice = choice_for(db, request_id)
        db.execute("INSERT OR REPLACE INTO update_choices (request_id, by_email, by_text,"
                   " changed_at) VALUES (?, ?, ?, ?)",
                   [request_id, int(now_choice.by_email and channel != "email"),
                    int(now_choice.by_text and channel != "sms"), now])


def stopped(db: sqlite_utils.Database, channel: str, recipient: str,
            request_id: str | None) -> bool:
    row = db.execute("SELECT 1 FROM update_stops WHERE channel = ? AND recipient = ?"
                     " AND (request_id IS NULL OR request_id = ?)",
                     [channel, recipient, request_id]).fetchone()
    return row is not None


def stops_for(db: sqlite_utils.Database, recipient: str) -> list[tuple[str, str | None, str]]:
    """(channel, request id, source) of every stop this address or number made."""
    return [(r[0], r[1], r[2]) for r in db.execute(
        "SELECT channel, request_id, source FROM update_stops WHERE recipient = ?"
        " ORDER BY id", [recipient])]


def unreachable(db: sqlite_utils.Database, recipients: Sequence[str]) -> dict[str, str]:
    """Of these addresses and numbers, the ones refused for good, with the reason."""
    if not recipients:
        return {}
    rows = db.execute(f"SELECT recipient, reason FROM unreachable_contacts WHERE recipient IN"
                      f" ({', '.join('?' * len(recipients))})", list(recipients)).fetchall()
    return {row[0].lower(): row[1] for row in rows}


def resident_default(db: sqlite_utils.Database, resident_id: str) -> str | None:
    row = db.execute("SELECT updates_default FROM residents WHERE id = ?",
                     [resident_id]).fetchone()
    return str(row[0]) if row and row[0] else None


def set_resident_default(db: sqlite_utils.Database, resident_id: str, choice: str) -> None:
    if choice not in CHOICES:
        raise ValueError(choice)
    db.execute("UPDATE residents SET updates_default = ? WHERE id = ?", [choice, resident_id])
