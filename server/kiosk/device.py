"""Which kiosk this browser is: the `tb_kiosk` cookie, set at enrolment, holds the
kiosk's sync client id signed by the server (HttpOnly, SameSite=Strict, long-lived).

It is not a secret the kiosk proves itself with (its sync token does that for sync);
it tells the server to render the kiosk layout and bind help requests and assisted
sessions to the kiosk's hub. A revoked kiosk keeps its cookie and shows "out of service".
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth.signed_links import sign, unsign
from server.db import kiosks
from server.db.kiosks import Kiosk
from server.settings import Settings

__all__ = ["KIOSK_COOKIE", "Kiosk", "KioskMiddleware", "kiosk_of", "set_kiosk_cookie"]

KIOSK_COOKIE = "tb_kiosk"
_SALT = "tolbooth.kiosk.device.v1"
# Chromium caps a cookie's lifetime at 400 days; a kiosk seen daily renews nothing, so
# enrolment is redone within that (the management page shows when each was enrolled).
_MAX_AGE = 400 * 24 * 3600
_STATE = "kiosk"
SKIP_PREFIXES = ("/static/", "/sync/", "/healthz")
# What an out-of-service kiosk refuses: new journeys and asking for help (the start page
# says it is out of service; what it queued before is still delivered by sync).
REFUSED_WHEN_REVOKED = ("/services", "/kiosk/services", "/kiosk/help", "/kiosk/assist",
                        "/forms/", "/continue/", "/track")


def kiosk_cookie_value(settings: Settings, client_id: str) -> str:
    return sign(settings.secret_key, _SALT, client_id)


def set_kiosk_cookie(response: Response, settings: Settings, client_id: str) -> None:
    response.set_cookie(KIOSK_COOKIE, kiosk_cookie_value(settings, client_id),
                        max_age=_MAX_AGE, httponly=True, secure=settings.https,
                        samesite="strict", path="/")


async def kiosk_of(request: Request) -> Kiosk | None:
    """The kiosk this browser is (revoked ones included), or None; looked up once per
    request."""
    state = request.scope.setdefault("state", {})
    if _STATE in state:
        found = state[_STATE]
        return found if isinstance(found, Kiosk) else None
    found = None
    token = request.cookies.get(KIOSK_COOKIE)
    if token:
        client_id = unsign(request.app.state.settings.secret_key, _SALT, token)
        if isinstance(client_id, str):
            found = await request.app.state.store.read(kiosks.kiosk, client_id)
    state[_STATE] = found
    return found


def current_kiosk(request: Request) -> Kiosk | None:
    """The kiosk found by the middleware (for the templates' `kiosk`); None elsewhere."""
    found = request.scope.get("state", {}).get(_STATE)
    return found if isinstance(found, Kiosk) else None


class KioskMiddleware:
    """Looks the kiosk up for every page, so the templates' `kiosk` is set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(SKIP_PREFIXES):
            kiosk = await kiosk_of(Request(scope))
            if kiosk is not None and kiosk.revoked and scope["path"].startswith(
                    REFUSED_WHEN_REVOKED):
                await RedirectResponse("/kiosk", 303)(scope, receive, send)
                return
        await self.app(scope, receive, send)
