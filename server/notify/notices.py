"""Queuing messages, inside the write transaction of what they announce: what the rest of
the app calls. TRIGGERS says which event of a request tells the resident what; a new
event or status is a new row there, not another branch.

The sender is woken from here (through `attach`): the wake runs in the writer thread
before the transaction commits, which is safe because the sender claims through the same
single writer, so its claim runs after this commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlite_utils

from server.casework.status import CLOSING_STATUSES, WAITING_FOR_RESIDENT
from server.db import notify_outbox, update_choices
from server.db.notify_outbox import NewNotification
from server.db.requests import NewRequest, StoredRequest
from server.notify.compose import send_before

# (event kind, status it sets or None for any) -> template (server/notify/compose.py).
TRIGGERS: dict[tuple[str, str | None], str] = {
    ("created", None): "acknowledgement",
    ("status_changed", WAITING_FOR_RESIDENT): "information_requested",
    **{("status_changed", closing): "closed" for closing in CLOSING_STATUSES},
    ("status_changed", None): "status_changed",
    ("message", None): "message",
}


def template_for(kind: str, status: str | None) -> str | None:
    return TRIGGERS.get((kind, status)) or TRIGGERS.get((kind, None))


def update_choice(contact: dict[str, Any]) -> str:
    """The contact page's answer to "How would you like to get updates?"; a contact
    saved before the question existed gets updates the way it asked to be contacted."""
    choice = contact.get("updates")
    if choice in update_choices.CHOICES:
        return str(choice)
    return {"email": "email", "phone": "text"}.get(str(contact.get("how")), "none")


def _new_id() -> str:
    return str(uuid.uuid4())


class Notices:
    def __init__(self) -> None:
        self._wake: Callable[[], None] | None = None

    def attach(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def detach(self) -> None:
        self._wake = None

    def wake(self) -> None:
        if self._wake is not None:
            self._wake()

    def _queue(self, db: sqlite_utils.Database, rows: Sequence[NewNotification]) -> None:
        if rows:
            notify_outbox.queue(db, rows)
            self.wake()

    def requests_created(self, db: sqlite_utils.Database,
                         created: Sequence[tuple[NewRequest, str]]) -> None:
        """New requests (web or sync): their acknowledgements, in one statement (the
        choice is on the request; the acknowledgement announces its `created` event, so
        it names none: one look-up fewer on the sync path, where each costs)."""
        if not created:
            return
        until = send_before("acknowledgement")
        rows = []
        for new, _reference in created:
            flags = update_choices.choice_flags(new.updates)
            for channel, wanted, recipient in (("email", flags.by_email, new.contact_email),
                                               ("sms", flags.by_text, new.contact_phone)):
                if wanted and recipient:
                    rows.append(NewNotification(_new_id(), channel, recipient,
                                                "acknowledgement", new.locale, new.id,
                                                send_before=until))
        self._queue(db, rows)

    def request_event(self, db: sqlite_utils.Database, request: StoredRequest,
                      event_id: int, kind: str, status: str | None) -> None:
        """A public event on a request: its update, the ways the resident chose."""
        template = template_for(kind, status)
        if template is None:
            return
        flags = update_choices.choice_for(db, request.id)
        until = send_before(template)
        rows = [NewNotification(_new_id(), channel, recipient, template, request.locale,
                                request.id, event_id, send_before=until)
                for channel, wanted, recipient in (
                    ("email", flags.by_email, request.contact_email),
                    ("sms", flags.by_text, request.contact_phone))
                if wanted and recipient]
        self._queue(db, rows)

    def one_time_link(self, db: sqlite_utils.Database, channel: str, recipient: str,
                      template: str, locale: str, params: dict[str, Any],
                      send_before: str) -> str:
        """A link the person asked for (sign in, confirm a number, an invite): sent
        until it expires, whatever they chose for updates."""
        notification_id = _new_id()
        self._queue(db, [NewNotification(notification_id, channel, recipient, template,
                                         locale, params=params, send_before=send_before)])
        return notification_id
