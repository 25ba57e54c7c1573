""""Continue later": a half-finished request saved for 7 days behind a link sent by email
or text, to be picked up on any device. The link carries only a signed id; the answers
stay on the server (db/continue_links.py). It works once, and the newest link for a
session's journey is the only one that works.

send_continue_link is the one place that sends it, through the notification outbox
(template "continue_link" in server/notify/compose.py).
"""

from __future__ import annotations

from typing import Any

import phonenumbers

from server.auth.signed_links import sign, unsign
from server.db import continue_links
from server.db.clock import iso_in, parse_iso
from server.db.continue_links import LIFETIME
from server.forms.normalise import COUNCIL_TIME_ZONE
from server.forms.one_page import parse_one_page_form
from server.i18n import lazy as _
from server.journeys.drafts import Draft, save_draft
from server.settings import Settings

SALT = "tolbooth.continue-later.v1"


def link_url(settings: Settings, link_id: str) -> str:
    return f"{settings.origin}/continue/{sign(settings.secret_key, SALT, link_id)}"


def link_id(settings: Settings, token: str) -> str | None:
    value = unsign(settings.secret_key, SALT, token)
    return value if isinstance(value, str) else None


async def send_continue_link(app_state: Any, sid: str, draft: dict[str, Any], journey: str,
                             journey_title: str, channel: str, to: str, locale: str) -> None:
    """Save `draft` behind a new link and queue it to `to` (an email address, or a mobile
    number in E.164 when channel is "text"), in one transaction: no link without its
    message, nor a message without its link."""
    settings: Settings = app_state.settings
    until = iso_in(LIFETIME)

    def save_and_queue(db: Any) -> None:
        saved = continue_links.create(db, sid, journey, draft, channel)
        app_state.notices.one_time_link(
            db, "sms" if channel == "text" else "email", to, "continue_link", locale,
            {"link": link_url(settings, saved), "journey_title": journey_title,
             "until": parse_iso(until).astimezone(COUNCIL_TIME_ZONE).date().isoformat()}, until)

    await app_state.store.write(save_and_queue)


SAVE_FORM = parse_one_page_form({"id": "continue-later", "page": {
    "id": "save", "title": _("Save and come back later"), "questions": [
        {"id": "how", "type": "radios", "label": _("Where should we send the link?"),
         "options": [{"value": "email", "label": _("By email")},
                     {"value": "text", "label": _("By text message to a mobile phone")}],
         "errors": {"required": _("Select where we should send the link")}},
        {"id": "email", "type": "email", "label": _("Email address"),
         "show_if": {"question": "how", "equals": "email"},
         "errors": {"required": _("Enter your email address")}},
        {"id": "mobile", "type": "phone", "label": _("UK mobile phone number"),
         "show_if": {"question": "how", "equals": "text"},
         "errors": {"required": _("Enter your mobile phone number")}},
    ]}})
NOT_A_MOBILE = _("Enter a UK mobile phone number: 11 digits, starting 07")


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def restore(db: Any, found: str | None, sid: str) -> str | None:
    """Use the link: its draft (and files) become this session's. The journey's slug, or
    None when the link is used, revoked, expired or not one of ours."""
    saved = continue_links.use(db, found or "", sid)
    if saved is None:
        return None
    d = saved.draft
    save_draft(db, sid, Draft(saved.journey, d["version"], d["submission_id"],
                              d.get("answers") or {}, d.get("contact")))
    return saved.journey


def usable(db: Any, found: str | None) -> continue_links.SavedDraft | None:
    return continue_links.usable(db, found or "")
