"""The kiosk's start screen: language first, then the services; and Finish."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server.journeys.catalogue import SERVICE_TEXT
from server.kiosk.device import kiosk_of
from server.kiosk.finish import finish_visit
from server.rendering import renderer


async def start_page(request: Request) -> Response:
    """Step one: the language, each in its own name. A browser that is not a kiosk is
    told so (and staff where to set one up); a revoked kiosk is out of service."""
    kiosk = await kiosk_of(request)
    if kiosk is None:
        return renderer(request).render(request, "kiosk/not_a_kiosk.html")
    if kiosk.revoked:
        return renderer(request).render(request, "kiosk/out_of_service.html", status_code=503)
    return renderer(request).render(request, "kiosk/start.html")


async def services_page(request: Request) -> Response:
    """Step two: the services, as large buttons; each opens its journey."""
    kiosk = await kiosk_of(request)
    if kiosk is None or kiosk.revoked:
        return RedirectResponse("/kiosk", 303)
    forms = request.app.state.forms
    groups = [(slug, text, [j for j in forms.journeys() if j.service == slug])
              for slug, text in SERVICE_TEXT.items()]
    return renderer(request).render(request, "kiosk/services.html", {"groups": groups})


async def finish(request: Request) -> Response:
    """The person is done: their server-side session ends and the cookie gets a new id
    (kiosk/finish.js wipes the browser's side, online or not; its service worker sends
    this first when the network returns). Elsewhere it does nothing: only a kiosk is
    shared like this. finish.js asks for JSON and navigates itself."""
    if await kiosk_of(request) is None:
        return RedirectResponse("/kiosk", 303)
    await finish_visit(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"finished": True}, headers={"Cache-Control": "no-store"})
    return RedirectResponse("/kiosk", 303, headers={"Cache-Control": "no-store"})
