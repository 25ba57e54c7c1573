from starlette.requests import Request
from starlette.responses import Response

from server.db import catalogue
from server.journeys.catalogue import service_text
from server.rendering import renderer


async def home(request: Request) -> Response:
    listing = await request.app.state.store.read(catalogue.front_door)
    return renderer(request).render(request, "home.html", public=True, context={
        "services": [(s, service_text(s.slug)) for s in listing.services],
        "hubs": listing.hubs,
    })
