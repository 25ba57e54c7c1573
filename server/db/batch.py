"""Many rows in one INSERT statement.

The single writer runs beside the event loop in one process. Python's sqlite3 lets go
of the GIL for every statement step, and getting it back can wait for the event loop's
switch interval, so a write made of many small steps spends most of its time waiting
(a push of 50 measured ~1 ms per step). One multi-row INSERT is one step, and a
constraint it breaks undoes the whole statement, as with separate INSERTs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils


def insert_rows(db: sqlite_utils.Database, into: str, rows: Sequence[Sequence[Any]]) -> None:
    """`into`: "INSERT INTO t (a, b)"; every row has one value per column."""
    if not rows:
        return
    one = f"({', '.join('?' * len(rows[0]))})"
    db.conn.execute(f"{into} VALUES {', '.join([one] * len(rows))}",
                    [value for row in rows for value in row])
