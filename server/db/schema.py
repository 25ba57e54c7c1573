"""Schema migrations: numbered .sql files in migrations/, applied in order. Append only: a
published migration never changes (a test pins their checksums).

Each migration runs in its own transaction together with the row recording it, so a
crash mid-migration leaves the database at the previous number.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlite_utils

from server.db.store import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements in order. executescript() would COMMIT our
        transaction, so they run one by one; a trigger's inner `;` stays inside it."""
        found, current = [], ""
        for line in self.sql.splitlines(keepends=True):
            current += line
            if sqlite3.complete_statement(current):
                if current.strip():
                    found.append(current.strip())
                current = ""
        if current.strip() and not all(
                part.strip().startswith("--") for part in current.strip().splitlines()):
            raise ValueError(f"migration {self.number}: unterminated statement")
        return found


@cache
def migrations(directory: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: migrations are named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2),
                               path.read_text(encoding="utf-8")))
    numbers = [m.number for m in found]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"two migrations share a number: {numbers}")
    return tuple(found)


def latest() -> int:
    return migrations()[-1].number


def _ensure_table(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
    )


def applied(db: sqlite_utils.Database) -> list[int]:
    if not db["schema_migrations"].exists():
        return []
    return [row[0] for row in db.execute("SELECT number FROM schema_migrations ORDER BY number")]


def _apply_one(db: sqlite_utils.Database, migration: Migration) -> bool:
    _ensure_table(db)
    if migration.number in applied(db):
        return False
    for statement in migration.statements():
        db.execute(statement)
    db.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)",
               [migration.number, migration.name])
    return True


def migrate(store: Store) -> list[int]:
    """Apply every migration not yet applied; return the numbers applied now."""
    return [m.number for m in migrations() if store.write_sync(_apply_one, m)]


def is_current(db: sqlite_utils.Database) -> bool:
    return applied(db) == [m.number for m in migrations()]
