"""Council closures: days that are not working days, beyond the Scottish public holidays
(server/casework/calendar.py counts both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Closure:
    day: date
    name: str
    created_by: str


def all_closures(db: sqlite_utils.Database) -> list[Closure]:
    rows = db.execute("SELECT day, name, created_by FROM council_closures ORDER BY day"
                      ).fetchall()
    return [Closure(date.fromisoformat(r[0]), r[1], r[2]) for r in rows]


def closure_days(db: sqlite_utils.Database) -> frozenset[date]:
    return frozenset(date.fromisoformat(r[0]) for r in
                     db.execute("SELECT day FROM council_closures").fetchall())


def add_closure(db: sqlite_utils.Database, day: date, name: str, actor: str) -> bool:
    """False when that day is already a closure (its name is kept)."""
    cursor = db.execute("INSERT INTO council_closures (day, name, created_at, created_by)"
                        " VALUES (?, ?, ?, ?) ON CONFLICT(day) DO NOTHING",
                        [day.isoformat(), name, now_iso(), actor])
    return cursor.rowcount == 1


def remove_closure(db: sqlite_utils.Database, day: date) -> bool:
    return db.execute("DELETE FROM council_closures WHERE day = ?",
                      [day.isoformat()]).rowcount == 1
