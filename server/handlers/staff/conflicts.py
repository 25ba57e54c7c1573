"""Conflicts from the field (issue 14): a supervisor's list of open ones (managers of
the service and admins) and "Keep this value" on the request page, checked on a page of
its own before it changes anything."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import SERVICE_OF_ROLE
from server.casework import field_conflicts
from server.errors import NotFound
from server.handlers.staff.requests import officer, readable, request_page
from server.rendering import locale_of, renderer


async def conflicts_page(request: Request) -> Response:
    person = officer(request)
    found = await request.app.state.store.write(
        field_conflicts.open_for, person.role, SERVICE_OF_ROLE[person.role],
        locale_of(request), person.actor)
    return renderer(request).render(request, "staff/conflicts.html", {"conflicts": found})


def _version(form: Any) -> int:
    raw = str(form.get("case_version", ""))
    return int(raw) if raw.isdigit() else -1


async def resolve(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    conflict_id = request.path_params["conflict_id"]
    form = await request.form()
    choice = str(form.get("choice", ""))
    code = locale_of(request)
    store = request.app.state.store
    shown = next((c for c in await store.read(field_conflicts.for_request, found.id, code)
                  if c["id"] == conflict_id), None)
    if shown is None:
        raise NotFound()
    if choice not in field_conflicts.CHOICES:
        text = i18n.Gettext(code)
        key = f"keep-{conflict_id}-{field_conflicts.OFFICE}"
        return await request_page(request, {key: {"field": key, "message": text.gettext(
            field_conflicts.CHOOSE)}}, 400)
    if form.get("confirm") != "yes":  # the check: what will be kept, before it is
        chosen = next(c for c in shown["choices"] if c.key == choice)
        return renderer(request).render(request, "staff/conflict_check.html", {
            "found": found, "conflict": shown, "chosen": chosen,
            "case_version": _version(form)})
    done = await store.write(field_conflicts.resolve, found.id, conflict_id, choice,
                             _version(form), person.actor, request.app.state.notices)
    if done is None:
        raise NotFound()
    if isinstance(done, field_conflicts.NotOpen):
        text = i18n.Gettext(code)
        key = f"conflict-{conflict_id}"
        return await request_page(request, {key: {"field": key, "message": text.gettext(
            done.message)}}, 409)
    return RedirectResponse(f"/staff/requests/{found.id}?resolved=1#conflicts",
                            status_code=303)

