"""A request's timeline as people read it: each event titled in the reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server import i18n
from server.casework.status import STATUS
from server.db.requests import Event
from server.i18n import lazy as _

EVENT_TITLES = {"created": _("We received your request"),
                "status_changed": _("Status changed"),
                "message": _("Message from the council"),
                "information_added": _("You added information")}
INTERNAL_TITLES = {"note": _("Internal note")}
# Texts residents send back (server/notify/callbacks.py) are information they added.
BY_TEXT = ("resident:text", _("Information sent by text message"))


def timeline(events: list[Event], code: str) -> list[dict[str, Any]]:
    """Events as the timeline template shows them, in the reader's language."""
    text = i18n.Gettext(code)
    return [{
        "id": e.id,
        "at": e.at,
        "when": i18n.format_datetime(datetime.fromisoformat(e.at.replace("Z", "+00:00")), code),
        "title": (text.gettext("Status changed to: %(status)s") % {
            "status": text.gettext(STATUS.get(e.status or "", e.status or ""))}
                  if e.kind == "status_changed" else text.gettext(BY_TEXT[1])
                  if e.actor == BY_TEXT[0] else text.gettext(EVENT_TITLES.get(
                      e.kind, str(INTERNAL_TITLES.get(e.kind, e.kind))))),
        "message": e.message,
        "public": e.public,
        "actor": e.actor,
    } for e in events]
