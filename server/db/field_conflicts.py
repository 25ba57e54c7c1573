"""Conflicts of field work (sync/PROTOCOL.md "Conflicts"): items on their case holding
both values and the base, open until a person chooses a value in the back office. The
choice changes the case as any office edit, and the conflict is fed again as resolved,
in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db import audit, case_fields


@dataclass(frozen=True)
class Conflict:
    id: str
    case_id: str
    reference: str
    field: str
    base: Any
    server: Any  # the case's value when the device's change arrived
    client: Any  # the device's value
    base_version: int
    by: str  # the worker's name
    client_id: str
    late: bool
    status: str  # open or resolved
    resolution: Any
    at: str


def _conflict(row: tuple[Any, ...]) -> Conflict:
    item_id, case_id, reference, data, at = row
    d = json.loads(data)
    return Conflict(item_id, case_id, reference, d["field"], d["base"], d["server"],
                    d["client"], d["base_version"], d["by"], d["client_id"], d["late"],
                    d["status"], d["resolution"], at)


_SELECT = ("SELECT i.id, i.case_id, r.reference, i.data, i.created_at FROM case_items i"
           " JOIN requests r ON r.id = i.case_id WHERE i.kind = 'conflict' AND i.removed = 0")


def open_conflicts(db: sqlite_utils.Database, case_id: str | None = None,
                   services: tuple[str, ...] | None = None) -> list[Conflict]:
    """Open conflicts, oldest first: of one case, or of these services (None: all)."""
    sql, args = f"{_SELECT} AND json_extract(i.data, '$.status') = 'open'", []
    if case_id is not None:
        sql, args = f"{sql} AND i.case_id = ?", [case_id]
    if services is not None:
        sql += f" AND r.service IN ({','.join('?' * len(services))})"
        args += list(services)
    return [_conflict(r) for r in db.execute(f"{sql} ORDER BY i.rowid", args)]


def by_id(db: sqlite_utils.Database, conflict_id: str) -> Conflict | None:
    row = db.execute(f"{_SELECT} AND i.id = ?", [conflict_id]).fetchone()
    return _conflict(row) if row else None


def resolve(db: sqlite_utils.Database, conflict_id: str, value: Any,
            staff_id: str | None) -> Conflict | None:
    """A person chose `value` for the conflict's field: the case changes as an office
    edit, the conflict becomes resolved
    (fed again, version 2), audited. None when there is no such open conflict. A status
    is not set here: the caller changes it as the back office does (a timeline event,
    the resident told), server/casework/field_conflicts.resolve."""
    found = by_id(db, conflict_id)
    if found is None or found.status != "open":
        return None
    if found.field != "status":
        case_fields.set_fields(db, found.case_id, {found.field: value}, case_fields.OFFICE)
    kept = case_fields.item(db, conflict_id)
    assert kept is not None
    case_fields.update_item(db, conflict_id, {**kept[3], "status": "resolved",
                                              "resolution": value})
    if staff_id is not None:
        audit.record(db, f"staff:{staff_id}", "field_conflict_resolved",
                     f"request:{found.case_id}", {"conflict": conflict_id,
                                                  "field": found.field})
    return by_id(db, conflict_id)
