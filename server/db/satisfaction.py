"""Answers to the one-question survey sent when a request is closed: a score from 1 to 5
and an optional comment, kept with the request's service so the dashboard can count them
per service and week."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str | None
    answered_at: str


def answer_for(db: sqlite_utils.Database, request_id: str) -> Answer | None:
    row = db.execute("SELECT score, comment, answered_at FROM satisfaction"
                     " WHERE request_id = ?", [request_id]).fetchone()
    return Answer(*row) if row else None


def record_answer(db: sqlite_utils.Database, request_id: str, service: str, score: int,
                  comment: str | None) -> None:
    """One answer per request: answering again replaces it (a person may change their
    mind; counting both would count them twice)."""
    db.execute("INSERT INTO satisfaction (request_id, service, score, comment, answered_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET"
               " score = excluded.score, comment = excluded.comment,"
               " answered_at = excluded.answered_at",
               [request_id, service, score, comment, now_iso()])


def weekly_counts(db: sqlite_utils.Database) -> list[tuple[str, str, int, int]]:
    """(service, ISO week 'YYYY-Www', score, answers) for the dashboard."""
    rows = db.execute(
        # The ISO week is the week of its Thursday (and so is its year).
        "SELECT service, strftime('%Y', date(answered_at, '-3 days', 'weekday 4')) || '-W' ||"
        " printf('%02d', (strftime('%j', date(answered_at, '-3 days',"
        " 'weekday 4')) - 1) / 7 + 1), score, COUNT(*) FROM satisfaction"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]
