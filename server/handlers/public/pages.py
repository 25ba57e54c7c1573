"""Pages that are the same for everyone: help and contact, privacy, accessibility."""

from starlette.requests import Request
from starlette.responses import Response

from accessibility.statement import load_statement
from server.db import catalogue
from server.rendering import renderer


async def help_page(request: Request) -> Response:
    hubs = await request.app.state.store.read(catalogue.hubs)
    return renderer(request).render(request, "pages/help.html", {"hubs": hubs}, public=True)


async def privacy(request: Request) -> Response:
    return renderer(request).render(request, "pages/privacy.html", public=True)


async def accessibility(request: Request) -> Response:
    return renderer(request).render(request, "pages/accessibility.html",
                                    {"statement": load_statement()}, public=True)
