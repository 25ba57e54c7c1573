"""Field devices and the person whose scope they hold (sync/PROTOCOL.md, protocol 2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from server.db import audit

# Who may set up and use a field device (a field worker, the officers who visit, admin).
FIELD_ROLES = ("field_worker", "environmental_health_officer", "social_work_officer", "admin")


@dataclass(frozen=True)
class Holder:
    person_id: str
    name: str
    role: str


def holder(db: sqlite_utils.Database, client_id: str) -> Holder | None:
    """The active member of staff who set up this field device, if they still hold a
    role that does field work."""
    row = db.execute(
        "SELECT s.id, s.name, s.role FROM sync_clients c JOIN staff s"
        " ON c.registered_by = 'staff:' || s.id WHERE c.id = ? AND c.kind = 'field'"
        " AND s.disabled_at IS NULL", [client_id]).fetchone()
    if row is None or row[2] not in FIELD_ROLES:
        return None
    return Holder(row[0], row[1], row[2])


def audit_pull(db: sqlite_utils.Database, person_id: str, client_id: str,
               case_ids: Sequence[str]) -> None:
    """A pull sent social work records: who, on which device, which records."""
    audit.record(db, f"staff:{person_id}", "field_pull_special_category",
                 f"sync_client:{client_id}", {"cases": list(case_ids)})
