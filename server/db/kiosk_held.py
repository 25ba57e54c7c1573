"""What kiosks sent that hub staff must see (kiosk_held_items, issue 13): sealed items
that did not open, and submissions that need attention, until a member of the hub's staff
corrects one and sends it as the person."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db import audit
from server.db import requests as requests_db
from server.db.clock import now_iso
from server.db.kiosk_sealed import add_alias


@dataclass(frozen=True)
class HeldItem:
    id: int
    entity_id: str
    client_id: str
    kiosk: str  # the kiosk's label, or its client id
    hub_id: str | None
    kind: str  # unopened or needs_attention
    reason: str
    form_version: int
    payload: dict[str, Any] | None
    errors: list[dict[str, str]]
    receipt: str | None
    at: str
    resolved_at: str | None
    request_id: str | None


_SELECT = ("SELECT h.id, h.entity_id, h.client_id, coalesce(c.label, h.client_id), c.hub_id,"
           " h.kind, h.reason, h.form_version, h.payload, h.errors, h.receipt, h.at,"
           " h.resolved_at, h.request_id FROM kiosk_held_items h"
           " JOIN sync_clients c ON c.id = h.client_id")


def _item(row: tuple[Any, ...]) -> HeldItem:
    return HeldItem(*row[:8], json.loads(row[8]) if row[8] else None,  # type: ignore[misc]
                    json.loads(row[9]) if row[9] else [], *row[10:])


def open_items(db: sqlite_utils.Database, hub_id: str | None) -> list[HeldItem]:
    """Unresolved, oldest first: one hub's (None: every hub's, for admins)."""
    where, args = " WHERE h.resolved_at IS NULL", []
    if hub_id is not None:
        where, args = where + " AND c.hub_id = ?", [hub_id]
    return [_item(r) for r in db.execute(f"{_SELECT}{where} ORDER BY h.at, h.id", args)]


def held_item(db: sqlite_utils.Database, item_id: int, hub_id: str | None
              ) -> HeldItem | None:
    row = db.execute(f"{_SELECT} WHERE h.id = ?", [item_id]).fetchone()
    if row is None:
        return None
    item = _item(row)
    return item if hub_id is None or item.hub_id == hub_id else None


def record_read(db: sqlite_utils.Database, staff_id: str, item: HeldItem) -> None:
    """Hub staff read a person's answers: the audit log says who and when."""
    audit.record(db, staff_id, "kiosk_held_viewed", f"kiosk_held:{item.id}",
                 {"kind": item.kind, "kiosk": item.client_id})


def send_corrected(db: sqlite_utils.Database, item_id: int, staff_id: str,
                   new: requests_db.NewRequest, make_reference: Callable[[], str],
                   on_created: Callable[..., None]) -> str | None:
    """The corrected request made as the person's, in one transaction with its
    notifications, its receipt alias, the item marked resolved and the audit entry.
    None when the item was resolved meanwhile (two members of staff at once)."""
    done = db.execute("UPDATE kiosk_held_items SET resolved_at = ?, resolved_by = ?"
                      " WHERE id = ? AND resolved_at IS NULL", [now_iso(), staff_id, item_id])
    if done.rowcount != 1:
        return None
    created = requests_db.create_request(db, new, make_reference)
    if not created.duplicate:
        on_created(db, [(new, created.request.reference)])
    db.execute("UPDATE kiosk_held_items SET request_id = ? WHERE id = ?",
               [created.request.id, item_id])
    receipt = db.execute("SELECT receipt FROM kiosk_held_items WHERE id = ?",
                         [item_id]).fetchone()[0]
    if receipt:
        add_alias(db, receipt, created.request.id)
    audit.record(db, staff_id, "kiosk_held_sent", f"request:{created.request.id}",
                 {"held": item_id, "reference": created.request.reference})
    return created.request.reference
