"""The page listing what this device has queued, sent and must fix: a server-rendered
shell that the outbox script (pwa/scripts/outbox/outbox_page.js) fills from IndexedDB,
since only the device knows what it holds."""

from starlette.requests import Request
from starlette.responses import Response

from server.rendering import renderer


async def outbox_page(request: Request) -> Response:
    return renderer(request).render(request, "outbox/index.html", public=True)
