"""What an admin changes about a member of staff once they exist: deactivating a leaver,
changing a role, assigning a hub. Every change is audited; the staff row itself stays, so
timelines and the audit log still name the person."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from server.db import audit, passkeys, people
from server.db.clock import now_iso
from server.db.staff import Staff

ADMIN = "admin"  # as auth/roles.py spells it (the db layer imports nothing above it)
HUB_STAFF = "hub_staff"


@dataclass(frozen=True)
class Hub:
    id: str
    name: str


@dataclass(frozen=True)
class Counts:
    active_staff: int
    pending_invites: int
    deactivated: int


def active(db: sqlite_utils.Database, staff_id: str) -> Staff | None:
    row = db.execute("SELECT id, email, name, role, hub_id FROM staff WHERE id = ?"
                     " AND disabled_at IS NULL", [staff_id]).fetchone()
    return Staff(*row) if row else None


def active_by_email(db: sqlite_utils.Database, email: str) -> Staff | None:
    row = db.execute("SELECT id, email, name, role, hub_id FROM staff WHERE lower(email) = ?"
                     " AND disabled_at IS NULL", [email.lower()]).fetchone()
    return Staff(*row) if row else None


def deactivated(db: sqlite_utils.Database) -> list[Staff]:
    rows = db.execute("SELECT id, email, name, role, hub_id FROM staff"
                      " WHERE disabled_at IS NOT NULL ORDER BY name").fetchall()
    return [Staff(*r) for r in rows]


def counts(db: sqlite_utils.Database) -> Counts:
    row = db.execute(
        "SELECT (SELECT COUNT(*) FROM staff WHERE disabled_at IS NULL),"
        " (SELECT COUNT(*) FROM staff_invites i JOIN staff s ON s.id = i.staff_id"
        "   WHERE i.used_at IS NULL AND i.expires_at > ? AND s.disabled_at IS NULL),"
        " (SELECT COUNT(*) FROM staff WHERE disabled_at IS NOT NULL)", [now_iso()]).fetchone()
    return Counts(*row)


def _other_active_admins(db: sqlite_utils.Database, staff_id: str) -> int:
    return int(db.execute("SELECT COUNT(*) FROM staff WHERE role = ? AND disabled_at IS NULL"
                          " AND id != ?", [ADMIN, staff_id]).fetchone()[0])


def would_leave_no_admin(db: sqlite_utils.Database, found: Staff, new_role: str | None) -> bool:
    """Deactivating (new_role None) or demoting the last active admin is refused."""
    return found.role == ADMIN and new_role != ADMIN and not _other_active_admins(db, found.id)


def deactivate(db: sqlite_utils.Database, staff_id: str, actor: str) -> bool:
    """A leaver: signed out everywhere, passkeys and unused invites revoked, and no way
    back in but a fresh invite. False if they were not active."""
    now = now_iso()
    changed = db.execute("UPDATE staff SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                         [now, staff_id]).rowcount
    if not changed:
        return False
    people.end_all_sessions(db, "staff", staff_id, actor)
    passkeys.revoke_all(db, "staff", staff_id, actor)
    # An unused invite expires now rather than going: the rows are their history too.
    invites = db.execute("UPDATE staff_invites SET expires_at = ? WHERE staff_id = ?"
                         " AND used_at IS NULL AND expires_at > ?", [now, staff_id, now]).rowcount
    audit.record(db, actor, "staff_deactivated", f"staff:{staff_id}",
                 {"invites_revoked": invites})
    return True


def change_role(db: sqlite_utils.Database, staff_id: str, role: str, actor: str) -> None:
    before = db.execute("SELECT role, hub_id FROM staff WHERE id = ?", [staff_id]).fetchone()
    # Only hub staff belong to a hub.
    hub = before[1] if role == HUB_STAFF else None
    db.execute("UPDATE staff SET role = ?, hub_id = ? WHERE id = ?", [role, hub, staff_id])
    audit.record(db, actor, "staff_role_changed", f"staff:{staff_id}",
                 {"from": before[0], "to": role})


def hubs(db: sqlite_utils.Database) -> list[Hub]:
    return [Hub(*r) for r in db.execute("SELECT id, name FROM hubs ORDER BY name")]


def assign_hub(db: sqlite_utils.Database, staff_id: str, hub_id: str | None,
               actor: str) -> None:
    before = db.execute("SELECT hub_id FROM staff WHERE id = ?", [staff_id]).fetchone()
    db.execute("UPDATE staff SET hub_id = ? WHERE id = ?", [hub_id, staff_id])
    audit.record(db, actor, "staff_hub_assigned", f"staff:{staff_id}",
                 {"from": before[0], "to": hub_id})
