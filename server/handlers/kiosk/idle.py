"""The kiosk's time-out warning shown open, in the kiosk layout, to anyone: hub staff see
what their hub's timing means for a person, and the accessibility audit (whose browser is
not a kiosk) can check the warning in every language."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.db import kiosks
from server.kiosk.device import kiosk_of
from server.rendering import renderer


async def idle_preview(request: Request) -> Response:
    kiosk = await kiosk_of(request)
    if kiosk is None:
        wanted = request.query_params.get("hub")
        found = await request.app.state.store.read(kiosks.timings, wanted or None)
        if not found:
            found = await request.app.state.store.read(kiosks.timings, None)
        hub = found[0]
        kiosk = kiosks.Kiosk(client_id="", hub_id=hub.hub_id, hub_name=hub.hub_name,
                             revoked=False, idle_seconds=hub.idle_seconds,
                             warn_seconds=hub.warn_seconds)
    return renderer(request).render(request, "kiosk/idle_preview.html",
                                    {"kiosk": kiosk, "idle_warning_open": True})
