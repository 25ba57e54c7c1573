"""Things an officer has to do about a request, such as phoning a resident no message
could reach. Raised by the notification sender (server/db/notify_outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db import audit
from server.db.clock import now_iso


@dataclass(frozen=True)
class Task:
    id: int
    request_id: str
    kind: str
    detail: str | None
    created_at: str


def open_tasks(db: sqlite_utils.Database, request_id: str) -> list[Task]:
    rows = db.execute("SELECT id, request_id, kind, detail, created_at FROM request_tasks"
                      " WHERE request_id = ? AND done_at IS NULL ORDER BY id",
                      [request_id]).fetchall()
    return [Task(*row) for row in rows]


def finish(db: sqlite_utils.Database, request_id: str, task_id: int, actor: str) -> bool:
    done = db.execute("UPDATE request_tasks SET done_at = ?, done_by = ? WHERE id = ?"
                      " AND request_id = ? AND done_at IS NULL",
                      [now_iso(), actor, task_id, request_id]).rowcount
    if done:
        audit.record(db, actor, "task_done", f"request:{request_id}", {"task": task_id})
    return bool(done)
