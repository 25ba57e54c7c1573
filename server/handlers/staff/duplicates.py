"""Staff: a possible duplicate merged (the newer closed as a duplicate of the older,
both residents told) or dismissed. Either end's officer decides, if they may read both."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth.access import may_read
from server.casework import duplicates
from server.db import duplicates as duplicates_db
from server.db import requests as requests_db
from server.errors import Forbidden, NotFound
from server.handlers.staff.requests import officer, readable


async def _decide(request: Request, merge: bool) -> Response:
    person = officer(request)
    found = await readable(request, person)
    store = request.app.state.store
    try:
        link_id = int(request.path_params["link_id"])
    except ValueError:
        raise NotFound() from None
    link = await store.read(duplicates_db.link_by_id, link_id)
    if link is None or found.id not in (link.request_id, link.other_id):
        raise NotFound()
    other = await store.read(requests_db.by_id, link.other_id if found.id == link.request_id
                             else link.request_id)
    if other is None or not may_read(person.role, other.service, other.special_category):
        raise Forbidden()
    if merge:
        done = await store.write(duplicates.merge, link_id, person.actor,
                                 request.app.state.notices)
    else:
        done = await store.write(duplicates.dismiss, link_id, person.actor)
    if not done:  # decided already (a second click, another officer)
        raise NotFound()
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


async def merge(request: Request) -> Response:
    return await _decide(request, merge=True)


async def dismiss(request: Request) -> Response:
    return await _decide(request, merge=False)
