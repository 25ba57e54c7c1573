"""A signed-in person's account: overview, and for residents every request made with
their verified email address or phone number, its public timeline, and adding information
to it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.session import current_person
from server.casework import actions as casework
from server.casework.status import OPEN_STATUSES, quick_exit, status_label
from server.casework.timeline import timeline
from server.db import requests as requests_db
from server.db import sync_slots
from server.db.people import Person
from server.errors import NotFound
from server.rendering import locale_of, renderer

INFORMATION_MAX = 5000


def _person(request: Request) -> Person:
    person = current_person(request)
    assert person is not None  # routes.py lets only signed-in people in
    return person


async def account_home(request: Request) -> Response:
    return renderer(request).render(request, "account/index.html", {})


async def my_requests(request: Request) -> Response:
    person = _person(request)
    found = await request.app.state.store.read(requests_db.for_resident, person.email,
                                               person.phone)
    code = locale_of(request)
    response = renderer(request).render(request, "account/requests.html", {
        "rows": found, "status_label": lambda s: status_label(s, code)})
    return response


async def _own(request: Request, person: Person) -> requests_db.StoredRequest:
    """Someone else's request is 'not found', the same as one that does not exist, so
    guessing ids tells nobody anything."""
    found = await request.app.state.store.read(requests_db.by_id,
                                               request.path_params["request_id"])
    if found is None or not requests_db.belongs_to(found, person.email, person.phone):
        raise NotFound()
    return found


async def my_request(request: Request, error: str | None = None,
                     status_code: int = 200) -> Response:
    person = _person(request)
    found = await _own(request, person)
    code = locale_of(request)
    events = await request.app.state.store.read(requests_db.public_events, found.id)
    journey = request.app.state.forms.get(found.journey, found.form_version)
    errors = {"information": {"field": "information", "message": error}} if error else {}
    incomplete = await request.app.state.store.read(sync_slots.is_incomplete, found.id)
    response = renderer(request).render(request, "account/request.html", {
        "found": found, "journey_title": journey.title, "events": timeline(events, code),
        "status_label": status_label(found.status, code), "errors": errors,
        "has_errors": bool(errors), "is_open": found.status in OPEN_STATUSES,
        "quick_exit": quick_exit(found.service), "incomplete": incomplete},
        status_code=status_code)
    return response


async def add_information(request: Request) -> Response:
    person = _person(request)
    found = await _own(request, person)
    form = await request.form()
    message = str(form.get("information", "")).strip()[:INFORMATION_MAX]
    text = i18n.Gettext(locale_of(request))
    if not message:
        return await my_request(request, text.gettext("Enter the information to add"), 400)
    added = await request.app.state.store.write(casework.add_information, found, message,
                                                person.actor)
    if not added:
        return await my_request(request, text.gettext(
            "This request is closed, so you cannot add to it. Make a new request instead."),
            400)
    return RedirectResponse(f"/account/requests/{found.id}", status_code=303)
