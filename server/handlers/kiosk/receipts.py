"""A kiosk's public key for sealing, its receipt page and its outbox page (issue 13).

The receipt and outbox pages hold nothing of a person: the receipt shows a reference or
a local receipt code and its QR code; offline, the service worker's clean copy of the
page fills both in from the address (pwa/scripts/kiosk/receipt.js). The outbox page is
a shell the kiosk's script fills with counts and receipt codes from the sealed store.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.kiosk.receipt import qr_svg, receipt_code, tracking_url
from server.rendering import renderer


async def seal_key(request: Request) -> Response:
    """The current public key. Cached briefly: a kiosk asks for it before each sealing
    when online, and a rotated key must reach kiosks soon (the old one still opens)."""
    ring = request.app.state.kiosk_keys.ring()
    return JSONResponse(ring.published(), headers={"Cache-Control": "public, max-age=300"})


async def receipt_page(request: Request) -> Response:
    settings = request.app.state.settings
    typed = request.query_params.get("code", "")[:40]
    code = receipt_code(typed, settings.council_prefix) if typed else None
    context = {"code": code, "local": bool(code and code.startswith("LOCAL-")),
               "tracking_url": tracking_url(settings.origin, code) if code else "",
               "qr": qr_svg(tracking_url(settings.origin, code)) if code else "",
               "track_base": f"{settings.origin}/track"}
    return renderer(request).render(request, "kiosk/receipt.html", context, public=True)


async def outbox_page(request: Request) -> Response:
    return renderer(request).render(request, "kiosk/outbox.html", public=True)
