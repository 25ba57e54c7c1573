"""Automation rules (server/casework/rules.py runs them), their errors, and the tags
they (and officers) put on requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    position: int
    enabled: bool
    service: str | None
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    last_fired_at: str | None
    fired_count: int
    on_event: str = "created"  # or status_changed


@dataclass(frozen=True)
class RuleError:
    id: int
    rule_id: int
    request_id: str | None
    at: str
    error: str


_RULE = ("id, name, position, enabled, service, conditions, actions, last_fired_at,"
         " fired_count, on_event")


def _rule(row: tuple[Any, ...]) -> Rule:
    return Rule(row[0], row[1], row[2], bool(row[3]), row[4], json.loads(row[5]),
                json.loads(row[6]), row[7], row[8], row[9])


def all_rules(db: sqlite_utils.Database, service: str | None = None) -> list[Rule]:
    """In their stated order; only a service's own (not the any-service ones) when
    `service` is given."""
    where, params = ("WHERE service = ?", [service]) if service else ("", [])
    rows = db.execute(f"SELECT {_RULE} FROM rules {where} ORDER BY position, id",
                      params).fetchall()
    return [_rule(r) for r in rows]


def enabled_rules(db: sqlite_utils.Database, on_event: str = "created") -> list[Rule]:
    rows = db.execute(f"SELECT {_RULE} FROM rules WHERE enabled = 1 AND on_event = ?"
                      " ORDER BY position, id", [on_event]).fetchall()
    return [_rule(r) for r in rows]


def by_id(db: sqlite_utils.Database, rule_id: int) -> Rule | None:
    row = db.execute(f"SELECT {_RULE} FROM rules WHERE id = ?", [rule_id]).fetchone()
    return _rule(row) if row else None


def add_rule(db: sqlite_utils.Database, name: str, service: str | None,
             conditions: list[dict[str, Any]], actions: list[dict[str, Any]],
             enabled: bool = True, seed_key: str | None = None,
             on_event: str = "created") -> int:
    """Added last in the order."""
    position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM rules").fetchone()[0]
    cursor = db.execute(
        "INSERT INTO rules (name, position, enabled, service, conditions, actions, seed_key,"
        " on_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [name, position, int(enabled), service, json.dumps(conditions),
         json.dumps(actions), seed_key, on_event])
    return int(cursor.lastrowid)


def has_seed(db: sqlite_utils.Database, seed_key: str) -> bool:
    return db.execute("SELECT 1 FROM rules WHERE seed_key = ?", [seed_key]).fetchone() is not None


def update_rule(db: sqlite_utils.Database, rule_id: int, name: str, service: str | None,
                conditions: list[dict[str, Any]], actions: list[dict[str, Any]],
                on_event: str = "created") -> bool:
    return bool(db.execute(
        "UPDATE rules SET name = ?, service = ?, conditions = ?, actions = ?, on_event = ?"
        " WHERE id = ?", [name, service, json.dumps(conditions), json.dumps(actions),
                          on_event, rule_id]).rowcount)


def set_enabled(db: sqlite_utils.Database, rule_id: int, enabled: bool) -> bool:
    return bool(db.execute("UPDATE rules SET enabled = ? WHERE id = ?",
                           [int(enabled), rule_id]).rowcount)


def move(db: sqlite_utils.Database, rule_id: int, up: bool,
         service: str | None = None) -> bool:
    """Swap the rule with the one before (or after) it in the order (among a service's
    own when `service` is given). False when it is already first (or last)."""
    order = all_rules(db, service)
    ids = [r.id for r in order]
    if rule_id not in ids:
        return False
    at = ids.index(rule_id)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(ids):
        return False
    # Positions renumbered from the order as read, so ties never stop a move.
    ids[at], ids[other] = ids[other], ids[at]
    everyone = [r.id for r in all_rules(db)]
    if service:
        slots = [everyone.index(i) for i in [r.id for r in order]]
        for slot, moved in zip(sorted(slots), ids, strict=True):
            everyone[slot] = moved
    else:
        everyone = ids
    for position, rid in enumerate(everyone, start=1):
        db.execute("UPDATE rules SET position = ? WHERE id = ?", [position, rid])
    return True


def fired(db: sqlite_utils.Database, rule_id: int) -> None:
    db.execute("UPDATE rules SET last_fired_at = ?, fired_count = fired_count + 1"
               " WHERE id = ?", [now_iso(), rule_id])


def record_error(db: sqlite_utils.Database, rule_id: int, request_id: str | None,
                 error: str) -> None:
    db.execute("INSERT INTO rule_errors (rule_id, request_id, at, error) VALUES (?, ?, ?, ?)",
               [rule_id, request_id, now_iso(), error[:500]])


def recent_errors(db: sqlite_utils.Database, per_rule: int = 3) -> dict[int, list[RuleError]]:
    rows = db.execute(
        "SELECT id, rule_id, request_id, at, error FROM rule_errors e WHERE id IN ("
        " SELECT id FROM rule_errors WHERE rule_id = e.rule_id ORDER BY id DESC LIMIT ?)"
        " ORDER BY id DESC", [per_rule]).fetchall()
    found: dict[int, list[RuleError]] = {}
    for row in rows:
        found.setdefault(row[1], []).append(RuleError(*row))
    return found


def error_count(db: sqlite_utils.Database) -> dict[int, int]:
    return dict(db.execute("SELECT rule_id, count(*) FROM rule_errors GROUP BY rule_id"
                           ).fetchall())


def add_tag(db: sqlite_utils.Database, request_id: str, tag: str, actor: str) -> bool:
    return bool(db.execute(
        "INSERT OR IGNORE INTO request_tags (request_id, tag, added_at, added_by)"
        " VALUES (?, ?, ?, ?)", [request_id, tag, now_iso(), actor]).rowcount)


def tags_of(db: sqlite_utils.Database, request_id: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT tag FROM request_tags WHERE request_id = ?"
                                     " ORDER BY added_at, tag", [request_id]).fetchall()]


def add_task(db: sqlite_utils.Database, request_id: str, kind: str, detail: str) -> None:
    """A task on the request (server/db/request_tasks.py lists and finishes them)."""
    db.execute("INSERT INTO request_tasks (request_id, kind, detail, created_at)"
               " VALUES (?, ?, ?, ?)", [request_id, kind, detail, now_iso()])


def savepoint(db: sqlite_utils.Database, name: str) -> None:
    db.conn.execute(f"SAVEPOINT {name}")


def release(db: sqlite_utils.Database, name: str) -> None:
    db.conn.execute(f"RELEASE {name}")


def roll_back_to(db: sqlite_utils.Database, name: str) -> None:
    db.conn.execute(f"ROLLBACK TO {name}")
    db.conn.execute(f"RELEASE {name}")


def recent_request_ids(db: sqlite_utils.Database, service: str | None,
                       limit: int) -> list[str]:
    """The last `limit` requests' ids, newest first (a service's when given)."""
    where, params = ("WHERE service = ?", [service]) if service else ("", [])
    return [r[0] for r in db.execute(
        f"SELECT id FROM requests {where} ORDER BY created_at DESC, id LIMIT ?",
        [*params, limit]).fetchall()]


def with_open_task(db: sqlite_utils.Database, request_ids: list[str], kind: str) -> set[str]:
    """Which of these requests have an open task of this kind (a page of the inbox)."""
    if not request_ids:
        return set()
    marks = ", ".join("?" * len(request_ids))
    return {r[0] for r in db.execute(
        f"SELECT DISTINCT request_id FROM request_tasks WHERE kind = ? AND done_at IS NULL"
        f" AND request_id IN ({marks})", [kind, *request_ids]).fetchall()}
