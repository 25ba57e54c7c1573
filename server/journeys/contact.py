"""The shared contact details page every journey ends with, asked once per session.

It is a plain one-page form (server/forms/one_page.py) run by the same engine as the
journeys, so its questions validate, render and translate like any other.
"""

from __future__ import annotations

from typing import Any

from server.forms.definition import Journey
from server.forms.one_page import OnePageForm, parse_one_page_form
from server.i18n import lazy as _

PAGE_ID = "contact"


def _definition(anonymous: bool) -> dict[str, Any]:
    options = [
        {"value": "email", "label": _("Email")},
        {"value": "phone", "label": _("Phone or text message")},
    ]
    if anonymous:
        options.append({"value": "none", "label": _("Do not contact me")})
    return {
        "id": "contact-anonymous" if anonymous else "contact",
        "page": {
            "id": PAGE_ID,
            "title": _("Your contact details"),
            "intro": (_("You do not have to tell us who you are. If you do, we can tell you "
                        "what happens and ask you for more details if we need them.")
                      if anonymous else
                      _("We will use these details to tell you what happens with your "
                        "request. We will not use them for anything else.")),
            "questions": [
                {"id": "name", "type": "text", "label": _("Your full name"),
                 "autocomplete": "name", "optional": anonymous, "max_length": 100,
                 "errors": {"required": _("Enter your full name")}},
                {"id": "how", "type": "radios",
                 "label": _("How should we contact you about this request?"),
                 "options": options,
                 "errors": {"required": _("Select how we should contact you")}},
                {"id": "email", "type": "email", "label": _("Email address"),
                 "show_if": {"question": "how", "equals": "email"},
                 "errors": {"required": _("Enter your email address")}},
                {"id": "phone", "type": "phone", "label": _("UK phone number"),
                 "hint": _("We will send text messages to a mobile number."),
                 "show_if": {"question": "how", "equals": "phone"},
                 "errors": {"required": _("Enter your phone number")}},
            ],
        },
    }


CONTACT = parse_one_page_form(_definition(anonymous=False))
CONTACT_ANONYMOUS = parse_one_page_form(_definition(anonymous=True))


def contact_form(journey: Journey) -> OnePageForm:
    return CONTACT_ANONYMOUS if journey.anonymous else CONTACT


def contact_fields(saved: dict[str, Any]) -> dict[str, str | None]:
    """Contact answers as the request stores them: name, email, phone (E.164)."""
    how = saved.get("how")
    return {
        "name": saved.get("name") or None,
        "email": saved.get("email") if how == "email" else None,
        "phone": saved.get("phone") if how == "phone" else None,
    }
