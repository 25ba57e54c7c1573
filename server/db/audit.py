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
