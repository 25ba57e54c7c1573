"""Staff stop a request's tracking links: when a resident says a link was forwarded or
seen by someone it should not have been. Audited (db/tracking_links.stop)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.db import tracking_links
from server.handlers.staff.requests import officer, readable


async def stop_links(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    await request.app.state.store.write(tracking_links.stop, found.id, person.actor)
    return RedirectResponse(f"/staff/requests/{found.id}?links=stopped", status_code=303)
