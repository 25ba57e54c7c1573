"""The services index (with search that works without JavaScript) and start pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.casework.status import quick_exit
from server.errors import NotFound
from server.forms.definition import Journey
from server.journeys.catalogue import SERVICE_TEXT
from server.journeys.drafts import has_draft
from server.journeys.search import search
from server.journeys.submission import AlreadySent, sent_and_no_new_draft
from server.rendering import locale_of, renderer
from server.web.visitor_session import session_id

MAX_QUERY = 100


async def services_index(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    text = i18n.Gettext(locale_of(request))
    found = search(request.app.state.forms.journeys(), request.app.state.council, query, text)
    groups = [(slug, service_text, [j for j in found.journeys if j.service == slug])
              for slug, service_text in SERVICE_TEXT.items()]
    return renderer(request).render(request, "journeys/index.html", {
        "query": query, "groups": groups, "total": len(found.journeys),
        "elsewhere": found.elsewhere if query else []}, block="results", public=True)


def already_sent(request: Request, journey: Journey, sent: AlreadySent) -> Response:
    """Back after sending: the request was sent, so say so (and offer a new one), not an
    empty form that invites sending it twice. No reference and no tracking link: the
    person pressing Back on a shared computer may not be the one who sent it (issue 10)."""
    return renderer(request).render(request, "journeys/already_sent.html", {
        "journey": journey, "first_page": journey.pages[0].id,
        "quick_exit": quick_exit(journey.service)}, block="main")


def journey_or_404(request: Request) -> Journey:
    try:
        return request.app.state.forms.latest(request.path_params["journey"])
    except KeyError:
        raise NotFound() from None


async def journey_start(request: Request) -> Response:
    journey = journey_or_404(request)
    sid = session_id(request)
    started = await request.app.state.store.read(has_draft, sid, journey.journey)
    sent = await request.app.state.store.read(sent_and_no_new_draft, sid, journey.journey)
    return renderer(request).render(request, "journeys/start.html", {
        "journey": journey,
        "service_name": SERVICE_TEXT[journey.service].name,
        "first_page": journey.pages[0].id + ("?new=1" if sent else ""),
        "has_draft": started,
        "quick_exit": quick_exit(journey.service),
    }, public=not (started or sent))
