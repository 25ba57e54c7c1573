"""Track a request: by reference plus the email or phone used, or by a signed link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import phonenumbers
from starlette.requests import Request
from starlette.responses import Response

from .. import i18n
from ..db import requests as requests_db
from ..db import sync_slots
from ..errors import NotFound, TooManyRequests
from ..forms.definition import parse_definition
from ..forms.references import normalise_reference
from ..i18n import lazy as _
from ..ratelimit import RateLimiter, client_address
from ..rendering import locale_of, renderer
from ..tracking import request_id_from_token

# Guessing the email or phone for a reference is the attack: a few tries per reference
# is plenty for a person. Per address the ceiling is wider, because a library hub's
# kiosks share one address.
ATTEMPTS = RateLimiter(limit=10, window_seconds=600)
ATTEMPTS_PER_ADDRESS = RateLimiter(limit=100, window_seconds=600)

TRACK_FORM = parse_definition({
    "format": 1, "journey": "track", "version": 1, "service": "planning",
    "title": _("Track a request"), "summary": _("Track a request"), "keywords": [],
    "start": {"paragraphs": [], "before_you_start": []}, "special_category": False,
    "anonymous": False, "contact": "optional", "next_steps": [],
    "pages": [{"id": "track", "title": _("Track a request"), "questions": [
        {"id": "reference", "type": "text", "label": _("Reference"), "max_length": 20,
         "hint": _("For example, MLC-7K3P-Q9XD"), "autocomplete": "off",
         "errors": {"required": _("Enter your reference")}},
        {"id": "contact", "type": "text", "label": _("Email address or phone number"),
         "max_length": 200, "errors": {"required": _("Enter your email address or phone "
                                                     "number")}},
    ]}],
})
NOT_FOUND = _("We could not find a request with that reference and email address or phone "
              "number. Check them and try again.")
BAD_REFERENCE = _("Enter the reference in the right format, like MLC-7K3P-Q9XD")

STATUS = {"received": _("Received"), "in_progress": _("Being dealt with"),
          "waiting": _("Waiting for information from you"), "closed": _("Closed")}
EVENT_TITLES = {"created": _("We received your request"),
                "status_changed": _("Status changed"),
                "message": _("Message from the council"),
                "information_added": _("You added information")}
INTERNAL_TITLES = {"note": _("Internal note")}


def timeline(events: list[requests_db.Event], code: str) -> list[dict[str, Any]]:
    """Events as the timeline template shows them, in the reader's language."""
    text = i18n.Gettext(code)
    return [{
        "at": e.at,
        "when": i18n.format_datetime(datetime.fromisoformat(e.at.replace("Z", "+00:00")), code),
        "title": (text.gettext("Status changed to: %(status)s") % {
            "status": text.gettext(STATUS.get(e.status or "", e.status or ""))}
                  if e.kind == "status_changed" else text.gettext(EVENT_TITLES.get(
                      e.kind, str(INTERNAL_TITLES.get(e.kind, e.kind))))),
        "message": e.message,
        "public": e.public,
        "actor": e.actor,
    } for e in events]


def status_label(status: str, code: str) -> str:
    return i18n.Gettext(code).gettext(STATUS.get(status, status))


def _form(request: Request, fields: dict[str, str], errors: dict[str, Any],
          status_code: int = 200) -> Response:
    return renderer(request).render(request, "track/form.html", {
        "track_questions": TRACK_FORM.pages[0].questions, "fields": fields, "errors": errors,
        "has_errors": bool(errors)}, status_code=status_code)


async def track_form(request: Request) -> Response:
    return _form(request, {}, {})


def _contact(value: str) -> tuple[str | None, str | None]:
    if "@" in value:
        return value.strip(), None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None, None
    return None, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _limit(limiter: RateLimiter, key: str) -> None:
    wait = limiter.check(key)
    if wait:
        raise TooManyRequests(headers={"Retry-After": str(wait)})


async def track_submit(request: Request) -> Response:
    _limit(ATTEMPTS_PER_ADDRESS, client_address(request.client))
    form = await request.form()
    fields = {k: str(form.get(k, ""))[:200] for k in ("reference", "contact")}
    text = i18n.Gettext(locale_of(request))
    errors: dict[str, Any] = {}
    for q in TRACK_FORM.pages[0].questions:
        if not fields[q.id].strip():
            required = q.errors["required"]
            errors[q.id] = {"field": q.id, "message": text.gettext(required)}
    prefix = request.app.state.settings.council_prefix
    reference = normalise_reference(fields["reference"], prefix) if fields["reference"] else None
    if "reference" not in errors and reference is None:
        errors["reference"] = {"field": "reference", "message": text.gettext(BAD_REFERENCE)}
    if errors:
        return _form(request, fields, errors)
    _limit(ATTEMPTS, reference or "")
    email, phone = _contact(fields["contact"])
    found = await request.app.state.store.read(requests_db.find_for_tracking, reference,
                                                email, phone)
    if found is None:
        return _form(request, fields, {"reference": {"field": "reference",
                                                     "message": text.gettext(NOT_FOUND)}})
    return await _result(request, found)


async def track_link(request: Request) -> Response:
    request_id = request_id_from_token(request.app.state.settings,
                                       request.path_params["token"])
    found = await request.app.state.store.read(requests_db.by_id, request_id) \
        if request_id else None
    if found is None:
        raise NotFound()
    return await _result(request, found)


async def _result(request: Request, found: requests_db.StoredRequest) -> Response:
    code = locale_of(request)
    text = i18n.Gettext(code)
    events = await request.app.state.store.read(requests_db.public_events, found.id)
    journey = request.app.state.forms.get(found.journey, found.form_version)
    shown = timeline(events, code)
    incomplete = await request.app.state.store.read(sync_slots.is_incomplete, found.id)
    response = renderer(request).render(request, "track/result.html", {
        "request": found, "journey_title": journey.title, "events": shown,
        "incomplete": incomplete,
        "status_label": text.gettext(STATUS.get(found.status, found.status)),
        "created": datetime.fromisoformat(found.created_at.replace("Z", "+00:00")),
    })
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
