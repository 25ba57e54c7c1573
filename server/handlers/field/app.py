"""The field app (issue 14): one page, /field, that the service worker keeps (a clean
copy, like /outbox) and its script fills from the device's own encrypted store. The
server only says who is signed in (to set the device up) and hands over the words and
the visit form; the cases never pass through this page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.session import current_person
from server.casework.status import STATUSES
from server.db.field_devices import FIELD_ROLES
from server.field.visit_form import visit_form
from server.journeys.catalogue import SERVICE_TEXT
from server.rendering import locale_of, renderer
from sync.merge import FIELD_STATUSES


async def field_app(request: Request) -> Response:
    person = current_person(request)
    text = i18n.Gettext(locale_of(request))
    may_set_up = person is not None and person.role in FIELD_ROLES
    return renderer(request).render(request, "field/app.html", {
        "field_person": person if may_set_up else None,
        "other_person": person is not None and not may_set_up,
        "visit_form": visit_form(text),
        # Every status by its staff name (a case shows its own), and those a worker may set.
        "statuses": {code: text.gettext(s.staff) for code, s in STATUSES.items()},
        "field_statuses": FIELD_STATUSES,
        "services": {slug: text.gettext(t.name) for slug, t in SERVICE_TEXT.items()},
    }, public=True)
