from starlette.requests import Request
from starlette.responses import Response

from ..db import catalogue
from ..rendering import renderer
from ..services import service_text


async def home(request: Request) -> Response:
    listing = await request.app.state.store.read(catalogue.front_door)
    return renderer(request).render(request, "home.html", {
        "services": [(s, service_text(s.slug)) for s in listing.services],
        "hubs": listing.hubs,
    })
