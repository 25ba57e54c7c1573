"""Installed apps that sync: registration, lookup for their tokens, revocation."""

from __future__ import annotations

import uuid
from collections.abc import Collection
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
             registered_by: str | None, replaces: str | None = None,
             hub_id: str | None = None) -> SyncClient:
    """`replaces`: the client this app had before, proven by its token (checked by the
    caller); only one of the same kind counts. `hub_id`: a kiosk's library hub."""
    client_id = str(uuid.uuid4())
    now = now_iso()
    if replaces is not None:
        row = db.execute("SELECT kind FROM sync_clients WHERE id = ?", [replaces]).fetchone()
        replaces = replaces if row is not None and row[0] == kind else None
    db.execute(
        "INSERT INTO sync_clients (id, kind, registered_by, created_at, app_version,"
        " last_seen, replaces, hub_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [client_id, kind, registered_by, now, app_version, now, replaces, hub_id])
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


@dataclass(frozen=True)
class Device:
    """A shared device as an admin sees it: who set it up, when, when it last synced."""
    id: str
    kind: str
    registered_by: str | None  # the actor, "staff:<id>"
    registered_by_name: str | None
    created_at: str
    last_seen: str
    app_version: str
    revoked_at: str | None
    # Whose it is (issue 14): a field device pulls the cases of the person who set it up.
    owner_role: str | None = None


STAFF_BOUND = ("kiosk", "field")


def staff_bound(db: sqlite_utils.Database, limit: int = 500) -> list[Device]:
    """Kiosks and field devices (and any client a member of staff set up), newest first;
    residents' own phones are not listed (they hold no one else's data)."""
    rows = db.execute(
        "SELECT c.id, c.kind, c.registered_by, s.name, c.created_at, c.last_seen,"
        " c.app_version, c.revoked_at, s.role FROM sync_clients c LEFT JOIN staff s"
        " ON c.registered_by = 'staff:' || s.id"
        f" WHERE c.kind IN ({', '.join('?' * len(STAFF_BOUND))})"
        " OR c.registered_by IS NOT NULL"
        " ORDER BY c.revoked_at IS NOT NULL, c.created_at DESC LIMIT ?",
        [*STAFF_BOUND, limit]).fetchall()
    return [Device(*row) for row in rows]


def field_devices(db: sqlite_utils.Database, owner_roles: Collection[str] | None,
                  limit: int = 500) -> list[Device]:
    """Field devices whose person holds one of `owner_roles` (a manager's service's
    people); every field device when None (admins). Live ones first, newest first."""
    where, params = "c.kind = 'field'", []
    if owner_roles is not None:
        if not owner_roles:
            return []
        where += f" AND s.role IN ({', '.join('?' * len(owner_roles))})"
        params = list(owner_roles)
    rows = db.execute(
        "SELECT c.id, c.kind, c.registered_by, s.name, c.created_at, c.last_seen,"
        " c.app_version, c.revoked_at, s.role FROM sync_clients c JOIN staff s"
        f" ON c.registered_by = 'staff:' || s.id WHERE {where}"
        " ORDER BY c.revoked_at IS NOT NULL, c.created_at DESC LIMIT ?",
        [*params, limit]).fetchall()
    return [Device(*row) for row in rows]


def field_device_owner_role(db: sqlite_utils.Database, client_id: str) -> str | None:
    """The role of the person a field device belongs to; None when it is not a field
    device of a member of staff."""
    row = db.execute(
        "SELECT s.role FROM sync_clients c JOIN staff s ON c.registered_by = 'staff:' || s.id"
        " WHERE c.id = ? AND c.kind = 'field'", [client_id]).fetchone()
    return row[0] if row else None


def revoke_device(db: sqlite_utils.Database, client_id: str, actor: str) -> bool | None:
    """An admin revokes a shared device: its tokens stop working (401 revoked_token),
    audited. None when there is no such device (a resident's own phone is not one);
    False when it was revoked already."""
    row = db.execute("SELECT kind, registered_by FROM sync_clients WHERE id = ?",
                     [client_id]).fetchone()
    if row is None or (row[0] not in STAFF_BOUND and row[1] is None):
        return None
    if not revoke(db, client_id):
        return False
    audit.record(db, actor, "sync_client_revoked", f"sync_client:{client_id}",
                 {"kind": row[0]})
    return True


def lineage(db: sqlite_utils.Database, client_id: str, most: int = 20) -> tuple[str, ...]:
    """The client and those it replaced, newest first: one app's clients over time."""
    found = [client_id]
    while len(found) < most:
        row = db.execute("SELECT replaces FROM sync_clients WHERE id = ?",
                         [found[-1]]).fetchone()
        if row is None or row[0] is None or row[0] in found:
            break
        found.append(row[0])
    return tuple(found)


def last_mutation_id(db: sqlite_utils.Database, client_id: str) -> int:
    row = db.execute("SELECT last_mutation_id FROM sync_clients WHERE id = ?",
                     [client_id]).fetchone()
    return int(row[0]) if row else 0


def seen(db: sqlite_utils.Database, client_id: str, app_version: str, last: int) -> None:
    """Record the client's progress and version. Called inside the push transaction,
    whose BEGIN IMMEDIATE is what locks the client (SQLite locks the whole file)."""
    db.execute("UPDATE sync_clients SET last_mutation_id = ?, app_version = ?, last_seen = ?"
               " WHERE id = ?", [last, app_version, now_iso(), client_id])
