"""The first staff inbox: an officer's service's requests, one request, and the two
things they can do to it (change its status with a public message, add a note)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import SERVICE_OF_ROLE, may_read
from server.auth.session import current_person
from server.casework import actions as casework
from server.casework.status import STATUS, quick_exit, status_label
from server.casework.timeline import timeline
from server.db import request_tasks, sync_slots
from server.db import requests as requests_db
from server.db.people import Person
from server.errors import Forbidden, NotFound
from server.notify import deliveries
from server.rendering import locale_of, renderer

NOTE_MAX = 5000


def _officer(request: Request) -> Person:
    person = current_person(request)
    assert person is not None  # routes.py lets only officers in
    return person


async def inbox(request: Request) -> Response:
    person = _officer(request)
    status = request.query_params.get("status", "")
    status = status if status in STATUS else ""
    service = SERVICE_OF_ROLE[person.role]
    found = await request.app.state.store.read(requests_db.for_service, service, status)
    code = locale_of(request)
    rows = [r for r in found if may_read(person.role, r.service, r.special_category)]
    incomplete = await request.app.state.store.read(sync_slots.incomplete, [r.id for r in rows])
    return renderer(request).render(request, "staff/inbox.html", {
        "rows": rows, "status": status, "status_label": lambda s: status_label(s, code),
        "statuses": list(STATUS), "service": service, "incomplete": incomplete},
        block="main")


async def _readable(request: Request, person: Person) -> requests_db.StoredRequest:
    store = request.app.state.store
    request_id = request.path_params["request_id"]
    found = await store.read(requests_db.by_id, request_id)
    if found is None:
        raise NotFound()
    allowed = may_read(person.role, found.service, found.special_category)
    if not allowed or found.special_category:
        await store.write(casework.read_for_staff, request_id, person.actor, allowed)
    if not allowed:
        raise Forbidden()
    return found


async def request_page(request: Request, errors: dict | None = None,
                       status_code: int = 200) -> Response:
    person = _officer(request)
    found = await _readable(request, person)
    code = locale_of(request)
    events = await request.app.state.store.read(requests_db.all_events, found.id)
    journey = request.app.state.forms.get(found.journey, found.form_version)
    incomplete = await request.app.state.store.read(sync_slots.is_incomplete, found.id)
    created = next((e.id for e in events if e.kind == "created"), None)
    messages = await request.app.state.store.read(deliveries.staff_view, found, code, created)
    shown = timeline(events, code)
    for event in shown:
        event["deliveries"] = messages["deliveries"].get(event["id"], [])
    response = renderer(request).render(request, "staff/request.html", {
        "incomplete": incomplete, "messages": messages,
        "found": found, "journey_title": journey.title, "events": shown,
        "status_label": lambda s: status_label(s, code), "statuses": list(STATUS),
        "errors": errors or {}, "has_errors": bool(errors),
        "quick_exit": quick_exit(found.service)}, status_code=status_code)
    return response


async def change_status(request: Request) -> Response:
    person = _officer(request)
    found = await _readable(request, person)
    form = await request.form()
    status = str(form.get("status", ""))
    message = str(form.get("message", "")).strip()[:NOTE_MAX]
    if status not in STATUS:
        text = i18n.Gettext(locale_of(request))
        return await request_page(request, {"status": {"field": "status", "message":
                                  text.gettext("Choose a new status")}}, 400)
    await request.app.state.store.write(casework.change_status, found.id, status, message,
                                        person.actor, request.app.state.notices)
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


async def add_note(request: Request) -> Response:
    person = _officer(request)
    found = await _readable(request, person)
    form = await request.form()
    note = str(form.get("note", "")).strip()[:NOTE_MAX]
    if not note:
        text = i18n.Gettext(locale_of(request))
        return await request_page(request, {"note": {"field": "note", "message":
                                  text.gettext("Enter a note")}}, 400)
    await request.app.state.store.write(casework.add_note, found.id, note, person.actor)
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


async def finish_task(request: Request) -> Response:
    person = _officer(request)
    found = await _readable(request, person)
    try:
        task_id = int(request.path_params["task_id"])
    except ValueError:
        raise NotFound() from None
    if not await request.app.state.store.write(request_tasks.finish, found.id, task_id,
                                               person.actor):
        raise NotFound()
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)
