"""The audit log as CSV, for an admin to take away."""

from __future__ import annotations

import csv
import io

import sqlite_utils

COLUMNS = ("id", "at", "actor", "action", "subject", "detail")


def as_csv(db: sqlite_utils.Database) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY id"):
        # A leading =, +, - or @ would be run as a formula by spreadsheets.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v
                         for v in row])
    return out.getvalue()
