"""A kiosk's public key for sealing, its receipt page and its outbox page (issue 13).

The receipt and outbox pages hold nothing of a person: the receipt shows a reference or
a local receipt code and its QR code; offline, the service worker's clean copy of the
page fills both in from the address (pwa/scripts/kiosk/receipt.js). The outbox page is
a shell the kiosk's script fills with counts and receipt codes from the sealed store.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import i18n
from server.errors import NotFound
from server.i18n import lazy as _
from server.kiosk.device import kiosk_of
from server.kiosk.receipt import qr_svg, receipt_code, recipient, tracking_url
from server.notify.compose import send_before
from server.rendering import locale_of, renderer
from server.web import ratelimit

BAD_RECIPIENT = _("Enter an email address, like name@example.com, or a UK mobile number "
                  "starting 07")


async def seal_key(request: Request) -> Response:
    """The current public key. Cached briefly: a kiosk asks for it before each sealing
    when online, and a rotated key must reach kiosks soon (the old one still opens)."""
    ring = request.app.state.kiosk_keys.ring()
    return JSONResponse(ring.published(), headers={"Cache-Control": "public, max-age=300"})


def _receipt(request: Request, typed: str, errors: dict[str, Any] | None = None,
             sent: bool = False, status_code: int = 200) -> Response:
    settings = request.app.state.settings
    code = receipt_code(typed, settings.council_prefix) if typed else None
    context = {"code": code, "local": bool(code and code.startswith("LOCAL-")),
               "tracking_url": tracking_url(settings.origin, code) if code else "",
               "qr": qr_svg(tracking_url(settings.origin, code)) if code else "",
               "track_base": f"{settings.origin}/track", "errors": errors or {},
               "has_errors": bool(errors), "sent_to_person": sent}
    return renderer(request).render(request, "kiosk/receipt.html", context,
                                    status_code=status_code, public=not errors and not sent)


async def receipt_page(request: Request) -> Response:
    return _receipt(request, request.query_params.get("code", "")[:40])


async def send_receipt(request: Request) -> Response:
    """Email or text the receipt, on a kiosk only (elsewhere the person has the page)."""
    kiosk = await kiosk_of(request)
    if kiosk is None:
        raise NotFound()
    form = await request.form()
    typed = str(form.get("code", ""))[:40]
    code = receipt_code(typed, request.app.state.settings.council_prefix)
    if code is None:
        raise NotFound()
    to = recipient(str(form.get("to", ""))[:200])
    if to is None:
        message = i18n.Gettext(locale_of(request)).gettext(BAD_RECIPIENT)
        return _receipt(request, code, {"to": {"field": "to", "message": message}},
                        status_code=400)
    ratelimit.check(request, "receipt_kiosk", kiosk.client_id)
    ratelimit.check(request, "receipt_recipient", to[1])
    link = tracking_url(request.app.state.settings.origin, code)
    await request.app.state.store.write(
        lambda db: request.app.state.notices.one_time_link(
            db, to[0], to[1], "receipt", locale_of(request), {"code": code, "link": link},
            send_before("receipt")))
    return _receipt(request, code, sent=True)


async def outbox_page(request: Request) -> Response:
    return renderer(request).render(request, "kiosk/outbox.html", public=True)
