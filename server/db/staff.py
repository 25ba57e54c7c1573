"""Staff records and one-time enrolment invites."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

import sqlite_utils

from server.db import audit
from server.db.clock import iso_in, now_iso


@dataclass(frozen=True)
class Staff:
    id: str
    email: str
    name: str
    role: str
    hub_id: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def upsert_staff(db: sqlite_utils.Database, email: str, name: str, role: str,
                 hub_id: str | None = None) -> Staff:
    row = db.execute("SELECT id FROM staff WHERE email = ?", [email]).fetchone()
    staff_id = row[0] if row else str(uuid.uuid4())
    if row:
        db.execute("UPDATE staff SET name = ?, role = ?, hub_id = ? WHERE id = ?",
                   [name, role, hub_id, staff_id])
    else:
        db.execute(
            "INSERT INTO staff (id, email, name, role, hub_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [staff_id, email, name, role, hub_id, now_iso()],
        )
    return Staff(staff_id, email, name, role, hub_id)


def create_invite(db: sqlite_utils.Database, email: str, role: str, name: str,
                  actor: str, valid_for: timedelta = timedelta(days=3)) -> str:
    """Make (or update) the staff record and a one-time enrolment token for it; every
    earlier unused invite of theirs ends in the same transaction, so a link that leaked
    before a recovery ("revoke passkeys and re-invite") cannot enrol anyone after it.

    Only the token's hash is stored, so a copy of the database cannot enrol anyone.
    """
    staff = upsert_staff(db, email, name, role)
    token = secrets.token_urlsafe(32)
    now, expires = now_iso(), iso_in(valid_for)
    ended = db.execute(
        "UPDATE staff_invites SET expires_at = ? WHERE staff_id = ? AND used_at IS NULL"
        " AND expires_at > ?", [now, staff.id, now]).rowcount
    if ended:
        audit.record(db, actor, "invites_revoked", f"staff:{staff.id}", {"count": ended})
    db.execute(
        "INSERT INTO staff_invites (token_hash, staff_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?)",
        [token_hash(token), staff.id, now, expires],
    )
    audit.record(db, actor, "invite_staff", f"staff:{staff.id}",
                 {"role": role, "expires_at": expires})
    return token


def by_id(db: sqlite_utils.Database, staff_id: str) -> Staff | None:
    row = db.execute("SELECT id, email, name, role, hub_id FROM staff WHERE id = ?",
                     [staff_id]).fetchone()
    return Staff(*row) if row else None


def by_ids(db: sqlite_utils.Database, staff_ids: Collection[str]) -> dict[str, Staff]:
    """These staff, by id (those who left too: a timeline still names them)."""
    ids = sorted(set(staff_ids))[:500]  # a timeline names a handful; stays under SQLite's limit
    if not ids:
        return {}
    rows = db.execute("SELECT id, email, name, role, hub_id FROM staff"
                      f" WHERE id IN ({', '.join('?' * len(ids))})", ids).fetchall()
    return {r[0]: Staff(*r) for r in rows}


def by_email(db: sqlite_utils.Database, email: str) -> Staff | None:
    row = db.execute("SELECT id, email, name, role, hub_id FROM staff WHERE lower(email) = ?",
                     [email.lower()]).fetchone()
    return Staff(*row) if row else None


def everyone(db: sqlite_utils.Database) -> list[Staff]:
    rows = db.execute("SELECT id, email, name, role, hub_id FROM staff"
                      " WHERE disabled_at IS NULL ORDER BY name").fetchall()
    return [Staff(*r) for r in rows]


def invited(db: sqlite_utils.Database, token: str) -> Staff | None:
    """The person an unused, unexpired invite is for."""
    row = db.execute(
        "SELECT staff_id FROM staff_invites WHERE token_hash = ? AND used_at IS NULL"
        " AND expires_at > ?", [token_hash(token), now_iso()]).fetchone()
    return by_id(db, row[0]) if row else None


def use_invite(db: sqlite_utils.Database, hashed: str, staff_id: str) -> bool:
    changed = db.execute(
        "UPDATE staff_invites SET used_at = ? WHERE token_hash = ? AND staff_id = ?"
        " AND used_at IS NULL AND expires_at > ?",
        [now_iso(), hashed, staff_id, now_iso()]).rowcount
    if changed:  # a leaver comes back only this way: by a fresh invite (staff_changes.py)
        db.execute("UPDATE staff SET disabled_at = NULL WHERE id = ?", [staff_id])
    return bool(changed)
