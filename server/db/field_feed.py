"""The change feed a field device pulls (sync/pull.py's Feed over SQLite).

The feed is written by triggers (migration 0018) in the same transaction as the data:
every write to a case (its status, its named fields) or to what is on it (events,
notes, visits, photos, conflicts) adds feed rows under the transaction's position, and
every assignment or team change bumps the scope generation of each person whose scope
it changes. This module only reads, inside one read transaction per pull (`in_snapshot`),
so the head, the generation and the changes agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlite_utils

from sync.pull import REMOVE, UPSERT, Change, ScopeChange

T = TypeVar("T")


def in_snapshot(db: sqlite_utils.Database, fn: Callable[..., T], *args: Any) -> T:
    """fn(db, *args) in one read transaction: one snapshot of the database (WAL)."""
    db.execute("BEGIN")
    try:
        db.execute("SELECT 1 FROM feed_meta").fetchone()  # the snapshot starts here
        return fn(db, *args)
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


def _change(row: tuple[Any, ...]) -> Change:
    kind, op, item_id, case_id, version, data, position = row
    return Change(kind, op, item_id, case_id, version,
                  None if data is None else json.loads(data), position)


def head(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT max(position) FROM feed_positions").fetchone()
    return int(row[0] or 0)


def oldest(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT oldest FROM feed_meta WHERE id = 1").fetchone()[0])


def generation(db: sqlite_utils.Database, person_id: str) -> int:
    row = db.execute("SELECT generation FROM scope_generations WHERE person_id = ?",
                     [person_id]).fetchone()
    return int(row[0]) if row else 0


def in_scope(db: sqlite_utils.Database, person_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT case_id FROM field_scope WHERE person_id = ? ORDER BY case_id", [person_id])]


def had(db: sqlite_utils.Database, person_id: str, case_id: str) -> bool:
    """Whether the case was ever in the person's scope (now or before)."""
    return db.execute(
        "SELECT 1 FROM field_scope WHERE person_id = ? AND case_id = ? UNION ALL"
        " SELECT 1 FROM scope_log WHERE person_id = ? AND case_id = ? AND entered = 1"
        " LIMIT 1", [person_id, case_id, person_id, case_id]).fetchone() is not None


def case_change(db: sqlite_utils.Database, case_id: str) -> Change | None:
    row = db.execute("SELECT version, data FROM field_case_data WHERE case_id = ?",
                     [case_id]).fetchone()
    if row is None:
        return None
    return Change("case", UPSERT, case_id, case_id, int(row[0]), json.loads(row[1]))


class SqliteFeed:
    """One person's view of the feed, on a connection inside in_snapshot."""

    def __init__(self, db: sqlite_utils.Database, person_id: str) -> None:
        self.db = db
        self.person_id = person_id

    def head(self) -> int:
        return head(self.db)

    def oldest(self) -> int:
        return oldest(self.db)

    def generation(self) -> int:
        return generation(self.db, self.person_id)

    def in_scope(self) -> list[str]:
        return in_scope(self.db, self.person_id)

    def scope_since(self, since: int) -> ScopeChange | None:
        row = self.db.execute("SELECT history_from FROM scope_generations WHERE person_id = ?",
                              [self.person_id]).fetchone()
        if row is not None and since < row[0]:
            return None
        rows = self.db.execute(
            "SELECT l.case_id, l.entered, s.case_id IS NOT NULL FROM scope_log l"
            " LEFT JOIN field_scope s ON s.person_id = l.person_id AND s.case_id = l.case_id"
            " WHERE l.person_id = ? AND l.generation > ?", [self.person_id, since]).fetchall()
        return ScopeChange(frozenset(c for c, entered, _now in rows if not entered),
                           frozenset(c for c, entered, now in rows if entered and now))

    _SELECT = ("SELECT f.kind, f.op, f.id, f.case_id, f.version, f.data, f.position FROM feed f"
               " JOIN field_scope s ON s.case_id = f.case_id AND s.person_id = ?")

    def changes(self, position: int, limit: int) -> list[Change]:
        return [_change(r) for r in self.db.execute(
            f"{self._SELECT} WHERE f.position > ? ORDER BY f.seq LIMIT ?",
            [self.person_id, position, limit])]

    def at(self, position: int) -> list[Change]:
        return [_change(r) for r in self.db.execute(
            f"{self._SELECT} WHERE f.position = ? ORDER BY f.seq",
            [self.person_id, position])]

    def snapshot(self, case_ids: Sequence[str]) -> list[Change]:
        out: list[Change] = []
        for case_id in case_ids:
            case = case_change(self.db, case_id)
            if case is None:
                continue
            out.append(case)
            out += [Change(kind, UPSERT, item_id, case_id, version, json.loads(data))
                    for kind, item_id, version, data in self.db.execute(
                        "SELECT kind, id, version, data FROM case_items"
                        " WHERE case_id = ? AND removed = 0 ORDER BY rowid", [case_id])]
        return out


def special_cases(db: sqlite_utils.Database, case_ids: Sequence[str]) -> list[str]:
    """Which of these cases are social work records (their every read is audited)."""
    if not case_ids:
        return []
    found: list[str] = []
    for start in range(0, len(case_ids), 500):
        part = list(case_ids[start:start + 500])
        marks = ",".join("?" * len(part))
        found += [r[0] for r in db.execute(
            f"SELECT id FROM requests WHERE special_category = 1 AND id IN ({marks})", part)]
    return sorted(found)


__all__ = ["REMOVE", "UPSERT", "SqliteFeed", "in_snapshot", "special_cases"]
