"""Append-only audit log of staff actions and of every read of special category data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]
    # Who and what, as people read them: a member of staff's name, a request's reference.
    actor_name: str | None = None
    subject_name: str | None = None


def record(db: sqlite_utils.Database, actor: str, action: str, subject: str,
           detail: dict[str, Any] | None = None) -> None:
    db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        [now_iso(), actor, action, subject, json.dumps(detail or {}, sort_keys=True)],
    )


def entries(db: sqlite_utils.Database, limit: int = 100) -> list[AuditEntry]:
    rows = db.execute(
        "SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]


# A member of staff by name, a request by reference: looked up by primary key (the
# prefix is stripped in the join), so a long log costs one index probe a row.
NAMED = (
    "SELECT a.id, a.at, a.actor, a.action, a.subject, a.detail, sa.name,"
    " COALESCE(ss.name, r.reference)"
    " FROM audit_log a"
    " LEFT JOIN staff sa ON a.actor LIKE 'staff:%' AND sa.id = substr(a.actor, 7)"
    " LEFT JOIN staff ss ON a.subject LIKE 'staff:%' AND ss.id = substr(a.subject, 7)"
    " LEFT JOIN requests r ON a.subject LIKE 'request:%' AND r.id = substr(a.subject, 9)")


def named_entries(db: sqlite_utils.Database, limit: int = 100) -> list[AuditEntry]:
    rows = db.execute(NAMED + " ORDER BY a.id DESC LIMIT ?", [limit]).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7])
            for r in rows]
