"""Replies an officer starts from, per service and status, with a body per language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    service: str | None  # None: every service
    status: str
    titles: dict[str, str]  # by language code
    bodies: dict[str, str]


def _row(r: tuple[Any, ...]) -> ReplyTemplate:
    return ReplyTemplate(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]))


def for_service(db: sqlite_utils.Database, service: str) -> list[ReplyTemplate]:
    """Every template an officer of `service` may use, in the seed file's order."""
    rows = db.execute("SELECT id, service, status, titles, bodies FROM reply_templates"
                      " WHERE service IS NULL OR service = ? ORDER BY position, id",
                      [service]).fetchall()
    return [_row(r) for r in rows]


def by_id(db: sqlite_utils.Database, template_id: str) -> ReplyTemplate | None:
    row = db.execute("SELECT id, service, status, titles, bodies FROM reply_templates"
                     " WHERE id = ?", [template_id]).fetchone()
    return _row(row) if row else None


def upsert(db: sqlite_utils.Database, templates: Iterable[dict[str, Any]]) -> None:
    """Seed rows (server/casework/reply_templates.json), in order: the same id again
    replaces its words."""
    for position, t in enumerate(templates):
        db.execute("INSERT INTO reply_templates (id, service, status, position, titles, bodies)"
                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                   " service = excluded.service, status = excluded.status,"
                   " position = excluded.position, titles = excluded.titles,"
                   " bodies = excluded.bodies",
                   [t["id"], t.get("service"), t["status"], position,
                    json.dumps(t["titles"], ensure_ascii=False),
                    json.dumps(t["bodies"], ensure_ascii=False)])


def count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM reply_templates").fetchone()[0])


def everything(db: sqlite_utils.Database) -> list[ReplyTemplate]:
    rows = db.execute("SELECT id, service, status, titles, bodies FROM reply_templates"
                      " ORDER BY position, id").fetchall()
    return [_row(r) for r in rows]


def save_words(db: sqlite_utils.Database, template_id: str, titles: dict[str, str],
               bodies: dict[str, str]) -> bool:
    """An admin's edit of a template's words (its service and status stay)."""
    return db.execute("UPDATE reply_templates SET titles = ?, bodies = ? WHERE id = ?",
                      [json.dumps(titles, ensure_ascii=False),
                       json.dumps(bodies, ensure_ascii=False), template_id]).rowcount == 1
