"""Conflicts from the field as the back office shows them (issue 14): a case field that
a field worker changed offline while someone else changed it too. Both values are kept
(sync/merge.py); a supervisor chooses which to keep, and the case then changes as any
office edit. Here: the fields' and values' names in the reader's language, the views of
one case's conflicts and of a service's open ones, and the resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from server import i18n
from server.auth.access import may_read
from server.casework import actions
from server.casework.actions import read_for_staff
from server.casework.status import STATUSES
from server.db import field_conflicts as conflicts_db
from server.db import field_office as field_db
from server.db.clock import parse_iso
from server.db.requests import by_id
from server.i18n import lazy as _
from server.notify.notices import Notices

FIELD_NAMES = {"risk_level": _("Risk level"), "access_notes": _("Access notes"),
               "hazards": _("Hazards"), "contact_phone": _("Contact phone"),
               "next_visit_on": _("Next visit"), "follow_up_needed": _("Follow-up needed"),
               "status": _("Status")}
RISK_LEVELS = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}
NOT_SET = _("Not set")
# The choices a supervisor has: the value to keep.
OFFICE, WORKER, BASE = "server", "client", "base"
CHOICES = (OFFICE, WORKER, BASE)
CHOOSE = _("Choose the value to keep")
GONE = _("This conflict was resolved by someone else. Check what they chose.")
CHANGED = _("The case changed since you opened it. Check the values again, then choose.")


def value_text(name: str, value: Any, code: str) -> str:
    """A case field's value as people read it."""
    text = i18n.Gettext(code)
    if value is None or value == "":
        return str(text.gettext(NOT_SET))
    if isinstance(value, bool):
        return str(text.gettext("Yes") if value else text.gettext("No"))
    if name == "risk_level" and value in RISK_LEVELS:
        return str(text.gettext(RISK_LEVELS[value]))
    if name == "status" and value in STATUSES:
        return str(text.gettext(STATUSES[value].staff))
    if name == "next_visit_on" and isinstance(value, str):
        try:
            return i18n.format_date(date.fromisoformat(value), code)
        except ValueError:
            return value
    return str(value)


@dataclass(frozen=True)
class Choice:
    key: str  # OFFICE, WORKER or BASE
    label: str
    value: str  # as people read it


def conflict_view(c: field_db.Conflict, code: str) -> dict[str, Any]:
    """One conflict as the request page and the supervisor's list show it."""
    text = i18n.Gettext(code)
    show = {key: value_text(c.field, getattr(c, key), code) for key in CHOICES}
    return {
        "id": c.id, "request_id": c.request_id, "reference": c.reference,
        "field": text.gettext(FIELD_NAMES.get(c.field, c.field)),
        "office": show[OFFICE], "worker": show[WORKER], "base": show[BASE],
        "by": c.by_name or text.gettext("A field device"), "device": c.client_id[:8],
        "at": c.at, "when": i18n.format_datetime(parse_iso(c.at), code),
        "late": c.late, "open": c.resolved_at is None,
        "resolution": value_text(c.field, c.resolution, code)
        if c.resolved_at is not None else None,
        "resolved_by": c.resolved_by_name,
        "resolved_when": i18n.format_datetime(parse_iso(c.resolved_at), code)
        if c.resolved_at else None,
        "choices": [Choice(OFFICE, text.gettext("The office's value"), show[OFFICE]),
                    Choice(WORKER, text.gettext("The field worker's value"), show[WORKER]),
                    Choice(BASE, text.gettext("The value both started from"), show[BASE])],
    }


def for_request(db: sqlite_utils.Database, request_id: str,
                code: str) -> list[dict[str, Any]]:
    return [conflict_view(c, code) for c in field_db.conflicts_of(db, request_id)]


def open_for(db: sqlite_utils.Database, role: str, service: str | None, code: str,
             actor: str) -> list[dict[str, Any]]:
    """The open conflicts a supervisor may see: their service's (every service's for
    admins), never a special category case to anyone who may not read it; showing a
    special category case's values is a read of it, audited (in this transaction)."""
    found = [c for c in field_db.open_conflicts(db, service)
             if may_read(role, c.service, c.special_category)]
    for request_id in sorted({c.request_id for c in found if c.special_category}):
        read_for_staff(db, request_id, actor, True)
    return [conflict_view(c, code) for c in found]


@dataclass(frozen=True)
class Resolved:
    conflict_id: str
    value: Any


@dataclass(frozen=True)
class NotOpen:
    """Resolved already, or the case changed since the choice was shown (its version):
    nothing was changed."""
    message: str  # a lazy string: which of the two


def resolve(db: sqlite_utils.Database, request_id: str, conflict_id: str, choice: str,
            case_version: int, actor: str, notices: Notices) -> Resolved | NotOpen | None:
    """Keep the chosen value if the case is still as the supervisor saw it: None when
    there is no such conflict on this request. A status chosen is changed as an
    officer's update (the timeline, the resident told); kept as it is, nothing is."""
    found = field_db.conflict(db, conflict_id)
    if found is None or found.request_id != request_id or choice not in CHOICES:
        return None
    if found.resolved_at is not None:
        return NotOpen(GONE)
    if field_db.case_version(db, request_id) != case_version:
        return NotOpen(CHANGED)
    value = getattr(found, choice)
    if found.field == "status" and value is not None:
        current = by_id(db, request_id)
        if current is not None and value != current.status:
            actions.change_status(db, request_id, value, "", actor, notices)
    # The case changes as an office edit, the conflict is fed again as resolved, and
    # the resolution is audited (naming the conflict: the page reads who chose from it).
    if conflicts_db.resolve(db, conflict_id, value, actor.removeprefix("staff:")) is None:
        return NotOpen(GONE)
    return Resolved(conflict_id, value)


def field_work(db: sqlite_utils.Database, request_id: str, code: str) -> dict[str, Any]:
    """What the request page shows of field work: its conflicts, the case version their
    forms carry, and the visits and notes for the timeline."""
    from server.casework.field_timeline import field_events
    return {"conflicts": for_request(db, request_id, code),
            "case_version": field_db.case_version(db, request_id),
            "field_events": field_events(db, request_id, code)}
