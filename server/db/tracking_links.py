"""A request's tracking link: its random public id and its generation (bumped to stop
every link made before). The MAC that makes a link valid is never stored: see
server/auth/tracking.py."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db import audit
from server.db.clock import now_iso


@dataclass(frozen=True)
class TrackingLink:
    request_id: str
    public_id: str
    generation: int
    closed_at: str | None = None  # when the request was closed, if it is


_SELECT = (
    "SELECT t.request_id, t.public_id, t.generation,"
    # A request is closed exactly when it has an outcome (db/requests.add_event clears it
    # on any other status); it closed at its newest event with one.
    " CASE WHEN r.outcome IS NOT NULL THEN (SELECT MAX(e.at) FROM request_events e"
    "   WHERE e.request_id = r.id AND e.outcome IS NOT NULL) END"
    " FROM tracking_links t JOIN requests r ON r.id = t.request_id")


def for_request(db: sqlite_utils.Database, request_id: str) -> TrackingLink | None:
    row = db.execute(f"{_SELECT} WHERE t.request_id = ?", [request_id]).fetchone()
    return TrackingLink(*row) if row else None


def by_public_id(db: sqlite_utils.Database, public_id: str) -> TrackingLink | None:
    row = db.execute(f"{_SELECT} WHERE t.public_id = ?", [public_id]).fetchone()
    return TrackingLink(*row) if row else None


def stop(db: sqlite_utils.Database, request_id: str, actor: str) -> TrackingLink | None:
    """Every link to this request made so far stops working; messages sent from now on
    carry a new one."""
    changed = db.execute(
        "UPDATE tracking_links SET generation = generation + 1, stopped_at = ?,"
        " stopped_by = ? WHERE request_id = ?", [now_iso(), actor, request_id]).rowcount
    if not changed:
        return None
    audit.record(db, actor, "tracking_links_stopped", f"request:{request_id}")
    return for_request(db, request_id)
