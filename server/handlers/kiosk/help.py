"""On a kiosk: "Ask for help" (alerts the hub's staff at once) and assisted mode (a short
code a member of hub staff enters to join this visit; the resident's consent to let
them fill in answers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import htmx
from server.db import kiosk_help
from server.db.kiosks import Kiosk
from server.errors import NotFound
from server.handlers.public.language import safe_next
from server.kiosk.device import kiosk_of
from server.rendering import renderer
from server.web import ratelimit
from server.web.visitor_session import session_id


async def _kiosk(request: Request) -> Kiosk:
    kiosk = await kiosk_of(request)
    if kiosk is None or kiosk.revoked:  # the middleware sends a revoked one to /kiosk
        raise NotFound()
    return kiosk


async def help_page(request: Request) -> Response:
    kiosk = await kiosk_of(request)
    if kiosk is None:
        return RedirectResponse("/kiosk", 303)
    asked = await request.app.state.store.read(kiosk_help.help_status, kiosk.client_id)
    return renderer(request).render(request, "kiosk/help.html", {
        "asked": asked, "next": safe_next(request.query_params.get("next"))},
        block="help_status")


async def ask_help(request: Request) -> Response:
    kiosk = await _kiosk(request)
    ratelimit.check(request, "kiosk_help", kiosk.client_id)
    store = request.app.state.store
    await store.write(kiosk_help.ask_help, kiosk.client_id, kiosk.hub_id)
    if htmx.is_htmx(request):
        return await help_page(request)
    form = await request.form()
    return RedirectResponse("/kiosk/help?next=" + safe_next(str(form.get("next") or "")), 303)


async def assist_page(request: Request) -> Response:
    """The code to show a member of staff; once they have joined, who is helping and the
    consent question."""
    kiosk = await _kiosk(request)
    store, sid = request.app.state.store, session_id(request)
    current = await store.read(kiosk_help.current_session, sid)
    if current is None:
        ratelimit.check(request, "kiosk_code_new", kiosk.client_id)
        current = await store.write(kiosk_help.new_code, kiosk.client_id, kiosk.hub_id, sid)
    return renderer(request).render(request, "kiosk/assist.html", {"assisted": current},
                                    block="assist")


async def consent(request: Request) -> Response:
    await _kiosk(request)
    form = await request.form()
    answer = str(form.get("consent", ""))
    if answer in ("yes", "no"):
        await request.app.state.store.write(kiosk_help.give_consent, session_id(request),
                                            answer == "yes")
    return RedirectResponse("/kiosk/assist", 303)
