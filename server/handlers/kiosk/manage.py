"""Kiosk management (issue 13): hub staff for their own hub, admins for every hub. The
list, revoking (out of service at once, revoked once its queue is delivered: see
sync/PROTOCOL.md "Kiosks") and each hub's kiosk timing."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.db import kiosks
from server.errors import NotFound
from server.handlers.kiosk.scope import hub_scope
from server.kiosk.timing import IDLE_CHOICES, WARN_CHOICES, read_timing_form
from server.rendering import locale_of, renderer


async def manage_page(request: Request, errors: dict[str, Any] | None = None,
                      posted: dict[str, str] | None = None, status_code: int = 200
                      ) -> Response:
    _person, hub_id = await hub_scope(request)
    store = request.app.state.store
    return renderer(request).render(request, "kiosk/manage.html", {
        "kiosks": await store.read(kiosks.listing, hub_id),
        "timings": await store.read(kiosks.timings, hub_id),
        "idle_choices": IDLE_CHOICES, "warn_choices": WARN_CHOICES,
        "errors": errors or {}, "has_errors": bool(errors), "posted": posted or {},
        "done": request.query_params.get("done", "")}, status_code=status_code)


async def revoke(request: Request) -> Response:
    person, hub_id = await hub_scope(request)
    client_id = str(request.path_params["client_id"])
    store = request.app.state.store
    found = await store.read(kiosks.kiosk, client_id)
    if found is None or (hub_id is not None and found.hub_id != hub_id):
        raise NotFound()
    await store.write(kiosks.retire, client_id, person.actor)
    return RedirectResponse("/staff/kiosks?done=revoked", 303)


async def save_timing(request: Request) -> Response:
    person, hub_id = await hub_scope(request)
    form = read_timing_form({k: str(v) for k, v in (await request.form()).items()})
    if hub_id is not None and form.hub_id != hub_id:
        raise NotFound()
    if form.errors:
        text = i18n.Gettext(locale_of(request))
        errors = {f: {"field": f"{f}-{form.hub_id}", "message": text.gettext(m)}
                  for f, m in form.errors.items()}
        return await manage_page(request, errors, {"hub": form.hub_id}, 400)
    if not await request.app.state.store.write(kiosks.set_timing, form.hub_id,
                                               form.idle_seconds, form.warn_seconds,
                                               person.actor):
        raise NotFound()
    return RedirectResponse("/staff/kiosks?done=timing", 303)
