"""The audit log as CSV, for an admin to take away."""

from __future__ import annotations

import csv
import io

import sqlite_utils

from server.db.audit import NAMED

# The ids stay (they are what other records join on); the names are for people reading it.
COLUMNS = ("id", "at", "actor", "action", "subject", "detail", "actor_name", "subject_name")


def as_csv(db: sqlite_utils.Database) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in db.execute(NAMED + " ORDER BY a.id"):
        # A leading =, +, - or @ would be run as a formula by spreadsheets.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v
                         for v in row])
    return out.getvalue()
