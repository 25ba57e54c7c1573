"""What staff see of the messages about a request: beside each public update, how each
message fared ("Email sent", "Text delivered", "Text failed"), the resident's choice,
stops, and addresses that cannot be reached."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from server import i18n
from server.db import notify_outbox, request_tasks, update_choices
from server.db.notify_outbox import Delivery
from server.db.requests import StoredRequest
from server.i18n import lazy as _

LABELS = {
    ("email", "waiting"): _("Email waiting to be sent"),
    ("email", "sent"): _("Email sent"),
    ("email", "delivered"): _("Email delivered"),
    ("email", "failed"): _("Email failed"),
    ("email", "suppressed"): _("Email not sent"),
    ("sms", "waiting"): _("Text waiting to be sent"),
    ("sms", "sent"): _("Text sent"),
    ("sms", "delivered"): _("Text delivered"),
    ("sms", "failed"): _("Text failed"),
    ("sms", "suppressed"): _("Text not sent"),
}
STATE = {"queued": "waiting", "sending": "waiting", "sent": "sent", "delivered": "delivered",
         "failed": "failed", "expired": "failed", "suppressed": "suppressed"}
TASKS = {"contact_failed": _("We could not reach the resident with an update: phone them."),
         # raised by an automation rule (server/casework/rules.py)
         "duty_alert": _("Duty alert: the duty team must look at this request now.")}
CHOICE = {(True, True): _("By email and text message"), (True, False): _("By email"),
          (False, True): _("By text message"), (False, False): _("No updates")}


@dataclass(frozen=True)
class Shown:
    text: str
    state: str  # waiting | sent | delivered | failed | suppressed: the tag's colour


def by_event(deliveries: Sequence[Delivery], code: str,
             created_event: int | None) -> dict[int, list[Shown]]:
    """Messages by the event they announce (an acknowledgement: the `created` event)."""
    text = i18n.Gettext(code)
    found: dict[int, list[Shown]] = {}
    for d in deliveries:
        event = created_event if d.template == "acknowledgement" else d.event_id
        if event is None:
            continue
        state = STATE[d.status]
        found.setdefault(event, []).append(Shown(text.gettext(LABELS[d.channel, state]),
                                                 state))
    return found


def staff_view(db: sqlite_utils.Database, found: StoredRequest, code: str,
               created_event: int | None) -> dict[str, Any]:
    """Everything the staff request page shows about messages, in one read."""
    text = i18n.Gettext(code)
    choice = update_choices.choice_for(db, found.id)
    recipients = [r for r in (found.contact_email, found.contact_phone) if r]
    refused = update_choices.unreachable(db, recipients)
    return {
        "deliveries": by_event(notify_outbox.for_request(db, found.id), code, created_event),
        "updates_choice": text.gettext(CHOICE[choice.by_email, choice.by_text]),
        "unreachable": {r: refused[r.lower()] for r in recipients if r.lower() in refused},
        "tasks": [{"id": t.id, "text": text.gettext(TASKS.get(t.kind, t.kind)),
                   "at": t.created_at} for t in request_tasks.open_tasks(db, found.id)],
    }
