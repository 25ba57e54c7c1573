"""A request's timeline as people read it: each event titled for what it is and who did
it, in the reader's language. Staff see who by name and role; residents see the team
(or "Council officer"), never an officer's name, and "you" for themselves."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from server import i18n
from server.auth.roles import (
    ENVIRONMENTAL_HEALTH_MANAGER,
    ENVIRONMENTAL_HEALTH_OFFICER,
    LABELS,
    PLANNING_MANAGER,
    PLANNING_OFFICER,
    SOCIAL_WORK_MANAGER,
    SOCIAL_WORK_OFFICER,
)
from server.casework.assignment import ASSIGNED, PRIORITIES, PRIORITY_CHANGED, team_name
from server.casework.status import OUTCOMES, STATUSES
from server.db import attachments as attachments_db
from server.db import requests as requests_db
from server.db import staff as staff_db
from server.db import teams as teams_db
from server.db.attachments import Attachment
from server.db.clock import parse_iso
from server.db.kiosk_help import MADE_WITH_HELP
from server.db.requests import Event
from server.db.staff import Staff
from server.i18n import lazy as _

RESIDENT_TITLES = {"created": _("We received your request"),
                   "message": _("Message from the council"),
                   "information_added": _("You added information"),
                   "withdrawn": _("You withdrew this request")}
STAFF_TITLES = {"created": _("Request received"),
                "message": _("Message to the resident"),
                "information_added": _("The resident added information"),
                "withdrawn": _("The resident withdrew this request"),
                "note": _("Internal note")}
TEAMS = {PLANNING_OFFICER: _("Planning team"),
         ENVIRONMENTAL_HEALTH_OFFICER: _("Environmental health team"),
         SOCIAL_WORK_OFFICER: _("Social work team"),
         PLANNING_MANAGER: _("Planning team"),
         ENVIRONMENTAL_HEALTH_MANAGER: _("Environmental health team"),
         SOCIAL_WORK_MANAGER: _("Social work team")}
COUNCIL_OFFICER = _("Council officer")
# Events rules and duplicate checks add (server/casework/rules.py, duplicates.py): the
# message is the tag, the team or the other request's reference.
AUTOMATIC_TITLES = {"tagged": _("Tag added: %(value)s"),
                    "duty_alert": _("Duty inbox alerted: %(value)s"),
                    "duplicate_linked": _("Possible duplicate of %(value)s"),
                    "duplicate_merged": _("%(value)s was merged into this request"),
                    "duplicate_dismissed": _("Not a duplicate of %(value)s")}
# A request made at a kiosk with a member of hub staff's help (issue 13): staff only.
HELP_CONSENT = {True: _("They filled in answers for the resident, with the resident’s "
                        "consent."),
                False: _("The resident said they would fill in the answers themselves."),
                None: _("The resident was not asked whether staff may fill in answers.")}
# Texts residents send back (server/notify/callbacks.py) are information they added.
BY_TEXT = ("resident:text", _("Information sent by text message"))


@dataclass(frozen=True)
class History:
    events: list[Event]
    staff: dict[str, Staff]  # the staff the events name, by id
    files: list[Attachment]  # every file of the request, sent or added later
    teams: dict[str, str] = field(default_factory=dict)  # the teams events name


def _assigned(e: Event) -> dict[str, str | None]:
    try:
        detail = json.loads(e.message or "{}")
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def read_history(db: sqlite_utils.Database, request_id: str, for_staff: bool) -> History:
    events = (requests_db.all_events if for_staff else requests_db.public_events)(
        db, request_id)
    ids = {e.actor.removeprefix("staff:") for e in events if e.actor.startswith("staff:")}
    assigned = [_assigned(e) for e in events if e.kind == ASSIGNED] if for_staff else []
    ids |= {str(a["assignee"]) for a in assigned if a.get("assignee")}
    named = {str(a["team"]) for a in assigned if a.get("team")}
    teams = {t.id: t.name for t in teams_db.for_service(db, None) if t.id in named}
    return History(events, staff_db.by_ids(db, ids),
                   attachments_db.request_files(db, request_id), teams)


def _by(actor: str, staff: Mapping[str, Staff], text: i18n.Gettext, for_staff: bool) -> str:
    if actor.startswith("staff:"):
        who = staff.get(actor.removeprefix("staff:"))
        if who is None:
            return text.gettext(COUNCIL_OFFICER)
        if for_staff:
            return text.gettext("%(name)s, %(role)s", name=who.name,
                                role=text.gettext(LABELS.get(who.role, who.role)))
        return text.gettext(TEAMS.get(who.role, COUNCIL_OFFICER))
    if actor == "resident" or actor.startswith("resident:"):
        return text.gettext("The resident") if for_staff else text.gettext("You")
    if actor.startswith("rule:") and for_staff:
        return text.gettext("Done by rule %(name)s", name=actor.removeprefix("rule:"))
    if actor == "system" and for_staff:
        return text.gettext("Automatically")
    return actor if for_staff else text.gettext(COUNCIL_OFFICER)


def _assignment_title(e: Event, history: History, text: i18n.Gettext) -> str:
    detail = _assigned(e)
    who = history.staff.get(str(detail.get("assignee") or ""))
    team = team_name(detail.get("team"), history.teams.get(str(detail.get("team"))))
    names = [text.gettext(team) if team else None, who.name if who else None]
    shown = " · ".join(n for n in names if n)
    if not shown:
        return text.gettext("Unassigned")
    return text.gettext("Assigned to %(who)s", who=shown)


def _help_detail(e: Event) -> dict[str, Any]:
    try:
        detail = json.loads(e.message or "{}")
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def _help_title(e: Event, history: History, text: i18n.Gettext) -> str:
    who = history.staff.get(e.actor.removeprefix("staff:"))
    return text.gettext("Made with help from %(name)s at %(hub)s",
                        name=who.name if who else text.gettext(COUNCIL_OFFICER),
                        hub=str(_help_detail(e).get("hub", "")))


def _message(e: Event, text: i18n.Gettext) -> str | None:
    if e.kind == MADE_WITH_HELP:
        return text.gettext(HELP_CONSENT.get(_help_detail(e).get("consent"), HELP_CONSENT[None]))
    if e.kind in (ASSIGNED, PRIORITY_CHANGED, *AUTOMATIC_TITLES):
        return None
    return e.message


def _title(e: Event, text: i18n.Gettext, for_staff: bool,
           history: History | None = None) -> str:
    if e.kind == MADE_WITH_HELP and history is not None:
        return _help_title(e, history, text)
    if e.kind == ASSIGNED and history is not None:
        return _assignment_title(e, history, text)
    if e.kind == PRIORITY_CHANGED:
        return text.gettext("Priority set to %(priority)s", priority=text.gettext(
            PRIORITIES.get(e.message or "", e.message or "")))
    if e.kind == "status_changed":
        found = STATUSES.get(e.status or "")
        label = (found.staff if for_staff else found.resident) if found else e.status or ""
        return text.gettext("Status changed to: %(status)s", status=text.gettext(label))
    if for_staff and e.kind in AUTOMATIC_TITLES:
        return text.gettext(AUTOMATIC_TITLES[e.kind], value=e.message or "")
    if e.actor == BY_TEXT[0]:
        return text.gettext(BY_TEXT[1])
    titles = STAFF_TITLES if for_staff else RESIDENT_TITLES
    return text.gettext(titles.get(e.kind, e.kind))


def timeline(history: History, code: str, for_staff: bool = False) -> list[dict[str, Any]]:
    """Events as the timeline template shows them, in the reader's language."""
    text = i18n.Gettext(code)
    added: dict[int, list[Attachment]] = {}
    for f in history.files:
        if f.event_id is not None:
            added.setdefault(f.event_id, []).append(f)
    return [{
        "id": e.id,
        "at": e.at,
        "when": i18n.format_datetime(parse_iso(e.at), code),
        "title": _title(e, text, for_staff, history),
        "by": _by(e.actor, history.staff, text, for_staff),
        "outcome": text.gettext(OUTCOMES.get(e.outcome, e.outcome)) if e.outcome else None,
        "message": _message(e, text),
        "public": e.public,
        "actor": e.actor,
        "files": added.get(e.id, []),
    } for e in history.events]


def sent_files(history: History) -> dict[str, Attachment]:
    """The files sent with the request (not those added later), by id."""
    return {f.id: f for f in history.files if f.event_id is None}


def field_entry(data: dict[str, Any], code: str) -> dict[str, Any]:
    """A timeline entry as a field device gets it (sync/PROTOCOL.md `event`): its title
    in the person's language, as the staff timeline says it, and the words it carries
    (none for entries whose stored message is data, an assignment's say)."""
    event = Event(0, str(data.get("at", "")), str(data.get("type", "")), data.get("status"),
                  bool(data.get("public")), data.get("text") or None, "staff:", None)
    text = i18n.Gettext(code)
    return {**data, "title": _title(event, text, True), "text": _message(event, text) or ""}
