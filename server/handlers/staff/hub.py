"""/staff/hub (issue 13): a library hub's live view for its staff (admins: every hub):
open help requests, each kiosk's waiting-to-send count and last contact, today's
requests made with help; answering help requests and joining a visit by its code."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.db import kiosk_help, kiosks
from server.db.clock import day_start
from server.errors import NotFound
from server.forms.normalise import COUNCIL_TIME_ZONE
from server.handlers.kiosk.scope import hub_scope
from server.i18n import lazy as _
from server.rendering import locale_of, renderer
from server.web import ratelimit

WRONG_CODE = _("That code is not right, or it has expired. Check the code on the kiosk "
               "and try again.")
ENTER_CODE = _("Enter the code shown on the kiosk")


async def hub_page(request: Request, errors: dict[str, Any] | None = None,
                   status_code: int = 200) -> Response:
    _person, hub_id = await hub_scope(request)
    store = request.app.state.store
    today = day_start(COUNCIL_TIME_ZONE)  # the hub's day, in summer too
    return renderer(request).render(request, "staff/hub.html", {
        "help_requests": await store.read(kiosk_help.open_help, hub_id),
        "kiosks": await store.read(kiosks.listing, hub_id),
        "assisted": await store.read(kiosk_help.assisted_since, hub_id, today),
        "all_hubs": hub_id is None, "joined": request.query_params.get("joined", ""),
        "errors": errors or {}, "has_errors": bool(errors)},
        status_code=status_code, block="live")


async def answer_help(request: Request) -> Response:
    person, hub_id = await hub_scope(request)
    try:
        help_id = int(request.path_params["help_id"])
    except ValueError:
        raise NotFound() from None
    status = str((await request.form()).get("status", ""))
    if not await request.app.state.store.write(kiosk_help.answer_help, help_id, hub_id,
                                               status, person.id):
        raise NotFound()
    return RedirectResponse("/staff/hub", 303)


async def join(request: Request) -> Response:
    person, hub_id = await hub_scope(request)
    code = kiosk_help.normal_code(str((await request.form()).get("code", "")))
    text = i18n.Gettext(locale_of(request))
    if not code:
        return await hub_page(request, {"code": {"field": "code", "message":
                                                 text.gettext(ENTER_CODE)}}, 400)
    ratelimit.check(request, "assist_code_staff", person.id)
    ratelimit.check(request, "assist_code_hub", hub_id or "all")
    joined = await request.app.state.store.write(kiosk_help.join, code, person.id, hub_id)
    if joined is None:
        return await hub_page(request, {"code": {"field": "code", "message":
                                                 text.gettext(WRONG_CODE)}}, 400)
    return RedirectResponse(f"/staff/hub?joined={joined.id}", 303)
