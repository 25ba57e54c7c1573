"""Teams of each service, who belongs to them, and what a request is assigned to."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlite_utils

from server.db.staff import Staff


@dataclass(frozen=True)
class Team:
    id: str
    service: str
    name: str


def for_service(db: sqlite_utils.Database, service: str | None) -> list[Team]:
    """A service's teams in their order; every service's when `service` is None."""
    rows = db.execute("SELECT id, service, name FROM teams WHERE ? IS NULL OR service = ?"
                      " ORDER BY service, position, name", [service, service]).fetchall()
    return [Team(*r) for r in rows]


def by_id(db: sqlite_utils.Database, team_id: str) -> Team | None:
    row = db.execute("SELECT id, service, name FROM teams WHERE id = ?", [team_id]).fetchone()
    return Team(*row) if row else None


def teams_of(db: sqlite_utils.Database, staff_id: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT team_id FROM team_members WHERE staff_id = ? ORDER BY team_id", [staff_id])]


def add_member(db: sqlite_utils.Database, team_id: str, staff_id: str) -> None:
    db.execute("INSERT OR IGNORE INTO team_members (team_id, staff_id) VALUES (?, ?)",
               [team_id, staff_id])


def staff_with_roles(db: sqlite_utils.Database, staff_roles: Collection[str]) -> list[Staff]:
    """Active staff holding one of these roles (the officers and managers of a service:
    the caller names the roles, auth/access.py knows which), by name."""
    if not staff_roles:
        return []
    marks = ", ".join("?" * len(staff_roles))
    rows = db.execute(f"SELECT id, email, name, role, hub_id FROM staff WHERE role IN ({marks})"
                      " AND disabled_at IS NULL ORDER BY name", list(staff_roles)).fetchall()
    return [Staff(*r) for r in rows]


def set_assignment(db: sqlite_utils.Database, request_id: str, team_id: str | None,
                   assignee: str | None) -> None:
    db.execute("UPDATE requests SET team_id = ?, assignee = ? WHERE id = ?",
               [team_id, assignee, request_id])


def set_priority(db: sqlite_utils.Database, request_id: str, priority: str) -> None:
    db.execute("UPDATE requests SET priority = ? WHERE id = ?", [priority, request_id])


def current_version(db: sqlite_utils.Database, request_id: str) -> int | None:
    row = db.execute("SELECT version FROM requests WHERE id = ?", [request_id]).fetchone()
    return int(row[0]) if row else None


@dataclass(frozen=True)
class Load:
    key: str  # a staff id or a team id ("" for none)
    open: int


def open_load(db: sqlite_utils.Database, service: str | None, open_statuses: Collection[str],
              special_category: bool, by: str) -> list[Load]:
    """Open requests per officer (`by` "assignee") or per team (`by` "team_id") of a
    service; special category rows only for readers of them, as in the inbox."""
    assert by in ("assignee", "team_id")
    marks = ", ".join("?" * len(open_statuses))
    where = [f"status IN ({marks})", "(? IS NULL OR service = ?)"]
    if not special_category:
        where.append("special_category = 0")
    rows = db.execute(f"SELECT coalesce({by}, ''), COUNT(*) FROM requests"
                      f" WHERE {' AND '.join(where)} GROUP BY 1",
                      [*open_statuses, service, service]).fetchall()
    return [Load(r[0], int(r[1])) for r in rows]


def staff_by_id(db: sqlite_utils.Database, staff_id: str) -> Staff | None:
    row = db.execute("SELECT id, email, name, role, hub_id FROM staff WHERE id = ?",
                     [staff_id]).fetchone()
    return Staff(*row) if row else None


def remove_member(db: sqlite_utils.Database, team_id: str, staff_id: str) -> bool:
    return db.execute("DELETE FROM team_members WHERE team_id = ? AND staff_id = ?",
                      [team_id, staff_id]).rowcount > 0


def members(db: sqlite_utils.Database, service: str | None) -> dict[str, list[Staff]]:
    """Each team's active members by name, for a service's teams (every team: None)."""
    rows = db.execute(
        "SELECT m.team_id, s.id, s.email, s.name, s.role, s.hub_id FROM team_members m"
        " JOIN teams t ON t.id = m.team_id JOIN staff s ON s.id = m.staff_id"
        " WHERE s.disabled_at IS NULL AND (? IS NULL OR t.service = ?) ORDER BY s.name",
        [service, service]).fetchall()
    found: dict[str, list[Staff]] = {}
    for r in rows:
        found.setdefault(r[0], []).append(Staff(*r[1:]))
    return found
