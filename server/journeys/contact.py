"""The shared contact details page every journey ends with, asked once per session.

It is a plain one-page form (server/forms/one_page.py) run by the same engine as the
journeys, so its questions validate, render and translate like any other.
"""

from __future__ import annotations

from typing import Any

from server.forms.definition import Journey
from server.forms.one_page import OnePageForm, parse_one_page_form
from server.i18n import lazy as _
from server.notify.notices import update_choice

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
                _updates_question(anonymous),
                # Asked when either question above needs it (shown together after them).
                {"id": "email", "type": "email", "label": _("Email address"),
                 "show_if": {"any": [{"question": "how", "equals": "email"},
                                     {"question": "updates", "in": ["email", "both"]}]},
                 "errors": {"required": _("Enter your email address")}},
                {"id": "phone", "type": "phone", "label": _("UK phone number"),
                 "hint": _("We will send text messages to a mobile number."),
                 "show_if": {"any": [{"question": "how", "equals": "phone"},
                                     {"question": "updates", "in": ["text", "both"]}]},
                 "errors": {"required": _("Enter your phone number")}},
            ],
        },
    }


def _updates_question(anonymous: bool) -> dict[str, Any]:
    question: dict[str, Any] = {
        # Optional, so contact details given before the question existed (a draft, an
        # app's queue) still count: unanswered, updates come the way they asked above.
        "id": "updates", "type": "radios", "label": _("How would you like to get updates?"),
        "optional": True,
        "hint": _("We will tell you when we get your request, when anything changes and "
                  "when we need something from you. If you do not choose, we will use the "
                  "way you asked us to contact you. You can stop updates at any time."),
        "options": [{"value": "email", "label": _("By email")},
                    {"value": "text", "label": _("By text message")},
                    {"value": "both", "label": _("By email and text message")},
                    {"value": "none", "label": _("No updates")}]}
    if anonymous:  # nobody to update when they chose not to be contacted
        question["show_if"] = {"question": "how", "in": ["email", "phone"]}
    return question


CONTACT = parse_one_page_form(_definition(anonymous=False))
CONTACT_ANONYMOUS = parse_one_page_form(_definition(anonymous=True))


def contact_form(journey: Journey) -> OnePageForm:
    return CONTACT_ANONYMOUS if journey.anonymous else CONTACT


def contact_fields(saved: dict[str, Any]) -> dict[str, str | None]:
    """Contact answers as the request stores them: name, email, phone (E.164), and how
    they want updates (email, text, both, none)."""
    return {
        "name": saved.get("name") or None,
        "email": saved.get("email") or None,
        "phone": saved.get("phone") or None,
        "updates": update_choice(saved),
    }


def with_update_choice(contact: Any) -> Any:
    """A contact saved or queued before the updates question existed, answered the way
    it asked to be contacted, so an app's queued request is not refused for it."""
    if isinstance(contact, dict) and "updates" not in contact and contact.get("how") in (
            "email", "phone"):
        return {**contact, "updates": update_choice(contact)}
    return contact
