"""A journey's form definition as JSON, in one language: what the browser's own
interpreter validates with (offline, the same rules as the server)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import i18n
from server.errors import NotFound
from server.forms.export import export_definition
from server.journeys.contact import CONTACT, CONTACT_ANONYMOUS

FILE = re.compile(r"^v([1-9][0-9]{0,3})\.([a-z]{2})\.json$")
# The shared contact page is a small form of its own; the offline pages validate it too.
CONTACT_FORMS = {(form.id, form.version): form for form in (CONTACT, CONTACT_ANONYMOUS)}


async def form_definition(request: Request) -> JSONResponse:
    found = FILE.match(request.path_params["file"])
    if not found or found.group(2) not in i18n.OFFERED_CODES:
        raise NotFound()
    slug, version = request.path_params["journey"], int(found.group(1))
    try:
        journey = CONTACT_FORMS.get((slug, version)) or request.app.state.forms.get(slug, version)
    except KeyError:
        raise NotFound() from None
    text = i18n.Gettext(found.group(2))
    # A published version never changes, but its translations can improve: revalidate.
    return JSONResponse(export_definition(journey, text.gettext),
                        headers={"Cache-Control": "no-cache"})
