"""`/dev/outbox`: in development (a localhost origin, no SMTP server, no Notify key), the
messages the service would have sent, so a person trying the app sees what residents
get. Anywhere else it does not exist (404)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.errors import NotFound
from server.rendering import renderer


async def dev_outbox(request: Request) -> Response:
    if not request.app.state.settings.dev_outbox:
        raise NotFound()
    return renderer(request).render(request, "updates/dev_outbox.html", {
        "messages": list(request.app.state.sender.dev_outbox.messages)})
