"""Possible duplicates: links between a newer request and an older one it may repeat
(server/casework/duplicates.py finds and decides them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Candidate:
    id: str
    reference: str
    answers: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class Link:
    id: int
    request_id: str  # the newer
    other_id: str  # the older
    reason: str  # distance or address
    state: str  # open, merged or dismissed
    created_at: str
    other_reference: str  # of the request at the other end from the one asked about
    other_end: str  # its id


def area_of(db: sqlite_utils.Database, request_id: str) -> str | None:
    row = db.execute("SELECT area FROM requests WHERE id = ?", [request_id]).fetchone()
    return row[0] if row else None


def candidates(db: sqlite_utils.Database, request_id: str, service: str,
               since: str, area: str | None, located: bool) -> list[Candidate]:
    """Requests of the same service made since `since`, other than this one, that could
    be the same place: in the same postcode area (the same address has the same
    postcode), or with a location when this one has one. Read in one query, so a sync
    push of many requests does not parse every recent request's answers for each."""
    rows = db.execute(
        "SELECT id, reference, answers, created_at FROM requests WHERE service = ?"
        " AND id != ? AND created_at >= ? AND (area = ? OR (? AND answers LIKE '%\"lat\"%'))"
        " ORDER BY created_at DESC, rowid DESC LIMIT 500",
        [service, request_id, since, area, int(located)]).fetchall()
    return [Candidate(r[0], r[1], json.loads(r[2]), r[3]) for r in rows]


def add_link(db: sqlite_utils.Database, request_id: str, other_id: str, reason: str) -> bool:
    return bool(db.execute(
        "INSERT OR IGNORE INTO duplicate_links (request_id, other_id, reason, created_at)"
        " VALUES (?, ?, ?, ?)", [request_id, other_id, reason, now_iso()]).rowcount)


def links_of(db: sqlite_utils.Database, request_id: str) -> list[Link]:
    """Both ends: links where it is the newer and where it is the older."""
    rows = db.execute(
        "SELECT l.id, l.request_id, l.other_id, l.reason, l.state, l.created_at,"
        " r.reference, r.id FROM duplicate_links l JOIN requests r ON r.id ="
        " CASE WHEN l.request_id = ? THEN l.other_id ELSE l.request_id END"
        " WHERE l.request_id = ? OR l.other_id = ? ORDER BY l.id",
        [request_id, request_id, request_id]).fetchall()
    return [Link(*r) for r in rows]


def link_by_id(db: sqlite_utils.Database, link_id: int) -> Link | None:
    row = db.execute(
        "SELECT l.id, l.request_id, l.other_id, l.reason, l.state, l.created_at,"
        " r.reference, r.id FROM duplicate_links l JOIN requests r ON r.id = l.other_id"
        " WHERE l.id = ?", [link_id]).fetchone()
    return Link(*row) if row else None


def decide(db: sqlite_utils.Database, link_id: int, state: str, actor: str) -> bool:
    """Only an open link is decided (a second click finds it decided)."""
    return bool(db.execute(
        "UPDATE duplicate_links SET state = ?, decided_at = ?, decided_by = ?"
        " WHERE id = ? AND state = 'open'", [state, now_iso(), actor, link_id]).rowcount)
