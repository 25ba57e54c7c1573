"""An officer's saved inbox views: a name and the inbox's query string."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    query: str


def for_staff(db: sqlite_utils.Database, staff_id: str) -> list[SavedView]:
    rows = db.execute("SELECT id, name, query FROM saved_views WHERE staff_id = ?"
                      " ORDER BY name COLLATE NOCASE", [staff_id]).fetchall()
    return [SavedView(*r) for r in rows]


def save(db: sqlite_utils.Database, staff_id: str, name: str, query: str) -> None:
    """A view of the same name is replaced (saving again updates it)."""
    db.execute("INSERT INTO saved_views (staff_id, name, query, created_at)"
               " VALUES (?, ?, ?, ?) ON CONFLICT(staff_id, name)"
               " DO UPDATE SET query = excluded.query", [staff_id, name, query, now_iso()])


def delete(db: sqlite_utils.Database, staff_id: str, view_id: int) -> bool:
    return db.execute("DELETE FROM saved_views WHERE id = ? AND staff_id = ?",
                      [view_id, staff_id]).rowcount > 0
