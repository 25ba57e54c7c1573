"""What the back office reads of field work (issue 14): the visits, notes and photos
pushed from field devices, and the conflicts of case fields, all kept as `case_items`
(migration 0018) with the entity as the pull sends it in `data`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class Conflict:
    id: str
    request_id: str
    reference: str
    service: str
    special_category: bool
    field: str
    base: Any
    server: Any  # the office's value: now, while open; when it arose, once resolved
    client: Any  # the field worker's value
    client_id: str
    by_name: str | None
    at: str
    late: bool
    resolution: Any
    resolved_at: str | None
    resolved_by_name: str | None


RESOLVED = "field_conflict_resolved"  # the audit action of a resolution
# Who resolved it and when: its audit entry (indexed by subject, migration 0024).
CONFLICT_SELECT = (
    "SELECT i.id, i.case_id, r.reference, r.service, r.special_category, i.data,"
    " i.created_at, (SELECT value FROM case_fields f WHERE f.case_id = i.case_id"
    " AND f.name = json_extract(i.data, '$.field')),"
    " (SELECT json_array(a.at, s.name) FROM audit_log a LEFT JOIN staff s"
    " ON a.actor = 'staff:' || s.id WHERE a.subject = 'request:' || i.case_id"
    f" AND a.action = '{RESOLVED}' AND json_extract(a.detail, '$.conflict') = i.id"
    " ORDER BY a.id DESC LIMIT 1)"
    " FROM case_items i JOIN requests r ON r.id = i.case_id"
    " WHERE i.kind = 'conflict' AND i.removed = 0")


def _conflict(row: tuple[Any, ...]) -> Conflict:
    data = json.loads(row[5])
    is_open = data.get("status") == "open"
    now = json.loads(row[7]) if row[7] is not None else None
    resolved_at, resolved_by = json.loads(row[8]) if row[8] else (row[6], None)
    return Conflict(
        id=row[0], request_id=row[1], reference=row[2], service=row[3],
        special_category=bool(row[4]), field=data.get("field", ""), base=data.get("base"),
        server=now if is_open else data.get("server"), client=data.get("client"),
        client_id=str(data.get("client_id") or ""), by_name=data.get("by"),
        at=data.get("at") or row[6], late=bool(data.get("late")),
        resolution=None if is_open else data.get("resolution"),
        resolved_at=None if is_open else resolved_at,
        resolved_by_name=None if is_open else resolved_by)


def conflicts_of(db: sqlite_utils.Database, request_id: str) -> list[Conflict]:
    """A case's conflicts, open ones first, oldest first."""
    rows = db.execute(
        f"{CONFLICT_SELECT} AND i.case_id = ? ORDER BY"
        " json_extract(i.data, '$.status') = 'open' DESC, i.rowid", [request_id]).fetchall()
    return [_conflict(r) for r in rows]


def conflict(db: sqlite_utils.Database, conflict_id: str) -> Conflict | None:
    row = db.execute(f"{CONFLICT_SELECT} AND i.id = ?", [conflict_id]).fetchone()
    return _conflict(row) if row else None


def open_conflicts(db: sqlite_utils.Database, service: str | None,
                   limit: int = 500) -> list[Conflict]:
    """Open conflicts of a service's cases (every service's when None), oldest first."""
    where, params = "", []
    if service is not None:
        where, params = " AND r.service = ?", [service]
    rows = db.execute(
        f"{CONFLICT_SELECT} AND json_extract(i.data, '$.status') = 'open'{where}"
        " ORDER BY i.rowid LIMIT ?", [*params, limit]).fetchall()
    return [_conflict(r) for r in rows]


def open_count(db: sqlite_utils.Database, request_id: str) -> int:
    return int(db.execute(
        "SELECT count(*) FROM case_items WHERE case_id = ? AND kind = 'conflict'"
        " AND json_extract(data, '$.status') = 'open'", [request_id]).fetchone()[0])


@dataclass(frozen=True)
class FieldItem:
    """A visit or note from the field (or a photo's thumbnail), as pushed."""
    id: str
    kind: str  # visit, note or photo
    at: str
    data: dict[str, Any]


def field_items(db: sqlite_utils.Database, request_id: str) -> list[FieldItem]:
    """The case's visits, notes and photos (not withdrawn), in the order written."""
    rows = db.execute(
        "SELECT id, kind, created_at, data FROM case_items WHERE case_id = ?"
        " AND kind IN ('visit', 'note', 'photo') AND removed = 0 ORDER BY rowid",
        [request_id]).fetchall()
    return [FieldItem(r[0], r[1], json.loads(r[3]).get("at") or r[2], json.loads(r[3]))
            for r in rows]


def case_version(db: sqlite_utils.Database, request_id: str) -> int | None:
    """The version the field devices' edits name (not requests.version)."""
    row = db.execute("SELECT case_version FROM requests WHERE id = ?",
                     [request_id]).fetchone()
    return int(row[0]) if row else None
