"""Field work on a request's staff timeline (issue 14): visits and notes pushed from
field devices, with their photos as the request's files, each marked "late" when it was
made on a case that was closed or no longer the worker's."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from server import i18n
from server.db import attachments as attachments_db
from server.db import field_office
from server.db.attachments import Attachment
from server.db.clock import parse_iso
from server.i18n import lazy as _

TITLES = {"visit": _("Visit recorded in the field"), "note": _("Note from the field")}
OUTCOMES = {"completed": _("Visit completed"), "no_access": _("No access"),
            "refused": _("Refused entry"), "follow_up": _("Follow-up needed")}
# What else a visit record may carry (the field app's versioned form), in this order.
VISIT_PARTS = (("seen", _("Who was seen")), ("findings", _("Findings")),
               ("next_steps", _("Next steps")))


def _message(item: field_office.FieldItem, text: i18n.Gettext) -> str | None:
    data = item.data
    if item.kind == "note":
        return str(data.get("text") or "") or None
    parts = [str(data.get("summary") or "")]
    parts += [f"{text.gettext(label)}: {data[key]}" for key, label in VISIT_PARTS
              if isinstance(data.get(key), str) and data[key].strip()]
    return "\n".join(p for p in parts if p) or None


def field_events(db: sqlite_utils.Database, request_id: str,
                 code: str) -> list[dict[str, Any]]:
    """Entries for account/timeline.html, never shown to the resident; a visit's or
    note's photos are the request's files (sent as every file is: web/downloads.py)."""
    text = i18n.Gettext(code)
    by_id: dict[str, Attachment] = {
        f.id: f for f in attachments_db.request_files(db, request_id)}
    shown = []
    for item in field_office.field_items(db, request_id):
        if item.kind not in TITLES:
            continue
        outcome = item.data.get("outcome")
        shown.append({
            "id": f"field-{item.id}", "at": item.at,
            "when": i18n.format_datetime(parse_iso(item.at), code),
            "title": text.gettext(TITLES[item.kind]),
            "by": item.data.get("by") or text.gettext("A field device"),
            "outcome": text.gettext(OUTCOMES[outcome]) if outcome in OUTCOMES else None,
            "message": _message(item, text), "public": False, "actor": "field",
            "late": bool(item.data.get("late")), "field": True,
            "files": [by_id[p] for p in item.data.get("photos") or [] if p in by_id],
        })
    return shown


def merged(events: list[dict[str, Any]], field: list[dict[str, Any]]
           ) -> list[dict[str, Any]]:
    """The office's events and the field's in the order they happened."""
    return sorted([*events, *field], key=lambda e: parse_iso(e["at"]))
