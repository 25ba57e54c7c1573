"""The staff queue: a service's requests filtered, searched, sorted and paged. The
reader's scope (their service, special category or not) is always in the WHERE, so
neither rows nor counts ever include what they may not read, whatever the filter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.requests import _READ, InboxPage, _row_to_request

SORTS = {"newest": "created_at DESC, rowid DESC", "oldest": "created_at ASC, rowid ASC",
         "priority": "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1"
                     " WHEN 'normal' THEN 2 ELSE 3 END, created_at ASC, rowid ASC"}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Scope:
    service: str | None  # None: every service (admins)
    special_category: bool  # may the reader see special category rows


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = ()
    priority: str = ""
    assignee: str = ""  # a staff id, "unassigned", "team:<id>,<id>" or "" for anyone
    area: str = ""  # a postcode district, EH22
    created_before: str = ""  # ISO time: older than N days
    q: str = ""
    sort: str = "newest"


def match_expression(q: str) -> str | None:
    """The words of `q` as an FTS5 query: each a quoted prefix, all of them required, so
    what a person types is never FTS5 syntax (no operator can break the query)."""
    words = _WORD.findall(q)[:12]
    return " ".join(f'"{w}"*' for w in words) if words else None


def _where(scope: Scope, f: QueueFilter) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if scope.service is not None:
        where.append("service = ?")
        params.append(scope.service)
    if not scope.special_category:
        where.append("special_category = 0")
    if f.statuses:
        where.append(f"status IN ({', '.join('?' * len(f.statuses))})")
        params += list(f.statuses)
    if f.priority:
        where.append("priority = ?")
        params.append(f.priority)
    if f.assignee == "unassigned":
        where.append("assignee IS NULL AND team_id IS NULL")
    elif f.assignee.startswith("team:"):
        teams = [t for t in f.assignee.removeprefix("team:").split(",") if t]
        where.append(f"team_id IN ({', '.join('?' * len(teams))})" if teams else "0")
        params += teams
    elif f.assignee:
        where.append("assignee = ?")
        params.append(f.assignee)
    if f.area:
        where.append("area = ?")
        params.append(f.area.upper())
    if f.created_before:
        where.append("created_at < ?")
        params.append(f.created_before)
    expression = match_expression(f.q)
    if expression:
        where.append("id IN (SELECT request_id FROM requests_search"
                     " WHERE requests_search MATCH ?)")
        params.append(expression)
    elif f.q.strip():
        where.append("0")  # only punctuation: nothing matches
    return (f"WHERE {' AND '.join(where)}" if where else ""), params


def count(db: sqlite_utils.Database, scope: Scope, f: QueueFilter) -> int:
    clause, params = _where(scope, f)
    return int(db.execute(f"SELECT COUNT(*) FROM requests {clause}", params).fetchone()[0])


def counts(db: sqlite_utils.Database, scope: Scope,
           filters: Sequence[QueueFilter]) -> list[int]:
    """How many each of several filters matches (the saved views), in one read."""
    return [count(db, scope, f) for f in filters]


def page(db: sqlite_utils.Database, scope: Scope, f: QueueFilter, limit: int,
         offset: int) -> InboxPage:
    clause, params = _where(scope, f)
    total = int(db.execute(f"SELECT COUNT(*) FROM requests {clause}", params).fetchone()[0])
    rows = db.execute(f"SELECT {_READ} FROM requests {clause}"
                      f" ORDER BY {SORTS.get(f.sort, SORTS['newest'])} LIMIT ? OFFSET ?",
                      [*params, limit, offset]).fetchall()
    return InboxPage([_row_to_request(r) for r in rows], total)


def by_ids(db: sqlite_utils.Database, scope: Scope, ids: Sequence[str]) -> list[Any]:
    """The requests with these ids the reader may see (bulk actions), in the given order."""
    if not ids:
        return []
    clause, params = _where(scope, QueueFilter())
    joiner = " AND " if clause else "WHERE "
    rows = db.execute(f"SELECT {_READ} FROM requests {clause}{joiner}"
                      f"id IN ({', '.join('?' * len(ids))})", [*params, *ids]).fetchall()
    found = {r.id: r for r in map(_row_to_request, rows)}
    return [found[i] for i in ids if i in found]


def open_candidates(db: sqlite_utils.Database, scope: Scope, f: QueueFilter,
                    open_statuses: Sequence[str], limit: int,
                    newest_first: bool = False) -> list[Any]:
    """The open requests a filter matches, oldest (or newest) first, at most `limit` of
    them: the rows whose working-day clocks the due and overdue filters work out (due
    dates come from events, so they cannot be in the WHERE). Returned oldest first."""
    clause, params = _where(scope, f)
    joiner = " AND " if clause else "WHERE "
    marks = ", ".join("?" * len(open_statuses))
    rows = db.execute(f"SELECT {_READ} FROM requests {clause}{joiner}status IN ({marks})"
                      f" ORDER BY created_at {'DESC' if newest_first else 'ASC'},"
                      f" rowid {'DESC' if newest_first else 'ASC'} LIMIT ?",
                      [*params, *open_statuses, limit]).fetchall()
    found = [_row_to_request(r) for r in rows]
    return found[::-1] if newest_first else found
