"""A signed-in person's account: overview, and for residents every request made with
their verified email address or phone number: a copy of what they sent, its public
timeline, adding information or files to it, and withdrawing it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth.session import current_person
from server.auth.signed_links import tracking_token
from server.casework import actions as casework
from server.casework.request_view import request_view
from server.casework.status import status_label
from server.db import requests as requests_db
from server.db import tracking_links
from server.db.people import Person
from server.errors import NotFound
from server.journeys import later
from server.rendering import locale_of, renderer


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


async def my_request(request: Request, errors: dict[str, Any] | None = None,
                     status_code: int = 200) -> Response:
    person = _person(request)
    found = await _own(request, person)
    store = request.app.state.store
    if found.special_category:
        await store.write(casework.read_by_resident, found, person.actor)
    view = await request_view(store, request.app.state.forms, found, locale_of(request))
    # Files open through the request's tracking link: one way for residents, signed.
    token = tracking_token(request.app.state.settings,
                           await store.read(tracking_links.for_request, found.id))
    return renderer(request).render(request, "account/request.html", {
        **view, "file_base": f"/track/{token}/files", "errors": errors or {},
        "has_errors": bool(errors), "action_base": f"/account/requests/{found.id}"},
        status_code=status_code)


async def add_information(request: Request) -> Response:
    person = _person(request)
    found = await _own(request, person)
    addition, errors = await later.read_addition(request)
    if errors:
        return await my_request(request, errors, 400)
    added = await request.app.state.store.write(casework.add_information, found,
                                                addition.message, person.actor,
                                                addition.files)
    if not added:
        return await my_request(request, later.error(request, "information", later.CLOSED),
                                400)
    return RedirectResponse(f"/account/requests/{found.id}", status_code=303)


async def withdraw(request: Request) -> Response:
    person = _person(request)
    found = await _own(request, person)
    reason, errors = await later.read_reason(request)
    if errors:
        return await my_request(request, errors, 400)
    if not await request.app.state.store.write(casework.withdraw, found, reason,
                                               person.actor):
        return await my_request(request, later.error(request, "reason",
                                                     later.ALREADY_CLOSED), 400)
    return RedirectResponse(f"/account/requests/{found.id}", status_code=303)
