"""Feedback on the service (migration 0008): a satisfaction rating and an optional
comment, no personal data."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db.clock import now_iso

RATINGS = ("very-satisfied", "satisfied", "neutral", "dissatisfied", "very-dissatisfied")


@dataclass(frozen=True)
class Comment:
    satisfaction: str
    comment: str
    page: str | None
    locale: str
    created_at: str


@dataclass(frozen=True)
class Results:
    counts: dict[str, int]  # every rating, in RATINGS order, 0 when none
    total: int
    comments: list[Comment]


def add(db: sqlite_utils.Database, satisfaction: str, comment: str | None, page: str | None,
        locale: str) -> None:
    db.execute("INSERT INTO feedback (satisfaction, comment, page, locale, created_at)"
               " VALUES (?, ?, ?, ?, ?)", [satisfaction, comment, page, locale, now_iso()])


def results(db: sqlite_utils.Database, limit: int = 200) -> Results:
    found = dict(db.execute("SELECT satisfaction, COUNT(*) FROM feedback"
                            " GROUP BY satisfaction").fetchall())
    counts = {rating: int(found.get(rating, 0)) for rating in RATINGS}
    rows = db.execute("SELECT satisfaction, comment, page, locale, created_at FROM feedback"
                      " WHERE comment IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT ?",
                      [limit]).fetchall()
    return Results(counts, sum(counts.values()), [Comment(*row) for row in rows])
