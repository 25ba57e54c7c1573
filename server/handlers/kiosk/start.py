"""The kiosk's start screen: language first, then the services; and Finish."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.auth.session import sign_out
from server.journeys.catalogue import SERVICE_TEXT
from server.kiosk.device import kiosk_of
from server.rendering import renderer
from server.web.visitor_session import session_id


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
    (kf's kiosk/finish.js wipes the browser's side, online or not). Elsewhere it does
    nothing: only a kiosk is shared like this."""
    if await kiosk_of(request) is None:
        return RedirectResponse("/kiosk", 303)
    await sign_out(request, "kiosk_finish")  # clears the session, ending any sign-in
    session_id(request)  # a fresh id: nothing of the last person's session is reachable
    return RedirectResponse("/kiosk", 303)
