"""A case's named fields (sync/merge.py CASE_FIELDS) and what is on it for the field
devices (notes, visits, photos, conflicts; events are mirrored by a trigger). Every write
here feeds the change feed through migration 0018's triggers, in the caller's
transaction: an office edit and a device's push are fed alike."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from server.db.clock import now_iso
from sync.merge import FieldState

OFFICE = "office"  # the writer of back-office edits (a device's is its client id)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version(db: sqlite_utils.Database, case_id: str) -> int | None:
    row = db.execute("SELECT case_version FROM requests WHERE id = ?", [case_id]).fetchone()
    return int(row[0]) if row else None


def states(db: sqlite_utils.Database, case_id: str) -> dict[str, FieldState]:
    """The case's fields with the version each last changed at and by whom; the
    read-only reference, service and status come from the request."""
    found = {name: FieldState(None if value is None else json.loads(value), changed_at, by)
             for name, value, changed_at, by in db.execute(
                 "SELECT name, value, version, changed_by FROM case_fields WHERE case_id = ?",
                 [case_id])}
    row = db.execute("SELECT reference, service, status FROM requests WHERE id = ?",
                     [case_id]).fetchone()
    if row is not None:
        for name, value in zip(("reference", "service", "status"), row, strict=True):
            found[name] = FieldState(value, 0, OFFICE)
        changed = db.execute("SELECT version, changed_by FROM case_status_history"
                             " WHERE case_id = ? ORDER BY version DESC LIMIT 1",
                             [case_id]).fetchone()
        if changed is not None:
            found["status"] = FieldState(row[2], int(changed[0]), changed[1])
    return found


def status_changed(db: sqlite_utils.Database, case_id: str, before: str | None,
                   writer: str) -> None:
    """The request's status has just changed (its case version moved on with it, by
    migration 0018's trigger): kept for the merge, as set_fields keeps a field's."""
    db.execute("INSERT OR REPLACE INTO case_status_history (case_id, version, before,"
               " changed_by) SELECT id, case_version, ?, ? FROM requests WHERE id = ?",
               [before, writer, case_id])


def set_fields(db: sqlite_utils.Database, case_id: str, values: Mapping[str, Any],
               writer: str) -> int:
    """Writes the fields as one change of the case (its version moves on once; each
    field's value before is kept for the merge); the case's new version."""
    current = version(db, case_id)
    assert current is not None, case_id
    new = current + 1
    for name, value in sorted(values.items()):
        before = db.execute("SELECT value FROM case_fields WHERE case_id = ? AND name = ?",
                            [case_id, name]).fetchone()
        db.execute("INSERT OR REPLACE INTO case_field_history (case_id, version, name, before)"
                   " VALUES (?, ?, ?, ?)", [case_id, new, name, before[0] if before else None])
        db.execute("INSERT OR REPLACE INTO case_fields (case_id, name, value, version, changed_by)"
                   " VALUES (?, ?, ?, ?, ?)", [case_id, name, _json(value), new, writer])
    db.execute("UPDATE requests SET case_version = ? WHERE id = ?", [new, case_id])
    return new


def field_base(db: sqlite_utils.Database, case_id: str, name: str, at_version: int) -> Any:
    """The field's value at `at_version`: the value before its first change after it,
    or its value now when it has not changed since."""
    if name == "status":
        row = db.execute("SELECT before FROM case_status_history WHERE case_id = ?"
                         " AND version > ? ORDER BY version LIMIT 1",
                         [case_id, at_version]).fetchone()
        if row is None:
            row = db.execute("SELECT status FROM requests WHERE id = ?", [case_id]).fetchone()
        return None if row is None else row[0]
    row = db.execute("SELECT before FROM case_field_history WHERE case_id = ? AND name = ?"
                     " AND version > ? ORDER BY version LIMIT 1",
                     [case_id, name, at_version]).fetchone()
    if row is None:
        row = db.execute("SELECT value FROM case_fields WHERE case_id = ? AND name = ?",
                         [case_id, name]).fetchone()
    return None if row is None or row[0] is None else json.loads(row[0])


def replace_fields(db: sqlite_utils.Database, case_id: str, values: Mapping[str, Any],
                   at_version: int) -> None:
    """A case's fields as they are, at a version (setting up a case, e.g. an import):
    no history, one case change in the feed."""
    db.execute("DELETE FROM case_fields WHERE case_id = ?", [case_id])
    for name, value in values.items():
        if name in ("reference", "service", "status"):
            continue
        db.execute("INSERT INTO case_fields (case_id, name, value, version, changed_by)"
                   " VALUES (?, ?, ?, ?, ?)", [case_id, name, _json(value), at_version, OFFICE])
    db.execute("UPDATE requests SET case_version = ? WHERE id = ?", [at_version, case_id])


def add_item(db: sqlite_utils.Database, kind: str, item_id: str, case_id: str,
             data: Mapping[str, Any]) -> None:
    db.execute("INSERT INTO case_items (id, kind, case_id, version, data, created_at)"
               " VALUES (?, ?, ?, 1, ?, ?)", [item_id, kind, case_id, _json(data), now_iso()])


def item(db: sqlite_utils.Database, item_id: str) -> tuple[str, str, int, dict[str, Any]] | None:
    """(kind, case id, version, data) of an item still on its case."""
    row = db.execute("SELECT kind, case_id, version, data FROM case_items"
                     " WHERE id = ? AND removed = 0", [item_id]).fetchone()
    return (row[0], row[1], int(row[2]), json.loads(row[3])) if row else None


def update_item(db: sqlite_utils.Database, item_id: str, data: Mapping[str, Any]) -> None:
    db.execute("UPDATE case_items SET data = ?, version = version + 1 WHERE id = ?",
               [_json(data), item_id])


def remove_item(db: sqlite_utils.Database, item_id: str) -> bool:
    """Withdraws an item (a photo taken down): the devices get a `remove`."""
    cursor = db.execute("UPDATE case_items SET removed = 1, version = version + 1"
                        " WHERE id = ? AND removed = 0", [item_id])
    return cursor.rowcount == 1


def photo_parent(db: sqlite_utils.Database, case_id: str, attachment_id: str
                 ) -> tuple[str, str] | None:
    """(kind, id) of the visit or note on this case that lists this photo slot."""
    row = db.execute(
        "SELECT kind, id FROM case_items WHERE case_id = ? AND kind IN ('note', 'visit')"
        " AND removed = 0 AND EXISTS (SELECT 1 FROM json_each(data, '$.photos')"
        " WHERE value = ?) LIMIT 1", [case_id, attachment_id]).fetchone()
    return (row[0], row[1]) if row else None
