"""Track a request: by reference plus the email or phone used, or by a signed link. The
page shows a copy of what was sent and its timeline; while it is open its resident can
add information or files and withdraw it (the forms post to the signed link)."""

from __future__ import annotations

from typing import Any

import phonenumbers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.signed_links import (
    legacy_request_id,
    tracking_link_works,
    tracking_public_id,
    tracking_token,
)
from server.casework import actions as casework
from server.casework.request_view import request_view
from server.db import kiosk_sealed, tracking_links
from server.db import requests as requests_db
from server.db.kiosk_sealed import normalise_receipt
from server.errors import NotFound, TrackingLinkStopped
from server.forms.formats import email_address
from server.forms.one_page import parse_one_page_form
from server.forms.references import normalise_reference
from server.i18n import lazy as _
from server.journeys import later
from server.rendering import locale_of, renderer
from server.web import ratelimit

TRACK_FORM = parse_one_page_form({"id": "track", "page": {
    "id": "track", "title": _("Track a request"), "questions": [
        {"id": "reference", "type": "text", "label": _("Reference"), "max_length": 20,
         "hint": _("For example, MLC-7K3P-Q9X2"), "autocomplete": "off",
         "errors": {"required": _("Enter your reference")}},
        {"id": "contact", "type": "text", "label": _("Email address or phone number"),
         "max_length": 200, "errors": {"required": _("Enter your email address or phone "
                                                     "number")}},
    ]}})
NOT_FOUND = _("We could not find a request with that reference and email address or phone "
              "number. Check them and try again.")
BAD_REFERENCE = _("Enter the reference in the right format, like MLC-7K3P-Q9X2")
RESIDENT = "resident"  # whoever holds the signed link: the timeline says "you"

def _form(request: Request, fields: dict[str, str], errors: dict[str, Any],
          status_code: int = 200) -> Response:
    return renderer(request).render(request, "track/form.html", {
        "track_questions": TRACK_FORM.page.questions, "fields": fields, "errors": errors,
        "has_errors": bool(errors)}, status_code=status_code)


async def track_form(request: Request) -> Response:
    # A receipt's QR code opens this page with its code filled in (pwa/templates/kiosk).
    typed = request.query_params.get("reference", "")[:20]
    return _form(request, {"reference": typed} if typed else {}, {})


def _contact(value: str) -> tuple[str | None, str | None]:
    if "@" in value:
        return email_address(value), None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None, None
    return None, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


async def track_submit(request: Request) -> Response:
    ratelimit.check(request, "track_address", ratelimit.client_address(request))
    form = await request.form()
    fields = {k: str(form.get(k, ""))[:200] for k in ("reference", "contact")}
    text = i18n.Gettext(locale_of(request))
    errors: dict[str, Any] = {}
    for q in TRACK_FORM.page.questions:
        if not fields[q.id].strip():
            required = q.errors["required"]
            errors[q.id] = {"field": q.id, "message": text.gettext(required)}
    prefix = request.app.state.settings.council_prefix
    reference = normalise_reference(fields["reference"], prefix) if fields["reference"] else None
    receipt = None if reference else normalise_receipt(fields["reference"])
    if receipt is not None and not errors:  # a kiosk's or app's local receipt code, once delivered
        reference = await request.app.state.store.read(kiosk_sealed.reference_for_receipt,
                                                        receipt)
        if reference is None:
            return _form(request, fields, {"reference": {"field": "reference",
                                                         "message": text.gettext(NOT_FOUND)}})
    if "reference" not in errors and reference is None and receipt is None:
        errors["reference"] = {"field": "reference", "message": text.gettext(BAD_REFERENCE)}
    if errors:
        return _form(request, fields, errors)
    ratelimit.check(request, "track_reference_address",
                    f"{reference}|{ratelimit.client_address(request)}")
    ratelimit.check(request, "track_reference", reference or "")
    email, phone = _contact(fields["contact"])
    found = await request.app.state.store.read(requests_db.find_for_tracking, reference,
                                                email, phone)
    if found is None:
        return _form(request, fields, {"reference": {"field": "reference",
                                                     "message": text.gettext(NOT_FOUND)}})
    return await _result(request, found)


async def tracked(request: Request) -> requests_db.StoredRequest:
    """The request the tracking link in the path is for: 404 for no link of ours, 410
    for one stopped or expired."""
    settings, store = request.app.state.settings, request.app.state.store
    token = request.path_params["token"]
    public_id = tracking_public_id(token)
    if public_id is not None:
        link = await store.read(tracking_links.by_public_id, public_id)
    else:
        request_id = legacy_request_id(settings, token)
        link = await store.read(tracking_links.for_request, request_id) if request_id else None
    if link is None:
        raise NotFound()
    if not tracking_link_works(settings, link, token):
        raise TrackingLinkStopped()
    found = await store.read(requests_db.by_id, link.request_id)
    if found is None:
        raise NotFound()
    return found


async def stop_link(request: Request) -> Response:
    """"Stop this link working": for a link forwarded, shared or seen over a shoulder.
    Every link made so far stops; the next message carries a new one."""
    found = await tracked(request)
    await request.app.state.store.write(tracking_links.stop, found.id, RESIDENT)
    return renderer(request).render(request, "track/stopped.html", {"found": found})


async def track_link(request: Request) -> Response:
    return await _result(request, await tracked(request))


async def _result(request: Request, found: requests_db.StoredRequest,
                  errors: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    store = request.app.state.store
    if found.special_category:
        await store.write(casework.read_by_resident, found, RESIDENT)
    view = await request_view(store, request.app.state.forms, found, locale_of(request))
    link = await store.read(tracking_links.for_request, found.id)
    base = f"/track/{tracking_token(request.app.state.settings, link)}"
    response = renderer(request).render(request, "track/result.html", {
        **view, "file_base": f"{base}/files", "action_base": base, "errors": errors or {},
        "has_errors": bool(errors)}, status_code=status_code)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


async def add_information(request: Request) -> Response:
    found = await tracked(request)
    addition, errors = await later.read_addition(request)
    if errors:
        return await _result(request, found, errors, 400)
    if not await request.app.state.store.write(casework.add_information, found,
                                               addition.message, RESIDENT, addition.files):
        return await _result(request, found, later.error(request, "information",
                                                         later.CLOSED), 400)
    return RedirectResponse(f"/track/{request.path_params['token']}", status_code=303)


async def withdraw(request: Request) -> Response:
    found = await tracked(request)
    reason, errors = await later.read_reason(request)
    if errors:
        return await _result(request, found, errors, 400)
    if not await request.app.state.store.write(casework.withdraw, found, reason, RESIDENT):
        return await _result(request, found, later.error(request, "reason",
                                                         later.ALREADY_CLOSED), 400)
    return RedirectResponse(f"/track/{request.path_params['token']}", status_code=303)
