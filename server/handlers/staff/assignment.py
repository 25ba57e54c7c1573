"""Take it, assign (a team and/or an officer) and priority on one request. Each form
carries the version it was rendered with: a stale one gets the request page back with
"This request changed since you opened it" and what changed, nothing applied."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.casework import assignment
from server.handlers.staff.requests import officer, readable, request_page, version_of
from server.rendering import locale_of


def posted_version(form: dict[str, str]) -> int:
    """These forms are new: each carries its version, so one without is stale too."""
    version = version_of(form)
    return -1 if version is None else version


async def answer(request: Request, done: assignment.Outcome, form: dict[str, str]) -> Response:
    if isinstance(done, assignment.Stale):
        return await request_page(request, status_code=409, posted=form, stale=done.current)
    if isinstance(done, assignment.Refused):
        text = i18n.Gettext(locale_of(request))
        return await request_page(request, {done.field: {
            "field": done.field, "message": text.gettext(done.message)}}, 400, form)
    return RedirectResponse(f"/staff/requests/{done.id}", status_code=303)


async def take_it(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    form = {k: str(v) for k, v in (await request.form()).items()}
    done = await request.app.state.store.write(
        assignment.take, found.id, posted_version(form), person.role, person.id)
    return await answer(request, done, form)


async def assign(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    form = {k: str(v) for k, v in (await request.form()).items()}
    done = await request.app.state.store.write(
        assignment.assign, found.id, posted_version(form), person.role, person.id,
        form.get("team") or None, form.get("assignee") or None)
    return await answer(request, done, form)


async def set_priority(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    form = {k: str(v) for k, v in (await request.form()).items()}
    done = await request.app.state.store.write(
        assignment.set_priority, found.id, posted_version(form), person.id,
        form.get("priority", ""))
    return await answer(request, done, form)
