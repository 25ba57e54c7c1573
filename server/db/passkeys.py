"""Passkeys (WebAuthn credentials) and the one-time challenges of their ceremonies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import sqlite_utils

from server.db import audit
from server.db.clock import iso_in, now_iso

CHALLENGE_LIFETIME = timedelta(minutes=5)


@dataclass(frozen=True)
class Passkey:
    id: str
    owner_kind: str
    owner_id: str
    name: str
    public_key: bytes
    sign_count: int
    created_at: str
    last_used_at: str | None


@dataclass(frozen=True)
class Challenge:
    challenge: str
    purpose: str
    owner_kind: str | None
    owner_id: str | None



def save_challenge(db: sqlite_utils.Database, challenge: str, sid: str, purpose: str,
                   owner_kind: str | None = None, owner_id: str | None = None) -> None:
    db.execute("DELETE FROM webauthn_challenges WHERE expires_at <= ?", [now_iso()])
    db.execute(
        "INSERT INTO webauthn_challenges (challenge, sid, purpose, owner_kind, owner_id,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        [challenge, sid, purpose, owner_kind, owner_id, iso_in(CHALLENGE_LIFETIME)],
    )


def take_challenge(db: sqlite_utils.Database, challenge: str, sid: str,
                   purpose: str) -> Challenge | None:
    """The challenge if this session asked for it and it is still fresh; it is used up
    either way, so the same response cannot be played twice."""
    row = db.execute(
        "SELECT challenge, purpose, owner_kind, owner_id, expires_at FROM webauthn_challenges"
        " WHERE challenge = ? AND sid = ? AND purpose = ?", [challenge, sid, purpose],
    ).fetchone()
    if row is None:
        return None
    db.execute("DELETE FROM webauthn_challenges WHERE challenge = ?", [challenge])
    if row[4] <= now_iso():
        return None
    return Challenge(row[0], row[1], row[2], row[3])


_COLUMNS = "id, owner_kind, owner_id, name, public_key, sign_count, created_at, last_used_at"


def add(db: sqlite_utils.Database, credential_id: str, owner_kind: str, owner_id: str,
        name: str, public_key: bytes, sign_count: int, transports: list[str]) -> None:
    db.execute(
        f"INSERT INTO passkeys ({_COLUMNS}, transports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [credential_id, owner_kind, owner_id, name, public_key, sign_count, now_iso(), None,
         json.dumps(transports)],
    )
    audit.record(db, f"{owner_kind}:{owner_id}", "passkey_added", f"passkey:{credential_id}",
                 {"name": name})


def active(db: sqlite_utils.Database, credential_id: str) -> Passkey | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM passkeys WHERE id = ? AND revoked_at IS NULL",
                     [credential_id]).fetchone()
    return Passkey(*row) if row else None


def owned_by(db: sqlite_utils.Database, owner_kind: str, owner_id: str) -> list[Passkey]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM passkeys WHERE owner_kind = ? AND owner_id = ?"
        " AND revoked_at IS NULL ORDER BY created_at", [owner_kind, owner_id]).fetchall()
    return [Passkey(*r) for r in rows]


def record_use(db: sqlite_utils.Database, credential_id: str, sign_count: int) -> None:
    db.execute("UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ?",
               [sign_count, now_iso(), credential_id])


def remove_own(db: sqlite_utils.Database, owner_kind: str, owner_id: str,
               credential_id: str, keep_last: bool = False) -> str:
    """Revoke one of a person's own passkeys: "removed", "not_found", or "last" when
    keep_last is set and it is their only one (checked in the same transaction)."""
    owned = [k.id for k in owned_by(db, owner_kind, owner_id)]
    if credential_id not in owned:
        return "not_found"
    if keep_last and len(owned) == 1:
        return "last"
    db.execute("UPDATE passkeys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
               [now_iso(), credential_id])
    audit.record(db, f"{owner_kind}:{owner_id}", "passkey_removed", f"passkey:{credential_id}")
    return "removed"


def revoke_all(db: sqlite_utils.Database, owner_kind: str, owner_id: str, actor: str) -> int:
    changed = db.execute(
        "UPDATE passkeys SET revoked_at = ? WHERE owner_kind = ? AND owner_id = ?"
        " AND revoked_at IS NULL", [now_iso(), owner_kind, owner_id]).rowcount
    audit.record(db, actor, "passkeys_revoked", f"{owner_kind}:{owner_id}", {"count": changed})
    return int(changed)
