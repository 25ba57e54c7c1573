"""Pruning the change feed (`tolbooth compact-feed --keep-days N`): positions older than
the cutoff go, and the oldest a cursor may name moves on; a device whose cursor is older
gets an `expired` reset and a restore of its cases (sync/PROTOCOL.md)."""

from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from server.db.clock import iso_in


def compact_through(db: sqlite_utils.Database, through: int) -> int:
    """Deletes the feed up to `through` (never past the head, whose row is kept so the
    head stays known); the new oldest position."""
    head = int(db.execute("SELECT coalesce(max(position), 0) FROM feed_positions")
               .fetchone()[0])
    through = max(0, min(through, head))
    db.execute("DELETE FROM feed WHERE position <= ?", [through])
    db.execute("DELETE FROM feed_positions WHERE position < ?", [through])
    db.execute("UPDATE feed_meta SET oldest = max(oldest, ?) WHERE id = 1", [through])
    return int(db.execute("SELECT oldest FROM feed_meta WHERE id = 1").fetchone()[0])


def compact_older_than(db: sqlite_utils.Database, keep_days: int) -> tuple[int, int]:
    """Deletes the positions written more than `keep_days` ago: (oldest now, rows gone)."""
    cutoff = iso_in(timedelta(days=-keep_days))
    row = db.execute("SELECT max(position) FROM feed_positions WHERE at < ?",
                     [cutoff]).fetchone()
    before = int(db.execute("SELECT count(*) FROM feed").fetchone()[0])
    oldest = compact_through(db, int(row[0] or 0)) if row[0] else \
        int(db.execute("SELECT oldest FROM feed_meta WHERE id = 1").fetchone()[0])
    after = int(db.execute("SELECT count(*) FROM feed").fetchone()[0])
    return oldest, before - after
