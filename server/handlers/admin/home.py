"""Admin home: what an admin can do (links from the route table) and a few counts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.db import staff_changes
from server.rendering import renderer
from server.web import navigation


async def admin_home(request: Request) -> Response:
    counts = await request.app.state.store.read(staff_changes.counts)
    return renderer(request).render(request, "admin/home.html", {
        "counts": counts, "links": navigation.visible(request, navigation.ADMIN)})
