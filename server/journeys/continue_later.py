""""Continue later": a half-finished request saved for 7 days behind a link sent by email
or text, to be picked up on any device. The link carries only a signed id; the answers
stay on the server (db/continue_links.py). It works once, and the newest link for a
session's journey is the only one that works.

send_continue_link is the one place that sends it, with what the service has today
(email: notify/email.py; text: db/sms_outbox.py), so moving to one notification outbox
changes this function only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import phonenumbers

from server import i18n
from server.auth.signed_links import sign, unsign
from server.db import Store, continue_links, sms_outbox
from server.db.clock import iso_in, parse_iso
from server.db.continue_links import LIFETIME
from server.forms.definition import Journey, parse_definition
from server.i18n import lazy as _
from server.journeys.drafts import Draft, save_draft
from server.notify.email import send_email
from server.settings import Settings

SALT = "tolbooth.continue-later.v1"


def link_url(settings: Settings, link_id: str) -> str:
    return f"{settings.origin}/continue/{sign(settings.secret_key, SALT, link_id)}"


def link_id(settings: Settings, token: str) -> str | None:
    value = unsign(settings.secret_key, SALT, token)
    return value if isinstance(value, str) else None


def _words(settings: Settings, locale: str, journey_title: str, url: str,
           until: datetime) -> tuple[str, str, str]:
    """(email subject, email body, text) in the person's language."""
    text = i18n.Gettext(locale)
    title = text.gettext(journey_title)
    day = i18n.format_date(until, locale, "long")
    subject = text.gettext("Carry on with your request")
    body = text.gettext(
        "You saved your answers to “%(journey)s” to finish later. Use this link to carry on, "
        "on this or any other device. It works once, until %(date)s:\n\n%(link)s\n\n"
        "Do not share it: anyone with the link can see your answers. If you did not ask "
        "for it, you can ignore this email.",
        journey=title, date=day, link=url)
    sms = text.gettext("%(council)s: carry on with your request “%(journey)s” with this link. "
                       "It works once, until %(date)s. Do not share it: %(link)s",
                       council=settings.council_name, journey=title, date=day, link=url)
    return subject, body, sms


async def send_continue_link(app_state: Any, sid: str, draft: dict[str, Any], journey: str,
                             journey_title: str, channel: str, to: str, locale: str) -> None:
    """Save `draft` behind a new link and send it to `to` (an email address, or a mobile
    number in E.164 when channel is "text")."""
    settings: Settings = app_state.settings
    store: Store = app_state.store
    until = parse_iso(iso_in(LIFETIME))
    if channel == "text":
        def save_and_queue(db: Any) -> None:  # one transaction: no link without its text
            saved = continue_links.create(db, sid, journey, draft, channel)
            sms = _words(settings, locale, journey_title, link_url(settings, saved), until)[2]
            sms_outbox.queue_text(db, to, sms, "continue_link", send_within=LIFETIME)

        await store.write(save_and_queue)
        app_state.texts.wake()
        return
    saved = await store.write(continue_links.create, sid, journey, draft, channel)
    subject, body, _ = _words(settings, locale, journey_title, link_url(settings, saved), until)
    await send_email(settings, to, subject, body)


def _form() -> Journey:
    return parse_definition({
        "format": 1, "journey": "continue-later", "version": 1, "service": "planning",
        "title": _("Save and come back later"), "summary": _("Save and come back later"),
        "keywords": [], "start": {"paragraphs": [], "before_you_start": []},
        "special_category": False, "anonymous": False, "contact": "optional",
        "next_steps": [],
        "pages": [{"id": "save", "title": _("Save and come back later"), "questions": [
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
        ]}],
    })


SAVE_FORM = _form()
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
