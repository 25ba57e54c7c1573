"""The services index (with search that works without JavaScript) and start pages."""

from __future__ import annotations

import unicodedata

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.signed_links import tracking_url
from server.casework.status import quick_exit
from server.errors import NotFound
from server.forms.definition import Journey
from server.journeys.catalogue import SERVICE_TEXT
from server.journeys.drafts import has_draft
from server.journeys.submission import AlreadySent, sent_and_no_new_draft
from server.rendering import locale_of, renderer
from server.web.visitor_session import session_id

MAX_QUERY = 100


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(journey: Journey, words: list[str], gettext: i18n.Gettext) -> bool:
    texts = [journey.title, journey.summary, *journey.keywords]
    haystack = _fold(" ".join(texts + [gettext.gettext(t) for t in texts]))
    return all(word in haystack for word in words)


async def services_index(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    text = i18n.Gettext(locale_of(request))
    words = _fold(query).split()
    groups = []
    for slug, service_text in SERVICE_TEXT.items():
        found = [j for j in request.app.state.forms.journeys()
                 if j.service == slug and matches(j, words, text)]
        groups.append((slug, service_text, found))
    total = sum(len(found) for _, _, found in groups)
    return renderer(request).render(request, "journeys/index.html", {
        "query": query, "groups": groups, "total": total}, block="results", public=True)


def already_sent(request: Request, journey: Journey, sent: AlreadySent) -> Response:
    """Back after sending: the request was sent, so say so (and offer a new one), not an
    empty form that invites sending it twice."""
    return renderer(request).render(request, "journeys/already_sent.html", {
        "journey": journey, "sent": sent, "first_page": journey.pages[0].id,
        "tracking_url": tracking_url(request.app.state.settings, sent.request_id),
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
