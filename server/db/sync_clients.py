"""Installed apps that sync: registration, lookup for their tokens, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlite_utils

from server.db import audit
from server.db.clock import now_iso


@dataclass(frozen=True)
class SyncClient:
    id: str
    kind: str
    token_version: int
    last_mutation_id: int
    revoked: bool


def register(db: sqlite_utils.Database, kind: str, app_version: str,
             registered_by: str | None) -> SyncClient:
    client_id = str(uuid.uuid4())
    now = now_iso()
    db.execute(
        "INSERT INTO sync_clients (id, kind, registered_by, created_at, app_version, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?)", [client_id, kind, registered_by, now, app_version, now])
    if registered_by is not None:  # a staff action: setting up a shared device
        audit.record(db, registered_by, "sync_client_registered", f"sync_client:{client_id}",
                     {"kind": kind})
    return SyncClient(client_id, kind, 1, 0, False)


def by_id(db: sqlite_utils.Database, client_id: str) -> SyncClient | None:
    row = db.execute(
        "SELECT id, kind, token_version, last_mutation_id, revoked_at IS NOT NULL"
        " FROM sync_clients WHERE id = ?", [client_id]).fetchone()
    return SyncClient(row[0], row[1], row[2], row[3], bool(row[4])) if row else None


def revoke(db: sqlite_utils.Database, client_id: str) -> bool:
    cursor = db.execute(
        "UPDATE sync_clients SET revoked_at = ?, token_version = token_version + 1"
        " WHERE id = ? AND revoked_at IS NULL", [now_iso(), client_id])
    return cursor.rowcount == 1


def last_mutation_id(db: sqlite_utils.Database, client_id: str) -> int:
    row = db.execute("SELECT last_mutation_id FROM sync_clients WHERE id = ?",
                     [client_id]).fetchone()
    return int(row[0]) if row else 0


def seen(db: sqlite_utils.Database, client_id: str, app_version: str, last: int) -> None:
    """Record the client's progress and version. Called inside the push transaction,
    whose BEGIN IMMEDIATE is what locks the client (SQLite locks the whole file)."""
    db.execute("UPDATE sync_clients SET last_mutation_id = ?, app_version = ?, last_seen = ?"
               " WHERE id = ?", [last, app_version, now_iso(), client_id])
