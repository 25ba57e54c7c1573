"""What the notification tests share: an app wired to a real SMTP server (aiosmtpd) and
the local Notify endpoint, requests made the way the web and sync paths make them, and
waiting for the sender without fixed sleeps."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from server.db import notify_outbox
from server.db import requests as requests_db
from server.forms.references import new_reference
from tests.mailbox import Mailbox
from tests.notify_stub import NotifyStub
from tests.support import TestApp

CALLBACK_TOKEN = "notify-callback-token-for-tests"
EMAIL = "morag@example.org"
MOBILE = "+447912345678"
BOTH = {"name": "Morag MacLeod", "how": "email", "updates": "both", "email": EMAIL,
        "phone": MOBILE}


def notify_app(make_app: Callable[..., TestApp], mailbox: Mailbox | None,
               notify: NotifyStub | None, **overrides: str) -> TestApp:
    settings: dict[str, str] = {"TOLBOOTH_NOTIFY_CALLBACK_TOKEN": CALLBACK_TOKEN,
                                "TOLBOOTH_NOTIFY_RETRY_FIRST_SECONDS": "0.05",
                                "TOLBOOTH_NOTIFY_RETRY_LONGEST_SECONDS": "0.2"}
    if mailbox is not None:
        settings |= {"TOLBOOTH_SMTP_HOST": "127.0.0.1", "TOLBOOTH_SMTP_PORT": str(mailbox.port)}
    if notify is not None:
        settings |= {"TOLBOOTH_NOTIFY_API_KEY": notify.api_key,
                     "TOLBOOTH_NOTIFY_BASE_URL": notify.url,
                     "TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID": notify.template_id}
    return make_app(**(settings | overrides))


def new_request(world: TestApp, contact: dict[str, Any] | None = None, locale: str = "en",
                journey: str = "noise-complaint", service: str = "environmental-health"
                ) -> requests_db.StoredRequest:
    """A request and its acknowledgement, stored as submission.submit stores them."""
    from server.journeys.contact import contact_fields
    fields = contact_fields(BOTH if contact is None else contact)
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey=journey, service=service, form_version=1,
        answers={"details": "Loud music"}, channel="web", special_category=False,
        contact_name=fields["name"], contact_email=fields["email"],
        contact_phone=fields["phone"], locale=locale, updates=fields["updates"] or "none")
    notices = world.app.state.notices

    def store(db: Any) -> requests_db.StoredRequest:
        created = requests_db.create_request(db, new, lambda: new_reference("MLC"))
        notices.requests_created(db, [(new, created.request.reference)])
        return created.request

    return world.store.write_sync(store)


def change_status(world: TestApp, request_id: str, status: str, message: str = "") -> None:
    from server.casework.actions import change_status as change
    world.store.write_sync(change, request_id, status, message, "staff:test",
                           world.app.state.notices)


def notifications(world: TestApp, request_id: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE request_id = ?", [request_id]) if request_id else ("", [])
    return world.store.read_sync(lambda db: [dict(zip(
        ("id", "channel", "recipient", "template", "status", "attempts", "last_error",
         "params"), row, strict=True)) for row in db.execute(
        "SELECT id, channel, recipient, template, status, attempts, last_error, params"
        f" FROM notifications {where} ORDER BY rowid", params)])


def wait_until(check: Callable[[], Any], timeout: float = 15, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or check}")


def settled(world: TestApp, request_id: str | None = None) -> list[dict[str, Any]]:
    """The notifications once none is waiting or being sent."""
    return wait_until(lambda: (lambda rows: rows if rows and all(
        r["status"] not in ("queued", "sending") for r in rows) else None)(
        notifications(world, request_id)), what="notifications to settle")


def status_counts(world: TestApp) -> dict[str, int]:
    return world.store.read_sync(notify_outbox.counts)
