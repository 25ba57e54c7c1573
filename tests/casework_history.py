"""Requests with a known past: made on a given day, answered, paused and closed on given
days (what the clock helpers would have stamped then), for the due filters and the
dashboard's figures. Written straight to the tables, as the casework would have."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from server.db import requests as requests_db
from server.db.clock import iso
from server.forms.normalise import COUNCIL_TIME_ZONE


def at(day: date, hour: int = 10) -> str:
    """10:00 council time on `day`, as stored text."""
    return iso(datetime.combine(day, time(hour), COUNCIL_TIME_ZONE))


def seed(db, service: str, journey: str, received: date,
         changes: tuple[tuple[date, str, str | None], ...] = (), channel: str = "web",
         special: bool = False, team: str | None = None, assignee: str | None = None,
         priority: str = "normal") -> str:
    """A request received on `received`, then each (day, kind, status) of `changes`:
    ("message", None) a reply to the resident, ("status_changed", status) a status."""
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey=journey, service=service, form_version=1,
        answers={"details": "Seeded"}, channel=channel, special_category=special,
        contact_name="T", contact_email="t@example.com", contact_phone=None, locale="en")
    reference = f"MLC-{uuid.uuid4().hex[:7].upper()}"
    created = at(received)
    requests_db.insert_requests(db, [requests_db.request_row(new, reference, created)])
    requests_db.add_created_events(db, [(new.id, created)])
    status = "received"
    for day, kind, new_status in changes:
        db.execute("INSERT INTO request_events (request_id, at, kind, status, public,"
                   " message, actor) VALUES (?, ?, ?, ?, 1, ?, 'staff:test')",
                   [new.id, at(day, 11), kind, new_status, "Seeded reply"])
        status = new_status or status
    db.execute("UPDATE requests SET status = ?, team_id = ?, assignee = ?, priority = ?,"
               " outcome = ? WHERE id = ?",
               [status, team, assignee, priority,
                "resolved" if status in ("closed", "resolved") else None, new.id])
    return new.id
