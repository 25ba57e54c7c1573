"""What the dashboard counts, read in a few queries: requests with only the columns
its figures need (never answers, never contact details), and the events that move
their working-day clocks. The reader's service bounds every query."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.requests import ClockEvent


@dataclass(frozen=True)
class Row:
    id: str
    reference: str
    journey: str
    form_version: int
    service: str
    channel: str
    status: str
    special_category: bool
    created_at: str
    updated_at: str
    team_id: str | None
    priority: str
    assignee: str | None


_COLUMNS = ("id, reference, journey, form_version, service, channel, status,"
            " special_category, created_at, updated_at, team_id, priority, assignee")


def _scope(service: str | None, special_category: bool) -> tuple[str, list[Any]]:
    where, params = ["(? IS NULL OR service = ?)"], [service, service]
    if not special_category:
        where.append("special_category = 0")
    return " AND ".join(where), params


def _rows(db: sqlite_utils.Database, where: str, params: list[Any]) -> list[Row]:
    return [Row(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[6], bool(r[7]), *r[8:])
            for r in db.execute(f"SELECT {_COLUMNS} FROM requests WHERE {where}"
                                " ORDER BY created_at, rowid", params).fetchall()]


def counted(db: sqlite_utils.Database, service: str | None, since: str,
            open_statuses: Collection[str], special_category: bool = True) -> list[Row]:
    """The requests received since `since`, and every open one (for overdue), of a
    service (None: every service)."""
    scope, params = _scope(service, special_category)
    marks = ", ".join("?" * len(open_statuses))
    return _rows(db, f"{scope} AND (created_at >= ? OR status IN ({marks}))",
                 [*params, since, *open_statuses])


def clock_events(db: sqlite_utils.Database, service: str | None, since: str,
                 open_statuses: Collection[str], special_category: bool = True
                 ) -> dict[str, list[ClockEvent]]:
    """The clock events (as requests_db.clock_events) of the same requests as
    `counted`, in one query."""
    scope, params = _scope(service, special_category)
    marks = ", ".join("?" * len(open_statuses))
    found: dict[str, list[ClockEvent]] = {}
    for request_id, at, kind, status in db.execute(
            "SELECT e.request_id, e.at, e.kind, e.status"
            # Requests first, then each one's events by index: scanning every event
            # and joining its request took most of the dashboard's time.
            " FROM requests r CROSS JOIN request_events e ON e.request_id = r.id"
            f" WHERE {scope.replace('service', 'r.service').replace('special', 'r.special')}"
            f" AND (r.created_at >= ? OR r.status IN ({marks}))"
            " AND (e.status IS NOT NULL OR e.kind = 'message') ORDER BY e.id",
            [*params, since, *open_statuses]).fetchall():
        found.setdefault(request_id, []).append(ClockEvent(at, kind, status))
    return found


# Give `counted` and `clock_events` this as `since` for the open requests alone.
OPEN_ONLY = "9999"
