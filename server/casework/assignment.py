"""Who deals with a request (a team of its service, an officer, or both) and how urgent it
is. Each change is an internal timeline event naming who made it, audited in the same
transaction; each is refused when the request changed since the officer's form was
rendered (its version), so one officer never silently overwrites another."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server.auth.access import SERVICE_OF_ROLE, may_reassign
from server.auth.roles import LABELS
from server.db import audit, teams
from server.db.requests import StoredRequest, add_event, by_id
from server.db.staff import Staff
from server.i18n import lazy as _

ASSIGNED = "assigned"
PRIORITY_CHANGED = "priority_changed"
PRIORITIES = {"urgent": _("Urgent"), "high": _("High"), "normal": _("Normal"),
              "low": _("Low")}
# Team names as people read them (the database keeps the English one).
TEAM_NAMES = {"planning-enforcement": _("Planning enforcement"),
              "development-management": _("Development management"),
              "food-safety": _("Food safety"),
              "pest-control-north": _("Pest control (north)"),
              "pest-control-south": _("Pest control (south)"),
              "noise": _("Noise"),
              "adult-duty": _("Adult duty team"),
              "children-duty": _("Children's duty team")}

NOT_YOURS = _("This request is assigned to another officer. Only a manager can reassign it.")
NO_SUCH_TEAM = _("Choose a team of this service")
NO_SUCH_OFFICER = _("Choose an officer of this service")
CHOOSE_PRIORITY = _("Choose a priority")
NO_CHANGE = _("Nothing would change")


def roles_of_service(service: str) -> list[str]:
    return [role for role, own in SERVICE_OF_ROLE.items() if own == service]


def team_name(team_id: str | None, stored: str | None = None) -> Any:
    if not team_id:
        return None
    return TEAM_NAMES.get(team_id, stored or team_id)


@dataclass(frozen=True)
class Stale:
    """The request changed since the form was rendered: nothing was applied."""
    current: StoredRequest


@dataclass(frozen=True)
class Refused:
    field: str
    message: Any  # a lazy string


Outcome = StoredRequest | Stale | Refused


def unless_changed(db: sqlite_utils.Database, request_id: str, version: int | None,
                   change: Callable[[StoredRequest], Refused | None]) -> Outcome:
    """Run `change` on the request in this transaction if it is still at `version`
    (None: the form sent none, so no check); the request as it is now otherwise."""
    current = by_id(db, request_id)
    assert current is not None
    if version is not None and current.version != version:
        return Stale(current)
    refused = change(current)
    if refused is not None:
        return refused
    after = by_id(db, request_id)
    assert after is not None
    return after


def assignment_problem(db: sqlite_utils.Database, current: StoredRequest, role: str,
                       staff_id: str, team_id: str | None,
                       assignee: str | None) -> Refused | None:
    if (current.team_id, current.assignee) == (team_id, assignee):
        return Refused("assignee", NO_CHANGE)
    if team_id is not None:
        team = teams.by_id(db, team_id)
        if team is None or team.service != current.service:
            return Refused("team", NO_SUCH_TEAM)
    if assignee is not None:
        officers = teams.staff_with_roles(db, roles_of_service(current.service))
        if assignee not in {s.id for s in officers}:
            return Refused("assignee", NO_SUCH_OFFICER)
    # Anyone may take an unassigned request, or change their own; moving it away from
    # another officer is a manager's decision.
    others = current.assignee not in (None, staff_id)
    if others and not may_reassign(role):
        return Refused("assignee", NOT_YOURS)
    if assignee not in (None, staff_id) and not may_reassign(role) and current.assignee:
        return Refused("assignee", NOT_YOURS)
    return None


def assign(db: sqlite_utils.Database, request_id: str, version: int | None, role: str,
           staff_id: str, team_id: str | None, assignee: str | None) -> Outcome:
    actor = f"staff:{staff_id}"

    def change(current: StoredRequest) -> Refused | None:
        refused = assignment_problem(db, current, role, staff_id, team_id, assignee)
        if refused is not None:
            return refused
        teams.set_assignment(db, request_id, team_id, assignee)
        detail = {"team": team_id, "assignee": assignee,
                  "from": {"team": current.team_id, "assignee": current.assignee}}
        add_event(db, request_id, ASSIGNED, None, False, json.dumps(detail), actor)
        audit.record(db, actor, ASSIGNED, f"request:{request_id}",
                     {"team": team_id, "assignee": assignee})
        return None

    return unless_changed(db, request_id, version, change)


def take(db: sqlite_utils.Database, request_id: str, version: int | None, role: str,
         staff_id: str) -> Outcome:
    """Take it: assigned to me, keeping its team."""
    current = by_id(db, request_id)
    assert current is not None
    return assign(db, request_id, version, role, staff_id, current.team_id, staff_id)


def set_priority(db: sqlite_utils.Database, request_id: str, version: int | None,
                 staff_id: str, priority: str) -> Outcome:
    actor = f"staff:{staff_id}"

    def change(current: StoredRequest) -> Refused | None:
        if priority not in PRIORITIES:
            return Refused("priority", CHOOSE_PRIORITY)
        if priority == current.priority:
            return Refused("priority", NO_CHANGE)
        teams.set_priority(db, request_id, priority)
        add_event(db, request_id, PRIORITY_CHANGED, None, False, priority, actor)
        audit.record(db, actor, PRIORITY_CHANGED, f"request:{request_id}",
                     {"priority": priority})
        return None

    return unless_changed(db, request_id, version, change)


def officer_label(text: Any, who: Staff) -> str:
    return str(text.gettext("%(name)s, %(role)s", name=who.name,
                            role=text.gettext(LABELS.get(who.role, who.role))))


def assignment_view(db: sqlite_utils.Database, found: StoredRequest, staff_id: str,
                    role: str) -> dict[str, Any]:
    """What the request page shows and offers about who deals with the request."""
    officers = teams.staff_with_roles(db, roles_of_service(found.service))
    service_teams = teams.for_service(db, found.service)
    assignee = next((s for s in officers if s.id == found.assignee), None)
    if assignee is None and found.assignee:
        assignee = teams.staff_by_id(db, found.assignee)
    team = next((t for t in service_teams if t.id == found.team_id), None)
    return {
        "teams": [(t.id, team_name(t.id, t.name)) for t in service_teams],
        "officers": officers, "assignee": assignee,
        "team": team_name(team.id, team.name) if team else None,
        "may_take": found.assignee != staff_id and (
            found.assignee is None or may_reassign(role)),
        "may_reassign": may_reassign(role) or found.assignee in (None, staff_id),
        "priorities": PRIORITIES,
    }
