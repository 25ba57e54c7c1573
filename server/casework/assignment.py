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

from server.auth.access import FIELD_SERVICES, SERVICE_OF_ROLE, may_reassign
from server.auth.roles import FIELD_WORKER, LABELS
from server.casework import actions
from server.casework.status import OPEN_STATUSES, STATUS
from server.db import audit, teams
from server.db.requests import StoredRequest, add_event, by_id
from server.db.staff import Staff
from server.i18n import lazy as _
from server.notify.notices import Notices

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


def assignable_roles(service: str) -> list[str]:
    """Who may hold a request of this service: its officers and managers, and field
    workers where the service sends people out (issue 14); never social work for
    anyone outside its roles (special category)."""
    extra = [FIELD_WORKER] if service in FIELD_SERVICES else []
    return [*roles_of_service(service), *extra]


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
        officers = teams.staff_with_roles(db, assignable_roles(current.service))
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
    officers = teams.staff_with_roles(db, assignable_roles(found.service))
    service_teams = teams.for_service(db, found.service)
    assignee = next((s for s in officers if s.id == found.assignee), None)
    if assignee is None and found.assignee:
        assignee = teams.staff_by_id(db, found.assignee)
    team = next((t for t in service_teams if t.id == found.team_id), None)
    return {
        "teams": [(t.id, team_name(t.id, t.name)) for t in service_teams],
        "officers": officers, "assignee": assignee,
        "team": team_name(team.id, team.name) if team else None,
        # Only an officer or manager of the service can hold it (not an admin).
        "may_take": role in roles_of_service(found.service) and found.assignee != staff_id
        and (found.assignee is None or may_reassign(role)),
        "may_reassign": may_reassign(role) or found.assignee in (None, staff_id),
        "priorities": PRIORITIES,
    }


def teams_for(db: sqlite_utils.Database, service: str | None) -> list[tuple[str, str]]:
    """(id, name as people read it) of a service's teams; every service's for admins."""
    return [(t.id, team_name(t.id, t.name)) for t in teams.for_service(db, service)]


@dataclass(frozen=True)
class BulkResult:
    reference: str
    request_id: str
    done: bool
    why: str | None = None  # a lazy string: why it was skipped


STALE = _("It changed since you checked. Open it to see what changed.")


def bulk_action(action: str) -> tuple[str, str] | None:
    """("take", "") or ("team", id) or ("priority", p) from the inbox's select; None
    when it is none of those."""
    if action == "take":
        return ("take", "")
    kind, _sep, value = action.partition(":")
    if kind == "team" and value:
        return ("team", value)
    if kind == "priority" and value in PRIORITIES:
        return ("priority", value)
    if kind == "status" and value in STATUS:
        return ("status", value)
    return None


def bulk_status(db: sqlite_utils.Database, request_id: str, version: int, staff_id: str,
                status: str, notices: Notices) -> Outcome:
    """A status change with no message: refused, with the status form's own reason, when
    the status form would need more (an outcome to close it); the resident is told as
    from the status form."""

    def change(current: StoredRequest) -> Refused | None:
        problem = actions.status_change_problem(current.status, status, "", "")
        if problem is not None:
            return Refused(problem.field, problem.message)
        actions.change_status(db, request_id, status, "", f"staff:{staff_id}", notices)
        return None

    return unless_changed(db, request_id, version, change)


def apply_bulk(db: sqlite_utils.Database, readable: list[StoredRequest],
               versions: dict[str, int], role: str, staff_id: str,
               action: tuple[str, str], notices: Notices) -> list[BulkResult]:
    """One transaction (the caller's write): each request checked as they saw it (its
    version on the check page) and changed, or skipped with the reason."""
    results = []
    for found in readable:
        version = versions.get(found.id, -1)
        kind, value = action
        if kind == "take":
            done = take(db, found.id, version, role, staff_id)
        elif kind == "team":
            done = assign(db, found.id, version, role, staff_id, value, found.assignee)
        elif kind == "status":
            done = bulk_status(db, found.id, version, staff_id, value, notices)
        else:
            done = set_priority(db, found.id, version, staff_id, value)
        if isinstance(done, Stale):
            results.append(BulkResult(found.reference, found.id, False, STALE))
        elif isinstance(done, Refused):
            results.append(BulkResult(found.reference, found.id, False, done.message))
        else:
            results.append(BulkResult(found.reference, found.id, True))
    return results


def describe_bulk(db: sqlite_utils.Database,
                  action: tuple[str, str]) -> tuple[str, dict[str, str]]:
    """The change in words (untranslated, with its variables) for the check page."""
    kind, value = action
    if kind == "take":
        return _("Assign to me"), {}
    if kind == "team":
        team = teams.by_id(db, value)
        return _("Assign to the team: %(team)s"), {
            "team": str(team_name(value, team.name if team else value))}
    if kind == "status":
        return _("Set the status to %(status)s"), {"status": STATUS[value]}
    return _("Set the priority to %(priority)s"), {"priority": PRIORITIES[value]}


def workload(db: sqlite_utils.Database, service: str | None,
             special_category: bool) -> dict[str, Any]:
    """Open requests per officer and per team of a service (every service for admins),
    counted with the reader's scope. Overdue waits for the working-day SLAs (sla.py)."""
    roles = [r for r, own in SERVICE_OF_ROLE.items()
             if own is not None and (service is None or own == service)]
    if service is None or service in FIELD_SERVICES:
        roles.append(FIELD_WORKER)
    officers = teams.staff_with_roles(db, roles)
    per_officer = {load.key: load.open for load in teams.open_load(
        db, service, OPEN_STATUSES, special_category, "assignee")}
    per_team = {load.key: load.open for load in teams.open_load(
        db, service, OPEN_STATUSES, special_category, "team_id")}
    members = teams.members(db, service)
    return {
        "officers": [(s, per_officer.get(s.id, 0)) for s in officers],
        "teams": [{"id": t.id, "name": team_name(t.id, t.name), "open": per_team.get(t.id, 0),
                   "members": members.get(t.id, []),
                   "others": [s for s in officers if s.role in assignable_roles(t.service)
                              and s not in members.get(t.id, [])]}
                  for t in teams.for_service(db, service)],
        "unassigned": per_officer.get("", 0),
    }


TEAM_OF_ANOTHER_SERVICE = _("You can change only the teams of your own service")


def change_membership(db: sqlite_utils.Database, team_id: str, staff_id: str,
                      service: str | None, actor: str, add: bool) -> Refused | None:
    """A manager puts an officer of the service in a team or takes them out (an admin,
    any service's); audited. None when done."""
    team = teams.by_id(db, team_id)
    if team is None or (service is not None and team.service != service):
        return Refused("team", TEAM_OF_ANOTHER_SERVICE)
    if add:
        officers = teams.staff_with_roles(db, assignable_roles(team.service))
        if staff_id not in {s.id for s in officers}:
            return Refused("member", NO_SUCH_OFFICER)
        teams.add_member(db, team_id, staff_id)
    elif not teams.remove_member(db, team_id, staff_id):
        return Refused("member", NO_SUCH_OFFICER)
    audit.record(db, actor, "team_member_added" if add else "team_member_removed",
                 f"team:{team_id}", {"staff": staff_id})
    return None
